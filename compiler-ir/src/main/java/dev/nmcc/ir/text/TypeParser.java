package dev.nmcc.ir.text;

import dev.nmcc.ir.text.Lexer.Token;
import dev.nmcc.ir.type.ElementType;
import dev.nmcc.ir.type.Shape;
import dev.nmcc.ir.type.SpikeType;
import dev.nmcc.ir.type.TensorType;
import dev.nmcc.ir.type.Type;

/**
 * Turns a {@code TYPE} token ({@code tensor<2x3xf32>}, {@code spikes<8>}) into a {@link Type},
 * reporting malformed element types and dimensions. Used for blob and op result types.
 */
final class TypeParser {
    private final TokenCursor in;

    TypeParser(TokenCursor in) { this.in = in; }

    /** The type of a TYPE token, or null after reporting a malformed one. */
    Type parseType(Token t) {
        String text = t.text();
        boolean tensor = text.startsWith("tensor<");
        String inner = text.substring(7, text.length() - 1);
        String[] parts = inner.split("x", -1);
        int dimCount = tensor ? parts.length - 1 : parts.length;
        ElementType et = null;
        if (tensor) {
            et = ElementType.fromMnemonic(parts[parts.length - 1]);
            if (et == null) {
                in.error(t, "malformed type '" + text + "': unknown element type '" + parts[parts.length - 1]
                        + "' (expected f32, i32, i8, i4, i2 or i1)");
                return null;
            }
        } else if (inner.isEmpty()) {
            in.error(t, "malformed type '" + text + "': spike trains have rank >= 1");
            return null;
        }
        int[] dims = new int[dimCount];
        for (int i = 0; i < dimCount; i++) {
            String p = parts[i];
            boolean digits = !p.isEmpty() && p.length() <= 10 && p.chars().allMatch(Character::isDigit);
            long v = digits ? Long.parseLong(p) : -1;
            if (v <= 0 || v > Integer.MAX_VALUE) {
                in.error(t, "malformed type '" + text + "': '" + p + "' is not a positive dimension");
                return null;
            }
            dims[i] = (int) v;
        }
        Shape shape = dimCount == 0 ? Shape.SCALAR : Shape.of(dims);
        return tensor ? new TensorType(shape, et) : new SpikeType(shape);
    }
}

package dev.nmcc.ir.text;

import dev.nmcc.ir.text.BlobParser.BlobDecl;
import dev.nmcc.ir.type.ElementType;

/**
 * Decodes a blob's entry in the {@code resources} section straight from the source text into
 * its element array, in the byte layout of {@link BlobData}: checks the base64 characters and
 * padding, that the byte count matches the blob's type, and that narrow integers are in range.
 */
final class ResourceDecoder {
    private final TokenCursor in;

    ResourceDecoder(TokenCursor in) { this.in = in; }

    /** Decodes a resource into float[] or int[], or reports why it cannot and returns null. */
    Object decode(BlobDecl d, String shown) {
        Lexer.Span s = d.resource;
        String src = in.source();
        // Pass 1: check the characters and count them.
        int count = 0;
        int pad = 0;
        int line = s.line();
        int lineStart = s.start() - (s.col() - 1);
        for (int i = s.start(); i < s.end(); i++) {
            char c = src.charAt(i);
            if (c == '\n') {
                line++;
                lineStart = i + 1;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                continue;
            } else if (c == '=') {
                pad++;
                count++;
            } else if (c < 128 && BlobData.DECODE[c] >= 0 && pad == 0) {
                count++;
            } else {
                String what = c < 128 && BlobData.DECODE[c] >= 0 ? "data after '=' padding"
                        : "unexpected character " + (c < 0x20 ? String.format("U+%04X", (int) c) : "'" + c + "'");
                in.error(line, i - lineStart + 1, shown + ": malformed base64 data: " + what);
                return null;
            }
        }
        if (count % 4 != 0 || pad > 2) {
            in.error(s.line(), s.col(), shown + ": malformed base64 data: " + count + " characters"
                    + (pad > 2 ? " with " + pad + " '=' padding" : " is not a multiple of 4"));
            return null;
        }
        long bytes = (long) count / 4 * 3 - pad;
        int width = BlobData.width(d.type.elementType());
        int n = d.type.shape().elementCount();
        if (bytes != (long) n * width) {
            in.error(s.line(), s.col(), shown + ": expected " + (long) n * width + " bytes of data for " + d.type.text()
                    + ", got " + bytes);
            return null;
        }
        // Pass 2: decode straight into the element array.
        float[] floats = d.type.elementType() == ElementType.F32 ? new float[n] : null;
        int[] ints = floats == null ? new int[n] : null;
        long p = 0;
        int acc = 0;
        int accBits = 0;
        int word = 0;
        for (int i = s.start(); i < s.end() && p < bytes; i++) {
            char c = src.charAt(i);
            if (c == '=' || c == '\n' || c == ' ' || c == '\t' || c == '\r') continue;
            acc = (acc << 6) | BlobData.DECODE[c];
            accBits += 6;
            if (accBits >= 8) {
                accBits -= 8;
                int b = (acc >>> accBits) & 0xff;
                if (width == 4) {
                    word |= b << (8 * (int) (p & 3));
                    if ((p & 3) == 3) {
                        int e = (int) (p >>> 2);
                        if (floats != null) floats[e] = Float.intBitsToFloat(word);
                        else ints[e] = word;
                        word = 0;
                    }
                } else {
                    ints[(int) p] = (byte) b;
                }
                p++;
            }
        }
        if (ints != null && width == 1) {
            ElementType et = d.type.elementType();
            for (int i = 0; i < n; i++) {
                if (!BlobParser.fits(et, ints[i])) {
                    in.error(s.line(), s.col(), shown + ": element " + i + " has value " + ints[i] + ", out of range for "
                            + et + " (" + BlobParser.range(et) + ")");
                    return null;
                }
            }
        }
        return floats != null ? floats : ints;
    }
}

package dev.nmcc.ir.text;

import dev.nmcc.ir.graph.Module;
import java.io.IOException;

/**
 * Prints a module in the {@code .nmir} text form (docs/ir.md). Output is deterministic, and
 * {@link IrParser} reads it back to a module that prints byte-identically.
 */
public final class IrPrinter {
    private IrPrinter() {}

    /**
     * @param elideBlobData print the blob table without the {@code resources} section (for
     *     humans and golden tests; such text cannot be parsed back into a runnable module)
     */
    public record Options(boolean elideBlobData) {
        public static final Options DEFAULT = new Options(false);
        public static final Options ELIDED = new Options(true);
    }

    public static String print(Module module) { return print(module, Options.DEFAULT); }

    public static String print(Module module, Options options) {
        StringBuilder sb = new StringBuilder();
        try {
            print(module, options, sb);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return sb.toString();
    }

    /** Streams the text form, so that large blob sections need not be held as one string. */
    public static void print(Module module, Options options, Appendable out) throws IOException {
        throw new UnsupportedOperationException("IrPrinter: not implemented yet");
    }
}

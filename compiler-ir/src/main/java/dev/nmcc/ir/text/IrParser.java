package dev.nmcc.ir.text;

import dev.nmcc.ir.diag.CompilationException;
import dev.nmcc.ir.graph.Module;

/**
 * Parses the {@code .nmir} text form (docs/ir.md). Syntax errors, undefined values, duplicate
 * names and blob hash mismatches are reported as located diagnostics ({@code file:line:col}),
 * several at once where recovery is possible. The result is not verified: callers run the
 * {@link dev.nmcc.ir.verify.Verifier}.
 */
public final class IrParser {
    private IrParser() {}

    /**
     * @param fileName used in diagnostics' locations
     * @throws CompilationException with every error found
     */
    public static Module parse(String text, String fileName) {
        throw new UnsupportedOperationException("IrParser: not implemented yet");
    }
}

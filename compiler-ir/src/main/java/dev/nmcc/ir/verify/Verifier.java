package dev.nmcc.ir.verify;

import dev.nmcc.ir.diag.Diagnostic;
import dev.nmcc.ir.graph.Module;
import java.util.List;

/**
 * Checks the invariants of a module and reports every violation, located at the offending op.
 * The invariants are listed in docs/ir.md and at the top of the implementation.
 */
public final class Verifier {
    private Verifier() {}

    /** Every violation, in program order; empty when the module is valid. */
    public static List<Diagnostic> verify(Module module) {
        throw new UnsupportedOperationException("Verifier: not implemented yet");
    }
}

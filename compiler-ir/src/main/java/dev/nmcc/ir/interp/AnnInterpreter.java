package dev.nmcc.ir.interp;

import dev.nmcc.ir.graph.Module;
import java.util.Map;

/**
 * Reference 1 of DESIGN §3: executes an {@code ann}-stage module in float32 on a batch of
 * samples, in parallel across samples, on primitive arrays.
 */
public final class AnnInterpreter {
    /** Prepares an execution plan; the module must be a verified ann-stage module. */
    public AnnInterpreter(Module module) {
        throw new UnsupportedOperationException("AnnInterpreter: not implemented yet");
    }

    /**
     * Runs every sample. Inputs and outputs are keyed by their {@code name} attribute; outputs
     * come in program order.
     */
    public Map<String, Batch> run(Map<String, Batch> inputs) {
        throw new UnsupportedOperationException("AnnInterpreter: not implemented yet");
    }

    /** Runs a single-input, single-output module. */
    public Batch run(Batch input) {
        throw new UnsupportedOperationException("AnnInterpreter: not implemented yet");
    }
}

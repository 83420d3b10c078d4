package dev.nmcc.passes;

import dev.nmcc.passes.dead.EliminateDeadNeurons;
import dev.nmcc.passes.fold.FoldBatchNormPass;
import dev.nmcc.passes.quantize.QuantizeWeights;
import java.util.List;

/**
 * The passes of the compiler, in the default pipeline order. To add a pass, add its
 * {@code INFO} to this list: one line, nothing else to change.
 */
public final class StandardPasses {
    private StandardPasses() {}

    public static List<PassInfo> all() {
        return List.of(
                FoldBatchNormPass.INFO,
                // calibrate-thresholds goes here
                EliminateDeadNeurons.INFO,
                QuantizeWeights.INFO
                // allocate-cores and annotate-wake-on-spike go here, one line each, when their classes are on main.
        );
    }
}

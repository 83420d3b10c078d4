package dev.nmcc.passes;

import dev.nmcc.passes.calibrate.CalibrateThresholds;
import dev.nmcc.passes.dead.EliminateDeadNeurons;
import dev.nmcc.passes.fold.FoldBatchNormPass;
import dev.nmcc.passes.mapping.AllocateCores;
import dev.nmcc.passes.mapping.AnnotateWakeOnSpike;
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
                CalibrateThresholds.INFO,
                EliminateDeadNeurons.INFO,
                QuantizeWeights.INFO,
                AllocateCores.INFO,
                AnnotateWakeOnSpike.INFO);
    }
}

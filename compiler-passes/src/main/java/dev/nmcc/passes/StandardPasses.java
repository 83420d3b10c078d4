package dev.nmcc.passes;

import dev.nmcc.passes.fold.FoldBatchNormPass;
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
                dev.nmcc.passes.calibrate.CalibrateThresholds.INFO
                // calibrate-thresholds, eliminate-dead-neurons, quantize-weights, allocate-cores and
                // annotate-wake-on-spike go here, one line each, when their classes are on main.
        );
    }
}

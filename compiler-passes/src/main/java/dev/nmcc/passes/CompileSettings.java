package dev.nmcc.passes;

import dev.nmcc.ir.interp.Batch;
import java.util.Objects;

/**
 * Settings of one compilation that several passes read: the SNN's timesteps and I/O coding,
 * the calibration data, and optional labelled evaluation data (passes that can measure accuracy
 * report it before and after when this is given).
 *
 * @param timesteps T, the number of timesteps of one inference
 * @param encoding "direct" or "rate" (DESIGN §3)
 * @param decoding "potential" or "count"
 * @param seed the rate-encoding PRNG seed
 * @param calibration calibration inputs (one input tensor), or null
 * @param evalData evaluation inputs, or null
 * @param evalLabels class labels of {@code evalData}, or null
 */
public record CompileSettings(int timesteps, String encoding, String decoding, long seed, Batch calibration,
                              Batch evalData, int[] evalLabels) {
    public static final int DEFAULT_TIMESTEPS = 32;

    public CompileSettings {
        if (timesteps < 1) throw new IllegalArgumentException("timesteps must be >= 1");
        Objects.requireNonNull(encoding, "encoding");
        Objects.requireNonNull(decoding, "decoding");
        if (evalData != null && (evalLabels == null || evalLabels.length != evalData.samples())) {
            throw new IllegalArgumentException("evaluation data needs one label per sample");
        }
    }

    public static CompileSettings defaults() {
        return new CompileSettings(DEFAULT_TIMESTEPS, "direct", "potential", 0, null, null, null);
    }

    public CompileSettings withCalibration(Batch calib) {
        return new CompileSettings(timesteps, encoding, decoding, seed, calib, evalData, evalLabels);
    }
}

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
 * @param target the chip to compile for (resolved once by the driver), or null for
 *               {@link dev.nmcc.backend.target.Targets#DEFAULT}
 */
public record CompileSettings(int timesteps, String encoding, String decoding, long seed, Batch calibration,
                              Batch evalData, int[] evalLabels, dev.nmcc.backend.target.Target target) {
    public static final int DEFAULT_TIMESTEPS = 32;

    public CompileSettings {
        if (timesteps < 1) throw new IllegalArgumentException("timesteps must be >= 1");
        Objects.requireNonNull(encoding, "encoding");
        Objects.requireNonNull(decoding, "decoding");
        if (evalData != null && (evalLabels == null || evalLabels.length != evalData.samples())) {
            throw new IllegalArgumentException("evaluation data needs one label per sample");
        }
    }

    /** Settings without a target (the default target). */
    public CompileSettings(int timesteps, String encoding, String decoding, long seed, Batch calibration, Batch evalData,
                           int[] evalLabels) {
        this(timesteps, encoding, decoding, seed, calibration, evalData, evalLabels, null);
    }

    public static CompileSettings defaults() {
        return new CompileSettings(DEFAULT_TIMESTEPS, "direct", "potential", 0, null, null, null);
    }

    public CompileSettings withCalibration(Batch calib) {
        return new CompileSettings(timesteps, encoding, decoding, seed, calib, evalData, evalLabels, target);
    }

    public CompileSettings withTarget(dev.nmcc.backend.target.Target t) {
        return new CompileSettings(timesteps, encoding, decoding, seed, calibration, evalData, evalLabels, t);
    }

    /** The target to compile for: the one given, else the bundled default. */
    public dev.nmcc.backend.target.Target targetOrDefault() {
        return target != null ? target : dev.nmcc.backend.target.Targets.resolve(dev.nmcc.backend.target.Targets.DEFAULT);
    }
}

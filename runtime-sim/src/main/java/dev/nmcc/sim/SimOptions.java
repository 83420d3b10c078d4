package dev.nmcc.sim;

import dev.nmcc.nmc.model.NmcModel;
import java.util.Objects;

/**
 * One simulation's settings.
 *
 * @param mode             functional or cycle
 * @param timesteps        timesteps T per inference (≥ 1)
 * @param seed             seed of the rate-encoding PRNG
 * @param firstSampleIndex the data-set index of the first sample (the PRNG is keyed by it, so a
 *                         slice of a data set gives the spikes it gives in a whole run)
 */
public record SimOptions(Mode mode, int timesteps, long seed, long firstSampleIndex) {
    public SimOptions {
        Objects.requireNonNull(mode, "mode");
        if (timesteps < 1) throw new IllegalArgumentException("timesteps must be at least 1, got " + timesteps);
        if (firstSampleIndex < 0) throw new IllegalArgumentException("firstSampleIndex must not be negative");
    }

    /** The binary's own timesteps and seed, in {@code mode}, samples numbered from 0. */
    public static SimOptions defaults(NmcModel model, Mode mode) {
        return new SimOptions(mode, model.io().timesteps(), model.io().seed(), 0);
    }
}

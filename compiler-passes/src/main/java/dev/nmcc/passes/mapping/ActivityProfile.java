package dev.nmcc.passes.mapping;

import java.util.Arrays;

/**
 * Expected activity of a network, per timestep: the firing rate of every neuron of every layer
 * (spikes per neuron per timestep, in [0, 1]) and the density of the network input (the fraction
 * of input elements that are events in a timestep: non-zero analog values for direct encoding,
 * spikes for rate encoding). The mapper weighs placement by it and the energy estimate counts
 * with it.
 *
 * <p>A measured profile (the SNN interpreter's per-population statistics on calibration data) is
 * stored in the {@link dev.nmcc.passes.PassContext} under {@code ActivityProfile.class} by whoever
 * measured it; without one the passes use {@link #uniform}: every neuron fires at the default
 * rate (the {@code rate} option, 0.1) and direct input is dense (density 1).
 *
 * @param layerRates   per layer index (NetworkLayers order): per-neuron rates, or null for the
 *                     layer's {@code defaultRate}
 * @param defaultRate  rate of neurons without a measured rate
 * @param inputDensity fraction of input elements that are events per timestep
 * @param source       where the numbers come from, for the report ("measured on 100 samples")
 */
public record ActivityProfile(double[][] layerRates, double defaultRate, double inputDensity, String source) {
    public ActivityProfile {
        if (!(defaultRate >= 0 && defaultRate <= 1)) throw new IllegalArgumentException("rate must be in [0, 1], got " + defaultRate);
        if (!(inputDensity >= 0 && inputDensity <= 1)) throw new IllegalArgumentException("input density must be in [0, 1]");
        layerRates = layerRates == null ? new double[0][] : layerRates.clone();
    }

    /** The same rate for every neuron; dense direct input. */
    public static ActivityProfile uniform(double rate) {
        return new ActivityProfile(null, rate, 1.0, "default rate " + rate + " (no measured firing rates)");
    }

    /** The rate of neuron {@code i} of layer {@code layer}. */
    public double rate(int layer, int i) {
        double[] r = layer < layerRates.length ? layerRates[layer] : null;
        return r == null || i >= r.length ? defaultRate : r[i];
    }

    /** Mean rate of neurons [start, end) of a layer. */
    public double meanRate(int layer, int start, int end) {
        double[] r = layer < layerRates.length ? layerRates[layer] : null;
        if (r == null) return defaultRate;
        double s = 0;
        for (int i = start; i < end; i++) s += i < r.length ? r[i] : defaultRate;
        return end > start ? s / (end - start) : 0;
    }

    /** Whether any layer has measured rates. */
    public boolean measured() { return Arrays.stream(layerRates).anyMatch(r -> r != null); }
}

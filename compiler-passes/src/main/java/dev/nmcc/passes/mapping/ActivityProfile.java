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
 * @param inputRates   per input element (C order), the chance it is an event in a timestep; null: {@code inputDensity} for all
 * @param projectionEvents per projection ({@code snn.dense}, {@code snn.conv2d}, {@code snn.avgpool}, numbered in graph
 *                     order, which allocate-cores keeps), the events per timestep measured there; NaN or null where not measured
 */
public record ActivityProfile(double[][] layerRates, double defaultRate, double inputDensity, String source, double[] inputRates,
                              double[] projectionEvents) {
    public ActivityProfile {
        if (!(defaultRate >= 0 && defaultRate <= 1)) throw new IllegalArgumentException("rate must be in [0, 1], got " + defaultRate);
        if (!(inputDensity >= 0 && inputDensity <= 1)) throw new IllegalArgumentException("input density must be in [0, 1]");
        layerRates = layerRates == null ? new double[0][] : layerRates.clone();
        inputRates = inputRates == null ? null : inputRates.clone();
        projectionEvents = projectionEvents == null ? null : projectionEvents.clone();
    }

    /** A profile with one input density for every input element and no measured projection events. */
    public ActivityProfile(double[][] layerRates, double defaultRate, double inputDensity, String source) {
        this(layerRates, defaultRate, inputDensity, source, null, null);
    }

    /** Events per timestep measured at projection number {@code ordinal} (graph order), or NaN. */
    public double projectionEvents(int ordinal) {
        return projectionEvents == null || ordinal < 0 || ordinal >= projectionEvents.length ? Double.NaN : projectionEvents[ordinal];
    }

    /** Whether an op is a projection in the sense of {@link #projectionEvents}. */
    static boolean isProjection(dev.nmcc.ir.op.OpKind k) {
        return k == dev.nmcc.ir.op.OpKind.SNN_DENSE || k == dev.nmcc.ir.op.OpKind.SNN_CONV2D || k == dev.nmcc.ir.op.OpKind.SNN_AVGPOOL;
    }

    /** The chance that input element {@code i} is an event in a timestep. */
    public double inputRate(int i) {
        return inputRates == null || i >= inputRates.length ? inputDensity : inputRates[i];
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

    /**
     * Per-neuron rates from the SNN interpreter's statistics of a run of {@code net}'s module (the
     * populations' spikes per neuron over T · samples); the input density is the fraction of
     * non-zero input elements (direct encoding) or the mean input value (rate encoding: the spike
     * probability) of {@code input}.
     */
    public static ActivityProfile fromStats(NetworkLayers net, dev.nmcc.ir.interp.SnnStats stats, dev.nmcc.ir.interp.Batch input,
                                            boolean rateEncoded, double defaultRate) {
        double[][] rates = new double[net.layers().size()][];
        double steps = (double) stats.timesteps() * stats.samples();
        for (NetworkLayers.Layer l : net.layers()) {
            var p = stats.population(l.opIndex());
            if (p == null || steps == 0) continue;
            double[] r = new double[p.neurons()];
            long[] c = p.spikesPerNeuron();
            for (int i = 0; i < r.length; i++) r[i] = c[i] / steps;
            rates[l.index()] = r;
        }
        double density = 1;
        double[] perElement = null;
        if (input != null && input.data().length > 0) {
            // an element's event chance: non-zero (direct: every timestep) or its spike probability (rate)
            int size = input.sampleSize(), samples = input.samples();
            perElement = new double[size];
            float[] d = input.data();
            for (int s = 0; s < samples; s++) {
                for (int i = 0; i < size; i++) {
                    float v = d[s * size + i];
                    perElement[i] += rateEncoded ? Math.max(0, Math.min(1, v)) : (v != 0 ? 1 : 0);
                }
            }
            double sum = 0;
            for (int i = 0; i < size; i++) {
                sum += perElement[i];
                perElement[i] /= samples;
            }
            density = sum / ((double) size * samples);
        }
        var ops = net.module().graph().ops();
        int[] ordinal = new int[ops.size()];
        int count = 0;
        for (int i = 0; i < ops.size(); i++) ordinal[i] = isProjection(ops.get(i).kind()) ? count++ : -1;
        double[] events = new double[count];
        Arrays.fill(events, Double.NaN);
        for (var pr : stats.projections()) {
            int o = pr.opIndex() < ordinal.length ? ordinal[pr.opIndex()] : -1;
            if (o >= 0 && steps > 0) events[o] = pr.events() / steps;
        }
        return new ActivityProfile(rates, defaultRate, density, "measured on " + stats.samples() + " calibration samples", perElement,
                events);
    }

    /**
     * Runs the SNN interpreter on the first {@code maxSamples} samples of {@code calibration} for
     * {@code timesteps} steps and returns the measured profile.
     */
    public static ActivityProfile measure(NetworkLayers net, dev.nmcc.ir.interp.Batch calibration, int timesteps, long seed,
                                          int maxSamples, double defaultRate) {
        int n = Math.min(maxSamples, calibration.samples());
        int size = calibration.sampleSize();
        var batch = new dev.nmcc.ir.interp.Batch(n, calibration.sampleShape(), java.util.Arrays.copyOf(calibration.data(), n * size));
        var result = new dev.nmcc.ir.interp.SnnInterpreter(net.module()).run(batch, timesteps, seed, 0);
        boolean rate = "rate".equals(AllocateCores.encoding(net));
        return fromStats(net, result.stats(), batch, rate, defaultRate);
    }

    /** Whether any layer has measured rates. */
    public boolean measured() { return Arrays.stream(layerRates).anyMatch(r -> r != null); }
}

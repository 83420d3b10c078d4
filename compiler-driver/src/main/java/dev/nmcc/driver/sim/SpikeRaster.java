package dev.nmcc.driver.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Every spike of one sample, layer by layer: what {@code nmcc validate --raster} draws. Filled
 * while the sample runs (by the simulator's spike recorder or the interpreter's observer), then
 * frozen by {@link Builder#build}.
 *
 * @param sample     the sample's index in the data set
 * @param label      its label, or -1 when unknown
 * @param prediction the predicted class
 * @param timesteps  timesteps it ran
 * @param bands      the spiking layers (rate encoders, populations, max pools) in layer order
 */
public record SpikeRaster(int sample, int label, int prediction, int timesteps, List<Band> bands) {
    public SpikeRaster {
        bands = List.copyOf(bands);
    }

    /**
     * One spiking layer's trains: spike k was neuron {@code neurons[k]} at timestep {@code times[k]},
     * ordered by time, then neuron.
     *
     * @param name    the layer's name
     * @param kind    what it is, for people: {@code if}, {@code lif}, {@code rate input}, {@code maxpool}
     * @param size    its neurons
     * @param times   timestep of each spike
     * @param neurons neuron index (C order) of each spike
     */
    public record Band(String name, String kind, int size, int[] times, int[] neurons) {
        public Band {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(kind, "kind");
            if (times.length != neurons.length) throw new IllegalArgumentException("times and neurons differ in length");
        }

        /** Spikes in the band. */
        public int spikes() { return times.length; }
    }

    /** Collects the spikes of one sample; bands are declared first, in the order they are drawn. */
    public static final class Builder {
        private final int timesteps;
        private final List<String> names = new ArrayList<>();
        private final List<String> kinds = new ArrayList<>();
        private final List<Integer> sizes = new ArrayList<>();
        private final List<int[]> times = new ArrayList<>();
        private final List<int[]> neurons = new ArrayList<>();
        private final List<Integer> counts = new ArrayList<>();

        public Builder(int timesteps) { this.timesteps = timesteps; }

        /** Declares the next band; returns its number for {@link #spikes}. */
        public int band(String name, String kind, int size) {
            names.add(name);
            kinds.add(kind);
            sizes.add(size);
            times.add(new int[16]);
            neurons.add(new int[16]);
            counts.add(0);
            return names.size() - 1;
        }

        /** Adds the {@code count} spikes {@code indices[0 .. count)} of band {@code band} at timestep {@code t}. */
        public synchronized void spikes(int band, int t, int[] indices, int count) {
            if (t < 0 || t >= timesteps) throw new IllegalArgumentException("timestep " + t + " outside [0, " + timesteps + ")");
            int n = counts.get(band);
            int[] ts = times.get(band), ns = neurons.get(band);
            if (n + count > ts.length) {
                int cap = Math.max(ts.length * 2, n + count);
                ts = Arrays.copyOf(ts, cap);
                ns = Arrays.copyOf(ns, cap);
                times.set(band, ts);
                neurons.set(band, ns);
            }
            for (int i = 0; i < count; i++) {
                ts[n + i] = t;
                ns[n + i] = indices[i];
            }
            counts.set(band, n + count);
        }

        public SpikeRaster build(int sample, int label, int prediction) {
            List<Band> bands = new ArrayList<>();
            for (int b = 0; b < names.size(); b++) {
                int n = counts.get(b);
                bands.add(sorted(names.get(b), kinds.get(b), sizes.get(b), Arrays.copyOf(times.get(b), n), Arrays.copyOf(neurons.get(b), n)));
            }
            return new SpikeRaster(sample, label, prediction, timesteps, bands);
        }

        /** Orders a band's spikes by (time, neuron), whatever order they arrived in. */
        private static Band sorted(String name, String kind, int size, int[] ts, int[] ns) {
            long[] keys = new long[ts.length];
            for (int i = 0; i < ts.length; i++) keys[i] = ((long) ts[i] << 32) | (ns[i] & 0xffffffffL);
            Arrays.sort(keys);
            for (int i = 0; i < keys.length; i++) {
                ts[i] = (int) (keys[i] >>> 32);
                ns[i] = (int) keys[i];
            }
            return new Band(name, kind, size, ts, ns);
        }
    }
}

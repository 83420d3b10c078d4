package dev.nmcc.ir.interp;

import dev.nmcc.ir.loc.Location;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.ir.type.Shape;
import java.util.List;

/**
 * Activity of one {@link SnnInterpreter} run, summed over all its samples (exact integer sums,
 * so independent of the schedule).
 *
 * <ul>
 *   <li>A <b>population</b> is an {@code snn.if} or {@code snn.lif} op. Its firing rate is its
 *       spikes over {@code neurons · T · samples}; its maximum neuron rate is the largest
 *       {@code spikesPerNeuron[i] / (T · samples)}.</li>
 *   <li>A <b>projection</b> is an {@code snn.dense}, {@code snn.conv2d} or {@code snn.avgpool}.
 *       An input <i>event</i> is a spike reaching it, or, for an analog (direct) input, a non-zero
 *       element in one timestep. Its <i>synaptic operations</i> (SOPs) are, for each event, the
 *       number of synapses the event's input has in the projection (its fan-out: {@code units}
 *       for dense, the output channels times the output positions whose window covers it for
 *       conv2d, the windows covering it for avgpool). Max pooling, merges and views cost no SOPs.</li>
 *   <li>{@link #inputSpikes} are the spikes of the rate encoders.</li>
 *   <li>{@code sampleSpikes[s]} and {@code sampleSops[s]} are the population spikes and the
 *       SOPs of sample s alone (for distributions: energy and latency grow with them).</li>
 * </ul>
 */
public record SnnStats(int samples, int timesteps, List<Population> populations, List<Projection> projections, long inputSpikes,
                       long[] sampleSpikes, long[] sampleSops) {
    public SnnStats {
        populations = List.copyOf(populations);
        projections = List.copyOf(projections);
    }

    /**
     * One population. {@code opIndex} is the op's index in the module's graph, {@code name} its
     * result's name hint (or {@code %opIndex} without one); {@code spikesPerNeuron} is indexed by the
     * flattened (C-order) neuron index and shared, not copied.
     */
    public record Population(int opIndex, String name, Location location, OpKind kind, Shape shape, long spikes,
                             long[] spikesPerNeuron, double firingRate, double maxNeuronRate) {
        public int neurons() { return spikesPerNeuron.length; }

        /** Neurons that never fired in this run. */
        public int silentNeurons() {
            int n = 0;
            for (long c : spikesPerNeuron) if (c == 0) n++;
            return n;
        }
    }

    /** One projection: its input events and synaptic operations, summed over samples and timesteps. */
    public record Projection(int opIndex, String name, Location location, OpKind kind, long events, long sops) {}

    /** Spikes of all populations. */
    public long spikes() {
        long s = 0;
        for (Population p : populations) s += p.spikes();
        return s;
    }

    /** Synaptic operations of all projections. */
    public long sops() {
        long s = 0;
        for (Projection p : projections) s += p.sops();
        return s;
    }

    /** The p-th percentile (0 < p ≤ 100, nearest rank) of the SOPs of one sample; 0 without samples. */
    public long sopsPercentile(double p) {
        if (sampleSops.length == 0) return 0;
        long[] sorted = sampleSops.clone();
        java.util.Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** Mean synaptic operations per inference (per sample). */
    public double sopsPerSample() { return samples == 0 ? 0 : (double) sops() / samples; }

    /** Mean firing rate over all neurons of all populations. */
    public double firingRate() {
        long neurons = 0;
        for (Population p : populations) neurons += p.neurons();
        double steps = (double) neurons * timesteps * samples;
        return steps == 0 ? 0 : spikes() / steps;
    }

    /** The population of op {@code opIndex}, or null. */
    public Population population(int opIndex) {
        for (Population p : populations) if (p.opIndex() == opIndex) return p;
        return null;
    }
}

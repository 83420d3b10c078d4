package dev.nmcc.sim.engine;

/**
 * Activity counted by one worker during one run, merged at the end by exact integer sums (so the
 * totals do not depend on the schedule).
 */
public final class Counters {
    /** Spikes per neuron, by population index. */
    final long[][] neuronSpikes;
    /** Input events and synaptic operations, by projection index. */
    final long[] events;
    final long[] sops;
    /** Spikes emitted by rate encoders. */
    long inputSpikes;
    /** Running totals of population spikes and of SOPs (for per-sample figures). */
    long spikes;
    long sopTotal;

    Counters(int[] populationSizes, int projections) {
        neuronSpikes = new long[populationSizes.length][];
        for (int p = 0; p < populationSizes.length; p++) neuronSpikes[p] = new long[populationSizes[p]];
        events = new long[projections];
        sops = new long[projections];
    }

    /** Adds these counts to {@code total}. */
    public void addTo(Counters total) {
        for (int p = 0; p < neuronSpikes.length; p++) {
            long[] a = neuronSpikes[p], b = total.neuronSpikes[p];
            for (int k = 0; k < a.length; k++) b[k] += a[k];
        }
        for (int k = 0; k < events.length; k++) {
            total.events[k] += events[k];
            total.sops[k] += sops[k];
        }
        total.inputSpikes += inputSpikes;
    }

    /** Spikes of each neuron of population {@code p} (by population index), summed over samples. */
    public long[] neuronSpikes(int p) { return neuronSpikes[p]; }

    /** Input events of projection {@code p} (by projection index). */
    public long events(int p) { return events[p]; }

    /** Synaptic operations of projection {@code p}. */
    public long sops(int p) { return sops[p]; }

    /** Spikes emitted by rate encoders. */
    public long inputSpikes() { return inputSpikes; }

    /** Population spikes counted so far (running total of this worker). */
    public long spikes() { return spikes; }

    /** Synaptic operations counted so far (running total of this worker). */
    public long sopTotal() { return sopTotal; }
}

package dev.nmcc.ir.interp;

/**
 * Statistics of one run, accumulated by the workers: one instance per worker and run, merged
 * at the end by exact integer sums (so the totals do not depend on the schedule).
 */
final class SnnCounters {
    /** Spikes per neuron, by population index, summed over the samples this worker ran. */
    final long[][] neuronSpikes;
    /** Input events (spikes, or non-zero analog values per timestep) and synaptic operations, by projection index. */
    final long[] events;
    final long[] sops;
    /** Spikes emitted by rate encoders. */
    long inputSpikes;
    /** Running totals of population spikes and of SOPs (for the per-sample figures; not merged). */
    long spikes;
    long sopTotal;

    SnnCounters(int[] populationSizes, int projections) {
        neuronSpikes = new long[populationSizes.length][];
        for (int p = 0; p < populationSizes.length; p++) neuronSpikes[p] = new long[populationSizes[p]];
        events = new long[projections];
        sops = new long[projections];
    }

    void addTo(SnnCounters total) {
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
}

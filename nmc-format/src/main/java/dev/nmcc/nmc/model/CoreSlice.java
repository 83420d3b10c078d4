package dev.nmcc.nmc.model;

import java.util.Objects;

/**
 * Neurons {@code [neuronStart, neuronEnd)} of one population (or potential decoder) on one NPU,
 * with their integer parameters and wake-on-spike annotation.
 *
 * <p>Thresholds and initial potentials are per channel (channel = neuron / (n / C) for a layer of
 * n neurons and C channels, docs/snn-semantics.md): {@code thresholds[k]} is channel
 * {@code channelStart + k}'s; an array of length 1 holds the one value of every neuron of the
 * slice. A potential decoder's slice has empty arrays.
 *
 * @param id           slice id, equal to its index in {@link NmcModel#slices()}
 * @param layer        the population's (or decoder's) layer index
 * @param core         where it sits
 * @param neuronStart  first neuron (C-order index in the layer)
 * @param neuronEnd    one past the last neuron
 * @param channelStart the channel of {@code thresholds[0]} when thresholds are per channel
 * @param thresholds   firing thresholds (> 0), per channel or one value
 * @param v0           initial potentials, per channel or one value
 * @param synapseBytes synapse memory used on the NPU (as the mapper counted it)
 * @param wake         whether the NPU may sleep, what wakes it, and its idle timeout
 */
public record CoreSlice(int id, int layer, CoreCoord core, int neuronStart, int neuronEnd, int channelStart, int[] thresholds, int[] v0,
                        long synapseBytes, Wake wake) {
    public CoreSlice {
        Objects.requireNonNull(core, "core");
        Objects.requireNonNull(thresholds, "thresholds");
        Objects.requireNonNull(v0, "v0");
        Objects.requireNonNull(wake, "wake");
    }

    /** Neurons in the slice. */
    public int neurons() { return neuronEnd - neuronStart; }

    /**
     * Wake-on-spike annotation.
     *
     * @param onSpike            true: asleep until an input event; false: always awake
     * @param sources            ids of the slices whose spikes wake it
     * @param idleTimeoutCycles  cycles without input after which it sleeps again
     */
    public record Wake(boolean onSpike, int[] sources, long idleTimeoutCycles) {
        public static final Wake ALWAYS = new Wake(false, new int[0], 0);
    }
}

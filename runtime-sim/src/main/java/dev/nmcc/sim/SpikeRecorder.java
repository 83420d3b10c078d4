package dev.nmcc.sim;

/**
 * Sees every spike train of one traced sample: for each timestep, in layer order, the indices
 * (ascending) that spiked in each spiking layer (rate encoders, populations, max pools).
 * {@code indices} is only valid during the call; {@code count} entries of it are meaningful.
 */
@FunctionalInterface
public interface SpikeRecorder {
    void spikes(int timestep, int layer, int[] indices, int count);
}

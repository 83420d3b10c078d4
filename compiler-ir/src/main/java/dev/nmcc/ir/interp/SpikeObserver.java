package dev.nmcc.ir.interp;

import dev.nmcc.ir.graph.Value;

/**
 * Sees every spike train while {@link SnnInterpreter} runs: for each sample and timestep, the
 * spikes of every op that emits them ({@code snn.encode mode=rate}, {@code snn.if},
 * {@code snn.lif}, {@code snn.maxpool}), in program order, right after the op ran. For spike
 * rasters, and for comparing the interpreter with the simulator spike by spike.
 *
 * <p>{@code indices[0 .. count)} are the flattened (C-order) indices of the elements that spiked,
 * in increasing order. The array belongs to the interpreter: valid only during the call, neither
 * to be written nor kept. Calls come from the worker threads, concurrently for different samples
 * (all calls of one sample from one thread, in timestep order), so an implementation must be
 * thread-safe; {@code sample} is the sample's index in the batch given to {@code run}.
 */
@FunctionalInterface
public interface SpikeObserver {
    void observe(Value value, int sample, int t, int[] indices, int count);
}

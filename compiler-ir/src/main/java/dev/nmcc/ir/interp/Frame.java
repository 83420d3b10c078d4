package dev.nmcc.ir.interp;

/**
 * The working memory of one worker: where every value's samples live while a chunk of at most
 * {@link #capacity} samples runs. Value {@code v} of chunk sample {@code s} starts at
 * {@code data[v][base[v] + s * stride[v]]}; only storage roots (values that are not views of
 * another value) are filled in, and kernels address values by their root.
 *
 * <ul>
 *   <li>computed values: a slot array of {@code capacity × slotSize}, base 0, stride = size;
 *   <li>constants: the constant's array, base 0, stride 0 (every sample sees the same values);
 *   <li>inputs: the caller's batch array, base = first sample of the chunk × size, stride = size.
 * </ul>
 *
 * Frames are created once per worker and reused across chunks and runs (see
 * {@link AnnInterpreter}); nothing here is shared between threads while a chunk runs.
 */
final class Frame {
    final int capacity;
    final float[][] data;
    final int[] base;
    final int[] stride;
    /** Scratch for convolutions (im2col), sized for the largest one of the plan. */
    final float[] scratch;

    /** First sample (index into the run's batch) of the chunk being executed. */
    int start;
    /** The run's output arrays, by output index. */
    float[][] results;

    Frame(int capacity, int values, int scratchSize) {
        this.capacity = capacity;
        this.data = new float[values][];
        this.base = new int[values];
        this.stride = new int[values];
        this.scratch = new float[scratchSize];
    }
}

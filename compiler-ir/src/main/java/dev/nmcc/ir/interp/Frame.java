package dev.nmcc.ir.interp;

/**
 * The working memory of one worker: where every value's samples live while a chunk of at most
 * {@link #capacity} samples runs. Sample {@code s} of value {@code v} is the array
 * {@code data[v][s]}, starting at index 0. Only storage roots (values that are not views of
 * another value) are filled in, and kernels address values by their root:
 *
 * <ul>
 *   <li>computed values: the arrays of their buffer slot (shared with other values whose
 *       lifetimes do not overlap), each at least as long as the value;
 *   <li>constants: the constant's array, the same for every sample;
 *   <li>inputs: arrays of the frame that each chunk's samples are copied into.
 * </ul>
 *
 * <p>Every sample at offset 0 of its own array keeps the kernels' inner loops in the form
 * {@code y[i] = f(x[i], ...)}, which the JIT vectorizes without having to prove that arrays at
 * different offsets do not overlap.
 *
 * <p>Frames are created once per worker and reused across chunks and runs (see
 * {@link AnnInterpreter}); nothing here is shared between threads while a chunk runs.
 */
final class Frame {
    final int capacity;
    /** By root value id, then sample. */
    final float[][][] data;
    /** im2col rows of convolutions: row k is long enough for every convolution with more than k rows. */
    final float[][] col;
    /** Row accumulator of convolutions. */
    final float[] acc;
    /** Per-sample accumulators of dense layers. */
    final float[][] denseAcc;
    /** Indices of the non-zero inputs of one dense block. */
    final int[] nonZero;

    /** First sample (index into the run's batch) of the chunk being executed. */
    int start;
    /** The run's output arrays, by output index. */
    float[][] results;

    Frame(int capacity, int values, int[] colRows, int accSize, int denseOut, int denseBlock) {
        this.capacity = capacity;
        this.data = new float[values][][];
        this.col = new float[colRows.length][];
        for (int k = 0; k < colRows.length; k++) col[k] = new float[colRows[k]];
        this.acc = new float[accSize];
        this.denseAcc = new float[capacity][denseOut];
        this.nonZero = new int[denseBlock];
    }
}

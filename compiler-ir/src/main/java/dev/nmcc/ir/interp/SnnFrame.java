package dev.nmcc.ir.interp;

/**
 * The working memory of one worker of {@link SnnInterpreter}: every value's storage for the one
 * sample being run, the state of every population and decoder, and the scratch of the kernels.
 * Values are addressed by their storage root (views share their operand's storage):
 *
 * <ul>
 *   <li>float tensors (inputs, f32 currents): {@code f[v]};
 *   <li>integer tensors (i32 currents): {@code i[v]};
 *   <li>spike trains: the indices of this timestep's spikes, in increasing order,
 *       {@code spikes[v][0 … spikeCount[v])}.
 * </ul>
 *
 * <p><b>Chunks.</b> A worker runs a chunk of up to {@link #capacity} samples. The values that do
 * not change over a sample's timesteps (inputs, and what the static kernels compute from them)
 * have one array per sample of the chunk, {@code fs[v][s]} / {@code is[v][s]}, so that a static
 * dense projection can stream its weights once for the whole chunk; {@link #bind} points
 * {@code f[v]} / {@code i[v]} at sample s's arrays before the sample's timesteps run.
 *
 * <p>Frames are created once per worker and reused across samples and runs; nothing here is
 * shared between threads while a sample runs, and the hot loop allocates nothing.
 */
final class SnnFrame {
    final float[][] f;
    final int[][] i;
    final int[][] spikes;
    final int[] spikeCount;

    /** Membrane potentials by population index: float form, integer form (the other is null). */
    final float[][] fpot;
    final int[][] ipot;
    /** Decoder accumulators by decoder index: spike counts, float potentials, integer potentials. */
    final int[][] counts;
    final float[][] facc;
    final long[][] lacc;
    /** Rate encoders by encoder index: the elements with a non-zero level, their level · 65536 and their PRNG keys. */
    final int[][] active;
    final int[][] activeThreshold;
    final long[][] activeKey;
    final int[] activeCount;

    /** Scratch: a 64-bit accumulator, float accumulators (conv: one per output position), counts and marks (pooling). */
    final long[] longScratch;
    final float[][] floatRows;
    final int[] intScratch;
    final boolean[] mark;

    /** Samples of a chunk. */
    final int capacity;
    /** Per-sample storage of the chunk's sample-constant values (by root value, then sample; null for other values). */
    final float[][][] fs;
    final int[][][] is;
    /** The value ids that have per-sample storage. */
    final int[] perSample;
    /** Synaptic operations the static kernels did for each sample of the chunk (over all T steps). */
    final long[] onceSops;
    /** Scratch of the chunked static kernels: per-sample counts and flags; non-zero inputs and their values. */
    final int[] chunkEvents;
    final boolean[] chunkFlag;
    final int[] nzIndex;
    final float[] nzFloat;
    final int[] nzInt;

    /** The sample being run: its index in the data set (for the PRNG), the seed, and T. */
    long sample;
    long seed;
    int timesteps;
    /** The timestep being run. */
    int t;
    /** Where the statistics of the current run go. */
    SnnCounters counters;

    SnnFrame(int values, int populations, int decoders, int encoders, int longScratch, int floatRows, int floatRowSize,
             int intScratch, int markSize, int capacity, int[] perSample, int nzSize) {
        f = new float[values][];
        i = new int[values][];
        spikes = new int[values][];
        spikeCount = new int[values];
        fpot = new float[populations][];
        ipot = new int[populations][];
        counts = new int[decoders][];
        facc = new float[decoders][];
        lacc = new long[decoders][];
        active = new int[encoders][];
        activeThreshold = new int[encoders][];
        activeKey = new long[encoders][];
        activeCount = new int[encoders];
        this.longScratch = new long[longScratch];
        this.floatRows = new float[floatRows][floatRowSize];
        this.intScratch = new int[intScratch];
        this.mark = new boolean[markSize];
        this.capacity = capacity;
        this.perSample = perSample;
        fs = new float[values][][];
        is = new int[values][][];
        onceSops = new long[capacity];
        chunkEvents = new int[capacity];
        chunkFlag = new boolean[capacity];
        nzIndex = new int[nzSize];
        nzFloat = new float[nzSize];
        nzInt = new int[nzSize];
    }

    /** Points the sample-constant values at the storage of sample {@code s} of the chunk. */
    void bind(int s) {
        for (int v : perSample) {
            if (fs[v] != null) f[v] = fs[v][s];
            else i[v] = is[v][s];
        }
    }
}

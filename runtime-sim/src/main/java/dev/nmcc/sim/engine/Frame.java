package dev.nmcc.sim.engine;

import dev.nmcc.sim.cycle.SampleTimer;

/**
 * The working memory of one worker: every layer's storage for the sample being run, the state of
 * every population and decoder, and kernel scratch. Storage is addressed by layer index (a
 * reshape shares its input's storage):
 *
 * <ul>
 *   <li>network inputs (float values): {@code f[l]};
 *   <li>integer currents: {@code i[l]};
 *   <li>spike trains: this timestep's spiking indices in increasing order,
 *       {@code spikes[l][0 … spikeCount[l])}; a direct encoder also lists its non-zero inputs there
 *       (the input events the chip receives every timestep).
 * </ul>
 *
 * Created once per worker and reused across samples and runs; never shared while a sample runs.
 */
public final class Frame {
    final float[][] f;
    final int[][] i;
    final int[][] spikes;
    final int[] spikeCount;

    /** Membrane potentials by population index. */
    final int[][] pot;
    /** Decoder state by decoder index: spike counts, or 64-bit potentials. */
    final int[][] counts;
    final long[][] acc;
    /** Rate encoders by encoder index: elements of non-zero level, level · 65536, PRNG keys. */
    final int[][] active;
    final int[][] activeThreshold;
    final long[][] activeKey;
    final int[] activeCount;

    final long[] longScratch;
    final int[] intScratch;
    final boolean[] mark;

    /** The sample's index in the data set (for the PRNG), the seed, T, and the current timestep. */
    long sample;
    long seed;
    int timesteps;
    int t;
    Counters counters;

    /** This worker's cycle-model timer (cycle mode), created on first use. */
    SampleTimer timer;

    Frame(int layers, int populations, int decoders, int encoders, int longScratch, int intScratch, int markSize) {
        f = new float[layers][];
        i = new int[layers][];
        spikes = new int[layers][];
        spikeCount = new int[layers];
        pot = new int[populations][];
        counts = new int[decoders][];
        acc = new long[decoders][];
        active = new int[encoders][];
        activeThreshold = new int[encoders][];
        activeKey = new long[encoders][];
        activeCount = new int[encoders];
        this.longScratch = new long[longScratch];
        this.intScratch = new int[intScratch];
        this.mark = new boolean[markSize];
    }

    /** The cycle timer attached to this frame, or null. */
    public SampleTimer timer() { return timer; }

    /** Attaches a cycle timer to this frame (one per worker). */
    public void setTimer(SampleTimer timer) { this.timer = timer; }
}

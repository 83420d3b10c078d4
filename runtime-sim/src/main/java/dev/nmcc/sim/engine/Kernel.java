package dev.nmcc.sim.engine;

/**
 * One layer's computation. {@link #reset} runs at the start of every sample (initial potentials,
 * cleared decoders, the rate encoder's per-sample keys); {@link #run} runs once per sample for a
 * static kernel (its inputs never change during an inference: direct input and what is computed
 * from it alone) and once per timestep otherwise.
 */
abstract class Kernel {
    /** The layer this kernel computes. */
    final int layer;
    /** Whether {@link #run} is needed only once per sample. */
    final boolean isStatic;

    Kernel(int layer, boolean isStatic) {
        this.layer = layer;
        this.isStatic = isStatic;
    }

    void reset(Frame f) {}

    abstract void run(Frame f);

    static int clampI32(long v) {
        return v > Integer.MAX_VALUE ? Integer.MAX_VALUE : v < Integer.MIN_VALUE ? Integer.MIN_VALUE : (int) v;
    }

    /**
     * Counts input events and synaptic operations of projection {@code proj}. A static projection
     * runs once but the chip performs its work every timestep, so it counts T times.
     */
    static void count(Frame f, boolean isStatic, int proj, long events, long sops) {
        int times = isStatic ? f.timesteps : 1;
        f.counters.events[proj] += events * times;
        f.counters.sops[proj] += sops * times;
        f.counters.sopTotal += sops * times;
    }
}

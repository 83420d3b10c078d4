package dev.nmcc.ir.interp;

/**
 * One op of an {@link SnnInterpreter} plan. {@link #reset} runs at the start of every sample
 * (initial potentials, cleared decoders, the rate encoder's per-sample keys); {@link #run} runs
 * once per sample for a static kernel (its inputs do not change over time: direct input and
 * what is computed from it alone) and once per timestep otherwise.
 *
 * <p>Float currents are float32 and summed in a fixed order: the bias first, then the inputs in
 * increasing (C-order) index, so the event-driven kernels give the very floats of a dense loop
 * over the same inputs. Integer currents are summed in 64 bits and clamped to i32.
 *
 * <p>The kernels are nested in one file per op family: {@link EncodeKernels}, {@link DenseKernels},
 * {@link ConvKernels}, {@link PoolKernels}, {@link NeuronKernels}, {@link DecodeKernels}; this file keeps
 * the base and the helpers they share.
 */
abstract sealed class SnnKernel
        permits EncodeKernels.EncodeDirectFloat, EncodeKernels.EncodeDirectInt, EncodeKernels.EncodeRate,
                DenseKernels.DenseFloat, DenseKernels.DenseInt, ConvKernels.ConvFloat, ConvKernels.ConvInt,
                PoolKernels.AvgPool, PoolKernels.MaxPool,
                NeuronKernels.Merge, NeuronKernels.NeuronFloat, NeuronKernels.NeuronInt,
                DecodeKernels.DecodeCount, DecodeKernels.DecodePotential {
    /** Whether {@link #run} is needed only once per sample (its result is the same every timestep). */
    final boolean isStatic;

    SnnKernel(boolean isStatic) { this.isStatic = isStatic; }

    void reset(SnnFrame fr) {}

    abstract void run(SnnFrame fr);

    /**
     * Runs a static kernel for the first {@code n} samples of the frame's chunk (their values
     * bound one after the other); kernels that profit from seeing the samples together override
     * it. Synaptic operations are also added to {@link SnnFrame#onceSops} per sample.
     */
    void runChunk(SnnFrame fr, int n) {
        for (int s = 0; s < n; s++) {
            fr.bind(s);
            long sops0 = fr.counters.sopTotal;
            run(fr);
            fr.onceSops[s] += fr.counters.sopTotal - sops0;
        }
    }

    static int clampI32(long v) {
        return v > Integer.MAX_VALUE ? Integer.MAX_VALUE : v < Integer.MIN_VALUE ? Integer.MIN_VALUE : (int) v;
    }

    /** Counts input events and synaptic operations of projection {@code proj} (times T for a static kernel). */
    static void count(SnnFrame fr, boolean isStatic, int proj, long events, long sops) {
        int times = isStatic ? fr.timesteps : 1;
        fr.counters.events[proj] += events * times;
        fr.counters.sops[proj] += sops * times;
        fr.counters.sopTotal += sops * times;
    }

    /** {@link #count} for sample s of a chunk run by {@link #runChunk}, also kept in {@link SnnFrame#onceSops}. */
    static void countSample(SnnFrame fr, int s, boolean isStatic, int proj, long events, long sops) {
        long before = fr.counters.sopTotal;
        count(fr, isStatic, proj, events, sops);
        fr.onceSops[s] += fr.counters.sopTotal - before;
    }

    /**
     * The non-zero entries of {@code in[from .. to)} into {@code idx} / {@code val} (in increasing
     * index); returns how many.
     */
    static int nonZero(float[] in, int from, int to, int[] idx, float[] val) {
        int m = 0;
        for (int i = from; i < to; i++) {
            float v = in[i];
            if (v == 0f) continue;
            idx[m] = i;
            val[m++] = v;
        }
        return m;
    }

    static int nonZero(int[] in, int from, int to, int[] idx, int[] val) {
        int m = 0;
        for (int i = from; i < to; i++) {
            int v = in[i];
            if (v == 0) continue;
            idx[m] = i;
            val[m++] = v;
        }
        return m;
    }

    /**
     * {@code out[j] += val[k] · rows[idx[k]][j]} for k = 0 … m-1 in that order, four rows per pass
     * over {@code out}: each element still takes its products one after the other, rounded after
     * each one, so the floats are those of a loop over k outside a loop over j.
     */
    static void addRows(float[] out, float[][] rows, int[] idx, float[] val, int m, int len) {
        int k = 0;
        for (; k + 4 <= m; k += 4) {
            float[] r0 = rows[idx[k]], r1 = rows[idx[k + 1]], r2 = rows[idx[k + 2]], r3 = rows[idx[k + 3]];
            float a = val[k], b = val[k + 1], c = val[k + 2], d = val[k + 3];
            for (int j = 0; j < len; j++) {
                float o = out[j];
                o += a * r0[j];
                o += b * r1[j];
                o += c * r2[j];
                o += d * r3[j];
                out[j] = o;
            }
        }
        for (; k < m; k++) {
            float[] r = rows[idx[k]];
            float a = val[k];
            for (int j = 0; j < len; j++) out[j] += a * r[j];
        }
    }

    /** {@code out[j] += rows[idx[k]][j]} for k = 0 … m-1 in that order (spikes: weight 1), four rows per pass as {@link #addRows}. */
    static void addSpikeRows(float[] out, float[][] rows, int[] idx, int m, int len) {
        int k = 0;
        for (; k + 4 <= m; k += 4) {
            float[] r0 = rows[idx[k]], r1 = rows[idx[k + 1]], r2 = rows[idx[k + 2]], r3 = rows[idx[k + 3]];
            for (int j = 0; j < len; j++) {
                float o = out[j];
                o += r0[j];
                o += r1[j];
                o += r2[j];
                o += r3[j];
                out[j] = o;
            }
        }
        for (; k < m; k++) {
            float[] r = rows[idx[k]];
            for (int j = 0; j < len; j++) out[j] += r[j];
        }
    }

    /**
     * {@code out[j] += Σ_k val[k] · rows[idx[k]][j]} in 32-bit integers, four rows per pass; the
     * caller guarantees that no partial sum leaves the i32 range, so the result is exact.
     */
    static void addRows(int[] out, int[][] rows, int[] idx, int[] val, int m, int len) {
        int k = 0;
        for (; k + 4 <= m; k += 4) {
            int[] r0 = rows[idx[k]], r1 = rows[idx[k + 1]], r2 = rows[idx[k + 2]], r3 = rows[idx[k + 3]];
            int a = val[k], b = val[k + 1], c = val[k + 2], d = val[k + 3];
            for (int j = 0; j < len; j++) out[j] += a * r0[j] + b * r1[j] + c * r2[j] + d * r3[j];
        }
        for (; k < m; k++) {
            int[] r = rows[idx[k]];
            int a = val[k];
            for (int j = 0; j < len; j++) out[j] += a * r[j];
        }
    }

    /** {@code out[j] += Σ_k rows[idx[k]][j]} in 32-bit integers (exact under the caller's bound), four rows per pass. */
    static void addSpikeRows(int[] out, int[][] rows, int[] idx, int m, int len) {
        int k = 0;
        for (; k + 4 <= m; k += 4) {
            int[] r0 = rows[idx[k]], r1 = rows[idx[k + 1]], r2 = rows[idx[k + 2]], r3 = rows[idx[k + 3]];
            for (int j = 0; j < len; j++) out[j] += (r0[j] + r1[j]) + (r2[j] + r3[j]);
        }
        for (; k < m; k++) {
            int[] r = rows[idx[k]];
            for (int j = 0; j < len; j++) out[j] += r[j];
        }
    }
}

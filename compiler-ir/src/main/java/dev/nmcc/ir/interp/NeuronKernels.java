package dev.nmcc.ir.interp;

import java.util.Arrays;

/**
 * The neuron populations of an {@link SnnInterpreter} plan (IF / LIF, float and integer form) and
 * {@link NeuronKernels.Merge}, the sum of the currents that feed a population.
 *
 * <p>A holder, not instantiated: the kernels stay nested {@link SnnKernel} subclasses, grouped one op
 * family per file so that each file reads in one sitting.
 */
final class NeuronKernels {
    private NeuronKernels() {}

    /** Sum of currents in operand order (float32), or a 64-bit sum clamped to i32. */
    static final class Merge extends SnnKernel {
        final int[] xs;
        final int y, n;
        final boolean integer;

        Merge(int[] xs, int y, int n, boolean integer, boolean isStatic) {
            super(isStatic);
            this.xs = xs; this.y = y; this.n = n; this.integer = integer;
        }

        @Override void run(SnnFrame fr) {
            if (integer) {
                long[] acc = fr.longScratch;
                int[] first = fr.i[xs[0]];
                for (int j = 0; j < n; j++) acc[j] = first[j];
                for (int k = 1; k < xs.length; k++) {
                    int[] in = fr.i[xs[k]];
                    for (int j = 0; j < n; j++) acc[j] += in[j];
                }
                int[] out = fr.i[y];
                for (int j = 0; j < n; j++) out[j] = clampI32(acc[j]);
            } else {
                float[] out = fr.f[y];
                System.arraycopy(fr.f[xs[0]], 0, out, 0, n);
                for (int k = 1; k < xs.length; k++) {
                    float[] in = fr.f[xs[k]];
                    for (int j = 0; j < n; j++) out[j] += in[j];
                }
            }
        }
    }

    /** IF / LIF population, float form: {@code v ← leak · v + I} (IF: {@code v + I}); fire at {@code v ≥ θ}; reset. */
    static final class NeuronFloat extends SnnKernel {
        final int x, y, n, pop;
        final boolean leaky, subtract;
        final float leak, threshold, v0;
        /** Per-neuron threshold and initial potential (per-channel blobs), or null for the scalars. */
        final float[] thresholds, v0s;

        NeuronFloat(int x, int y, int n, int pop, boolean leaky, float leak, float threshold, float v0, boolean subtract,
                    float[] thresholds, float[] v0s) {
            super(false);
            this.x = x; this.y = y; this.n = n; this.pop = pop; this.leaky = leaky; this.leak = leak;
            this.threshold = threshold; this.v0 = v0; this.subtract = subtract;
            this.thresholds = thresholds; this.v0s = v0s;
        }

        @Override void reset(SnnFrame fr) {
            if (v0s != null) System.arraycopy(v0s, 0, fr.fpot[pop], 0, n);
            else Arrays.fill(fr.fpot[pop], 0, n, v0);
        }

        @Override void run(SnnFrame fr) {
            float[] v = fr.fpot[pop], in = fr.f[x];
            int[] out = fr.spikes[y];
            long[] cnt = fr.counters.neuronSpikes[pop];
            int m = 0;
            float[] ths = thresholds;
            for (int k = 0; k < n; k++) {
                float th = ths == null ? threshold : ths[k];
                float u = (leaky ? leak * v[k] : v[k]) + in[k];
                if (u >= th) {
                    out[m++] = k;
                    cnt[k]++;
                    u = subtract ? u - th : 0f;
                }
                v[k] = u;
            }
            fr.spikeCount[y] = m;
            fr.counters.spikes += m;
        }
    }

    /**
     * IF / LIF population, integer form: {@code v ← v − (v >> leak_shift) + I} (IF: {@code v + I}) in
     * 64 bits, saturated to {@code v_bits}; fire at {@code v ≥ θ}; reset.
     */
    static final class NeuronInt extends SnnKernel {
        final int x, y, n, pop, shift;
        final boolean leaky, subtract;
        final long threshold, min, max;
        final int v0;
        /** Per-neuron threshold and initial potential (per-channel blobs), or null for the scalars. */
        final long[] thresholds;
        final int[] v0s;

        NeuronInt(int x, int y, int n, int pop, boolean leaky, int shift, long threshold, long v0, boolean subtract, int vBits,
                  long[] thresholds, long[] v0s) {
            super(false);
            this.x = x; this.y = y; this.n = n; this.pop = pop; this.leaky = leaky; this.shift = shift;
            this.threshold = threshold; this.subtract = subtract;
            this.min = -(1L << (vBits - 1));
            this.max = (1L << (vBits - 1)) - 1;
            this.v0 = (int) Math.max(min, Math.min(max, v0));
            this.thresholds = thresholds;
            if (v0s == null) {
                this.v0s = null;
            } else {
                this.v0s = new int[n];
                for (int k = 0; k < n; k++) this.v0s[k] = (int) Math.max(min, Math.min(max, v0s[k]));
            }
        }

        @Override void reset(SnnFrame fr) {
            if (v0s != null) System.arraycopy(v0s, 0, fr.ipot[pop], 0, n);
            else Arrays.fill(fr.ipot[pop], 0, n, v0);
        }

        @Override void run(SnnFrame fr) {
            int[] v = fr.ipot[pop], in = fr.i[x];
            int[] out = fr.spikes[y];
            long[] cnt = fr.counters.neuronSpikes[pop];
            int m = 0;
            long[] ths = thresholds;
            for (int k = 0; k < n; k++) {
                long th = ths == null ? threshold : ths[k];
                long u = v[k];
                if (leaky) u -= u >> shift;
                u += in[k];
                if (u > max) u = max;
                else if (u < min) u = min;
                if (u >= th) {
                    out[m++] = k;
                    cnt[k]++;
                    u = subtract ? u - th : 0;
                }
                v[k] = (int) u;
            }
            fr.spikeCount[y] = m;
            fr.counters.spikes += m;
        }
    }
}

package dev.nmcc.ir.interp;

/**
 * The input encoders of an {@link SnnInterpreter} plan: direct input (float and integer form) and rate encoding.
 *
 * <p>A holder, not instantiated: the kernels stay nested {@link SnnKernel} subclasses, grouped one op
 * family per file so that each file reads in one sitting.
 */
final class EncodeKernels {
    private EncodeKernels() {}

    /** Direct input, float form: the current is the input itself. */
    static final class EncodeDirectFloat extends SnnKernel {
        final int x, y, n;

        EncodeDirectFloat(int x, int y, int n) {
            super(true);
            this.x = x; this.y = y; this.n = n;
        }

        @Override void run(SnnFrame fr) { System.arraycopy(fr.f[x], 0, fr.f[y], 0, n); }
    }

    /** Direct input, integer form: {@code x_q = clamp(floor(S · x + 0.5), 0, S)}. */
    static final class EncodeDirectInt extends SnnKernel {
        final int x, y, n, scale;

        EncodeDirectInt(int x, int y, int n, int scale) {
            super(true);
            this.x = x; this.y = y; this.n = n; this.scale = scale;
        }

        @Override void run(SnnFrame fr) {
            float[] in = fr.f[x];
            int[] out = fr.i[y];
            for (int k = 0; k < n; k++) out[k] = RateEncoder.quantize(in[k], scale);
        }
    }

    /** Rate encoding with the counter-based PRNG of {@link RateEncoder}; elements of level 0 never spike and are skipped. */
    static final class EncodeRate extends SnnKernel {
        final int x, y, n, enc;

        EncodeRate(int x, int y, int n, int enc) {
            super(false);
            this.x = x; this.y = y; this.n = n; this.enc = enc;
        }

        @Override void reset(SnnFrame fr) {
            float[] in = fr.f[x];
            int[] act = fr.active[enc], thr = fr.activeThreshold[enc];
            long[] key = fr.activeKey[enc];
            long sk = RateEncoder.sampleKey(fr.seed, fr.sample);
            int m = 0;
            for (int k = 0; k < n; k++) {
                int level = RateEncoder.level(in[k]);
                if (level == 0) continue;
                act[m] = k;
                thr[m] = level * 65536;
                key[m] = RateEncoder.elementKey(sk, k);
                m++;
            }
            fr.activeCount[enc] = m;
        }

        @Override void run(SnnFrame fr) {
            int[] act = fr.active[enc], thr = fr.activeThreshold[enc], out = fr.spikes[y];
            long[] key = fr.activeKey[enc];
            int m = fr.activeCount[enc], c = 0;
            long t = fr.t;
            for (int k = 0; k < m; k++) {
                if (RateEncoder.u16(key[k], t) * 255 < thr[k]) out[c++] = act[k];
            }
            fr.spikeCount[y] = c;
            fr.counters.inputSpikes += c;
        }
    }
}

package dev.nmcc.ir.interp;

import java.util.Arrays;

/**
 * The output decoders of an {@link SnnInterpreter} plan: spike counts and accumulated potentials.
 *
 * <p>A holder, not instantiated: the kernels stay nested {@link SnnKernel} subclasses, grouped one op
 * family per file so that each file reads in one sitting.
 */
final class DecodeKernels {
    private DecodeKernels() {}

    /** Count decoding: {@code c ← c + s}. */
    static final class DecodeCount extends SnnKernel {
        final int x, n, dec;

        DecodeCount(int x, int n, int dec) {
            super(false);
            this.x = x; this.n = n; this.dec = dec;
        }

        @Override void reset(SnnFrame fr) { Arrays.fill(fr.counts[dec], 0, n, 0); }

        @Override void run(SnnFrame fr) {
            int[] c = fr.counts[dec], s = fr.spikes[x];
            int m = fr.spikeCount[x];
            for (int k = 0; k < m; k++) c[s[k]]++;
        }
    }

    /** Potential decoding: {@code a ← a + I}, float32 or 64-bit. */
    static final class DecodePotential extends SnnKernel {
        final int x, n, dec;
        final boolean integer;

        DecodePotential(int x, int n, int dec, boolean integer) {
            super(false);
            this.x = x; this.n = n; this.dec = dec; this.integer = integer;
        }

        @Override void reset(SnnFrame fr) {
            if (integer) Arrays.fill(fr.lacc[dec], 0, n, 0L);
            else Arrays.fill(fr.facc[dec], 0, n, 0f);
        }

        @Override void run(SnnFrame fr) {
            if (integer) {
                long[] a = fr.lacc[dec];
                int[] in = fr.i[x];
                for (int k = 0; k < n; k++) a[k] += in[k];
            } else {
                float[] a = fr.facc[dec], in = fr.f[x];
                for (int k = 0; k < n; k++) a[k] += in[k];
            }
        }
    }
}

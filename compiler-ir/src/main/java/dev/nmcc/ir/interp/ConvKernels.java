package dev.nmcc.ir.interp;

import java.util.Arrays;

/**
 * The convolutional projections of an {@link SnnInterpreter} plan, float and integer form; their
 * sliding windows are a {@link Geometry}.
 *
 * <p>A holder, not instantiated: the kernels stay nested {@link SnnKernel} subclasses, grouped one op
 * family per file so that each file reads in one sitting.
 */
final class ConvKernels {
    private ConvKernels() {}

    /**
     * Convolutional projection, float form. It scatters each input event's kernel into a
     * position-major accumulator (one array per output position, over the output channels:
     * {@code acc[oy · ow + ox][o]}), then writes the current in C order. Weights: one array per
     * kernel tap, {@code wt[(c · kh + ky) · kw + kx][o]}, so the inner loop adds index for index.
     */
    static final class ConvFloat extends SnnKernel {
        final int x, y, oc, proj;
        final Geometry g;
        final boolean spiking, intInput;
        final float[][] wt;
        final float[] bias;

        ConvFloat(int x, int y, Geometry g, int oc, float[][] wt, float[] bias, boolean spiking, boolean intInput, boolean isStatic, int proj) {
            super(isStatic);
            this.x = x; this.y = y; this.g = g; this.oc = oc; this.wt = wt; this.bias = bias;
            this.spiking = spiking; this.intInput = intInput; this.proj = proj;
        }

        @Override void run(SnnFrame fr) {
            float[][] acc = fr.floatRows;
            int positions = g.oh * g.ow;
            for (int p = 0; p < positions; p++) {
                if (bias != null) System.arraycopy(bias, 0, acc[p], 0, oc);
                else Arrays.fill(acc[p], 0, oc, 0f);
            }
            long events = 0, sops = 0;
            int hw = g.h * g.w;
            if (spiking) {
                int[] s = fr.spikes[x];
                int n = fr.spikeCount[x];
                events = n;
                for (int k = 0; k < n; k++) sops += scatter(acc, s[k], hw, 1f, false);
            } else {
                float[] fin = intInput ? null : fr.f[x];
                int[] iin = intInput ? fr.i[x] : null;
                int n = g.inSize();
                for (int i = 0; i < n; i++) {
                    float v = intInput ? (float) iin[i] : fin[i];
                    if (v == 0f) continue;
                    events++;
                    sops += scatter(acc, i, hw, v, true);
                }
            }
            float[] out = fr.f[y];
            for (int p = 0; p < positions; p++) {
                float[] a = acc[p];
                for (int o = 0; o < oc; o++) out[o * positions + p] = a[o];
            }
            count(fr, isStatic, proj, events, sops);
        }

        private long scatter(float[][] acc, int idx, int hw, float v, boolean weighted) {
            int c = idx / hw, rem = idx - c * hw, iy = rem / g.w, ix = rem - iy * g.w;
            int r0 = g.rowStart[iy], r1 = g.rowStart[iy + 1], c0 = g.colStart[ix], c1 = g.colStart[ix + 1];
            for (int r = r0; r < r1; r++) {
                int wRow = (c * g.kh + g.rowK[r]) * g.kw, aRow = g.rowO[r] * g.ow;
                for (int q = c0; q < c1; q++) {
                    float[] w = wt[wRow + g.colK[q]], a = acc[aRow + g.colO[q]];
                    if (weighted) for (int o = 0; o < oc; o++) a[o] += v * w[o];
                    else for (int o = 0; o < oc; o++) a[o] += w[o];
                }
            }
            return (long) (r1 - r0) * (c1 - c0) * oc;
        }
    }

    /** Convolutional projection, integer form (as {@link ConvFloat}, with 64-bit sums clamped to i32). */
    static final class ConvInt extends SnnKernel {
        final int x, y, oc, proj;
        final Geometry g;
        final boolean spiking;
        final int[] wt, bias;

        ConvInt(int x, int y, Geometry g, int oc, int[] wt, int[] bias, boolean spiking, boolean isStatic, int proj) {
            super(isStatic);
            this.x = x; this.y = y; this.g = g; this.oc = oc; this.wt = wt; this.bias = bias;
            this.spiking = spiking; this.proj = proj;
        }

        @Override void run(SnnFrame fr) {
            long[] acc = fr.longScratch;
            int positions = g.oh * g.ow;
            if (bias != null) {
                for (int p = 0; p < positions; p++) for (int o = 0; o < oc; o++) acc[p * oc + o] = bias[o];
            } else {
                Arrays.fill(acc, 0, positions * oc, 0L);
            }
            long events = 0, sops = 0;
            int hw = g.h * g.w;
            if (spiking) {
                int[] s = fr.spikes[x];
                int n = fr.spikeCount[x];
                events = n;
                for (int k = 0; k < n; k++) sops += scatter(acc, s[k], hw, 1);
            } else {
                int[] in = fr.i[x];
                int n = g.inSize();
                for (int i = 0; i < n; i++) {
                    if (in[i] == 0) continue;
                    events++;
                    sops += scatter(acc, i, hw, in[i]);
                }
            }
            int[] out = fr.i[y];
            for (int o = 0; o < oc; o++) {
                int ob = o * positions;
                for (int p = 0; p < positions; p++) out[ob + p] = clampI32(acc[p * oc + o]);
            }
            count(fr, isStatic, proj, events, sops);
        }

        private long scatter(long[] acc, int idx, int hw, long v) {
            int c = idx / hw, rem = idx - c * hw, iy = rem / g.w, ix = rem - iy * g.w;
            int r0 = g.rowStart[iy], r1 = g.rowStart[iy + 1], c0 = g.colStart[ix], c1 = g.colStart[ix + 1];
            for (int r = r0; r < r1; r++) {
                int wRow = (c * g.kh + g.rowK[r]) * g.kw, aRow = g.rowO[r] * g.ow;
                for (int q = c0; q < c1; q++) {
                    int wb = (wRow + g.colK[q]) * oc, ab = (aRow + g.colO[q]) * oc;
                    if (v == 1) for (int o = 0; o < oc; o++) acc[ab + o] += wt[wb + o];
                    else for (int o = 0; o < oc; o++) acc[ab + o] += v * wt[wb + o];
                }
            }
            return (long) (r1 - r0) * (c1 - c0) * oc;
        }
    }
}

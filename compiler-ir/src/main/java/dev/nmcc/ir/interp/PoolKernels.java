package dev.nmcc.ir.interp;

import java.util.Arrays;

/**
 * The pooling kernels of an {@link SnnInterpreter} plan: average pooling (a projection) and max
 * pooling (on spikes); their sliding windows are a {@link Geometry}.
 *
 * <p>A holder, not instantiated: the kernels stay nested {@link SnnKernel} subclasses, grouped one op
 * family per file so that each file reads in one sitting.
 */
final class PoolKernels {
    private PoolKernels() {}

    /**
     * Average-pooling projection: {@code I = weight · Σ_window in}, the window sum taken first
     * (spike counts, or a float32 / 64-bit sum of currents in increasing index), then one
     * multiplication. Integer form when {@code weight} is an integer and the input is not an f32 current.
     */
    static final class AvgPool extends SnnKernel {
        final int x, y, proj;
        final Geometry g;
        final boolean spiking, intInput, intOutput;
        final float fweight;
        final long iweight;
        /** The input row of output row oy and kernel row ky ({@code rowOf[oy · kh + ky]}), -1 in the padding; columns alike. */
        private final int[] rowOf, colOf;

        AvgPool(int x, int y, Geometry g, int sh, int sw, int pt, int pl, double weight, boolean spiking, boolean intInput,
                boolean intOutput, boolean isStatic, int proj) {
            super(isStatic);
            this.x = x; this.y = y; this.g = g; this.spiking = spiking; this.intInput = intInput; this.intOutput = intOutput;
            this.fweight = (float) weight;
            this.iweight = (long) weight;
            this.proj = proj;
            rowOf = new int[g.oh * g.kh];
            for (int oy = 0; oy < g.oh; oy++) {
                for (int ky = 0; ky < g.kh; ky++) {
                    int iy = oy * sh - pt + ky;
                    rowOf[oy * g.kh + ky] = iy >= 0 && iy < g.h ? iy : -1;
                }
            }
            colOf = new int[g.ow * g.kw];
            for (int ox = 0; ox < g.ow; ox++) {
                for (int kx = 0; kx < g.kw; kx++) {
                    int ix = ox * sw - pl + kx;
                    colOf[ox * g.kw + kx] = ix >= 0 && ix < g.w ? ix : -1;
                }
            }
        }

        @Override void run(SnnFrame fr) {
            int hw = g.h * g.w, ohw = g.oh * g.ow, outSize = g.c * ohw;
            long events = 0, sops = 0;
            if (spiking) {
                int[] cnt = fr.intScratch;
                int[] s = fr.spikes[x];
                int n = fr.spikeCount[x];
                events = n;
                for (int k = 0; k < n; k++) {
                    int idx = s[k], c = idx / hw, rem = idx - c * hw, iy = rem / g.w, ix = rem - iy * g.w;
                    int r0 = g.rowStart[iy], r1 = g.rowStart[iy + 1], c0 = g.colStart[ix], c1 = g.colStart[ix + 1];
                    for (int r = r0; r < r1; r++) {
                        int base = c * ohw + g.rowO[r] * g.ow;
                        for (int q = c0; q < c1; q++) cnt[base + g.colO[q]]++;
                    }
                    sops += (long) (r1 - r0) * (c1 - c0);
                }
                if (intOutput) {
                    int[] out = fr.i[y];
                    for (int o = 0; o < outSize; o++) {
                        out[o] = clampI32(iweight * cnt[o]);
                        cnt[o] = 0;
                    }
                } else {
                    float[] out = fr.f[y];
                    for (int o = 0; o < outSize; o++) {
                        out[o] = fweight * (float) cnt[o];
                        cnt[o] = 0;
                    }
                }
            } else {
                float[] fin = intInput ? null : fr.f[x];
                int[] iin = intInput ? fr.i[x] : null;
                int kh = g.kh, kw = g.kw;
                // window sums, output by output, inputs in increasing index
                for (int c = 0; c < g.c; c++) {
                    for (int oy = 0; oy < g.oh; oy++) {
                        for (int ox = 0; ox < g.ow; ox++) {
                            int o = c * ohw + oy * g.ow + ox;
                            if (intOutput) {
                                long sum = 0;
                                for (int ky = 0; ky < kh; ky++) {
                                    int iy = inRow(oy, ky);
                                    if (iy < 0) continue;
                                    for (int kx = 0; kx < kw; kx++) {
                                        int ix = inCol(ox, kx);
                                        if (ix >= 0) sum += iin[c * hw + iy * g.w + ix];
                                    }
                                }
                                fr.i[y][o] = clampI32(iweight * sum);
                            } else {
                                float sum = 0f;
                                for (int ky = 0; ky < kh; ky++) {
                                    int iy = inRow(oy, ky);
                                    if (iy < 0) continue;
                                    for (int kx = 0; kx < kw; kx++) {
                                        int ix = inCol(ox, kx);
                                        if (ix >= 0) sum += intInput ? (float) iin[c * hw + iy * g.w + ix] : fin[c * hw + iy * g.w + ix];
                                    }
                                }
                                fr.f[y][o] = fweight * sum;
                            }
                        }
                    }
                }
                int n = g.inSize();
                for (int i = 0; i < n; i++) {
                    if (intInput ? iin[i] == 0 : fin[i] == 0f) continue;
                    events++;
                    int rem = i % hw;
                    sops += g.windows(rem / g.w, rem % g.w);
                }
            }
            count(fr, isStatic, proj, events, sops);
        }

        private int inRow(int oy, int ky) { return rowOf[oy * g.kh + ky]; }

        private int inCol(int ox, int kx) { return colOf[ox * g.kw + kx]; }
    }

    /** Max pooling on spikes: a window spikes when any input in it spikes (logical OR); output indices sorted. */
    static final class MaxPool extends SnnKernel {
        final int x, y;
        final Geometry g;

        MaxPool(int x, int y, Geometry g) {
            super(false);
            this.x = x; this.y = y; this.g = g;
        }

        @Override void run(SnnFrame fr) {
            int hw = g.h * g.w, ohw = g.oh * g.ow;
            boolean[] mark = fr.mark;
            int[] s = fr.spikes[x], out = fr.spikes[y];
            int n = fr.spikeCount[x], m = 0;
            for (int k = 0; k < n; k++) {
                int idx = s[k], c = idx / hw, rem = idx - c * hw, iy = rem / g.w, ix = rem - iy * g.w;
                int r0 = g.rowStart[iy], r1 = g.rowStart[iy + 1], c0 = g.colStart[ix], c1 = g.colStart[ix + 1];
                for (int r = r0; r < r1; r++) {
                    int base = c * ohw + g.rowO[r] * g.ow;
                    for (int q = c0; q < c1; q++) {
                        int o = base + g.colO[q];
                        if (!mark[o]) {
                            mark[o] = true;
                            out[m++] = o;
                        }
                    }
                }
            }
            for (int k = 0; k < m; k++) mark[out[k]] = false;
            Arrays.sort(out, 0, m);
            fr.spikeCount[y] = m;
        }
    }
}

package dev.nmcc.sim.engine;

import java.util.Arrays;

/** The pooling layers of docs/snn-semantics.md: sum pooling times an integer weight, and spiking max pooling. */
final class Pools {
    private Pools() {}

    /**
     * {@code I = weight · Σ_window in} (zero padding), the window sum taken first, then one
     * multiplication, clamped to i32. On spikes: counts per window by scattering each spike to
     * the windows that cover it. On currents: window sums in 64 bits. An event's synaptic
     * operations are the windows that cover it.
     */
    static final class Avg extends Kernel {
        final int x, y, proj;
        final Geometry g;
        final boolean spiking;
        final long weight;

        Avg(int layer, int x, int y, Geometry g, int weight, boolean spiking, boolean isStatic, int proj) {
            super(layer, isStatic);
            this.x = x; this.y = y; this.g = g; this.weight = weight; this.spiking = spiking; this.proj = proj;
        }

        int outSize() { return g.c * g.oh * g.ow; }

        @Override void run(Frame f) {
            int hw = g.h * g.w, ohw = g.oh * g.ow, outSize = g.c * ohw;
            int[] out = f.i[y];
            long events = 0, sops = 0;
            if (spiking) {
                int[] cnt = f.intScratch;
                Arrays.fill(cnt, 0, outSize, 0);
                int[] s = f.spikes[x];
                int n = f.spikeCount[x];
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
                for (int o = 0; o < outSize; o++) out[o] = clampI32(weight * cnt[o]);
            } else {
                int[] in = f.i[x];
                for (int c = 0; c < g.c; c++) {
                    for (int oy = 0; oy < g.oh; oy++) {
                        for (int ox = 0; ox < g.ow; ox++) {
                            long sum = 0;
                            for (int ky = 0; ky < g.kh; ky++) {
                                int iy = oy * g.sh - g.pt + ky;
                                if (iy < 0 || iy >= g.h) continue;
                                for (int kx = 0; kx < g.kw; kx++) {
                                    int ix = ox * g.sw - g.pl + kx;
                                    if (ix >= 0 && ix < g.w) sum += in[c * hw + iy * g.w + ix];
                                }
                            }
                            out[c * ohw + oy * g.ow + ox] = clampI32(weight * sum);
                        }
                    }
                }
                int n = g.inSize();
                for (int i = 0; i < n; i++) {
                    if (in[i] == 0) continue;
                    events++;
                    int rem = i % hw;
                    sops += g.windows(rem / g.w, rem % g.w);
                }
            }
            count(f, isStatic, proj, events, sops);
        }
    }

    /** On spikes: a window spikes when any input in it spikes (logical OR); output indices ascending. */
    static final class Max extends Kernel {
        final int x, y;
        final Geometry g;

        Max(int layer, int x, int y, Geometry g) {
            super(layer, false);
            this.x = x; this.y = y; this.g = g;
        }

        int outSize() { return g.c * g.oh * g.ow; }

        @Override void run(Frame f) {
            int hw = g.h * g.w, ohw = g.oh * g.ow;
            boolean[] mark = f.mark;
            int[] s = f.spikes[x], out = f.spikes[y];
            int n = f.spikeCount[x], m = 0;
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
            f.spikeCount[y] = m;
        }
    }
}

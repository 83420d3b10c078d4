package dev.nmcc.ir.interp;

import java.util.Arrays;

/**
 * One op of an {@link SnnInterpreter} plan. {@link #reset} runs at the start of every sample
 * (initial potentials, cleared decoders, the rate encoder's per-sample keys); {@link #run} runs
 * once per sample for a static kernel (its inputs do not change over time: direct input and
 * what is computed from it alone) and once per timestep otherwise.
 *
 * <p>Float currents are float32 and summed in a fixed order: the bias first, then the inputs in
 * increasing (C-order) index, so the event-driven kernels give the very floats of a dense loop
 * over the same inputs. Integer currents are summed in 64 bits and clamped to i32.
 */
abstract sealed class SnnKernel {
    /** Whether {@link #run} is needed only once per sample (its result is the same every timestep). */
    final boolean isStatic;

    SnnKernel(boolean isStatic) { this.isStatic = isStatic; }

    void reset(SnnFrame fr) {}

    abstract void run(SnnFrame fr);

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

    // ---- encoders ---------------------------------------------------------------------------

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

    // ---- dense projections ------------------------------------------------------------------

    /**
     * Dense projection, float form. Weights are transposed into one array per input,
     * {@code wt[i][j] = W[j][i]}: a spike adds {@code wt[i]} to the current, index for index, which
     * the JIT vectorizes without having to prove that two arrays at different offsets do not overlap.
     */
    static final class DenseFloat extends SnnKernel {
        final int x, y, nIn, nOut, proj;
        final boolean spiking, intInput;
        final float[][] wt;
        final float[] bias;

        DenseFloat(int x, int y, int nIn, int nOut, float[][] wt, float[] bias, boolean spiking, boolean intInput, boolean isStatic, int proj) {
            super(isStatic);
            this.x = x; this.y = y; this.nIn = nIn; this.nOut = nOut; this.wt = wt; this.bias = bias;
            this.spiking = spiking; this.intInput = intInput; this.proj = proj;
        }

        @Override void run(SnnFrame fr) {
            float[] out = fr.f[y];
            if (bias != null) System.arraycopy(bias, 0, out, 0, nOut);
            else Arrays.fill(out, 0, nOut, 0f);
            int events = 0;
            if (spiking) {
                int[] s = fr.spikes[x];
                events = fr.spikeCount[x];
                for (int k = 0; k < events; k++) {
                    float[] row = wt[s[k]];
                    for (int j = 0; j < nOut; j++) out[j] += row[j];
                }
            } else {
                float[] fin = intInput ? null : fr.f[x];
                int[] iin = intInput ? fr.i[x] : null;
                for (int i = 0; i < nIn; i++) {
                    float v = intInput ? (float) iin[i] : fin[i];
                    if (v == 0f) continue;
                    events++;
                    float[] row = wt[i];
                    for (int j = 0; j < nOut; j++) out[j] += v * row[j];
                }
            }
            count(fr, isStatic, proj, events, (long) events * nOut);
        }
    }

    /**
     * Dense projection, integer form: 64-bit sums clamped to i32. Weights are transposed,
     * {@code wt[i * out + j] = W[j][i]}. On spikes, when no sum can leave the i32 range
     * ({@code |b_j| + Σ_i |W_ji| < 2^31} for every j, checked at plan time) the sums are taken in 32
     * bits, exactly, from one weight row per input, and the clamp is a no-op. (Rows of bytes for
     * 8-bit weights were measured 2.7× slower: the JDK 25 JIT does not vectorize byte-to-int adds.)
     */
    static final class DenseInt extends SnnKernel {
        final int x, y, nIn, nOut, proj;
        final boolean spiking;
        final int[] wt, bias;
        /** Rows for the 32-bit spike path, or null when a sum could overflow. */
        final int[][] rows;

        DenseInt(int x, int y, int nIn, int nOut, int[] wt, int[] bias, boolean spiking, boolean isStatic, int proj) {
            super(isStatic);
            this.x = x; this.y = y; this.nIn = nIn; this.nOut = nOut; this.bias = bias;
            this.spiking = spiking; this.proj = proj;
            long worst = 0;
            long[] bound = new long[nOut];
            for (int j = 0; j < nOut; j++) bound[j] = bias == null ? 0 : Math.abs((long) bias[j]);
            for (int i = 0; i < nIn; i++) {
                for (int j = 0; j < nOut; j++) {
                    bound[j] += Math.abs((long) wt[i * nOut + j]);
                }
            }
            for (long b : bound) worst = Math.max(worst, b);
            if (spiking && worst <= Integer.MAX_VALUE) {
                rows = new int[nIn][];
                for (int i = 0; i < nIn; i++) rows[i] = Arrays.copyOfRange(wt, i * nOut, (i + 1) * nOut);
            } else {
                rows = null;
            }
            this.wt = rows == null ? wt : null; // one copy of the weights
        }

        @Override void run(SnnFrame fr) {
            if (rows != null) {
                runNarrow(fr);
                return;
            }
            long[] acc = fr.longScratch;
            if (bias != null) for (int j = 0; j < nOut; j++) acc[j] = bias[j];
            else Arrays.fill(acc, 0, nOut, 0L);
            int events = 0;
            if (spiking) {
                int[] s = fr.spikes[x];
                events = fr.spikeCount[x];
                for (int k = 0; k < events; k++) {
                    int base = s[k] * nOut;
                    for (int j = 0; j < nOut; j++) acc[j] += wt[base + j];
                }
            } else {
                int[] in = fr.i[x];
                for (int i = 0; i < nIn; i++) {
                    long v = in[i];
                    if (v == 0) continue;
                    events++;
                    int base = i * nOut;
                    for (int j = 0; j < nOut; j++) acc[j] += v * wt[base + j];
                }
            }
            int[] out = fr.i[y];
            for (int j = 0; j < nOut; j++) out[j] = clampI32(acc[j]);
            count(fr, isStatic, proj, events, (long) events * nOut);
        }

        /** Spikes, 32-bit sums that cannot overflow. */
        private void runNarrow(SnnFrame fr) {
            int[] out = fr.i[y];
            if (bias != null) System.arraycopy(bias, 0, out, 0, nOut);
            else Arrays.fill(out, 0, nOut, 0);
            int[] s = fr.spikes[x];
            int events = fr.spikeCount[x];
            for (int k = 0; k < events; k++) {
                int[] row = rows[s[k]];
                for (int j = 0; j < nOut; j++) out[j] += row[j];
            }
            count(fr, isStatic, proj, events, (long) events * nOut);
        }
    }

    // ---- sliding windows --------------------------------------------------------------------

    /**
     * Where each input row (column) of a sliding window lands: the pairs (kernel row, output row)
     * with {@code out · stride − pad + k = in}, in a flat list per input row.
     */
    static final class Geometry {
        final int c, h, w, oh, ow, kh, kw;
        final int[] rowStart, rowK, rowO, colStart, colK, colO;

        Geometry(int c, int h, int w, int oh, int ow, int kh, int kw, int sh, int sw, int pt, int pl) {
            this.c = c; this.h = h; this.w = w; this.oh = oh; this.ow = ow; this.kh = kh; this.kw = kw;
            int[][] rows = taps(h, oh, kh, sh, pt), cols = taps(w, ow, kw, sw, pl);
            rowStart = rows[0]; rowK = rows[1]; rowO = rows[2];
            colStart = cols[0]; colK = cols[1]; colO = cols[2];
        }

        private static int[][] taps(int in, int out, int k, int stride, int pad) {
            int[] start = new int[in + 1];
            int[] ks = new int[in * k], os = new int[in * k];
            int n = 0;
            for (int y = 0; y < in; y++) {
                start[y] = n;
                for (int kk = 0; kk < k; kk++) {
                    int num = y + pad - kk;
                    if (num < 0 || num % stride != 0 || num / stride >= out) continue;
                    ks[n] = kk;
                    os[n] = num / stride;
                    n++;
                }
            }
            start[in] = n;
            return new int[][] {start, Arrays.copyOf(ks, n), Arrays.copyOf(os, n)};
        }

        int inSize() { return c * h * w; }

        /** Windows that contain input position (y, x), per channel. */
        int windows(int y, int x) { return (rowStart[y + 1] - rowStart[y]) * (colStart[x + 1] - colStart[x]); }
    }

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

    // ---- merge, neurons, decoders -----------------------------------------------------------

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

        NeuronFloat(int x, int y, int n, int pop, boolean leaky, float leak, float threshold, float v0, boolean subtract) {
            super(false);
            this.x = x; this.y = y; this.n = n; this.pop = pop; this.leaky = leaky; this.leak = leak;
            this.threshold = threshold; this.v0 = v0; this.subtract = subtract;
        }

        @Override void reset(SnnFrame fr) { Arrays.fill(fr.fpot[pop], 0, n, v0); }

        @Override void run(SnnFrame fr) {
            float[] v = fr.fpot[pop], in = fr.f[x];
            int[] out = fr.spikes[y];
            long[] cnt = fr.counters.neuronSpikes[pop];
            int m = 0;
            float th = threshold;
            for (int k = 0; k < n; k++) {
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

        NeuronInt(int x, int y, int n, int pop, boolean leaky, int shift, long threshold, long v0, boolean subtract, int vBits) {
            super(false);
            this.x = x; this.y = y; this.n = n; this.pop = pop; this.leaky = leaky; this.shift = shift;
            this.threshold = threshold; this.subtract = subtract;
            this.min = -(1L << (vBits - 1));
            this.max = (1L << (vBits - 1)) - 1;
            this.v0 = (int) Math.max(min, Math.min(max, v0));
        }

        @Override void reset(SnnFrame fr) { Arrays.fill(fr.ipot[pop], 0, n, v0); }

        @Override void run(SnnFrame fr) {
            int[] v = fr.ipot[pop], in = fr.i[x];
            int[] out = fr.spikes[y];
            long[] cnt = fr.counters.neuronSpikes[pop];
            int m = 0;
            for (int k = 0; k < n; k++) {
                long u = v[k];
                if (leaky) u -= u >> shift;
                u += in[k];
                if (u > max) u = max;
                else if (u < min) u = min;
                if (u >= threshold) {
                    out[m++] = k;
                    cnt[k]++;
                    u = subtract ? u - threshold : 0;
                }
                v[k] = (int) u;
            }
            fr.spikeCount[y] = m;
            fr.counters.spikes += m;
        }
    }

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

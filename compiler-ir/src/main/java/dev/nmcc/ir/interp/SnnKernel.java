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

    /** Rows of a transposed dense weight matrix that a chunk's samples walk together (about 64 KiB of weights). */
    static int denseBlock(int nIn, int nOut) {
        return Math.max(4, Math.min(nIn, 64 * 1024 / (4 * Math.max(1, nOut))));
    }

    /**
     * Dense projection, float form. Weights are transposed into one array per input,
     * {@code wt[i][j] = W[j][i]}: a spike adds {@code wt[i]} to the current, index for index, which
     * the JIT vectorizes without having to prove that two arrays at different offsets do not overlap.
     * A static projection (of direct input) run for a chunk walks the weights in blocks of rows,
     * each block for every sample of the chunk, so the weights come from memory once per chunk.
     */
    static final class DenseFloat extends SnnKernel {
        final int x, y, nIn, nOut, proj, block;
        final boolean spiking, intInput;
        final float[][] wt;
        final float[] bias;

        DenseFloat(int x, int y, int nIn, int nOut, float[][] wt, float[] bias, boolean spiking, boolean intInput, boolean isStatic, int proj) {
            super(isStatic);
            this.x = x; this.y = y; this.nIn = nIn; this.nOut = nOut; this.wt = wt; this.bias = bias;
            this.spiking = spiking; this.intInput = intInput; this.proj = proj;
            this.block = denseBlock(nIn, nOut);
        }

        private void init(float[] out) {
            if (bias != null) System.arraycopy(bias, 0, out, 0, nOut);
            else Arrays.fill(out, 0, nOut, 0f);
        }

        /** The non-zero inputs in [from, to) of the bound sample into the frame's lists; returns how many. */
        private int gather(SnnFrame fr, int from, int to) {
            if (!intInput) return nonZero(fr.f[x], from, to, fr.nzIndex, fr.nzFloat);
            int[] in = fr.i[x];
            int m = 0;
            for (int i = from; i < to; i++) {
                if (in[i] == 0) continue;
                fr.nzIndex[m] = i;
                fr.nzFloat[m++] = (float) in[i];
            }
            return m;
        }

        @Override void run(SnnFrame fr) {
            float[] out = fr.f[y];
            init(out);
            int events;
            if (spiking) {
                events = fr.spikeCount[x];
                addSpikeRows(out, wt, fr.spikes[x], events, nOut);
            } else {
                events = gather(fr, 0, nIn);
                addRows(out, wt, fr.nzIndex, fr.nzFloat, events, nOut);
            }
            count(fr, isStatic, proj, events, (long) events * nOut);
        }

        @Override void runChunk(SnnFrame fr, int n) {
            if (spiking) {
                super.runChunk(fr, n);
                return;
            }
            for (int s = 0; s < n; s++) {
                init(fr.fs[y][s]);
                fr.chunkEvents[s] = 0;
            }
            for (int i0 = 0; i0 < nIn; i0 += block) {
                int i1 = Math.min(nIn, i0 + block);
                for (int s = 0; s < n; s++) {
                    fr.bind(s);
                    int m = gather(fr, i0, i1);
                    fr.chunkEvents[s] += m;
                    addRows(fr.f[y], wt, fr.nzIndex, fr.nzFloat, m, nOut);
                }
            }
            for (int s = 0; s < n; s++) countSample(fr, s, isStatic, proj, fr.chunkEvents[s], (long) fr.chunkEvents[s] * nOut);
        }
    }

    /**
     * Dense projection, integer form: 64-bit sums clamped to i32. Weights are transposed, one
     * array per input: {@code rows[i][j] = W[j][i]}. When no sum can leave the i32 range the sums
     * are taken in 32 bits, exactly, and the clamp is a no-op: on spikes when
     * {@code |b_j| + Σ_i |W_ji| < 2^31} for every j (checked at plan time), on integer input when
     * {@code max|b| + max_i |x_i| · max_j Σ_i |W_ji| < 2^31} (checked per sample). (Rows of bytes
     * for 8-bit weights were measured 2.7× slower: the JDK 25 JIT does not vectorize byte-to-int
     * adds.) A static projection run for a chunk walks the rows in blocks, as {@link DenseFloat}.
     */
    static final class DenseInt extends SnnKernel {
        final int x, y, nIn, nOut, proj, block;
        final boolean spiking;
        final int[] bias;
        final int[][] rows;
        /** Whether spike sums fit in 32 bits. */
        final boolean narrowSpikes;
        /** {@code max_j Σ_i |W_ji|} and {@code max_j |b_j|}: the per-sample 32-bit test on integer input. */
        final long colAbsMax, biasAbsMax;

        DenseInt(int x, int y, int nIn, int nOut, int[][] rows, int[] bias, boolean spiking, boolean isStatic, int proj) {
            super(isStatic);
            this.x = x; this.y = y; this.nIn = nIn; this.nOut = nOut; this.bias = bias;
            this.spiking = spiking; this.proj = proj;
            this.block = denseBlock(nIn, nOut);
            this.rows = rows;
            long[] col = new long[nOut];
            for (int[] row : rows) {
                for (int j = 0; j < nOut; j++) col[j] += Math.abs((long) row[j]);
            }
            long worst = 0, cMax = 0, bMax = 0;
            for (int j = 0; j < nOut; j++) {
                long b = bias == null ? 0 : Math.abs((long) bias[j]);
                worst = Math.max(worst, b + col[j]);
                cMax = Math.max(cMax, col[j]);
                bMax = Math.max(bMax, b);
            }
            narrowSpikes = worst <= Integer.MAX_VALUE;
            colAbsMax = cMax;
            biasAbsMax = bMax;
        }

        private void init(int[] out) {
            if (bias != null) System.arraycopy(bias, 0, out, 0, nOut);
            else Arrays.fill(out, 0, nOut, 0);
        }

        /** Whether every partial sum over this input stays in the i32 range. */
        private boolean fitsInt(int[] in) {
            long maxAbs = 0;
            for (int i = 0; i < nIn; i++) maxAbs = Math.max(maxAbs, Math.abs((long) in[i]));
            long room = Integer.MAX_VALUE - biasAbsMax;
            if (room < 0) return false;
            return maxAbs == 0 || colAbsMax == 0 || maxAbs <= room / colAbsMax;
        }

        @Override void run(SnnFrame fr) {
            if (spiking && narrowSpikes) {
                int[] out = fr.i[y];
                init(out);
                int events = fr.spikeCount[x];
                addSpikeRows(out, rows, fr.spikes[x], events, nOut);
                count(fr, isStatic, proj, events, (long) events * nOut);
                return;
            }
            if (!spiking && fitsInt(fr.i[x])) {
                int[] out = fr.i[y];
                init(out);
                int events = nonZero(fr.i[x], 0, nIn, fr.nzIndex, fr.nzInt);
                addRows(out, rows, fr.nzIndex, fr.nzInt, events, nOut);
                count(fr, isStatic, proj, events, (long) events * nOut);
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
                    int[] row = rows[s[k]];
                    for (int j = 0; j < nOut; j++) acc[j] += row[j];
                }
            } else {
                int[] in = fr.i[x];
                for (int i = 0; i < nIn; i++) {
                    long v = in[i];
                    if (v == 0) continue;
                    events++;
                    int[] row = rows[i];
                    for (int j = 0; j < nOut; j++) acc[j] += v * row[j];
                }
            }
            int[] out = fr.i[y];
            for (int j = 0; j < nOut; j++) out[j] = clampI32(acc[j]);
            count(fr, isStatic, proj, events, (long) events * nOut);
        }

        @Override void runChunk(SnnFrame fr, int n) {
            if (spiking) {
                super.runChunk(fr, n);
                return;
            }
            boolean any = false;
            for (int s = 0; s < n; s++) {
                boolean fits = fitsInt(fr.is[x][s]);
                fr.chunkFlag[s] = fits;
                if (fits) init(fr.is[y][s]);
                fr.chunkEvents[s] = 0;
                any |= fits;
            }
            for (int i0 = 0; any && i0 < nIn; i0 += block) {
                int i1 = Math.min(nIn, i0 + block);
                for (int s = 0; s < n; s++) {
                    if (!fr.chunkFlag[s]) continue;
                    int m = nonZero(fr.is[x][s], i0, i1, fr.nzIndex, fr.nzInt);
                    fr.chunkEvents[s] += m;
                    addRows(fr.is[y][s], rows, fr.nzIndex, fr.nzInt, m, nOut);
                }
            }
            for (int s = 0; s < n; s++) {
                if (fr.chunkFlag[s]) {
                    countSample(fr, s, isStatic, proj, fr.chunkEvents[s], (long) fr.chunkEvents[s] * nOut);
                } else { // a sum may leave the i32 range: 64 bits and the clamp, one sample at a time
                    fr.bind(s);
                    long sops0 = fr.counters.sopTotal;
                    run(fr);
                    fr.onceSops[s] += fr.counters.sopTotal - sops0;
                }
            }
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

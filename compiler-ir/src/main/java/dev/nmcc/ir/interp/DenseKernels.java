package dev.nmcc.ir.interp;

import java.util.Arrays;

/**
 * The dense projections of an {@link SnnInterpreter} plan, float and integer form.
 *
 * <p>A holder, not instantiated: the kernels stay nested {@link SnnKernel} subclasses, grouped one op
 * family per file so that each file reads in one sitting.
 */
final class DenseKernels {
    private DenseKernels() {}

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
}

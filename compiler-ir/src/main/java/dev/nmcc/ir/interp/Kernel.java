package dev.nmcc.ir.interp;

import java.util.Arrays;

/**
 * One op of the plan, compiled: the operand and result roots (see {@link Frame}) and every
 * constant the op needs, laid out for its loops. {@link #run} executes the op for samples
 * {@code 0 .. n-1} of the frame's chunk.
 *
 * <p>Arithmetic is float32 throughout, products and sums as PyTorch's CPU kernels do (the order
 * of summation differs, so results agree to rounding, not bit for bit). Constants derived from
 * attributes (batchnorm scale and shift) are computed in double and rounded once. Each sample's
 * result depends only on that sample: the order of every sum is fixed by the plan, never by the
 * chunk size or the thread schedule, so results are reproducible bit for bit.
 */
sealed interface Kernel {
    void run(Frame f, int n);

    /**
     * {@code y = W x + b}, W given transposed ({@code wt[i][j] = W[j][i]}) so that the inner loop
     * runs over the contiguous outputs (the JIT vectorizes it; no float reduction). The input is
     * walked in blocks of rows of {@code wt} that stay in cache while every sample of the chunk
     * uses them, so a chunk streams the weights once, not once per sample. Zero inputs (common
     * after relu) are skipped and the others taken eight (then four, then one) at a
     * time: {@code acc += (x_a W_a + x_b W_b + ...)} in increasing input order. The
     * blocks depend on the layer only, so each sample's sums are the same whatever the chunk.
     * (Skipping a zero input drops a {@code 0 · W} term, which matters only for infinite or NaN
     * weights.)
     */
    record Dense(int x, int y, int in, int out, float[][] wt, float[] bias, int block) implements Kernel {
        @Override public void run(Frame f, int n) {
            float[][] xs = f.data[x], ys = f.data[y];
            int[] nz = f.nonZero;
            for (int s = 0; s < n; s++) {
                if (bias != null) System.arraycopy(bias, 0, f.denseAcc[s], 0, out);
                else Arrays.fill(f.denseAcc[s], 0, out, 0f);
            }
            for (int i0 = 0; i0 < in; i0 += block) {
                int i1 = Math.min(in, i0 + block);
                for (int s = 0; s < n; s++) block(xs[s], f.denseAcc[s], nz, i0, i1);
            }
            for (int s = 0; s < n; s++) System.arraycopy(f.denseAcc[s], 0, ys[s], 0, out);
        }

        /**
         * Inputs [i0, i1) of one sample into its accumulator. A method of its own, called for every
         * (block, sample): the JIT compiles it whole after a few calls, where one long loop in
         * {@link #run} would be compiled on-stack first and then again (both large compiles).
         */
        private void block(float[] xa, float[] acc, int[] nz, int i0, int i1) {
            int m = 0;
            for (int i = i0; i < i1; i++) if (xa[i] != 0f) nz[m++] = i;
            int t = 0;
            for (; t + 8 <= m; t += 8) {
                int a = nz[t], b = nz[t + 1], c = nz[t + 2], d = nz[t + 3], e = nz[t + 4], g = nz[t + 5], h = nz[t + 6], k = nz[t + 7];
                axpy8(xa[a], xa[b], xa[c], xa[d], xa[e], xa[g], xa[h], xa[k],
                        wt[a], wt[b], wt[c], wt[d], wt[e], wt[g], wt[h], wt[k], acc, out);
            }
            for (; t + 4 <= m; t += 4) {
                int a = nz[t], b = nz[t + 1], c = nz[t + 2], d = nz[t + 3];
                axpy4(xa[a], xa[b], xa[c], xa[d], wt[a], wt[b], wt[c], wt[d], acc, out);
            }
            for (; t < m; t++) axpy(xa[nz[t]], wt[nz[t]], acc, out);
        }
    }

    /**
     * Convolution as im2col + matrix product: {@code col[k][p]} with {@code k = (ic, kh, kw)} and
     * {@code p = (oh, ow)} is built in the frame (zero where the window covers padding), then
     * {@code y[oc][p] = b[oc] + Σ_k W[oc][k] col[k][p]}, accumulated in a row of length P eight, then four,
     * then one k at a time, the inner loop over contiguous p.
     */
    record Conv(int x, int y, int ic, int h, int w, int oc, int kh, int kw, int sh, int sw, int pt, int pl,
                int oh, int ow, float[] weight, float[] bias) implements Kernel {
        int k() { return ic * kh * kw; }
        int p() { return oh * ow; }

        @Override public void run(Frame f, int n) {
            float[][] col = f.col;
            float[] acc = f.acc;
            int kk = k(), pp = p();
            for (int s = 0; s < n; s++) {
                im2col(f.data[x][s], col);
                float[] ya = f.data[y][s];
                for (int o = 0; o < oc; o++) {
                    Arrays.fill(acc, 0, pp, bias == null ? 0f : bias[o]);
                    int wo = o * kk;
                    int k = 0;
                    for (; k + 8 <= kk; k += 8) {
                        axpy8(weight, wo + k, col, k, acc, pp);
                    }
                    for (; k + 4 <= kk; k += 4) {
                        axpy4(weight[wo + k], weight[wo + k + 1], weight[wo + k + 2], weight[wo + k + 3],
                                col[k], col[k + 1], col[k + 2], col[k + 3], acc, pp);
                    }
                    for (; k < kk; k++) axpy(weight[wo + k], col[k], acc, pp);
                    System.arraycopy(acc, 0, ya, o * pp, pp);
                }
            }
        }

        private void im2col(float[] xa, float[][] col) {
            int k = 0;
            for (int c = 0; c < ic; c++) {
                int plane = c * h * w;
                for (int dy = 0; dy < kh; dy++) {
                    for (int dx = 0; dx < kw; dx++, k++) {
                        float[] row = col[k];
                        // output columns whose input column q * sw - pl + dx lies inside [0, w)
                        int lo = Math.min(ow, Math.ceilDiv(Math.max(0, pl - dx), sw));
                        int hi = Math.max(lo, Math.min(ow, Math.ceilDiv(w + pl - dx, sw)));
                        for (int r = 0; r < oh; r++) {
                            int o = r * ow;
                            int iy = r * sh - pt + dy;
                            if (iy < 0 || iy >= h) {
                                Arrays.fill(row, o, o + ow, 0f);
                                continue;
                            }
                            Arrays.fill(row, o, o + lo, 0f);
                            int src = plane + iy * w - pl + dx;
                            if (sw == 1) {
                                System.arraycopy(xa, src + lo, row, o + lo, hi - lo);
                            } else {
                                for (int q = lo; q < hi; q++) row[o + q] = xa[src + q * sw];
                            }
                            Arrays.fill(row, o + hi, o + ow, 0f);
                        }
                    }
                }
            }
        }
    }

    /** {@code y = x * scale[c] + shift[c]} for every element of channel c (dimension 0). */
    record BatchNorm(int x, int y, int channels, int inner, float[] scale, float[] shift) implements Kernel {
        @Override public void run(Frame f, int n) {
            for (int s = 0; s < n; s++) {
                float[] xa = f.data[x][s], ya = f.data[y][s];
                for (int c = 0; c < channels; c++) {
                    float a = scale[c], b = shift[c];
                    for (int i = c * inner, end = i + inner; i < end; i++) ya[i] = xa[i] * a + b;
                }
            }
        }
    }

    /** {@code y = max(x, 0)}; NaN stays NaN, as in PyTorch. */
    record Relu(int x, int y, int size) implements Kernel {
        @Override public void run(Frame f, int n) {
            for (int s = 0; s < n; s++) {
                float[] xa = f.data[x][s], ya = f.data[y][s];
                for (int i = 0; i < size; i++) ya[i] = Math.max(xa[i], 0f);
            }
        }
    }

    /** {@code y = a + b}. */
    record Add(int a, int b, int y, int size) implements Kernel {
        @Override public void run(Frame f, int n) {
            for (int s = 0; s < n; s++) {
                float[] aa = f.data[a][s], ba = f.data[b][s], ya = f.data[y][s];
                for (int i = 0; i < size; i++) ya[i] = aa[i] + ba[i];
            }
        }
    }

    /**
     * Concatenation: each operand is viewed as {@code [outer, chunk_i]} where
     * {@code chunk_i = dim_i(axis) × (product of the dimensions after axis)}; the result row is
     * the operands' chunks side by side.
     */
    record Concat(int[] xs, int[] chunks, int y, int outer, int rowSize) implements Kernel {
        @Override public void run(Frame f, int n) {
            for (int s = 0; s < n; s++) {
                float[] ya = f.data[y][s];
                int at = 0;
                for (int j = 0; j < xs.length; j++) {
                    float[] xa = f.data[xs[j]][s];
                    int len = chunks[j];
                    for (int r = 0; r < outer; r++) System.arraycopy(xa, r * len, ya, r * rowSize + at, len);
                    at += len;
                }
            }
        }
    }

    /**
     * Average or max pooling over windows of {@code [C, H, W]}. Average: the sum of the window's
     * input elements divided by {@code kh × kw} ({@code countPad}) or by the number of window
     * elements inside the input; a window that holds no input element gives 0. Max: padding is
     * -inf (a window that holds no input element gives -inf); NaN wins, as in PyTorch.
     *
     * <p>One output row at a time, in the frame's accumulator: for each window offset
     * {@code (dy, dx)} in row-major order, every output column whose window element at that
     * offset lies inside the input takes it ({@code colLo[dx] <= q < colHi[dx]}, precomputed). So
     * the inner loop runs over the output columns, and each window is still summed in row-major
     * order.
     */
    record Pool(int x, int y, boolean max, boolean countPad, int c, int h, int w, int kh, int kw, int sh, int sw,
                int pt, int pl, int oh, int ow, int[] colLo, int[] colHi, int[] colCount) implements Kernel {
        static Pool of(int x, int y, boolean max, boolean countPad, int c, int h, int w, int kh, int kw, int sh, int sw,
                       int pt, int pl, int oh, int ow) {
            int[] lo = new int[kw], hi = new int[kw], count = new int[ow];
            for (int dx = 0; dx < kw; dx++) {
                lo[dx] = Math.min(ow, Math.ceilDiv(Math.max(0, pl - dx), sw));
                hi[dx] = Math.max(lo[dx], Math.min(ow, Math.ceilDiv(w + pl - dx, sw)));
                for (int q = lo[dx]; q < hi[dx]; q++) count[q]++;
            }
            return new Pool(x, y, max, countPad, c, h, w, kh, kw, sh, sw, pt, pl, oh, ow, lo, hi, count);
        }

        /** The most common pooling, 2x2 windows with stride 2 inside the input, has a loop of its own. */
        boolean halving() { return kh == 2 && kw == 2 && sh == 2 && sw == 2 && pt == 0 && pl == 0; }

        @Override public void run(Frame f, int n) {
            if (halving()) {
                for (int s = 0; s < n; s++) halve(f.data[x][s], f.data[y][s]);
                return;
            }
            float[] acc = f.acc;
            for (int s = 0; s < n; s++) {
                float[] xa = f.data[x][s], ya = f.data[y][s];
                for (int ch = 0; ch < c; ch++) {
                    int plane = ch * h * w;
                    for (int r = 0; r < oh; r++) {
                        Arrays.fill(acc, 0, ow, max ? Float.NEGATIVE_INFINITY : 0f);
                        int rows = 0;
                        for (int dy = 0; dy < kh; dy++) {
                            int iy = r * sh - pt + dy;
                            if (iy < 0 || iy >= h) continue;
                            rows++;
                            for (int dx = 0; dx < kw; dx++) {
                                int src = plane + iy * w - pl + dx;
                                if (max) maxRow(xa, src, acc, colLo[dx], colHi[dx]);
                                else sumRow(xa, src, acc, colLo[dx], colHi[dx]);
                            }
                        }
                        int o = (ch * oh + r) * ow;
                        if (max) {
                            System.arraycopy(acc, 0, ya, o, ow);
                        } else if (countPad) {
                            float count = kh * kw;
                            for (int q = 0; q < ow; q++) ya[o + q] = acc[q] / count;
                        } else {
                            for (int q = 0; q < ow; q++) {
                                int count = rows * colCount[q];
                                ya[o + q] = count == 0 ? 0f : acc[q] / count;
                            }
                        }
                    }
                }
            }
        }

        private void halve(float[] xa, float[] ya) {
            for (int ch = 0; ch < c; ch++) {
                for (int r = 0; r < oh; r++) {
                    int a = (ch * h + 2 * r) * w, b = a + w, o = (ch * oh + r) * ow;
                    if (max) {
                        for (int q = 0; q < ow; q++, a += 2, b += 2) {
                            ya[o + q] = Math.max(Math.max(Math.max(xa[a], xa[a + 1]), xa[b]), xa[b + 1]);
                        }
                    } else {
                        for (int q = 0; q < ow; q++, a += 2, b += 2) ya[o + q] = (xa[a] + xa[a + 1] + xa[b] + xa[b + 1]) / 4f;
                    }
                }
            }
        }

        private void sumRow(float[] xa, int src, float[] acc, int lo, int hi) {
            for (int q = lo; q < hi; q++) acc[q] += xa[src + q * sw];
        }

        private void maxRow(float[] xa, int src, float[] acc, int lo, int hi) {
            for (int q = lo; q < hi; q++) acc[q] = Math.max(acc[q], xa[src + q * sw]);
        }
    }

    /** {@code y[c] = (Σ_{h,w} x[c][h][w]) / (H × W)}, the sum in float. */
    record GlobalAvgPool(int x, int y, int channels, int inner) implements Kernel {
        @Override public void run(Frame f, int n) {
            for (int s = 0; s < n; s++) {
                float[] xa = f.data[x][s], ya = f.data[y][s];
                for (int c = 0; c < channels; c++) {
                    float sum = 0f;
                    for (int i = c * inner, end = i + inner; i < end; i++) sum += xa[i];
                    ya[c] = sum / inner;
                }
            }
        }
    }

    /** Copies each sample of {@code x} into the run's output array {@code index}. */
    record Output(int x, int index, int size) implements Kernel {
        @Override public void run(Frame f, int n) {
            float[] out = f.results[index];
            for (int s = 0; s < n; s++) {
                System.arraycopy(f.data[x][s], 0, out, (f.start + s) * size, size);
            }
        }
    }

    /** {@code y[i] += a x[i]} for i in [0, len): same index everywhere, so the JIT vectorizes it. */
    static void axpy(float a, float[] x, float[] y, int len) {
        for (int i = 0; i < len; i++) y[i] += a * x[i];
    }

    /** Eight weights {@code w[wo .. wo+8)} against rows {@code rows[r .. r+8)}: {@link #axpy8} in the form convolutions use. */
    static void axpy8(float[] w, int wo, float[][] rows, int r, float[] y, int len) {
        axpy8(w[wo], w[wo + 1], w[wo + 2], w[wo + 3], w[wo + 4], w[wo + 5], w[wo + 6], w[wo + 7],
                rows[r], rows[r + 1], rows[r + 2], rows[r + 3], rows[r + 4], rows[r + 5], rows[r + 6], rows[r + 7], y, len);
    }

    /**
     * {@code y[i] += (a x0[i] + b x1[i] + ... + h x7[i])}: one load and store of y per eight
     * products (measured about a third faster than four at a time on AVX2).
     */
    static void axpy8(float a, float b, float c, float d, float e, float g, float h, float k,
                      float[] x0, float[] x1, float[] x2, float[] x3, float[] x4, float[] x5, float[] x6, float[] x7,
                      float[] y, int len) {
        for (int i = 0; i < len; i++) {
            y[i] += a * x0[i] + b * x1[i] + c * x2[i] + d * x3[i] + e * x4[i] + g * x5[i] + h * x6[i] + k * x7[i];
        }
    }

    /** {@code y[i] += (a x[i] + b u[i] + c v[i] + d w[i])}: one load and store of y per four products. */
    static void axpy4(float a, float b, float c, float d, float[] x, float[] u, float[] v, float[] w, float[] y, int len) {
        for (int i = 0; i < len; i++) y[i] += a * x[i] + b * u[i] + c * v[i] + d * w[i];
    }
}

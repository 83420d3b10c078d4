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
     * {@code y = W x + b}, W given transposed ({@code wt[i * out + j] = W[j][i]}) so that the inner
     * loop is an axpy over the contiguous outputs (the JIT vectorizes it; no float reduction).
     * The input is walked in blocks of rows of {@code wt} that stay in cache while every sample
     * of the chunk uses them, so a chunk of n samples streams the weights once, not n times.
     * Zero inputs (common after relu) are skipped. For each output the sum is
     * {@code b + Σ_i W[j][i] x[i]} with i increasing, whatever the blocking.
     */
    record Dense(int x, int y, int in, int out, float[] wt, float[] bias, int block) implements Kernel {
        @Override public void run(Frame f, int n) {
            float[] xa = f.data[x], ya = f.data[y];
            int xb = f.base[x], xs = f.stride[x], yb = f.base[y], ys = f.stride[y];
            for (int s = 0; s < n; s++) {
                int yo = yb + s * ys;
                if (bias != null) System.arraycopy(bias, 0, ya, yo, out);
                else Arrays.fill(ya, yo, yo + out, 0f);
            }
            for (int i0 = 0; i0 < in; i0 += block) {
                int i1 = Math.min(in, i0 + block);
                for (int s = 0; s < n; s++) {
                    int xo = xb + s * xs, yo = yb + s * ys;
                    for (int i = i0; i < i1; i++) {
                        float v = xa[xo + i];
                        if (v != 0f) axpy(v, wt, i * out, ya, yo, out);
                    }
                }
            }
        }
    }

    /**
     * Convolution as im2col + matrix product: {@code col[k][p]} with {@code k = (ic, kh, kw)} and
     * {@code p = (oh, ow)} is built in the frame's scratch (zero where the window covers
     * padding), then {@code y[oc][p] = b[oc] + Σ_k W[oc][k] col[k][p]} with the inner loop over
     * contiguous p, four k at a time. A 1x1 convolution with stride 1 and no padding uses the
     * input as {@code col} directly.
     */
    record Conv(int x, int y, int ic, int h, int w, int oc, int kh, int kw, int sh, int sw, int pt, int pl,
                int oh, int ow, float[] weight, float[] bias) implements Kernel {
        int k() { return ic * kh * kw; }
        int p() { return oh * ow; }
        boolean direct() { return kh == 1 && kw == 1 && sh == 1 && sw == 1 && pt == 0 && pl == 0 && oh == h && ow == w; }

        @Override public void run(Frame f, int n) {
            float[] xa = f.data[x], ya = f.data[y];
            int xb = f.base[x], xs = f.stride[x], yb = f.base[y], ys = f.stride[y];
            int kk = k(), pp = p();
            for (int s = 0; s < n; s++) {
                float[] col;
                int co;
                if (direct()) {
                    col = xa;
                    co = xb + s * xs;
                } else {
                    col = f.scratch;
                    co = 0;
                    im2col(xa, xb + s * xs, col);
                }
                int yo = yb + s * ys;
                for (int o = 0; o < oc; o++) {
                    int row = yo + o * pp;
                    Arrays.fill(ya, row, row + pp, bias == null ? 0f : bias[o]);
                    int wo = o * kk;
                    int k = 0;
                    for (; k + 4 <= kk; k += 4) {
                        float w0 = weight[wo + k], w1 = weight[wo + k + 1], w2 = weight[wo + k + 2], w3 = weight[wo + k + 3];
                        int c0 = co + k * pp, c1 = c0 + pp, c2 = c1 + pp, c3 = c2 + pp;
                        for (int p = 0; p < pp; p++) {
                            ya[row + p] += w0 * col[c0 + p] + w1 * col[c1 + p] + w2 * col[c2 + p] + w3 * col[c3 + p];
                        }
                    }
                    for (; k < kk; k++) axpy(weight[wo + k], col, co + k * pp, ya, row, pp);
                }
            }
        }

        private void im2col(float[] xa, int xo, float[] col) {
            int k = 0;
            for (int c = 0; c < ic; c++) {
                int plane = xo + c * h * w;
                for (int dy = 0; dy < kh; dy++) {
                    for (int dx = 0; dx < kw; dx++, k++) {
                        int rowBase = k * oh * ow;
                        // ow range whose input column ow * sw - pl + dx lies inside [0, w)
                        int lo = Math.min(ow, ceilDiv(Math.max(0, pl - dx), sw));
                        int hi = Math.max(lo, Math.min(ow, ceilDiv(w + pl - dx, sw)));
                        for (int r = 0; r < oh; r++) {
                            int o = rowBase + r * ow;
                            int iy = r * sh - pt + dy;
                            if (iy < 0 || iy >= h) {
                                Arrays.fill(col, o, o + ow, 0f);
                                continue;
                            }
                            Arrays.fill(col, o, o + lo, 0f);
                            int src = plane + iy * w - pl + dx;
                            if (sw == 1) {
                                System.arraycopy(xa, src + lo, col, o + lo, hi - lo);
                            } else {
                                for (int c2 = lo; c2 < hi; c2++) col[o + c2] = xa[src + c2 * sw];
                            }
                            Arrays.fill(col, o + hi, o + ow, 0f);
                        }
                    }
                }
            }
        }
    }

    /** {@code y = x * scale[c] + shift[c]} for every element of channel c (dimension 0). */
    record BatchNorm(int x, int y, int channels, int inner, float[] scale, float[] shift) implements Kernel {
        @Override public void run(Frame f, int n) {
            float[] xa = f.data[x], ya = f.data[y];
            int xb = f.base[x], xs = f.stride[x], yb = f.base[y], ys = f.stride[y];
            for (int s = 0; s < n; s++) {
                int xo = xb + s * xs, yo = yb + s * ys;
                for (int c = 0; c < channels; c++) {
                    float a = scale[c], b = shift[c];
                    int xi = xo + c * inner, yi = yo + c * inner;
                    for (int i = 0; i < inner; i++) ya[yi + i] = xa[xi + i] * a + b;
                }
            }
        }
    }

    /** {@code y = max(x, 0)}; NaN stays NaN, as in PyTorch. */
    record Relu(int x, int y, int size) implements Kernel {
        @Override public void run(Frame f, int n) {
            float[] xa = f.data[x], ya = f.data[y];
            int xb = f.base[x], xs = f.stride[x], yb = f.base[y], ys = f.stride[y];
            for (int s = 0; s < n; s++) {
                int xo = xb + s * xs, yo = yb + s * ys;
                for (int i = 0; i < size; i++) ya[yo + i] = Math.max(xa[xo + i], 0f);
            }
        }
    }

    /** {@code y = a + b}. */
    record Add(int a, int b, int y, int size) implements Kernel {
        @Override public void run(Frame f, int n) {
            float[] aa = f.data[a], ba = f.data[b], ya = f.data[y];
            for (int s = 0; s < n; s++) {
                int ao = f.base[a] + s * f.stride[a], bo = f.base[b] + s * f.stride[b], yo = f.base[y] + s * f.stride[y];
                for (int i = 0; i < size; i++) ya[yo + i] = aa[ao + i] + ba[bo + i];
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
            float[] ya = f.data[y];
            for (int s = 0; s < n; s++) {
                int yo = f.base[y] + s * f.stride[y];
                int at = 0;
                for (int j = 0; j < xs.length; j++) {
                    int xv = xs[j], len = chunks[j];
                    float[] xa = f.data[xv];
                    int xo = f.base[xv] + s * f.stride[xv];
                    for (int r = 0; r < outer; r++) System.arraycopy(xa, xo + r * len, ya, yo + r * rowSize + at, len);
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
     */
    record Pool(int x, int y, boolean max, boolean countPad, int c, int h, int w, int kh, int kw, int sh, int sw,
                int pt, int pl, int oh, int ow) implements Kernel {
        @Override public void run(Frame f, int n) {
            float[] xa = f.data[x], ya = f.data[y];
            for (int s = 0; s < n; s++) {
                int xo = f.base[x] + s * f.stride[x], yo = f.base[y] + s * f.stride[y];
                for (int ch = 0; ch < c; ch++) {
                    int plane = xo + ch * h * w, out = yo + ch * oh * ow;
                    for (int r = 0; r < oh; r++) {
                        int y0 = Math.max(0, r * sh - pt), y1 = Math.min(h, r * sh - pt + kh);
                        for (int q = 0; q < ow; q++) {
                            int x0 = Math.max(0, q * sw - pl), x1 = Math.min(w, q * sw - pl + kw);
                            ya[out + r * ow + q] = max ? windowMax(xa, plane, y0, y1, x0, x1) : windowAvg(xa, plane, y0, y1, x0, x1);
                        }
                    }
                }
            }
        }

        private float windowMax(float[] xa, int plane, int y0, int y1, int x0, int x1) {
            float m = Float.NEGATIVE_INFINITY;
            for (int i = y0; i < y1; i++) {
                for (int j = x0; j < x1; j++) {
                    float v = xa[plane + i * w + j];
                    if (v > m || Float.isNaN(v)) m = v;
                }
            }
            return m;
        }

        private float windowAvg(float[] xa, int plane, int y0, int y1, int x0, int x1) {
            float sum = 0f;
            for (int i = y0; i < y1; i++) {
                for (int j = x0; j < x1; j++) sum += xa[plane + i * w + j];
            }
            int count = countPad ? kh * kw : Math.max(0, y1 - y0) * Math.max(0, x1 - x0);
            return count == 0 ? 0f : sum / count;
        }
    }

    /** {@code y[c] = (Σ_{h,w} x[c][h][w]) / (H × W)}, the sum in float. */
    record GlobalAvgPool(int x, int y, int channels, int inner) implements Kernel {
        @Override public void run(Frame f, int n) {
            float[] xa = f.data[x], ya = f.data[y];
            for (int s = 0; s < n; s++) {
                int xo = f.base[x] + s * f.stride[x], yo = f.base[y] + s * f.stride[y];
                for (int c = 0; c < channels; c++) {
                    float sum = 0f;
                    int xi = xo + c * inner;
                    for (int i = 0; i < inner; i++) sum += xa[xi + i];
                    ya[yo + c] = sum / inner;
                }
            }
        }
    }

    /** Copies each sample of {@code x} into the run's output array {@code index}. */
    record Output(int x, int index, int size) implements Kernel {
        @Override public void run(Frame f, int n) {
            float[] xa = f.data[x], out = f.results[index];
            for (int s = 0; s < n; s++) {
                System.arraycopy(xa, f.base[x] + s * f.stride[x], out, (f.start + s) * size, size);
            }
        }
    }

    /** {@code y[yo + i] += a * x[xo + i]} for i in [0, len). */
    static void axpy(float a, float[] x, int xo, float[] y, int yo, int len) {
        for (int i = 0; i < len; i++) y[yo + i] += a * x[xo + i];
    }

    private static int ceilDiv(int a, int b) { return Math.ceilDiv(a, b); }
}

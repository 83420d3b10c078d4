package dev.nmcc.ir.interp;

import java.util.Arrays;

/**
 * Where each input row (column) of a sliding window lands: the pairs (kernel row, output row)
 * with {@code out · stride − pad + k = in}, in a flat list per input row.
 *
 * <p>Not a kernel: the window arithmetic that {@link ConvKernels} and {@link PoolKernels} share, hence its own file.
 */
final class Geometry {
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

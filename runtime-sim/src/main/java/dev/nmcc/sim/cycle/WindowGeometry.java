package dev.nmcc.sim.cycle;

import dev.nmcc.nmc.model.Window;

/**
 * A sliding window (convolution or pooling) from a [C, H, W] input to an [C', OH, OW] output: for
 * each input row (column), the contiguous range of output rows (columns) whose window covers it.
 * Output row {@code oy} covers input rows {@code oy·sh − padTop … oy·sh − padTop + kh − 1}, so
 * input row {@code iy} is covered by {@code oy ∈ [ceil((iy + padTop − kh + 1) / sh), floor((iy + padTop) / sh)]}
 * clipped to {@code [0, OH)} — the same taps the SNN interpreter scatters over.
 */
final class WindowGeometry {
    final int channels, h, w, oh, ow;
    final int[] yLo, yHi, xLo, xHi;

    WindowGeometry(int[] in, int[] out, Window win, String layer) {
        if (in.length != 3 || out.length != 3) {
            throw new IllegalArgumentException("layer '" + layer + "': a window op needs [C, H, W] shapes, got input rank " + in.length
                    + " and output rank " + out.length);
        }
        channels = in[0]; h = in[1]; w = in[2]; oh = out[1]; ow = out[2];
        yLo = new int[h]; yHi = new int[h]; xLo = new int[w]; xHi = new int[w];
        taps(h, oh, win.kh(), win.sh(), win.padTop(), yLo, yHi);
        taps(w, ow, win.kw(), win.sw(), win.padLeft(), xLo, xHi);
    }

    private static void taps(int in, int out, int k, int stride, int pad, int[] lo, int[] hi) {
        for (int i = 0; i < in; i++) {
            lo[i] = Math.max(0, Math.floorDiv(i + pad - k + stride, stride));
            hi[i] = Math.min(out - 1, Math.floorDiv(i + pad, stride));
        }
    }

    int plane() { return h * w; }

    int outPlane() { return oh * ow; }

    /** Windows covering input element {@code idx} within its channel (0 in the padding-only corner cases). */
    long windows(int idx) {
        int rem = idx % plane(), iy = rem / w, ix = rem % w;
        return (long) Math.max(0, yHi[iy] - yLo[iy] + 1) * Math.max(0, xHi[ix] - xLo[ix] + 1);
    }

    /**
     * Neurons {@code o·plane + oy·ow + ox} with {@code o ∈ [c0, c1)}, {@code oy ∈ [y0, y1]},
     * {@code ox ∈ [x0, x1]} that lie in {@code [s, e)}: the synapses of one event on one slice.
     */
    static long countInRange(int c0, int c1, int plane, int ow, int y0, int y1, int x0, int x1, int s, int e) {
        if (y0 > y1 || x0 > x1 || s >= e) return 0;
        int oFirst = Math.max(c0, s / plane), oLast = Math.min(c1 - 1, (e - 1) / plane);
        long rect = (long) (y1 - y0 + 1) * (x1 - x0 + 1);
        long total = 0;
        int o = oFirst;
        while (o <= oLast) {
            long base = (long) o * plane;
            int lo = (int) Math.max(0, s - base), hi = (int) Math.min(plane, e - base);
            if (lo == 0 && hi == plane) {
                int lastFull = Math.min(oLast, e / plane - 1);
                total += (long) (lastFull - o + 1) * rect;
                o = lastFull + 1;
            } else {
                total += partial(lo, hi, ow, y0, y1, x0, x1);
                o++;
            }
        }
        return total;
    }

    /** Rectangle positions {@code oy·ow + ox} within flat positions {@code [lo, hi)} of one channel. */
    private static long partial(int lo, int hi, int ow, int y0, int y1, int x0, int x1) {
        long n = 0;
        int r0 = Math.max(y0, lo / ow), r1 = Math.min(y1, (hi - 1) / ow);
        for (int oy = r0; oy <= r1; oy++) {
            int a = Math.max(lo, oy * ow + x0), b = Math.min(hi, oy * ow + x1 + 1);
            if (b > a) n += b - a;
        }
        return n;
    }
}

package dev.nmcc.sim.engine;

/**
 * Convolutional projection (the cross-correlation of docs/snn-semantics.md), 64-bit sums clamped
 * to i32. Each input event scatters its kernel into a position-major accumulator
 * ({@code acc[(oy · ow + ox) · oc + o]}), visiting only the outputs whose window covers it (see
 * {@link Geometry}); the current is written out in C order once per run. Weights are stored per
 * kernel tap, {@code wt[((c · kh + ky) · kw + kx) · oc + o]}, so the inner loop runs over output
 * channels: one byte per weight, a transposed copy (convolution kernels are small beside dense
 * layers; dense layers read the model's packed blocks directly). On spikes, when no sum can leave
 * the i32 range, the accumulator is 32-bit.
 */
final class Conv extends Kernel {
    final int x, y, oc, proj;
    final Geometry g;
    final boolean spiking, narrow;
    final byte[] wt;
    final int[] bias;

    /**
     * @param w    weights {@code [oc][c][kh][kw]} as stored in the synapse blocks
     * @param bias one value per output channel, or null
     */
    Conv(int layer, int x, int y, Geometry g, int oc, int[] w, int[] bias, boolean spiking, boolean isStatic, int proj) {
        super(layer, isStatic);
        this.x = x; this.y = y; this.g = g; this.oc = oc; this.bias = bias;
        this.spiking = spiking; this.proj = proj;
        int taps = g.c * g.kh * g.kw;
        wt = new byte[taps * oc];
        long worst = 0;
        for (int o = 0; o < oc; o++) {
            long bound = bias == null ? 0 : Math.abs((long) bias[o]);
            for (int q = 0; q < taps; q++) {
                int v = w[o * taps + q];
                wt[q * oc + o] = (byte) v; // every stored width (1 to 8 bits) fits
                bound += Math.abs(v);
            }
            worst = Math.max(worst, bound);
        }
        narrow = spiking && worst <= Integer.MAX_VALUE;
    }

    /** Accumulator entries this kernel needs. */
    int accSize() { return g.oh * g.ow * oc; }

    @Override void run(Frame f) {
        if (narrow) {
            runNarrow(f);
            return;
        }
        long[] acc = f.longScratch;
        int positions = g.oh * g.ow;
        for (int p = 0; p < positions; p++) {
            int base = p * oc;
            if (bias != null) for (int o = 0; o < oc; o++) acc[base + o] = bias[o];
            else for (int o = 0; o < oc; o++) acc[base + o] = 0;
        }
        long events = 0, sops = 0;
        int hw = g.h * g.w;
        if (spiking) {
            int[] s = f.spikes[x];
            int n = f.spikeCount[x];
            events = n;
            for (int k = 0; k < n; k++) sops += scatter(acc, s[k], hw, 1);
        } else {
            int[] in = f.i[x];
            int n = g.inSize();
            for (int i = 0; i < n; i++) {
                if (in[i] == 0) continue;
                events++;
                sops += scatter(acc, i, hw, in[i]);
            }
        }
        int[] out = f.i[y];
        for (int o = 0; o < oc; o++) {
            int ob = o * positions;
            for (int p = 0; p < positions; p++) out[ob + p] = clampI32(acc[p * oc + o]);
        }
        count(f, isStatic, proj, events, sops);
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

    /** Spikes, 32-bit sums that cannot overflow. */
    private void runNarrow(Frame f) {
        int[] acc = f.intScratch;
        int positions = g.oh * g.ow;
        for (int p = 0; p < positions; p++) {
            int base = p * oc;
            if (bias != null) System.arraycopy(bias, 0, acc, base, oc);
            else for (int o = 0; o < oc; o++) acc[base + o] = 0;
        }
        int[] s = f.spikes[x];
        int n = f.spikeCount[x], hw = g.h * g.w;
        long sops = 0;
        for (int k = 0; k < n; k++) {
            int idx = s[k], c = idx / hw, rem = idx - c * hw, iy = rem / g.w, ix = rem - iy * g.w;
            int r0 = g.rowStart[iy], r1 = g.rowStart[iy + 1], c0 = g.colStart[ix], c1 = g.colStart[ix + 1];
            for (int r = r0; r < r1; r++) {
                int wRow = (c * g.kh + g.rowK[r]) * g.kw, aRow = g.rowO[r] * g.ow;
                for (int q = c0; q < c1; q++) {
                    int wb = (wRow + g.colK[q]) * oc, ab = (aRow + g.colO[q]) * oc;
                    for (int o = 0; o < oc; o++) acc[ab + o] += wt[wb + o];
                }
            }
            sops += (long) (r1 - r0) * (c1 - c0) * oc;
        }
        int[] out = f.i[y];
        for (int o = 0; o < oc; o++) {
            int ob = o * positions;
            for (int p = 0; p < positions; p++) out[ob + p] = acc[p * oc + o];
        }
        count(f, isStatic, proj, n, sops);
    }
}

package dev.nmcc.sim.engine;

import java.util.Arrays;

/**
 * Dense projection {@code I_j = b_j + Σ_i W_ji · in_i}, 64-bit sums clamped to i32.
 *
 * <p>Weights are stored transposed, one row per input ({@code rows[i][j] = W_ji}), so that an
 * event's fan-out is one contiguous add. Rows are bytes (every stored width, 1 to 8 bits, fits):
 * the model in memory stays within a small factor of its packed size. On spikes, when no sum can
 * leave the i32 range ({@code |b_j| + Σ_i |W_ji| ≤ 2^31 − 1} for every j, checked here once) the
 * sums are taken in 32 bits, exactly, and the clamp is a no-op; otherwise, and for analog inputs
 * (direct input or pooled currents), in 64 bits.
 */
final class Dense extends Kernel {
    final int x, y, nIn, nOut, proj;
    final boolean spiking;
    final byte[][] rows;
    final int[] bias;
    final boolean narrow;

    /**
     * @param w    the weights row-major {@code [out][in]}, as stored in the synapse blocks
     * @param bias one value per output, or null
     */
    Dense(int layer, int x, int y, int nIn, int nOut, int[] w, int[] bias, boolean spiking, boolean isStatic, int proj) {
        super(layer, isStatic);
        this.x = x; this.y = y; this.nIn = nIn; this.nOut = nOut; this.bias = bias;
        this.spiking = spiking; this.proj = proj;
        rows = new byte[nIn][nOut];
        long[] bound = new long[nOut];
        for (int j = 0; j < nOut; j++) {
            bound[j] = bias == null ? 0 : Math.abs((long) bias[j]);
            int base = j * nIn;
            for (int i = 0; i < nIn; i++) {
                int v = w[base + i];
                rows[i][j] = (byte) v;
                bound[j] += Math.abs(v);
            }
        }
        long worst = 0;
        for (long b : bound) worst = Math.max(worst, b);
        narrow = spiking && worst <= Integer.MAX_VALUE;
    }

    @Override void run(Frame f) {
        if (narrow) {
            runNarrow(f);
            return;
        }
        long[] acc = f.longScratch;
        if (bias != null) for (int j = 0; j < nOut; j++) acc[j] = bias[j];
        else Arrays.fill(acc, 0, nOut, 0L);
        int events = 0;
        if (spiking) {
            int[] s = f.spikes[x];
            events = f.spikeCount[x];
            for (int k = 0; k < events; k++) {
                byte[] row = rows[s[k]];
                for (int j = 0; j < nOut; j++) acc[j] += row[j];
            }
        } else {
            int[] in = f.i[x];
            for (int i = 0; i < nIn; i++) {
                long v = in[i];
                if (v == 0) continue;
                events++;
                byte[] row = rows[i];
                for (int j = 0; j < nOut; j++) acc[j] += v * row[j];
            }
        }
        int[] out = f.i[y];
        for (int j = 0; j < nOut; j++) out[j] = clampI32(acc[j]);
        count(f, isStatic, proj, events, (long) events * nOut);
    }

    private void runNarrow(Frame f) {
        int[] out = f.i[y];
        if (bias != null) System.arraycopy(bias, 0, out, 0, nOut);
        else Arrays.fill(out, 0, nOut, 0);
        int[] s = f.spikes[x];
        int events = f.spikeCount[x];
        for (int k = 0; k < events; k++) {
            byte[] row = rows[s[k]];
            for (int j = 0; j < nOut; j++) out[j] += row[j];
        }
        count(f, isStatic, proj, events, (long) events * nOut);
    }
}

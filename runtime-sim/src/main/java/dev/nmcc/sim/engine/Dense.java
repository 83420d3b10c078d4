package dev.nmcc.sim.engine;

import dev.nmcc.nmc.model.SynapseBlock;
import java.util.Arrays;

/**
 * Dense projection {@code I_j = b_j + Σ_i W_ji · in_i}, 64-bit sums clamped to i32.
 *
 * <p>Reads the weights where the decoded model holds them: each synapse block stores, for every
 * input, the weights of its rows as one packed run ({@code SynapseBlock}, input-major), so an
 * input event adds, per block, one run unpacked on the fly ({@link PackedRuns}) to the block's
 * rows. No copy of the weights is made: a loaded model costs about its packed size. On spikes,
 * when no sum can leave the i32 range ({@code |b_j| + Σ_i |W_ji| ≤ 2^31 − 1} for every j, checked
 * here once) the sums are taken in 32 bits, exactly, and the clamp is a no-op; otherwise, and for
 * analog inputs (direct input or pooled currents), in 64 bits.
 */
final class Dense extends Kernel {
    final int x, y, nIn, nOut, proj;
    final boolean spiking;
    /** Per block (by first row): its first row, row count, weight width and packed weights (the model's array). */
    private final int[] first, count, bits;
    private final byte[][] packed;
    /** Rows of the largest block: the unpacked run of the 64-bit path needs this much int scratch. */
    final int maxCount;
    final int[] bias;
    final boolean narrow;

    /**
     * @param blocks the layer's synapse blocks, checked to tile its rows ({@link Parameters#denseBlocks})
     * @param bias   one value per output, or null
     */
    Dense(int layer, int x, int y, int nIn, int nOut, SynapseBlock[] blocks, int[] bias, boolean spiking, boolean isStatic, int proj) {
        super(layer, isStatic);
        this.x = x; this.y = y; this.nIn = nIn; this.nOut = nOut; this.bias = bias;
        this.spiking = spiking; this.proj = proj;
        int n = blocks.length;
        first = new int[n]; count = new int[n]; bits = new int[n]; packed = new byte[n][];
        int most = 0;
        for (int k = 0; k < n; k++) {
            first[k] = blocks[k].first(); count[k] = blocks[k].count(); bits[k] = blocks[k].bits(); packed[k] = blocks[k].packed();
            most = Math.max(most, count[k]);
        }
        maxCount = most;
        narrow = spiking && worstSum() <= Integer.MAX_VALUE;
    }

    /** The largest {@code |b_j| + Σ_i |W_ji|} over the rows, decoding each run once. */
    private long worstSum() {
        long[] bound = new long[nOut];
        if (bias != null) for (int j = 0; j < nOut; j++) bound[j] = Math.abs((long) bias[j]);
        int[] run = new int[maxCount];
        for (int k = 0; k < first.length; k++) {
            for (int i = 0; i < nIn; i++) {
                Arrays.fill(run, 0, count[k], 0);
                PackedRuns.add(run, 0, packed[k], bits[k], (long) i * count[k], count[k]);
                for (int r = 0; r < count[k]; r++) bound[first[k] + r] += Math.abs(run[r]);
            }
        }
        long worst = 0;
        for (long b : bound) worst = Math.max(worst, b);
        return worst;
    }

    @Override void run(Frame f) {
        if (narrow) {
            runNarrow(f);
            return;
        }
        long[] acc = f.longScratch;
        int[] run = f.intScratch;
        if (bias != null) for (int j = 0; j < nOut; j++) acc[j] = bias[j];
        else Arrays.fill(acc, 0, nOut, 0L);
        int events = 0;
        if (spiking) {
            int[] s = f.spikes[x];
            events = f.spikeCount[x];
            for (int e = 0; e < events; e++) addScaled(acc, run, s[e], 1);
        } else {
            int[] in = f.i[x];
            for (int i = 0; i < nIn; i++) {
                long v = in[i];
                if (v == 0) continue;
                events++;
                addScaled(acc, run, i, v);
            }
        }
        int[] out = f.i[y];
        for (int j = 0; j < nOut; j++) out[j] = clampI32(acc[j]);
        count(f, isStatic, proj, events, (long) events * nOut);
    }

    /** {@code acc[j] += v · W_ji} for every row j, in 64 bits: each block's run of input i is unpacked into {@code run}, then scaled. */
    private void addScaled(long[] acc, int[] run, int i, long v) {
        for (int k = 0; k < first.length; k++) {
            int n = count[k], o = first[k];
            Arrays.fill(run, 0, n, 0);
            PackedRuns.add(run, 0, packed[k], bits[k], (long) i * n, n);
            for (int r = 0; r < n; r++) acc[o + r] += v * run[r];
        }
    }

    /** Spikes, 32-bit sums that cannot overflow: each block's run of the spiking input is added straight from the packed bytes. */
    private void runNarrow(Frame f) {
        int[] out = f.i[y];
        if (bias != null) System.arraycopy(bias, 0, out, 0, nOut);
        else Arrays.fill(out, 0, nOut, 0);
        int[] s = f.spikes[x];
        int events = f.spikeCount[x];
        int blocks = first.length;
        for (int e = 0; e < events; e++) {
            long i = s[e];
            for (int k = 0; k < blocks; k++) PackedRuns.add(out, first[k], packed[k], bits[k], i * count[k], count[k]);
        }
        count(f, isStatic, proj, events, (long) events * nOut);
    }
}

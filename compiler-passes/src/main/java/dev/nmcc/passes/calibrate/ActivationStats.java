package dev.nmcc.passes.calibrate;

import dev.nmcc.ir.graph.Graph;
import dev.nmcc.ir.graph.Value;
import dev.nmcc.ir.interp.ActivationObserver;
import dev.nmcc.ir.type.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Per-channel activation statistics of chosen values, gathered while the float interpreter runs
 * on the calibration set: the exact maximum, the count of positive values and a histogram of
 * the positive values on a fixed logarithmic grid, from which percentiles are read.
 *
 * <p><b>Channels.</b> A rank-3 value {@code [C, H, W]} has C channels of H·W neurons; a rank-1
 * value {@code [N]} has N channels of one neuron (a dense layer's "output channel" is a
 * neuron); a scalar has one.
 *
 * <p><b>Histogram and accuracy.</b> Bin k covers {@code [2^(e), 2^(e)·(1 + (m+1)/128))} for
 * {@code k = (e + 40)·128 + m}: the float's exponent and the top 7 bits of its mantissa, so a bin
 * is at most 2^(1/128)... exactly 1/128 of an octave in mantissa steps, and a percentile read from
 * it (linear interpolation inside the bin) is within 0.8% (relative) of the exact order statistic
 * of the positive values. Values below 2^-40 count as zero; values at or above 2^40 fall in the
 * last bin (the exact maximum is kept separately). Time is linear in samples × neurons.
 *
 * <p><b>Storage.</b> The merged histograms are sparse (the non-empty bins of each channel, in
 * increasing order), which is all that percentiles and the MSE scale read. While the interpreter
 * runs, a channel that sees at most {@code BINS} values over the whole run (a dense layer's
 * neuron: one value per sample) keeps the bin index of each value in a list; a channel that sees
 * more (a convolution's channel: H·W values per sample) keeps a full {@code BINS}-int histogram.
 * So memory per worker is about {@code min(2 · values seen, 4 · BINS)} bytes per channel: 1,000
 * samples of the KWS MLP's 931 neurons take 2 MB instead of 38 MB.
 *
 * <p><b>Threads.</b> The observer is called from the interpreter's workers; each worker
 * accumulates into its own state (a {@link ThreadLocal}), merged by {@link #result()}. All
 * statistics are order-independent, so results do not depend on the thread schedule.
 */
final class ActivationStats implements ActivationObserver {
    static final int SUB_BITS = 7;
    static final int SUB = 1 << SUB_BITS;
    static final int MIN_EXP = -40;
    static final int MAX_EXP = 40;
    static final int BINS = (MAX_EXP - MIN_EXP) * SUB;

    /**
     * Merged statistics of one value; channel c's histogram of positive values is sparse: its
     * non-empty bins {@code bins[c]} in increasing order with their counts {@code counts[c]}.
     */
    record ChannelStats(int channels, int neuronsPerChannel, double[] max, long[] positive, long[] total, int[][] bins, int[][] counts) {
        /** From full histograms ({@code hist[c][k]}: the count of bin k of channel c). */
        ChannelStats(int channels, int neuronsPerChannel, double[] max, long[] positive, long[] total, int[][] hist) {
            this(channels, neuronsPerChannel, max, positive, total, new int[channels][], new int[channels][]);
            for (int c = 0; c < channels; c++) {
                int[][] sparse = sparse(hist[c]);
                bins[c] = sparse[0];
                counts[c] = sparse[1];
            }
        }

        /** The p-th percentile (0 < p ≤ 100) of the positive values of one channel. */
        double percentile(double p, int channel) {
            return percentileOf(bins[channel], counts[channel], positive[channel], max[channel], p);
        }

        /** Percentile over all channels together (per-layer statistics). */
        double layerPercentile(double p) {
            int[][] h = merged();
            long n = 0;
            for (int c = 0; c < channels; c++) n += positive[c];
            return percentileOf(h[0], h[1], n, layerMax(), p);
        }

        /**
         * The scale λ minimising the expected conversion error of one activation at T timesteps
         * over the positive values: {@code (λ/T)²/12} (rounding to a multiple of λ/T, the
         * resolution of a rate over T steps) below λ, {@code (a − λ)²} (clipping) above it. The
         * candidates are the bin edges; the sums use bin midpoints. Channel -1: the whole layer.
         */
        double mseScale(int channel, int timesteps) {
            int[] bs, cs;
            if (channel >= 0) {
                bs = bins[channel];
                cs = counts[channel];
            } else {
                int[][] h = merged();
                bs = h[0];
                cs = h[1];
            }
            double mx = channel < 0 ? layerMax() : max[channel];
            double n = 0, s1 = 0, s2 = 0;
            for (int i = 0; i < bs.length; i++) {
                int k = bs[i], h = cs[i];
                double mid = Math.min(0.5 * (binLow(k) + binHigh(k)), mx);
                n += h;
                s1 += h * mid;
                s2 += h * mid * mid;
            }
            if (n == 0) return 0;
            // Sweep candidate λ = lower edge of bin k upwards; counts and sums above λ shrink.
            double best = mx, bestErr = mx * mx / (12.0 * timesteps * timesteps) * n;
            double nBelow = 0, nAbove = n, s1Above = s1, s2Above = s2;
            for (int i = 0; i < bs.length; i++) {
                int k = bs[i], h = cs[i];
                double lam = binLow(k);
                if (lam > mx) break;
                double err = lam * lam / (12.0 * timesteps * timesteps) * nBelow + s2Above - 2 * lam * s1Above + lam * lam * nAbove;
                if (err < bestErr) { bestErr = err; best = lam; }
                double mid = Math.min(0.5 * (binLow(k) + binHigh(k)), mx);
                nBelow += h;
                nAbove -= h;
                s1Above -= h * mid;
                s2Above -= h * mid * mid;
            }
            return best;
        }

        double layerMax() {
            double mx = 0;
            for (double m : max) mx = Math.max(mx, m);
            return mx;
        }

        /** The full histogram of the positive values of one channel, or of all channels merged when channel = -1. */
        int[] histogram(int channel) {
            int[] h = new int[BINS];
            for (int c = channel < 0 ? 0 : channel; c < (channel < 0 ? channels : channel + 1); c++) {
                for (int i = 0; i < bins[c].length; i++) h[bins[c][i]] += counts[c][i];
            }
            return h;
        }

        /** All channels' histograms added up, sparse. */
        private int[][] merged() {
            return sparse(histogram(-1));
        }

        long totalCount(int channel) {
            if (channel >= 0) return total[channel];
            long t = 0;
            for (long x : total) t += x;
            return t;
        }
    }

    /** A full histogram as {non-empty bins in increasing order, their counts}. */
    static int[][] sparse(int[] h) {
        int m = 0;
        for (int x : h) if (x != 0) m++;
        int[] bs = new int[m], cs = new int[m];
        m = 0;
        for (int k = 0; k < h.length; k++) {
            if (h[k] == 0) continue;
            bs[m] = k;
            cs[m++] = h[k];
        }
        return new int[][] {bs, cs};
    }

    private final Graph graph;
    private final Map<Integer, int[]> layout = new TreeMap<>(); // value id -> {channels, perChannel}
    private final int samples;
    private final ConcurrentLinkedQueue<Worker> workers = new ConcurrentLinkedQueue<>();
    private final ThreadLocal<Worker> local = ThreadLocal.withInitial(this::newWorker);

    /**
     * Statistics of {@code values} over a run of at most {@code samples} samples (the bound
     * chooses each value's storage; a longer run is still counted correctly).
     */
    ActivationStats(Graph graph, Collection<Value> values, int samples) {
        this.graph = graph;
        this.samples = samples;
        for (Value v : values) {
            Shape s = graph.type(v).shape();
            int channels = s.rank() == 0 ? 1 : s.dim(0);
            layout.put(v.id(), new int[] {channels, s.elementCount() / channels});
        }
    }

    /** One channel's values seen by one worker: a list of bin indices, or (past {@code BINS} values) a full histogram. */
    private static final class Bins {
        short[] list = new short[16];
        int size;
        int[] hist;

        Bins(boolean full) {
            if (full) {
                hist = new int[BINS];
                list = null;
            }
        }

        void add(int b) {
            if (hist != null) {
                hist[b]++;
                return;
            }
            if (size == list.length) {
                if (size >= BINS) {
                    hist = new int[BINS];
                    for (int i = 0; i < size; i++) hist[list[i]]++;
                    list = null;
                    hist[b]++;
                    return;
                }
                list = Arrays.copyOf(list, Math.min(BINS, 2 * size));
            }
            list[size++] = (short) b;
        }

        void addTo(int[] h) {
            if (hist != null) for (int k = 0; k < BINS; k++) h[k] += hist[k];
            else for (int i = 0; i < size; i++) h[list[i]]++;
        }
    }

    private final class Worker {
        final Map<Integer, double[]> max = new TreeMap<>();
        final Map<Integer, long[]> positive = new TreeMap<>();
        final Map<Integer, Bins[]> hist = new TreeMap<>();
        final Map<Integer, long[]> total = new TreeMap<>();

        Worker() {
            layout.forEach((id, l) -> {
                max.put(id, new double[l[0]]);
                positive.put(id, new long[l[0]]);
                total.put(id, new long[l[0]]);
                boolean full = (long) l[1] * samples > BINS;
                Bins[] b = new Bins[l[0]];
                for (int c = 0; c < b.length; c++) b[c] = new Bins(full);
                hist.put(id, b);
            });
        }
    }

    private Worker newWorker() {
        Worker w = new Worker();
        workers.add(w);
        return w;
    }

    @Override public void observe(Value value, int sample, float[] data, int offset, int length) {
        int[] l = layout.get(value.id());
        if (l == null) return;
        Worker w = local.get();
        double[] mx = w.max.get(value.id());
        long[] pos = w.positive.get(value.id());
        long[] tot = w.total.get(value.id());
        Bins[] hist = w.hist.get(value.id());
        int per = l[1];
        for (int c = 0; c < l[0]; c++) {
            Bins h = hist[c];
            float m = (float) mx[c];
            int np = 0;
            for (int i = offset + c * per, end = i + per; i < end; i++) {
                float x = data[i];
                if (x > 0) {
                    if (x > m) m = x;
                    int b = bin(x);
                    if (b >= 0) {
                        h.add(b);
                        np++;
                    }
                }
            }
            mx[c] = m;
            pos[c] += np;
            tot[c] += per;
        }
    }

    /** The histogram bin of a positive float, or -1 below the grid. */
    static int bin(float x) {
        int bits = Float.floatToRawIntBits(x);
        int e = ((bits >>> 23) & 0xff) - 127;
        if (e < MIN_EXP) return -1;
        if (e >= MAX_EXP) return BINS - 1;
        return (e - MIN_EXP) * SUB + ((bits >>> (23 - SUB_BITS)) & (SUB - 1));
    }

    /** The lower edge of bin k. */
    static double binLow(int k) {
        int e = k / SUB + MIN_EXP, m = k % SUB;
        return Math.scalb(1.0 + (double) m / SUB, e);
    }

    static double binHigh(int k) {
        int e = k / SUB + MIN_EXP, m = k % SUB;
        return Math.scalb(1.0 + (double) (m + 1) / SUB, e);
    }

    static double percentileOf(int[] h, long n, double max, double p) {
        int[][] sp = sparse(h);
        return percentileOf(sp[0], sp[1], n, max, p);
    }

    /** {@link #percentileOf(int[], long, double, double)} of a sparse histogram. */
    static double percentileOf(int[] bins, int[] counts, long n, double max, double p) {
        if (n == 0) return 0;
        double rank = p / 100.0 * n; // number of values at or below the answer
        long seen = 0;
        for (int i = 0; i < bins.length; i++) {
            int k = bins[i], h = counts[i];
            if (seen + h >= rank) {
                double frac = (rank - seen) / h;
                double v = binLow(k) + frac * (binHigh(k) - binLow(k));
                return Math.min(v, max);
            }
            seen += h;
        }
        return max;
    }

    /** The merged statistics, by value id (after the interpreter's run has returned). */
    Map<Integer, ChannelStats> result() {
        Map<Integer, ChannelStats> out = new TreeMap<>();
        List<Worker> ws = new ArrayList<>(workers);
        int[] h = new int[BINS]; // all zero between channels
        layout.forEach((id, l) -> {
            double[] mx = new double[l[0]];
            long[] pos = new long[l[0]], tot = new long[l[0]];
            int[][] bins = new int[l[0]][], counts = new int[l[0]][];
            for (int c = 0; c < l[0]; c++) {
                boolean full = false;
                for (Worker w : ws) {
                    mx[c] = Math.max(mx[c], w.max.get(id)[c]);
                    pos[c] += w.positive.get(id)[c];
                    tot[c] += w.total.get(id)[c];
                    full |= w.hist.get(id)[c].hist != null;
                }
                if (full) {
                    for (Worker w : ws) w.hist.get(id)[c].addTo(h);
                    int[][] sp = sparse(h);
                    bins[c] = sp[0];
                    counts[c] = sp[1];
                    Arrays.fill(h, 0);
                } else { // lists only: count into h, then read and clear just the range of bins that occur
                    int lo = BINS, hi = -1, distinct = 0;
                    for (Worker w : ws) {
                        Bins b = w.hist.get(id)[c];
                        for (int i = 0; i < b.size; i++) {
                            int k = b.list[i];
                            if (h[k]++ == 0) distinct++;
                            lo = Math.min(lo, k);
                            hi = Math.max(hi, k);
                        }
                    }
                    bins[c] = new int[distinct];
                    counts[c] = new int[distinct];
                    for (int k = lo, m = 0; k <= hi; k++) {
                        if (h[k] == 0) continue;
                        bins[c][m] = k;
                        counts[c][m++] = h[k];
                        h[k] = 0;
                    }
                }
            }
            out.put(id, new ChannelStats(l[0], l[1], mx, pos, tot, bins, counts));
        });
        return out;
    }

    Graph graph() { return graph; }
}

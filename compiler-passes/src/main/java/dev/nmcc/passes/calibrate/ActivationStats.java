package dev.nmcc.passes.calibrate;

import dev.nmcc.ir.graph.Graph;
import dev.nmcc.ir.graph.Value;
import dev.nmcc.ir.interp.ActivationObserver;
import dev.nmcc.ir.type.Shape;
import java.util.ArrayList;
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
 * last bin (the exact maximum is kept separately). Memory is {@code channels × 10,240} ints per
 * worker thread, independent of the number of samples; time is linear in samples × neurons.
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

    /** Merged statistics of one value. */
    record ChannelStats(int channels, int neuronsPerChannel, double[] max, long[] positive, long[] total, int[][] hist) {
        /** The p-th percentile (0 < p ≤ 100) of the positive values of the given channels (all when null). */
        double percentile(double p, int channel) {
            int[] h = hist[channel];
            long n = positive[channel];
            return percentileOf(h, n, max[channel], p);
        }

        /** Percentile over all channels together (per-layer statistics). */
        double layerPercentile(double p) {
            int[] h = new int[BINS];
            long n = 0;
            double mx = 0;
            for (int c = 0; c < channels; c++) {
                for (int k = 0; k < BINS; k++) h[k] += hist[c][k];
                n += positive[c];
                mx = Math.max(mx, max[c]);
            }
            return percentileOf(h, n, mx, p);
        }

        /**
         * The scale λ minimising the expected conversion error of one activation at T timesteps
         * over the positive values: {@code (λ/T)²/12} (rounding to a multiple of λ/T, the
         * resolution of a rate over T steps) below λ, {@code (a − λ)²} (clipping) above it. The
         * candidates are the bin edges; the sums use bin midpoints. Channel -1: the whole layer.
         */
        double mseScale(int channel, int timesteps) {
            int[] h = histogram(channel);
            double mx = channel < 0 ? layerMax() : max[channel];
            double n = 0, s1 = 0, s2 = 0;
            for (int k = 0; k < BINS; k++) {
                if (h[k] == 0) continue;
                double mid = Math.min(0.5 * (binLow(k) + binHigh(k)), mx);
                n += h[k];
                s1 += h[k] * mid;
                s2 += h[k] * mid * mid;
            }
            if (n == 0) return 0;
            // Sweep candidate λ = lower edge of bin k upwards; counts and sums above λ shrink.
            double best = mx, bestErr = mx * mx / (12.0 * timesteps * timesteps) * n;
            double nBelow = 0, nAbove = n, s1Above = s1, s2Above = s2;
            for (int k = 0; k < BINS; k++) {
                if (h[k] == 0) continue;
                double lam = binLow(k);
                if (lam > mx) break;
                double err = lam * lam / (12.0 * timesteps * timesteps) * nBelow + s2Above - 2 * lam * s1Above + lam * lam * nAbove;
                if (err < bestErr) { bestErr = err; best = lam; }
                double mid = Math.min(0.5 * (binLow(k) + binHigh(k)), mx);
                nBelow += h[k];
                nAbove -= h[k];
                s1Above -= h[k] * mid;
                s2Above -= h[k] * mid * mid;
            }
            return best;
        }

        double layerMax() {
            double mx = 0;
            for (double m : max) mx = Math.max(mx, m);
            return mx;
        }

        /** The histogram of the positive values of one channel, or of all channels merged when channel = -1. */
        int[] histogram(int channel) {
            if (channel >= 0) return hist[channel];
            int[] h = new int[BINS];
            for (int c = 0; c < channels; c++) for (int k = 0; k < BINS; k++) h[k] += hist[c][k];
            return h;
        }

        long totalCount(int channel) {
            if (channel >= 0) return total[channel];
            long t = 0;
            for (long x : total) t += x;
            return t;
        }
    }

    private final Graph graph;
    private final Map<Integer, int[]> layout = new TreeMap<>(); // value id -> {channels, perChannel}
    private final ConcurrentLinkedQueue<Worker> workers = new ConcurrentLinkedQueue<>();
    private final ThreadLocal<Worker> local = ThreadLocal.withInitial(this::newWorker);

    ActivationStats(Graph graph, Collection<Value> values) {
        this.graph = graph;
        for (Value v : values) {
            Shape s = graph.type(v).shape();
            int channels = s.rank() == 0 ? 1 : s.dim(0);
            layout.put(v.id(), new int[] {channels, s.elementCount() / channels});
        }
    }

    private final class Worker {
        final Map<Integer, double[]> max = new TreeMap<>();
        final Map<Integer, long[]> positive = new TreeMap<>();
        final Map<Integer, int[][]> hist = new TreeMap<>();
        final Map<Integer, long[]> total = new TreeMap<>();

        Worker() {
            layout.forEach((id, l) -> {
                max.put(id, new double[l[0]]);
                positive.put(id, new long[l[0]]);
                total.put(id, new long[l[0]]);
                hist.put(id, new int[l[0]][BINS]);
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
        int[][] hist = w.hist.get(value.id());
        int per = l[1];
        for (int c = 0; c < l[0]; c++) {
            int[] h = hist[c];
            float m = (float) mx[c];
            int np = 0;
            for (int i = offset + c * per, end = i + per; i < end; i++) {
                float x = data[i];
                if (x > 0) {
                    if (x > m) m = x;
                    int b = bin(x);
                    if (b >= 0) {
                        h[b]++;
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
        if (n == 0) return 0;
        double rank = p / 100.0 * n; // number of values at or below the answer
        long seen = 0;
        for (int k = 0; k < BINS; k++) {
            if (h[k] == 0) continue;
            if (seen + h[k] >= rank) {
                double frac = (rank - seen) / h[k];
                double v = binLow(k) + frac * (binHigh(k) - binLow(k));
                return Math.min(v, max);
            }
            seen += h[k];
        }
        return max;
    }

    /** The merged statistics, by value id (after the interpreter's run has returned). */
    Map<Integer, ChannelStats> result() {
        Map<Integer, ChannelStats> out = new TreeMap<>();
        List<Worker> ws = new ArrayList<>(workers);
        layout.forEach((id, l) -> {
            double[] mx = new double[l[0]];
            long[] pos = new long[l[0]], tot = new long[l[0]];
            int[][] hist = new int[l[0]][BINS];
            for (Worker w : ws) {
                double[] wm = w.max.get(id);
                long[] wp = w.positive.get(id), wt = w.total.get(id);
                int[][] wh = w.hist.get(id);
                for (int c = 0; c < l[0]; c++) {
                    mx[c] = Math.max(mx[c], wm[c]);
                    pos[c] += wp[c];
                    tot[c] += wt[c];
                    for (int k = 0; k < BINS; k++) hist[c][k] += wh[c][k];
                }
            }
            out.put(id, new ChannelStats(l[0], l[1], mx, pos, tot, hist));
        });
        return out;
    }

    Graph graph() { return graph; }
}

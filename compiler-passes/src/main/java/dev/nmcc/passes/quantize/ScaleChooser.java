package dev.nmcc.passes.quantize;

import dev.nmcc.ir.blob.Blob;
import dev.nmcc.ir.blob.BlobLookup;
import dev.nmcc.ir.graph.Graph;
import dev.nmcc.ir.graph.Op;
import dev.nmcc.ir.op.OpKind;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The scales of a {@link ScaleGroup} for {@code quantize-weights}: per channel or per tensor from
 * the weights' magnitudes ({@code clip=max}), optionally shrunk to the fraction that minimises the
 * squared weight error ({@code clip=mse}).
 */
final class ScaleChooser {
    /** Clipping fractions tried by {@code clip=mse}: s = α · max|W| / q_max. */
    static final double[] CLIP_FRACTIONS = {1.0, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6, 0.55, 0.5};

    private final int bits;
    private final boolean perChannel;
    private final boolean mseClip;

    ScaleChooser(int bits, boolean perChannel, boolean mseClip) {
        this.bits = bits;
        this.perChannel = perChannel;
        this.mseClip = mseClip;
    }

    /** Sets {@code grp.scales} and {@code grp.channelwise}. */
    void chooseScales(ScaleGroup grp, Graph g, List<Op> ops, BlobLookup blobs, InputUnits units) {
        int c;
        if (!grp.sinks.isEmpty()) c = ScaleGroup.channels(g.type(ops.get(grp.sinks.getFirst()).operand(0)));
        else c = ScaleGroup.channels(g.type(ops.get(grp.projections.getFirst()).result()));
        if (grp.directSink) {
            if (!grp.projections.isEmpty()) throw ScaleGroup.unsupported(ops.get(grp.sinks.getFirst()), "a population fed by both the direct input and a projection");
            grp.scales = new double[] {1.0 / QuantizeWeights.INPUT_SCALE};
            grp.channelwise = false;
            return;
        }
        boolean channelwise = perChannel && !grp.avgpool && !grp.reshaped && !grp.decode && !grp.feedsProjection;
        double[] max = new double[c];
        double[] sum = new double[c];
        long[] count = new long[c];
        for (int i : grp.projections) {
            Op op = ops.get(i);
            double inS = units.inputScale(op.operand(0));
            if (op.kind() == OpKind.SNN_AVGPOOL) {
                double w = Math.abs(InputUnits.avgpoolWeight(op)) / inS;
                for (int j = 0; j < c; j++) { max[j] = Math.max(max[j], w); sum[j] += w; count[j]++; }
                continue;
            }
            Blob w = blobs.get(op.attributes().getBlob("weight"));
            int rows = w.type().shape().dim(0);
            if (rows != c) { channelwise = false; }
            int rowLen = w.size() / rows;
            float[] d = w.floats();
            if (rows == c) { // one row per channel: rows in parallel, each summed in order as below
                IntStream.range(0, rows).parallel().forEach(r -> absStats(d, r * rowLen, rowLen, inS, max, sum, r));
                for (int r = 0; r < rows; r++) count[r] += rowLen;
            } else {
                for (int r = 0; r < rows; r++) {
                    int j = Math.min(r, c - 1);
                    absStats(d, r * rowLen, rowLen, inS, max, sum, j);
                    count[j] += rowLen;
                }
            }
        }
        double tMax = 0, tSum = 0;
        long tCount = 0;
        for (int j = 0; j < c; j++) { tMax = Math.max(tMax, max[j]); tSum += sum[j]; tCount += count[j]; }
        double tensorScale = Quantization.scale(tMax, tCount == 0 ? 0 : tSum / tCount, bits);
        if (!(tensorScale > 0)) tensorScale = 1.0 / 128; // every weight is zero: any unit will do
        if (channelwise) {
            grp.scales = new double[c];
            for (int j = 0; j < c; j++) {
                double s = Quantization.scale(max[j], count[j] == 0 ? 0 : sum[j] / count[j], bits);
                grp.scales[j] = s > 0 ? s : tensorScale;
            }
        } else {
            grp.scales = new double[] {tensorScale};
        }
        grp.channelwise = channelwise;
        if (mseClip && bits >= 2 && !grp.avgpool) refineByMse(grp, g, ops, blobs, units);
    }

    /**
     * Raises the scales whose integer thresholds would not fit a {@code vBits} membrane
     * ({@code θ / s > v_max}): a wide layer on 8-bit input at full weight precision sums to more
     * than such a potential holds, and a threshold clamped to the top would fire only at
     * saturation. The channel's weights then use fewer levels. Not for ±1 weights, whose scale is
     * fixed by the weights (b = 1), nor for a population without projections (its unit is its input's).
     * Returns the largest factor applied (1: none).
     */
    double fitThresholds(ScaleGroup grp, Graph g, List<Op> ops, BlobLookup blobs, int vBits) {
        // ±1 weights fix their scale; a population fed by the direct input itself has no weights to take a coarser unit
        if (bits < 2 || grp.scales == null || grp.directSink || grp.projections.isEmpty()) return 1;
        double vmax = (1L << (vBits - 1)) - 1;
        double factor = 1;
        for (int i : grp.sinks) {
            Op sink = ops.get(i);
            if (sink.kind() != OpKind.SNN_IF && sink.kind() != OpKind.SNN_LIF) continue; // a decoder's sum does not saturate
            int c = ScaleGroup.channels(g.type(sink.operand(0)));
            for (int j = 0; j < c; j++) {
                int k = grp.channelwise ? j : 0;
                double need = sink.attributes().getNumberAt("threshold", j, blobs, 1.0) / (vmax - 0.5); // rounds to at most v_max
                if (grp.scales[k] < need) {
                    factor = Math.max(factor, need / grp.scales[k]);
                    grp.scales[k] = need;
                }
            }
        }
        return factor;
    }

    /** Folds {@code |d[off .. off+len)| / inS} into {@code max[j]} and {@code sum[j]}, in order. */
    private static void absStats(float[] d, int off, int len, double inS, double[] max, double[] sum, int j) {
        double m = max[j], s = sum[j];
        for (int e = off; e < off + len; e++) {
            double x = Math.abs(d[e]) / inS;
            if (x > m) m = x;
            s += x;
        }
        max[j] = m;
        sum[j] = s;
    }

    /**
     * {@code clip=mse}: per scale (channel or tensor), the fraction α of the max-based scale that
     * minimises the squared error {@code Σ (W - s·w_q)^2} of the weights it covers; larger weights
     * then clip at the ends of the range, and the many small ones are represented more finely.
     */
    private void refineByMse(ScaleGroup grp, Graph g, List<Op> ops, BlobLookup blobs, InputUnits units) {
        int n = grp.scales.length, k = CLIP_FRACTIONS.length;
        double[][] err = new double[n][k];
        for (int i : grp.projections) {
            Op op = ops.get(i);
            double inS = units.inputScale(op.operand(0));
            Blob w = blobs.get(op.attributes().getBlob("weight"));
            int rows = w.type().shape().dim(0), rowLen = w.size() / rows;
            float[] d = w.floats();
            // Rows in parallel (2.2 M weights × 11 fractions in the KWS MLP), each row's sums in
            // weight order as before; the rows' sums are added to err in row order afterwards, so
            // the result does not depend on the schedule.
            double[][] rowErr = new double[rows][];
            IntStream.range(0, rows).parallel().forEach(r -> {
                double[] e = new double[k];
                double[] real = new double[rowLen];
                for (int x = 0; x < rowLen; x++) real[x] = d[r * rowLen + x] / inS;
                int j = grp.channelwise ? r : 0;
                for (int c = 0; c < k; c++) e[c] = squaredError(real, grp.scales[j] * CLIP_FRACTIONS[c]);
                rowErr[r] = e;
            });
            for (int r = 0; r < rows; r++) {
                double[] e = err[grp.channelwise ? r : 0];
                for (int c = 0; c < k; c++) e[c] += rowErr[r][c];
            }
        }
        for (int j = 0; j < n; j++) {
            int best = 0;
            for (int c = 1; c < k; c++) if (err[j][c] < err[j][best]) best = c;
            grp.scales[j] *= CLIP_FRACTIONS[best];
        }
    }

    /** {@code Σ (real - s·w_q)^2} over the weights, summed in order. */
    private double squaredError(double[] real, double s) {
        double acc = 0;
        for (double x : real) {
            double diff = x - s * Quantization.quantize(x, s, bits);
            acc += diff * diff;
        }
        return acc;
    }
}

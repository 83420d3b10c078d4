package dev.nmcc.passes.mapping;

import dev.nmcc.ir.graph.Op;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.ir.type.Shape;
import dev.nmcc.passes.mapping.NetworkLayers.Input;
import dev.nmcc.passes.mapping.NetworkLayers.Layer;
import dev.nmcc.passes.mapping.NetworkLayers.Step;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Expected synaptic operations per timestep, counted the way the SNN interpreter counts them
 * (docs/snn-semantics.md, "Statistics"): an <i>event</i> is a spike reaching a projection, or a
 * non-zero element of an analog input in a timestep (a direct-encoded input is such an input at
 * every timestep); each event costs the synapses of its element in the projection: {@code units}
 * for a dense, output channels × the output positions whose window covers it for a convolution
 * (fewer at a padded border), the windows covering it for an average pooling. Maximum pooling,
 * views and merges cost nothing.
 *
 * <p>The expectation follows each input path from its source's per-element event probabilities
 * (the neurons' firing rates, the input's per-element density): a projection's SOPs are
 * {@code Σ_i p_i · synapses(i)}, and the probability that one of its output elements is an event
 * for the next projection is {@code 1 − Π (1 − p_i)} over its window (1 with a bias), which
 * assumes the inputs of a window fire independently (an over-estimate: neighbouring neurons fire
 * together). When the profile was measured, each projection's probabilities are scaled to the events
 * the calibration run counted there, so on the calibration samples the estimate equals the
 * interpreter's count up to how the events spread over padded borders; on other data it differs by
 * how much the data's activity differs from the calibration set's.
 */
public final class ExpectedSops {
    private ExpectedSops() {}

    /** Expected SOPs per timestep of each layer (NetworkLayers order), summed over its inputs. */
    public static double[] perLayer(NetworkLayers net, ActivityProfile activity) {
        double[] out = new double[net.layers().size()];
        Map<Op, Integer> ordinal = new IdentityHashMap<>();
        for (Op op : net.module().graph().ops()) if (ActivityProfile.isProjection(op.kind())) ordinal.put(op, ordinal.size());
        for (Layer l : net.layers()) {
            for (Input in : l.inputs()) out[l.index()] += ofInput(in, activity, ordinal);
        }
        return out;
    }

    /** Expected SOPs per timestep along one input path. */
    static double ofInput(Input in, ActivityProfile activity, Map<Op, Integer> ordinal) {
        if (in.steps().isEmpty()) return 0;
        Shape first = in.steps().getFirst().inShape();
        int n = first.elementCount();
        double[] p = new double[n];
        for (int i = 0; i < n; i++) p[i] = in.fromNetworkInput() ? activity.inputRate(i) : activity.rate(in.source(), i);
        double sops = 0;
        for (int k = 0; k < in.steps().size(); k++) {
            Step st = in.steps().get(k);
            Op op = st.op();
            boolean last = k == in.steps().size() - 1;
            if (ordinal.containsKey(op)) p = measured(p, activity.projectionEvents(ordinal.get(op)));
            switch (op.kind()) {
                case SNN_DENSE -> {
                    double events = sum(p);
                    sops += events * st.outShape().elementCount();
                    if (!last) p = filled(st.outShape().elementCount(), hasBias(op) ? 1 : anyOf(p, 0, p.length));
                }
                case SNN_CONV2D, SNN_AVGPOOL, SNN_MAXPOOL -> {
                    Window w = new Window(st);
                    if (op.kind() != OpKind.SNN_MAXPOOL) {
                        int outC = op.kind() == OpKind.SNN_CONV2D ? st.outShape().dim(0) : 1;
                        for (int i = 0; i < p.length; i++) if (p[i] > 0) sops += p[i] * outC * w.covering(i);
                    }
                    if (!last) p = w.outputEvents(p, op.kind() == OpKind.SNN_CONV2D, hasBias(op));
                }
                default -> { } // flatten, reshape: the same elements in another shape
            }
        }
        return sops;
    }

    /**
     * The probabilities scaled so that they sum to the events measured at the projection (when
     * measured): exact where the interpreter's count is (spikes, direct input), and it replaces the
     * independence assumption behind a pooling by what calibration saw, keeping its spatial shape.
     */
    private static double[] measured(double[] p, double events) {
        double s = sum(p);
        if (Double.isNaN(events) || s <= 0) return p;
        double f = events / s;
        double[] q = new double[p.length];
        for (int i = 0; i < p.length; i++) q[i] = Math.min(1, p[i] * f);
        return q;
    }

    private static boolean hasBias(Op op) { return op.attributes().getBlob("bias") != null; }

    private static double sum(double[] p) {
        double s = 0;
        for (double v : p) s += v;
        return s;
    }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    /** 1 − Π (1 − p_i) over [from, to): the chance that at least one of independent events happens. */
    private static double anyOf(double[] p, int from, int to) {
        double none = 1;
        for (int i = from; i < to; i++) none *= 1 - p[i];
        return 1 - none;
    }

    /** The window arithmetic of one conv/pool step on [C, H, W]: o covers i ⇔ o·s − pad ≤ i ≤ o·s − pad + k − 1. */
    private static final class Window {
        final int c, h, w, oc, oh, ow;
        final int[] kSP;
        final int[] coverY, coverX;

        Window(Step st) {
            c = st.inShape().dim(0);
            h = st.inShape().dim(1);
            w = st.inShape().dim(2);
            oc = st.outShape().dim(0);
            oh = st.outShape().dim(1);
            ow = st.outShape().dim(2);
            kSP = NetworkLayers.window(st.op());
            coverY = new int[h];
            coverX = new int[w];
            for (int y = 0; y < h; y++) coverY[y] = covering(y, 0, oh);
            for (int x = 0; x < w; x++) coverX[x] = covering(x, 1, ow);
        }

        private int covering(int i, int axis, int outExtent) {
            int k = kSP[axis], s = kSP[2 + axis], pad = kSP[4 + axis];
            int lo = Math.max(0, Math.floorDiv(i + pad - k + 1 + s - 1, s));
            int hi = Math.min(outExtent - 1, Math.floorDiv(i + pad, s));
            return Math.max(0, hi - lo + 1);
        }

        /** Output positions (of one output channel) whose window covers flat input element i. */
        long covering(int i) {
            int plane = i % (h * w);
            return (long) coverY[plane / w] * coverX[plane % w];
        }

        /**
         * Event probability of each output element: any input of its window (all input channels
         * for a convolution, its own channel for a pooling) is an event.
         */
        double[] outputEvents(double[] p, boolean conv, boolean bias) {
            double[] out = new double[oc * oh * ow];
            if (bias) {
                java.util.Arrays.fill(out, 1);
                return out;
            }
            int ky = kSP[0], kx = kSP[1], sy = kSP[2], sx = kSP[3], py = kSP[4], px = kSP[5];
            double[] none = new double[(conv ? 1 : c) * oh * ow];
            java.util.Arrays.fill(none, 1);
            for (int ch = 0; ch < c; ch++) {
                int base = conv ? 0 : ch * oh * ow;
                for (int y = 0; y < oh; y++) {
                    for (int x = 0; x < ow; x++) {
                        double q = 1;
                        for (int dy = 0; dy < ky; dy++) {
                            int iy = y * sy - py + dy;
                            if (iy < 0 || iy >= h) continue;
                            for (int dx = 0; dx < kx; dx++) {
                                int ix = x * sx - px + dx;
                                if (ix < 0 || ix >= w) continue;
                                q *= 1 - p[(ch * h + iy) * w + ix];
                            }
                        }
                        none[base + y * ow + x] *= q;
                    }
                }
            }
            for (int o = 0; o < out.length; o++) out[o] = 1 - none[conv ? o % (oh * ow) : o];
            return out;
        }
    }
}

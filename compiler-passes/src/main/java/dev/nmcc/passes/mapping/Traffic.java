package dev.nmcc.passes.mapping;

import dev.nmcc.ir.graph.Op;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.ir.type.Shape;
import dev.nmcc.passes.mapping.NetworkLayers.Input;
import dev.nmcc.passes.mapping.NetworkLayers.Layer;
import dev.nmcc.passes.mapping.NetworkLayers.Step;
import java.util.ArrayList;
import java.util.List;

/**
 * Which core slices send spikes to which, and how many per timestep. A spike of a source neuron
 * reaches a destination slice when some neuron of that slice has a synapse from it: every slice
 * of a layer behind a dense projection (or a reshape); behind convolutions and poolings only the
 * slices holding an output position whose window covers the neuron's position (windows mapped
 * through each op of the path, all output channels). The expected events from slice a to slice b
 * per timestep are {@code Σ_{i ∈ a, i reaches b} rate_i}; each destination gets its own copy of a
 * spike (unicast, as hw.route's summed hops say).
 */
public final class Traffic {
    private Traffic() {}

    /** One slice of a layer: neurons [start, end). */
    public record Slice(int id, int layer, int start, int end) {
        public int neurons() { return end - start; }
    }

    /**
     * Spikes from slice {@code src} to slice {@code dst} (indices into the slice list) along input
     * {@code input} of the destination layer: {@code events} expected per timestep.
     */
    public record Edge(int src, int dst, int input, double events) {}

    /** Every connected (source slice, destination slice) pair, in destination-layer order. */
    public static List<Edge> edges(NetworkLayers net, List<Slice> slices, ActivityProfile activity) {
        List<List<Integer>> byLayer = new ArrayList<>();
        for (int i = 0; i < net.layers().size(); i++) byLayer.add(new ArrayList<>());
        for (int i = 0; i < slices.size(); i++) byLayer.get(slices.get(i).layer()).add(i);
        List<Edge> out = new ArrayList<>();
        for (Layer dst : net.layers()) {
            for (int inIdx = 0; inIdx < dst.inputs().size(); inIdx++) {
                Input in = dst.inputs().get(inIdx);
                if (in.fromNetworkInput()) continue;
                Layer src = net.layer(in.source());
                Spatial sp = Spatial.of(src, in, dst);
                for (int a : byLayer.get(src.index())) {
                    Slice sa = slices.get(a);
                    for (int b : byLayer.get(dst.index())) {
                        Slice sb = slices.get(b);
                        double ev = 0;
                        boolean connected = false;
                        if (sp == null) {
                            connected = true;
                            for (int i = sa.start(); i < sa.end(); i++) ev += activity.rate(src.index(), i);
                        } else {
                            for (int i = sa.start(); i < sa.end(); i++) {
                                if (sp.reaches(i, sb.start(), sb.end())) {
                                    connected = true;
                                    ev += activity.rate(src.index(), i);
                                }
                            }
                        }
                        if (connected) out.add(new Edge(a, b, inIdx, ev));
                    }
                }
            }
        }
        return out;
    }

    /**
     * The spatial reach of a path made of window ops only (conv, pooling), from a [C, H, W] source
     * to a [C', H', W'] destination; null (reach everything) for any other path.
     */
    record Spatial(int srcPlane, int srcW, int dstPlane, int dstW, int[] y0, int[] y1, int[] x0, int[] x1) {
        static Spatial of(Layer src, Input in, Layer dst) {
            Shape s = src.shape(), d = dst.shape();
            if (s.rank() != 3 || d.rank() != 3) return null;
            for (Step st : in.steps()) {
                OpKind k = st.op().kind();
                if (k != OpKind.SNN_CONV2D && k != OpKind.SNN_AVGPOOL && k != OpKind.SNN_MAXPOOL) return null;
            }
            int h = s.dim(1), w = s.dim(2);
            int[] y0 = new int[h], y1 = new int[h], x0 = new int[w], x1 = new int[w];
            for (int y = 0; y < h; y++) {
                int[] r = {y, y};
                for (Step st : in.steps()) r = map(r, st, 0);
                y0[y] = r[0];
                y1[y] = r[1];
            }
            for (int x = 0; x < w; x++) {
                int[] r = {x, x};
                for (Step st : in.steps()) r = map(r, st, 1);
                x0[x] = r[0];
                x1[x] = r[1];
            }
            return new Spatial(h * w, w, d.dim(1) * d.dim(2), d.dim(2), y0, y1, x0, x1);
        }

        /** Output positions (along one axis) whose window covers input positions [r0, r1]. */
        private static int[] map(int[] r, Step st, int axis) {
            if (r[0] > r[1]) return r;
            int[] win = NetworkLayers.window(st.op());
            int k = win[axis], stride = win[2 + axis], pad = win[4 + axis];
            int outExtent = st.outShape().dim(1 + axis);
            // o covers i  ⇔  o·stride − pad ≤ i ≤ o·stride − pad + k − 1
            int lo = Math.max(0, Math.floorDiv(r[0] + pad - k + 1 + stride - 1, stride));
            int hi = Math.min(outExtent - 1, Math.floorDiv(r[1] + pad, stride));
            return new int[] {lo, hi};
        }

        /** Whether source neuron i reaches any destination neuron in [start, end). */
        boolean reaches(int i, int start, int end) {
            int p = i % srcPlane;
            int y = p / srcW, x = p % srcW;
            int ry0 = y0[y], ry1 = y1[y], rx0 = x0[x], rx1 = x1[x];
            if (ry0 > ry1 || rx0 > rx1) return false;
            int cs = start / dstPlane, ce = (end - 1) / dstPlane;
            if (ce - cs >= 2) return true;
            int ps = start % dstPlane, pe = (end - 1) % dstPlane + 1;
            if (cs == ce) return rangeHits(ps, pe, ry0, ry1, rx0, rx1);
            return rangeHits(ps, dstPlane, ry0, ry1, rx0, rx1) || rangeHits(0, pe, ry0, ry1, rx0, rx1);
        }

        /** Whether flat positions [p, q) of a plane of width dstW meet the rectangle. */
        private boolean rangeHits(int p, int q, int ry0, int ry1, int rx0, int rx1) {
            if (p >= q) return false;
            int r0 = p / dstW, r1 = (q - 1) / dstW;
            int a = Math.max(r0, ry0), b = Math.min(r1, ry1);
            for (int row = a; row <= b; row++) {
                int c0 = row == r0 ? p % dstW : 0;
                int c1 = row == r1 ? (q - 1) % dstW : dstW - 1;
                if (Math.max(c0, rx0) <= Math.min(c1, rx1)) return true;
            }
            return false;
        }
    }

    /** The op of an input path that its routes follow (the first projection from the source side). */
    static Op firstProjection(Input in) {
        for (Step s : in.steps()) {
            OpKind k = s.op().kind();
            if (k == OpKind.SNN_DENSE || k == OpKind.SNN_CONV2D || k == OpKind.SNN_AVGPOOL) return s.op();
        }
        return in.steps().isEmpty() ? null : in.steps().getLast().op();
    }
}

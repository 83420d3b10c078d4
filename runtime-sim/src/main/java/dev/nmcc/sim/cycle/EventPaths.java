package dev.nmcc.sim.cycle;

import dev.nmcc.nmc.model.CoreSlice;
import dev.nmcc.nmc.model.Layer;
import dev.nmcc.nmc.model.LayerOp;
import dev.nmcc.nmc.model.NmcModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where the events of each event-producing layer go: the graph walked once from every producer
 * (rate and direct encoders, populations, max poolings) through views and average poolings to the
 * dense, conv2d or pooling projection that feeds a population or potential decoder, whose core
 * slices receive the event. Nothing here is per event; the per-event fan-out is computed from the
 * window geometry as events come ({@link FanoutWalker}), so memory stays linear in the layers.
 *
 * <p>Supported paths: {@code producer → (reshape)* → [avgpool → (reshape)*]* → (dense | conv2d |
 * avgpool) → (reshape | merge)* → (population | potential decoder)}, and {@code producer →
 * (reshape)* → (maxpool | count decoder)} (no cost: a max pooling is a producer of its own, done
 * on its source's cores). Anything else (a projection reading another projection's current) is an
 * error naming the layer: its events would depend on current values the timer does not see.
 */
final class EventPaths {
    /** Source id of events from the host interface (slices are 0 … n−1). */
    final int host;
    /** Per layer: its producer, or null. */
    final Producer[] producers;
    /** Per POOL_MID stage (by stamp index): its output elements. */
    final int[] poolOutputs;

    /**
     * An event-producing layer.
     *
     * @param sourceOf per event index, the slice that emits it; null: every event comes from the host
     * @param roots    the projections reading its events
     */
    record Producer(int layer, int[] sourceOf, Stage[] roots) {
        int source(int index, int host) { return sourceOf == null ? host : sourceOf[index]; }
    }

    private final NmcModel model;
    private final List<List<Integer>> consumers = new ArrayList<>();
    private final Stage.Dest[] destOf;
    private final boolean[] attributed;
    private final List<Integer> pools = new ArrayList<>();

    EventPaths(NmcModel model) {
        this.model = model;
        List<Layer> layers = model.layers();
        host = model.slices().size();
        for (int i = 0; i < layers.size(); i++) consumers.add(new ArrayList<>());
        for (Layer l : layers) {
            for (int in : l.inputs()) {
                if (in < 0 || in >= l.index()) throw new IllegalArgumentException("layer '" + l.name() + "' reads layer " + in + ", not before it");
                consumers.get(in).add(l.index());
            }
        }
        destOf = dests(model);
        attributed = new boolean[layers.size()];
        producers = new Producer[layers.size()];
        for (Layer l : layers) {
            int[] sourceOf;
            switch (l.op()) {
                case LayerOp.Encode e -> sourceOf = null;
                case LayerOp.Neurons nrn -> sourceOf = sliceOf(l);
                case LayerOp.MaxPool mp -> sourceOf = maxPoolSources(l, mp);
                default -> { continue; }
            }
            List<Stage> roots = new ArrayList<>();
            collect(l.index(), l, roots);
            producers[l.index()] = new Producer(l.index(), sourceOf, roots.toArray(new Stage[0]));
        }
        for (Layer l : layers) {
            boolean projection = l.op() instanceof LayerOp.Dense || l.op() instanceof LayerOp.Conv2d || l.op() instanceof LayerOp.AvgPool;
            if (projection && !attributed[l.index()]) {
                throw new IllegalArgumentException("layer '" + l.name() + "': cycle mode cannot model a projection that no spike or input event reaches");
            }
        }
        poolOutputs = pools.stream().mapToInt(Integer::intValue).toArray();
    }

    private Layer layer(int i) { return model.layers().get(i); }

    /** The slices of every population and potential decoder; they must cover its neurons exactly. */
    private static Stage.Dest[] dests(NmcModel model) {
        int nl = model.layers().size();
        List<List<CoreSlice>> by = new ArrayList<>();
        for (int i = 0; i < nl; i++) by.add(new ArrayList<>());
        for (CoreSlice s : model.slices()) {
            if (s.layer() < 0 || s.layer() >= nl) throw new IllegalArgumentException("core slice " + s.id() + " names layer " + s.layer());
            by.get(s.layer()).add(s);
        }
        Stage.Dest[] out = new Stage.Dest[nl];
        for (Layer l : model.layers()) {
            List<CoreSlice> ss = new ArrayList<>(by.get(l.index()));
            boolean hasCores = l.op() instanceof LayerOp.Neurons || l.op() instanceof LayerOp.DecodePotential;
            if (!hasCores) {
                if (!ss.isEmpty()) throw new IllegalArgumentException("layer '" + l.name() + "' has core slices but is not a population or potential decoder");
                continue;
            }
            ss.sort((a, b) -> Integer.compare(a.neuronStart(), b.neuronStart()));
            int at = 0;
            int[] id = new int[ss.size()], st = new int[ss.size()], en = new int[ss.size()];
            for (int k = 0; k < ss.size(); k++) {
                CoreSlice s = ss.get(k);
                if (s.neuronStart() != at || s.neuronEnd() <= s.neuronStart()) {
                    throw new IllegalArgumentException("layer '" + l.name() + "': its core slices do not cover neurons [0, " + l.size()
                            + ") one after another (slice " + s.id() + " holds [" + s.neuronStart() + ", " + s.neuronEnd() + "), expected it to start at " + at + ")");
                }
                id[k] = s.id(); st[k] = s.neuronStart(); en[k] = s.neuronEnd();
                at = s.neuronEnd();
            }
            if (at != l.size()) {
                throw new IllegalArgumentException("layer '" + l.name() + "': its core slices cover " + at + " of its " + l.size() + " neurons");
            }
            out[l.index()] = new Stage.Dest(l.index(), id, st, en);
        }
        return out;
    }

    private int[] sliceOf(Layer l) {
        Stage.Dest d = destOf[l.index()];
        int[] of = new int[l.size()];
        for (int k = 0; k < d.slice().length; k++) Arrays.fill(of, d.start()[k], d.end()[k], d.slice()[k]);
        return of;
    }

    /** A pooled spike is emitted by the core holding the first input of its window (pooling runs on the source's cores). */
    private int[] maxPoolSources(Layer l, LayerOp.MaxPool mp) {
        int src = l.inputs()[0];
        while (layer(src).op() instanceof LayerOp.Reshape) src = layer(src).inputs()[0];
        Producer p = producers[src];
        if (p == null) throw new IllegalArgumentException("layer '" + l.name() + "': cycle mode models max pooling of spikes only, not of layer '" + layer(src).name() + "'");
        int[] in = layer(l.inputs()[0]).shape();
        WindowGeometry g = new WindowGeometry(in, l.shape(), mp.window(), l.name());
        int[] of = new int[l.size()];
        int outPlane = g.outPlane();
        for (int o = 0; o < of.length; o++) {
            int c = o / outPlane, rem = o % outPlane, oy = rem / g.ow, ox = rem % g.ow;
            int iy = Math.min(g.h - 1, Math.max(0, oy * mp.window().sh() - mp.window().padTop()));
            int ix = Math.min(g.w - 1, Math.max(0, ox * mp.window().sw() - mp.window().padLeft()));
            of[o] = p.source(c * g.plane() + iy * g.w + ix, host);
        }
        return of;
    }

    /** The projections reading layer {@code at}'s events (through reshapes), for producer {@code p}. */
    private void collect(int at, Layer p, List<Stage> out) {
        for (int c : consumers.get(at)) {
            Layer l = layer(c);
            switch (l.op()) {
                case LayerOp.Reshape r -> collect(c, p, out);
                case LayerOp.MaxPool m -> { }
                case LayerOp.DecodeCount d -> { }
                case LayerOp.AvgPool a -> out.add(pool(l, a));
                case LayerOp.Dense d -> out.add(terminal(l, Stage.Kind.DENSE, null, d.units()));
                case LayerOp.Conv2d cv -> out.add(terminal(l, Stage.Kind.CONV,
                        new WindowGeometry(layer(l.inputs()[0]).shape(), l.shape(), cv.window(), l.name()), cv.outChannels()));
                default -> throw new IllegalArgumentException("layer '" + l.name() + "' reads the events of layer '" + p.name()
                        + "' directly; cycle mode models events read by projections (dense, conv2d, avgpool), max pooling and count decoding");
            }
        }
    }

    private Stage pool(Layer l, LayerOp.AvgPool a) {
        WindowGeometry g = new WindowGeometry(layer(l.inputs()[0]).shape(), l.shape(), a.window(), l.name());
        List<Integer> projections = new ArrayList<>(), sinks = new ArrayList<>();
        downstream(l.index(), projections, sinks);
        if (!projections.isEmpty() && !sinks.isEmpty()) {
            throw new IllegalArgumentException("layer '" + l.name() + "': cycle mode cannot model an average pooling that feeds both neurons and another projection");
        }
        if (projections.isEmpty()) return terminal(l, Stage.Kind.POOL_END, g, 1);
        attributed[l.index()] = true;
        Stage s = new Stage(Stage.Kind.POOL_MID, l.index(), g, l.shape()[0], a.weight() == 0, pools.size());
        pools.add(l.size());
        List<Stage> next = new ArrayList<>();
        for (int c : projections) {
            Layer q = layer(c);
            switch (q.op()) {
                case LayerOp.AvgPool a2 -> next.add(pool(q, a2));
                case LayerOp.Dense d -> next.add(terminal(q, Stage.Kind.DENSE, null, d.units()));
                case LayerOp.Conv2d cv -> next.add(terminal(q, Stage.Kind.CONV,
                        new WindowGeometry(layer(q.inputs()[0]).shape(), q.shape(), cv.window(), q.name()), cv.outChannels()));
                default -> throw new IllegalStateException("not a projection: " + q.op());
            }
        }
        s.next = next.toArray(new Stage[0]);
        for (Stage n : s.next) {
            int f = firstSlice(n);
            if (f >= 0) { s.fallbackSlice = f; break; }
        }
        return s;
    }

    private static int firstSlice(Stage s) {
        if (s.kind == Stage.Kind.POOL_MID) return s.fallbackSlice;
        return s.dests.length == 0 ? -1 : s.dests[0].slice()[0];
    }

    /** The layers reading an average pooling's current (through reshapes): other projections, or merges/neurons. */
    private void downstream(int at, List<Integer> projections, List<Integer> sinks) {
        for (int c : consumers.get(at)) {
            LayerOp op = layer(c).op();
            if (op instanceof LayerOp.Reshape) downstream(c, projections, sinks);
            else if (op instanceof LayerOp.AvgPool || op instanceof LayerOp.Dense || op instanceof LayerOp.Conv2d) projections.add(c);
            else sinks.add(c);
        }
    }

    private Stage terminal(Layer l, Stage.Kind kind, WindowGeometry g, int outChannels) {
        attributed[l.index()] = true;
        Stage s = new Stage(kind, l.index(), g, outChannels, false, -1);
        List<Stage.Dest> ds = new ArrayList<>();
        sinks(l, l.index(), ds);
        if (ds.isEmpty()) throw new IllegalArgumentException("layer '" + l.name() + "': its current feeds no population or potential decoder");
        s.dests = ds.toArray(new Stage.Dest[0]);
        return s;
    }

    /** The populations and potential decoders a projection's current reaches through reshapes and merges. */
    private void sinks(Layer proj, int at, List<Stage.Dest> out) {
        for (int c : consumers.get(at)) {
            Layer l = layer(c);
            switch (l.op()) {
                case LayerOp.Reshape r -> sinks(proj, c, out);
                case LayerOp.Merge m -> sinks(proj, c, out);
                case LayerOp.Neurons n -> out.add(dest(proj, l));
                case LayerOp.DecodePotential d -> out.add(dest(proj, l));
                default -> throw new IllegalArgumentException("layer '" + l.name() + "' reads the current of projection '" + proj.name()
                        + "'; cycle mode models projections that feed populations or potential decoders (their events would depend on current values)");
            }
        }
    }

    private Stage.Dest dest(Layer proj, Layer l) {
        if (l.size() != proj.size()) {
            throw new IllegalArgumentException("layer '" + l.name() + "' has " + l.size() + " neurons but projection '" + proj.name() + "' gives " + proj.size());
        }
        return destOf[l.index()];
    }
}

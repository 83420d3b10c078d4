package dev.nmcc.passes.quantize;

import dev.nmcc.ir.diag.CompilationException;
import dev.nmcc.ir.diag.Diagnostic;
import dev.nmcc.ir.graph.Graph;
import dev.nmcc.ir.graph.Op;
import dev.nmcc.ir.graph.Value;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.ir.type.Type;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ops of a {@code quantize-weights} input that share one unit of current: the projections
 * into a population (or potential decoder) through merges and reshapes, the pass-throughs between
 * them and the sinks. {@link #collect} finds the groups; {@link ScaleChooser} fills in
 * {@link #scales}, one per channel or one for the whole group.
 */
final class ScaleGroup {
    final List<Integer> projections = new ArrayList<>();
    final List<Integer> sinks = new ArrayList<>();
    boolean reshaped;
    boolean avgpool;
    boolean decode;
    /** A sink reads the direct input current itself (no projection): units of x_q. */
    boolean directSink;
    double[] scales;
    boolean channelwise;
    /**
     * Another group's projection reads this group's current (two linear layers without neurons
     * between them): its integer current is that projection's input, in units of one scale, so the
     * group has a single scale ({@link ScaleChooser}).
     */
    boolean feedsProjection;
    /** The groups whose current this group's projections read: their scales are chosen first. */
    final Set<ScaleGroup> reads = new LinkedHashSet<>();

    /** The scale of channel {@code channel}. */
    double scale(int channel) {
        return channelwise ? scales[channel] : scales[0];
    }

    private static final class UnionFind {
        final int[] parent;
        UnionFind(int n) { parent = new int[n]; for (int i = 0; i < n; i++) parent[i] = i; }
        int find(int x) { while (parent[x] != x) x = parent[x] = parent[parent[x]]; return x; }
        void union(int a, int b) { parent[find(a)] = find(b); }
    }

    private static boolean isProjection(OpKind k) {
        return k == OpKind.SNN_DENSE || k == OpKind.SNN_CONV2D || k == OpKind.SNN_AVGPOOL;
    }

    /**
     * The groups of a graph, in an order where a group comes after the groups it reads, and the
     * group of each op (null for ops in none).
     */
    record Grouping(List<ScaleGroup> groups, ScaleGroup[] ofOp) {}

    /** The groups of {@code g} (op indices into {@code g.ops()}). */
    static Grouping collect(Graph g) {
        List<Op> ops = g.ops();
        int n = ops.size();
        // values: does it carry a projection's current (1), the direct input current (2), or neither (0)?
        int[] carries = new int[g.valueCount()];
        UnionFind uf = new UnionFind(n);
        for (int i = 0; i < n; i++) {
            Op op = ops.get(i);
            OpKind k = op.kind();
            switch (k) {
                case SNN_DENSE, SNN_CONV2D -> carries[op.result().id()] = 1;
                case SNN_AVGPOOL -> carries[op.result().id()] = InputUnits.pooledInput(g, op) ? 0 : 1;
                case SNN_ENCODE -> {
                    if (op.attributes().getString("mode", "").equals("direct")) carries[op.result().id()] = 2;
                }
                case SNN_MERGE -> {
                    for (Value v : op.operands()) {
                        if (carries[v.id()] == 2) throw unsupported(op, "a merge of the direct input current");
                        if (carries[v.id()] == 1) uf.union(i, g.definingOpIndex(v));
                    }
                    carries[op.result().id()] = 1;
                }
                case SNN_FLATTEN, SNN_RESHAPE -> {
                    int c = carries[op.operand(0).id()];
                    carries[op.result().id()] = c;
                    if (c == 1) uf.union(i, g.definingOpIndex(op.operand(0)));
                }
                case SNN_IF, SNN_LIF, SNN_DECODE -> {
                    int c = carries[op.operand(0).id()];
                    if (c == 1) uf.union(i, g.definingOpIndex(op.operand(0)));
                }
                default -> { }
            }
        }
        Map<Integer, ScaleGroup> groups = new LinkedHashMap<>();
        ScaleGroup[] ofOp = new ScaleGroup[n];
        for (int i = 0; i < n; i++) {
            Op op = ops.get(i);
            OpKind k = op.kind();
            boolean sink = k == OpKind.SNN_IF || k == OpKind.SNN_LIF
                    || (k == OpKind.SNN_DECODE && op.attributes().getString("mode", "").equals("potential"));
            boolean member = (isProjection(k) && !(k == OpKind.SNN_AVGPOOL && InputUnits.pooledInput(g, op))) || sink
                    || (carries.length > 0 && !op.results().isEmpty() && carries[op.result().id()] == 1);
            if (!member) continue;
            ScaleGroup grp = groups.computeIfAbsent(uf.find(i), r -> new ScaleGroup());
            ofOp[i] = grp;
            if (isProjection(k) && member) grp.projections.add(i);
            if (k == OpKind.SNN_AVGPOOL) grp.avgpool = true;
            if (k == OpKind.SNN_FLATTEN || k == OpKind.SNN_RESHAPE) grp.reshaped = true;
            if (sink) {
                grp.sinks.add(i);
                if (k == OpKind.SNN_DECODE || readByDecoder(g, op.result())) grp.decode = true;
                if (carries[op.operand(0).id()] == 2) grp.directSink = true;
            }
        }
        // projections that read another group's current (through reshapes and pooled inputs)
        for (int i = 0; i < n; i++) {
            Op op = ops.get(i);
            if (!isProjection(op.kind()) || ofOp[i] == null) continue;
            int src = currentSource(g, op.operand(0), carries);
            if (src < 0) continue;
            ScaleGroup from = ofOp[src];
            if (from == ofOp[i]) throw unsupported(op, "a projection that reads the current of its own population's projections");
            from.feedsProjection = true;
            ofOp[i].reads.add(from);
        }
        List<ScaleGroup> ordered = new ArrayList<>();
        Set<ScaleGroup> placed = new HashSet<>();
        for (ScaleGroup grp : groups.values()) place(grp, ordered, placed);
        return new Grouping(ordered, ofOp);
    }

    /** The op whose current {@code v} is (through reshapes and pooled inputs), or -1 (spikes, the direct input). */
    private static int currentSource(Graph g, Value v, int[] carries) {
        int at = g.definingOpIndex(v);
        Op def = g.ops().get(at);
        while (def.kind() == OpKind.SNN_FLATTEN || def.kind() == OpKind.SNN_RESHAPE
                || def.kind() == OpKind.SNN_AVGPOOL && InputUnits.pooledInput(g, def)) {
            at = g.definingOpIndex(def.operand(0));
            def = g.ops().get(at);
        }
        return carries[def.result().id()] == 1 ? at : -1;
    }

    /** Depth-first: the groups a group reads, then the group (the graph is acyclic, so this terminates). */
    private static void place(ScaleGroup grp, List<ScaleGroup> ordered, Set<ScaleGroup> placed) {
        if (!placed.add(grp)) return;
        for (ScaleGroup r : grp.reads) place(r, ordered, placed);
        ordered.add(grp);
    }

    /** Whether a decoder reads {@code v} (through flatten/reshape): count ties are broken by potentials across classes. */
    private static boolean readByDecoder(Graph g, Value v) {
        for (Op u : g.users(v)) {
            if (u.kind() == OpKind.SNN_DECODE) return true;
            if ((u.kind() == OpKind.SNN_FLATTEN || u.kind() == OpKind.SNN_RESHAPE) && readByDecoder(g, u.result())) return true;
        }
        return false;
    }

    static CompilationException unsupported(Op op, String what) {
        return new CompilationException(List.of(Diagnostic.error(op.location(),
                QuantizeWeights.NAME + ": " + what + " is not supported (its units cannot be chosen)")));
    }

    static int channels(Type t) { return t.shape().rank() == 0 ? 1 : t.shape().dim(0); }
}

package dev.nmcc.ir.graph;

import dev.nmcc.ir.type.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A dataflow graph: ops in program order (a topological order of the data dependencies) and
 * the table of the values they define. Immutable; build one with {@link GraphBuilder}.
 */
public final class Graph {
    /** What the graph knows of each value. {@code name} is an optional hint for printing. */
    public record ValueInfo(Type type, String name, int definingOp, int resultIndex) {}

    private final List<Op> ops;
    private final List<ValueInfo> values;

    Graph(List<Op> ops, List<ValueInfo> values) {
        this.ops = Collections.unmodifiableList(new ArrayList<>(ops));
        this.values = Collections.unmodifiableList(new ArrayList<>(values));
    }

    public List<Op> ops() { return ops; }

    public int valueCount() { return values.size(); }

    public Type type(Value v) { return values.get(v.id()).type(); }

    public Optional<String> name(Value v) { return Optional.ofNullable(values.get(v.id()).name()); }

    public ValueInfo info(Value v) { return values.get(v.id()); }

    /** The op that defines v. */
    public Op definingOp(Value v) { return ops.get(values.get(v.id()).definingOp()); }

    /** Index of v's defining op in {@link #ops()}. */
    public int definingOpIndex(Value v) { return values.get(v.id()).definingOp(); }

    /** The ops that read v, in program order. Linear in the size of the graph. */
    public List<Op> users(Value v) {
        List<Op> out = new ArrayList<>();
        for (Op op : ops) if (op.operands().contains(v)) out.add(op);
        return out;
    }

    /** For every value, the number of ops reading it (one pass over the graph). */
    public int[] useCounts() {
        int[] counts = new int[values.size()];
        for (Op op : ops) for (Value v : op.operands()) counts[v.id()]++;
        return counts;
    }

    /** The ops of the given kind, in program order. */
    public List<Op> opsOf(dev.nmcc.ir.op.OpKind kind) {
        return ops.stream().filter(op -> op.kind() == kind).toList();
    }
}

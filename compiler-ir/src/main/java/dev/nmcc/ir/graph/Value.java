package dev.nmcc.ir.graph;

/**
 * An SSA value: an index into its graph's value table, which knows the value's type, name and
 * defining op. Values are meaningful only together with the graph that made them.
 */
public record Value(int id) implements Comparable<Value> {
    public Value {
        if (id < 0) throw new IllegalArgumentException("negative value id");
    }

    @Override public int compareTo(Value o) { return Integer.compare(id, o.id); }

    @Override public String toString() { return "%v" + id; }
}

package dev.nmcc.ir.graph;

import dev.nmcc.ir.attr.Attributes;
import dev.nmcc.ir.loc.Location;
import dev.nmcc.ir.op.OpKind;
import java.util.List;
import java.util.Objects;

/**
 * One operation: the generic shape every op of every stage shares. Immutable.
 *
 * <p>Equality is structural over kind, operands and attributes, so that two ops computing the
 * same thing from the same values compare equal (common-subexpression elimination); results
 * and location are not part of it.
 */
public record Op(OpKind kind, List<Value> operands, List<Value> results, Attributes attributes, Location location) {
    public Op {
        Objects.requireNonNull(kind, "kind");
        operands = List.copyOf(operands);
        results = List.copyOf(results);
        Objects.requireNonNull(attributes, "attributes");
        Objects.requireNonNull(location, "location");
    }

    public Value operand(int i) { return operands.get(i); }

    /** The single result; fails for ops without one. */
    public Value result() {
        if (results.size() != 1) throw new IllegalStateException(kind.mnemonic() + " has " + results.size() + " results");
        return results.getFirst();
    }

    @Override public boolean equals(Object o) {
        return o instanceof Op op && kind == op.kind && operands.equals(op.operands) && attributes.equals(op.attributes);
    }

    @Override public int hashCode() { return Objects.hash(kind, operands, attributes); }

    @Override public String toString() { return kind.mnemonic() + operands + " " + attributes.text(); }
}

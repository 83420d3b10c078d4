package dev.nmcc.ir.graph;

import java.util.List;

/**
 * Test access to the package-private {@link Graph} constructor: graphs whose value table and ops
 * disagree, which {@link GraphBuilder} cannot make. Only the verifier's tests need these.
 */
public final class RawGraphs {
    private RawGraphs() {}

    /** A graph exactly as given, however inconsistent. */
    public static Graph of(List<Op> ops, List<Graph.ValueInfo> values) {
        return new Graph(ops, values);
    }
}

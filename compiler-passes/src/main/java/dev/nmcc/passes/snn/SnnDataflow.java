package dev.nmcc.passes.snn;

import dev.nmcc.ir.graph.Graph;
import dev.nmcc.ir.graph.Op;
import dev.nmcc.ir.graph.Value;
import java.util.List;

/** Questions several passes ask about the dataflow of an {@code snn} graph. */
public final class SnnDataflow {
    private SnnDataflow() {}

    /**
     * Whether {@code v} is read only by dense/conv projections, looking through flatten and
     * reshape (which are free). An avgpool whose output satisfies this can become a plain sum
     * pool with its weight folded into those projections.
     */
    public static boolean feedsOnlyProjections(Graph g, Value v) {
        List<Op> users = g.users(v);
        if (users.isEmpty()) return false;
        for (Op u : users) {
            switch (u.kind()) {
                case SNN_DENSE, SNN_CONV2D -> { }
                case SNN_FLATTEN, SNN_RESHAPE -> { if (!feedsOnlyProjections(g, u.result())) return false; }
                default -> { return false; }
            }
        }
        return true;
    }
}

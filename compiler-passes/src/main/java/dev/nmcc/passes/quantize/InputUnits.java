package dev.nmcc.passes.quantize;

import dev.nmcc.ir.graph.Graph;
import dev.nmcc.ir.graph.Op;
import dev.nmcc.ir.graph.Value;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.passes.snn.SnnDataflow;

/**
 * The units of a projection's integer input in {@code quantize-weights}: 8-bit direct input,
 * pooled input (an avgpool folded into the projections that read it), another projection's
 * current, or spikes.
 */
final class InputUnits {
    private final Graph g;
    /** Per op index: the group it belongs to, or null. */
    private final ScaleGroup[] groupOfOp;

    InputUnits(Graph g, ScaleGroup[] groupOfOp) {
        this.g = g;
        this.groupOfOp = groupOfOp;
    }

    /**
     * How many integer input units make one real unit of {@code v}, a projection's input: 255 for
     * the 8-bit direct input ({@code x_q = 255 x}); for a pooled input (an avgpool whose current
     * only feeds projections, which becomes a sum pool: {@code x_int = Σ window}, real
     * {@code x = w · x_int}) the scale of its own input divided by its weight w; for the current of
     * another group's projections (two linear layers without neurons between them) 1 / its scale,
     * a single one ({@link ScaleGroup#feedsProjection}), which must be chosen first; else 1 (spikes).
     * A projection's effective weight on its integer input is {@code W / inputScale}.
     */
    double inputScale(Value v) {
        int at = source(v);
        Op def = g.ops().get(at);
        if (def.kind() == OpKind.SNN_ENCODE && def.attributes().getString("mode", "").equals("direct")) return QuantizeWeights.INPUT_SCALE;
        if (def.kind() == OpKind.SNN_AVGPOOL && pooledInput(g, def)) return inputScale(def.operand(0)) / avgpoolWeight(def);
        if (!isCurrent(def)) return 1;
        ScaleGroup source = groupOfOp[at];
        if (source == null || source.scales == null || source.channelwise) {
            throw new IllegalStateException("the scale of the current read at op " + at + " is not chosen yet (or is per channel)");
        }
        return 1.0 / source.scale(0);
    }

    /** Whether {@code v} is another projection's current (not spikes, the direct or a pooled input). */
    boolean readsCurrent(Value v) {
        Op def = g.ops().get(source(v));
        return isCurrent(def) && !(def.kind() == OpKind.SNN_AVGPOOL && pooledInput(g, def));
    }

    /** The op defining {@code v}, through reshapes. */
    private int source(Value v) {
        int at = g.definingOpIndex(v);
        Op def = g.ops().get(at);
        while (def.kind() == OpKind.SNN_FLATTEN || def.kind() == OpKind.SNN_RESHAPE) {
            at = g.definingOpIndex(def.operand(0));
            def = g.ops().get(at);
        }
        return at;
    }

    private static boolean isCurrent(Op def) {
        return switch (def.kind()) {
            case SNN_DENSE, SNN_CONV2D, SNN_MERGE, SNN_AVGPOOL -> true;
            default -> false;
        };
    }

    /** An avgpool whose current feeds only projections (through flatten/reshape), not a population: a pooled input. */
    static boolean pooledInput(Graph g, Op avgpool) {
        return SnnDataflow.feedsOnlyProjections(g, avgpool.result());
    }

    static double avgpoolWeight(Op op) {
        int[] k = op.attributes().getInts("kernel", new int[] {1, 1});
        return op.attributes().getNumber("weight", 1.0 / (k[0] * k[1]));
    }
}

package dev.nmcc.passes.quantize;

import dev.nmcc.ir.graph.Graph;
import dev.nmcc.ir.graph.Op;
import dev.nmcc.ir.graph.Value;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.passes.snn.SnnDataflow;

/**
 * The units of a projection's integer input in {@code quantize-weights}: 8-bit direct input,
 * pooled input (an avgpool folded into the projections that read it) or spikes.
 */
final class InputUnits {
    private InputUnits() {}

    /**
     * How many integer input units make one real unit of {@code v}, a projection's input: 255 for
     * the 8-bit direct input ({@code x_q = 255 x}); for a pooled input (an avgpool whose current
     * only feeds projections, which becomes a sum pool: {@code x_int = Σ window}, real
     * {@code x = w · x_int}) the scale of its own input divided by its weight w; else 1 (spikes).
     * A projection's effective weight on its integer input is {@code W / inputScale}.
     */
    static double inputScale(Graph g, Value v) {
        Op def = g.definingOp(v);
        while (def.kind() == OpKind.SNN_FLATTEN || def.kind() == OpKind.SNN_RESHAPE) def = g.definingOp(def.operand(0));
        if (def.kind() == OpKind.SNN_ENCODE && def.attributes().getString("mode", "").equals("direct")) return QuantizeWeights.INPUT_SCALE;
        if (def.kind() == OpKind.SNN_AVGPOOL && pooledInput(g, def)) return inputScale(g, def.operand(0)) / avgpoolWeight(def);
        return 1;
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

package dev.nmcc.passes.calibrate;

import dev.nmcc.ir.attr.Attributes;
import dev.nmcc.ir.blob.Blob;
import dev.nmcc.ir.blob.BlobTable;
import dev.nmcc.ir.graph.Graph;
import dev.nmcc.ir.graph.GraphBuilder;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.graph.Op;
import dev.nmcc.ir.graph.Value;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.ir.type.TensorType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A stand-in for the fold-batchnorm pass (branch passmgr) so that the bench and tests can run the
 * BN fixture before it lands: BN into the preceding conv/dense (W̄ = γ/σ·W, b̄ = γ/σ·(b−μ)+β),
 * dropout and identity dropped. Computed in double.
 */
final class TestBnFold {
    private TestBnFold() {}

    static Module fold(Module m) {
        Graph g = m.graph();
        BlobTable.Builder blobs = m.blobs().toBuilder();
        GraphBuilder b = new GraphBuilder(blobs);
        Map<Integer, Value> map = new HashMap<>();
        int[] uses = g.useCounts();
        for (Op op : g.ops()) {
            List<Value> ins = op.operands().stream().map(v -> map.get(v.id())).toList();
            switch (op.kind()) {
                case ANN_DROPOUT, ANN_IDENTITY -> { map.put(op.result().id(), ins.getFirst()); continue; }
                case ANN_BATCHNORM -> {
                    Op prev = g.definingOp(op.operand(0));
                    if ((prev.kind() == OpKind.ANN_CONV2D || prev.kind() == OpKind.ANN_DENSE) && uses[op.operand(0).id()] == 1) {
                        Value folded = foldInto(prev, op, m, blobs, b, map);
                        map.put(op.result().id(), folded);
                        continue;
                    }
                    throw new IllegalArgumentException("cannot fold " + op);
                }
                case ANN_CONV2D, ANN_DENSE -> {
                    List<Op> users = g.users(op.result());
                    if (users.size() == 1 && users.getFirst().kind() == OpKind.ANN_BATCHNORM) continue; // folded later
                }
                default -> {}
            }
            List<Value> res = op.kind().isInput()
                    ? List.of(b.input(op.kind(), g.type(op.result()), op.attributes(), op.location()))
                    : op.results().isEmpty() ? List.of() : List.of(b.add(op.kind(), ins, op.attributes(), op.location()));
            if (op.kind() == OpKind.ANN_OUTPUT) b.add(op.kind(), ins, op.attributes(), op.location());
            for (int i = 0; i < res.size(); i++) {
                map.put(op.results().get(i).id(), res.get(i));
                Value r = res.get(i);
                g.name(op.results().get(i)).ifPresent(n -> b.setName(r, n));
            }
        }
        return new Module(m.name(), m.stage(), blobs.build(), b.build());
    }

    private static Value foldInto(Op lin, Op bn, Module m, BlobTable.Builder blobs, GraphBuilder b, Map<Integer, Value> map) {
        Attributes a = bn.attributes();
        float[] gamma = m.blobs().get(a.getBlob("gamma")).floats(), beta = m.blobs().get(a.getBlob("beta")).floats();
        float[] mean = m.blobs().get(a.getBlob("mean")).floats(), var = m.blobs().get(a.getBlob("var")).floats();
        double eps = a.getNumber("epsilon", 1e-5);
        Blob w = m.blobs().get(lin.attributes().getBlob("weight"));
        int c = gamma.length, per = w.size() / c;
        float[] nw = new float[w.size()], nb = new float[c];
        String biasName = lin.attributes().getBlob("bias");
        float[] bias = biasName == null ? new float[c] : m.blobs().get(biasName).floats();
        for (int o = 0; o < c; o++) {
            double s = gamma[o] / Math.sqrt(var[o] + eps);
            for (int i = 0; i < per; i++) nw[o * per + i] = (float) (w.floats()[o * per + i] * s);
            nb[o] = (float) (s * (bias[o] - mean[o]) + beta[o]);
        }
        String wn = blobs.freshName(w.name() + ".folded"), bnName = blobs.freshName((biasName == null ? w.name() : biasName) + ".folded");
        blobs.add(Blob.ofFloats(wn, w.type(), nw));
        blobs.add(Blob.ofFloats(bnName, TensorType.f32(c), nb));
        Attributes la = lin.attributes().with("weight", new dev.nmcc.ir.attr.Attribute.BlobRef(wn))
                .with("bias", new dev.nmcc.ir.attr.Attribute.BlobRef(bnName));
        return b.add(lin.kind(), List.of(map.get(lin.operand(0).id())), la, lin.location());
    }
}

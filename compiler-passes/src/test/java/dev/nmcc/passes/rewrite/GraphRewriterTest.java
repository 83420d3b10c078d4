package dev.nmcc.passes.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nmcc.ir.attr.Attributes;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.interp.AnnInterpreter;
import dev.nmcc.ir.interp.Batch;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.ir.op.Stage;
import dev.nmcc.ir.text.IrPrinter;
import dev.nmcc.ir.type.TensorType;
import dev.nmcc.ir.verify.Verifier;
import dev.nmcc.passes.TestModules;
import java.util.List;
import org.junit.jupiter.api.Test;

class GraphRewriterTest {
    @Test void copyingEverythingGivesTheSameTextAndNoChange() {
        Module m = TestModules.cnnWithBatchNorm(1);
        GraphRewriter.Result r = GraphRewriter.rewrite(m, (op, rw) -> false);
        assertFalse(r.changed());
        assertEquals(IrPrinter.print(m), IrPrinter.print(r.module()));
    }

    @Test void dropReplacesUses() {
        Module m = TestModules.cnnWithBatchNorm(1);
        GraphRewriter.Result r = GraphRewriter.rewrite(m, (op, rw) -> {
            if (op.kind() != OpKind.ANN_DROPOUT) return false;
            rw.replace(op.result(), rw.map(op.operand(0)));
            return true;
        });
        assertTrue(r.changed());
        assertEquals(m.graph().ops().size() - 1, r.module().graph().ops().size());
        assertTrue(Verifier.verify(r.module()).isEmpty());
    }

    @Test void insertBeforeAndReplaceWithNewBlobs() {
        Module m = TestModules.mlp(2);
        // Insert a relu after the input, and replace fc2 by a copy with doubled weights.
        GraphRewriter.Result r = GraphRewriter.rewrite(m, (op, rw) -> {
            switch (op.kind()) {
                case ANN_INPUT -> {
                    rw.copy(op);
                    var relu = rw.add(OpKind.ANN_RELU, List.of(rw.map(op.result())), Attributes.EMPTY, op.location());
                    rw.name(relu, "x"); // taken by the input: becomes x.1
                    rw.replace(op.result(), relu);
                    return true;
                }
                case ANN_DENSE -> {
                    String w = op.attributes().getBlob("weight");
                    if (!w.equals("fc2.weight")) return false;
                    float[] old = rw.source().blobs().get(w).floats();
                    float[] twice = new float[old.length];
                    for (int i = 0; i < old.length; i++) twice[i] = 2 * old[i];
                    String n = rw.addFloatBlob(w + ".x2", (TensorType) rw.source().blobs().get(w).type(), twice);
                    rw.copy(op, op.attributes().with("weight", new dev.nmcc.ir.attr.Attribute.BlobRef(n)));
                    return true;
                }
                default -> {
                    return false;
                }
            }
        });
        Module out = r.module();
        assertTrue(Verifier.verify(out).isEmpty(), () -> Verifier.verify(out).toString());
        assertTrue(out.blobs().contains("fc2.weight.x2"));
        assertFalse(out.blobs().contains("fc2.weight")); // unreferenced now: removed
        assertTrue(IrPrinter.print(out, IrPrinter.Options.ELIDED).contains("%x.1 = ann.relu(%x)"));
        Batch in = TestModules.randomInputs(4, 5, 6);
        Batch a = new AnnInterpreter(m).run(in);
        Batch b = new AnnInterpreter(out).run(in);
        float[] bias = m.blobs().get("fc2.bias").floats(); // only the weights doubled: b = 2 a - bias
        for (int i = 0; i < a.data().length; i++) assertEquals(2 * a.data()[i] - bias[i % 3], b.data()[i], 1e-5);
    }

    @Test void blobsUnreferencedBeforeAreKept() {
        Module m = TestModules.mlp(2);
        var blobs = m.blobs().toBuilder()
                .add(dev.nmcc.ir.blob.Blob.ofFloats("spare", TensorType.f32(1), new float[] {1})).build();
        Module withSpare = m.withBlobs(blobs);
        assertTrue(GraphRewriter.rewrite(withSpare, (op, rw) -> false).module().blobs().contains("spare"));
    }

    @Test void usingADroppedValueFails() {
        Module m = TestModules.mlp(2);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> GraphRewriter.rewrite(m, (op, rw) -> op.kind() == OpKind.ANN_RELU));
        assertTrue(e.getMessage().contains("ann.relu"), e.getMessage());
    }

    @Test void stageConversionCountsAsAChange() {
        Module m = TestModules.mlp(2);
        var r = new GraphRewriter(m).rewrite((op, rw) -> false, Stage.SNN);
        assertTrue(r.changed());
        assertEquals(Stage.SNN, r.module().stage());
    }
}

package dev.nmcc.passes.fold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nmcc.ir.attr.Attributes;
import dev.nmcc.ir.diag.CompilationException;
import dev.nmcc.ir.diag.DiagnosticSink;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.graph.Value;
import dev.nmcc.ir.interp.AnnInterpreter;
import dev.nmcc.ir.interp.Batch;
import dev.nmcc.ir.loc.Location;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.ir.text.IrParser;
import dev.nmcc.ir.text.IrPrinter;
import dev.nmcc.ir.verify.Verifier;
import dev.nmcc.passes.CompileSettings;
import dev.nmcc.passes.Pass;
import dev.nmcc.passes.PassContext;
import dev.nmcc.passes.PassOptions;
import dev.nmcc.passes.TestModules;
import java.util.List;
import org.junit.jupiter.api.Test;

class FoldBatchNormPassTest {
    private static PassContext context() { return new PassContext(CompileSettings.defaults(), new DiagnosticSink(), null); }

    private static Pass.PassResult fold(Module m, PassContext c) {
        return new FoldBatchNormPass(PassOptions.defaults(FoldBatchNormPass.INFO)).run(m, c);
    }

    @Test void outputsAgreeWithinOneInHundredThousand() {
        for (long seed = 1; seed <= 3; seed++) {
            Module before = TestModules.cnnWithBatchNorm(seed);
            assertTrue(Verifier.verify(before).isEmpty());
            Module after = fold(before, context()).module();
            assertTrue(Verifier.verify(after).isEmpty(), () -> Verifier.verify(after).toString());
            Batch in = TestModules.randomInputs(seed + 100, 64, 1, 8, 8);
            Batch a = new AnnInterpreter(before).run(in);
            Batch b = new AnnInterpreter(after).run(in);
            double maxDiff = 0;
            for (int i = 0; i < a.data().length; i++) maxDiff = Math.max(maxDiff, Math.abs(a.data()[i] - b.data()[i]));
            assertTrue(maxDiff <= 1e-5, "max difference " + maxDiff);
        }
    }

    @Test void foldsRemovesAndRenames() {
        Module before = TestModules.cnnWithBatchNorm(7);
        PassContext c = context();
        Pass.PassResult r = fold(before, c);
        assertTrue(r.changed());
        Module m = r.module();
        var kinds = m.graph().ops().stream().map(op -> op.kind()).toList();
        assertFalse(kinds.contains(OpKind.ANN_BATCHNORM));
        assertFalse(kinds.contains(OpKind.ANN_DROPOUT));
        assertFalse(kinds.contains(OpKind.ANN_IDENTITY));
        assertEquals(before.graph().ops().size() - 5, m.graph().ops().size());
        var conv1 = m.graph().opsOf(OpKind.ANN_CONV2D).get(0).attributes();
        assertEquals("conv1.weight.bn", conv1.getBlob("weight"));
        assertEquals("conv1.bias.bn", conv1.getBlob("bias"));
        var conv2 = m.graph().opsOf(OpKind.ANN_CONV2D).get(1).attributes();
        assertEquals("conv2.bias.bn", conv2.getBlob("bias")); // it had no bias
        // Old weights and the statistics are gone; untouched blobs stay in place.
        assertFalse(m.blobs().contains("conv1.weight"));
        assertFalse(m.blobs().contains("bn1.running_var"));
        assertTrue(m.blobs().contains("fc2.weight"));
        assertEquals(List.of("fold-batchnorm: folded 3 batchnorms, removed 1 dropout, 1 identity"), c.reportLines());
        // The printed form parses back and the name hints survive.
        Module back = IrParser.parse(IrPrinter.print(m), "m.nmir");
        assertEquals(IrPrinter.print(m), IrPrinter.print(back));
        assertTrue(IrPrinter.print(m, IrPrinter.Options.ELIDED).contains("%logits = ann.dense"));
    }

    @Test void knownValuesOnOneChannel() {
        String text = """
                module @one stage ann {
                  blob @w : tensor<1x2xf32> = [2.0, -1.0]
                  blob @b : tensor<1xf32> = [0.5]
                  blob @g : tensor<1xf32> = [3.0]
                  blob @be : tensor<1xf32> = [1.0]
                  blob @mu : tensor<1xf32> = [0.25]
                  blob @v : tensor<1xf32> = [3.0]
                  %x = ann.input {name = "x"} : tensor<2xf32>
                  %0 = ann.dense(%x) {units = 1, weight = @w, bias = @b} : tensor<1xf32>
                  %1 = ann.batchnorm(%0) {gamma = @g, beta = @be, mean = @mu, var = @v, epsilon = 1.0} : tensor<1xf32>
                  ann.output(%1) {name = "y"}
                }
                """;
        Module m = fold(IrParser.parse(text, "one.nmir"), context()).module();
        // sigma = sqrt(3 + 1) = 2; k = 3/2; W = [3, -1.5]; b = 1.5 * (0.5 - 0.25) + 1 = 1.375
        assertEquals(3.0f, m.blobs().get("w.bn").floats()[0]);
        assertEquals(-1.5f, m.blobs().get("w.bn").floats()[1]);
        assertEquals(1.375f, m.blobs().get("b.bn").floats()[0]);
        assertEquals(List.of("w.bn", "b.bn"), m.blobs().all().stream().map(b -> b.name()).toList());
    }

    @Test void theNameOfAFoldedBatchnormMovesToTheLayer() {
        var b = new TestModules.Build(4);
        Value x = b.input("x", 3);
        Value n = b.bn("bn", b.dense("fc", x, 3, 2, true), 2);
        b.g.setName(n, "normed");
        Value d = b.op(OpKind.ANN_DROPOUT, n, Attributes.EMPTY);
        b.g.setName(d, "dropped"); // its operand is named: this name goes away
        b.output("y", d);
        String text = IrPrinter.print(fold(b.module("names"), context()).module(), IrPrinter.Options.ELIDED);
        assertTrue(text.contains("%normed = ann.dense(%x)"), text);
        assertTrue(text.contains("ann.output(%normed)"), text);
    }

    @Test void nothingToDoIsUnchanged() {
        Module m = TestModules.mlp(3);
        PassContext c = context();
        Pass.PassResult r = fold(m, c);
        assertFalse(r.changed());
        assertSame(m, r.module());
        assertEquals(List.of("fold-batchnorm: folded 0 batchnorms, removed 0 dropout, 0 identity"), c.reportLines());
    }

    @Test void batchnormAfterReluIsAnErrorWithTheSuggestion() {
        var b = new TestModules.Build(5);
        Value x = b.input("x", 6);
        Value h = b.op(OpKind.ANN_RELU, b.dense("fc1", x, 6, 4, true)); // line 2, 3
        Value n = b.bn("bn", h, 4); // line 4
        Value n2 = b.bn("bn2", x, 6); // line 5: after the input
        b.output("y", b.dense("fc2", n, 4, 3, true));
        b.output("z", n2);
        CompilationException e = assertThrows(CompilationException.class, () -> fold(b.module("bad"), context()));
        assertEquals(2, e.diagnostics().size());
        var d = e.diagnostics().getFirst();
        assertEquals(Location.file("test.nmd", 4, 3), d.location());
        assertTrue(d.message().startsWith("cannot fold this batchnorm: its input comes from ann.relu"), d.message());
        assertEquals(Location.file("test.nmd", 3, 3), d.notes().getFirst().location());
        assertTrue(d.notes().get(1).message().contains("move the batchnorm before the activation"));
        assertTrue(e.diagnostics().get(1).message().contains("its input comes from ann.input"));
    }

    @Test void unfoldableWarnKeepsTheBatchnormWithAWarning() {
        var b = new TestModules.Build(5);
        Value x = b.input("x", 6);
        Value h = b.op(OpKind.ANN_RELU, b.dense("fc1", x, 6, 4, true));
        Value n = b.bn("bn", b.dense("fc2", h, 4, 4, true), 4);
        b.output("y", b.bn("late", b.op(OpKind.ANN_RELU, n), 4));
        PassContext c = context();
        var options = dev.nmcc.passes.Pipeline.parse("fold-batchnorm{warn}", dev.nmcc.passes.PassRegistry.standard())
                .steps().getFirst().options();
        Pass.PassResult r = new FoldBatchNormPass(options).run(b.module("warned"), c);
        assertTrue(r.changed());
        assertEquals(1, r.module().graph().opsOf(OpKind.ANN_BATCHNORM).size());
        assertTrue(Verifier.verify(r.module()).isEmpty());
        assertEquals(1, c.diagnostics().diagnostics().size());
        assertEquals(dev.nmcc.ir.diag.Severity.WARNING, c.diagnostics().diagnostics().getFirst().severity());
        assertFalse(c.diagnostics().hasErrors());
    }

    @Test void twoIdenticalLayersAreFoldedSeparately() {
        var b = new TestModules.Build(9);
        Value x = b.input("x", 3);
        b.blob("w", -1, 1, 2, 3);
        var attrs = Attributes.builder().putInt("units", 2).putBlob("weight", "w").build();
        Value d1 = b.op(OpKind.ANN_DENSE, x, attrs);
        Value d2 = b.op(OpKind.ANN_DENSE, x, attrs); // equal to d1 as an op
        b.output("y1", b.bn("bn1", d1, 2));
        b.output("y2", b.bn("bn2", d2, 2));
        Module before = b.module("twins");
        Module after = fold(before, context()).module();
        assertTrue(Verifier.verify(after).isEmpty());
        Batch in = TestModules.randomInputs(1, 4, 3);
        var ya = new AnnInterpreter(before).run(java.util.Map.of("x", in));
        var yb = new AnnInterpreter(after).run(java.util.Map.of("x", in));
        for (String out : List.of("y1", "y2")) {
            for (int i = 0; i < ya.get(out).data().length; i++) assertEquals(ya.get(out).data()[i], yb.get(out).data()[i], 1e-5);
        }
    }

    @Test void batchnormWhoseLayerHasAnotherUserIsAnError() {
        var b = new TestModules.Build(6);
        Value x = b.input("x", 6);
        Value d = b.dense("fc1", x, 6, 4, true);
        Value n = b.bn("bn", d, 4);
        b.output("y", n);
        b.output("raw", b.op(OpKind.ANN_RELU, d));
        CompilationException e = assertThrows(CompilationException.class, () -> fold(b.module("shared"), context()));
        assertTrue(e.diagnostics().getFirst().message().contains("also read by ann.relu"), e.diagnostics().toString());
    }

    @Test void dropoutFeedingAnOutputIsRewired() {
        var b = new TestModules.Build(8);
        Value x = b.input("x", 3);
        Value d = b.op(OpKind.ANN_DROPOUT, x, Attributes.EMPTY);
        b.output("y", b.op(OpKind.ANN_IDENTITY, d));
        Module m = fold(b.module("wires"), context()).module();
        assertTrue(Verifier.verify(m).isEmpty());
        assertEquals(2, m.graph().ops().size());
        assertNull(m.graph().opsOf(OpKind.ANN_DROPOUT).stream().findFirst().orElse(null));
    }
}

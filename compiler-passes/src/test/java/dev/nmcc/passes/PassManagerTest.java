package dev.nmcc.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nmcc.ir.diag.CompilationException;
import dev.nmcc.ir.diag.DiagnosticSink;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.ir.op.Stage;
import dev.nmcc.ir.text.IrParser;
import dev.nmcc.ir.text.IrPrinter;
import dev.nmcc.passes.fold.FoldBatchNormPass;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PassManagerTest {
    private final PassRegistry reg = TestPasses.registry().with(FoldBatchNormPass.INFO);
    private final ByteArrayOutputStream dumps = new ByteArrayOutputStream();
    private final PrintStream irOut = new PrintStream(dumps, true, StandardCharsets.UTF_8);

    private static PassContext context() { return new PassContext(CompileSettings.defaults(), new DiagnosticSink(), null); }

    private PassManager.Result run(String pipeline, PassManager.Options o, Module m) {
        return new PassManager(reg, o.withIrOut(irOut)).run(Pipeline.parse(pipeline, reg), m, context());
    }

    private String dumps() { return dumps.toString(StandardCharsets.UTF_8); }

    @Test void runsInOrderAndFoldsBatchNorm() {
        var r = run("noop,fold-batchnorm,touch", PassManager.Options.defaults(), TestModules.cnnWithBatchNorm(1));
        assertTrue(r.module().graph().opsOf(OpKind.ANN_BATCHNORM).isEmpty());
        assertEquals(3, r.timings().size());
        assertEquals(java.util.List.of(false, true, true), r.timings().stream().map(PassManager.PassTiming::changed).toList());
        assertNull(r.stoppedAfter());
        assertEquals("", dumps());
    }

    @Test void verifierNamesThePassThatBrokeTheIr() {
        CompilationException e = assertThrows(CompilationException.class,
                () -> run("noop,break-ir,touch", PassManager.Options.defaults(), TestModules.mlp(1)));
        assertTrue(e.getMessage().contains("after pass 'break-ir': op 'ann.relu' has unknown attribute 'alpha'"), e.getMessage());
        // Without verification the broken module goes through.
        var r = run("noop,break-ir", PassManager.Options.defaults().withVerifyEach(false), TestModules.mlp(1));
        assertEquals(2, r.timings().size());
        assertEquals(0, r.verifyNanos());
    }

    @Test void theInputIsVerifiedOnce() {
        Module broken = new PassManager(reg, PassManager.Options.defaults().withVerifyEach(false))
                .run(Pipeline.parse("break-ir", reg), TestModules.mlp(1), context()).module();
        CompilationException e = assertThrows(CompilationException.class,
                () -> run("noop", PassManager.Options.defaults(), broken));
        assertTrue(e.getMessage().contains("on input to the pipeline"), e.getMessage());
    }

    @Test void wrongStageFailsBeforeAnythingRuns() {
        PipelineException e = assertThrows(PipelineException.class,
                () -> run("boom,snn-only", PassManager.Options.defaults(), TestModules.mlp(1)));
        assertEquals(5, e.position());
        assertTrue(e.getMessage().contains("pass 'snn-only' accepts a module of stage snn or hw, but gets one of stage ann"));
    }

    @Test void printIrAfterAllAndBefore() {
        run("noop,fold-batchnorm", PassManager.Options.defaults().withPrintIrAfterAll(true).withPrintIrBefore(Set.of("fold-batchnorm")),
                TestModules.cnnWithBatchNorm(2));
        String d = dumps();
        int a = d.indexOf("// ----- IR after noop -----\nmodule @cnn_bn stage ann {");
        int b = d.indexOf("// ----- IR before fold-batchnorm -----\n");
        int c = d.indexOf("// ----- IR after fold-batchnorm -----\n");
        assertTrue(a == 0 && b > a && c > b, d);
        assertFalse(d.contains("resources {"), "dumps are elided");
        assertTrue(d.substring(b, c).contains("ann.batchnorm"));
        assertFalse(d.substring(c).contains("ann.batchnorm"));
    }

    @Test void printIrAfterOnePass() {
        run("noop,touch,noop", PassManager.Options.defaults().withPrintIrAfter(Set.of("touch")), TestModules.mlp(1));
        assertEquals(1, dumps().split("// -----", -1).length - 1);
        assertTrue(dumps().startsWith("// ----- IR after touch -----\n"));
    }

    @Test void printIrAfterChangeOnlyWhenChanged() {
        run("noop,touch,noop", PassManager.Options.defaults().withPrintIrAfterChange(true), TestModules.mlp(1));
        assertTrue(dumps().startsWith("// ----- IR after touch -----\n"));
        assertEquals(1, dumps().split("// -----", -1).length - 1);
        dumps.reset();
        run("noop,touch", PassManager.Options.defaults().withPrintIrAfterChange(true).withPrintIrAfter(Set.of("noop")),
                TestModules.mlp(1));
        assertEquals("", dumps());
    }

    @Test void stopAfter() {
        var r = run("noop,fold-batchnorm,boom", PassManager.Options.defaults().withStopAfter("fold-batchnorm"),
                TestModules.cnnWithBatchNorm(1));
        assertEquals("fold-batchnorm", r.stoppedAfter());
        assertEquals(2, r.timings().size());
        PipelineException e = assertThrows(PipelineException.class,
                () -> run("noop", PassManager.Options.defaults().withStopAfter("touc"), TestModules.mlp(1)));
        assertEquals("--stop-after=touc: the pipeline has no pass 'touc' (pipeline: 'noop')", e.getMessage());
        assertEquals(-1, e.position());
        PipelineException p = assertThrows(PipelineException.class,
                () -> run("noop", PassManager.Options.defaults().withPrintIrAfter(Set.of("fold-batchnrom")), TestModules.mlp(1)));
        assertTrue(p.getMessage().contains("did you mean 'fold-batchnorm'?"), p.getMessage());
    }

    @Test void timingTable() {
        var r = run("noop,touch", PassManager.Options.defaults().withPassTiming(true), TestModules.mlp(1));
        String[] lines = r.timingTable().split("\n");
        assertEquals("===== pass timing =====", lines[0]);
        assertTrue(lines[1].matches("pass\\s+wall ms\\s+%"), lines[1]);
        assertTrue(lines[2].matches("noop\\s+[0-9]+\\.[0-9]{3}\\s+[0-9]+\\.[0-9]%"), lines[2]);
        assertTrue(lines[4].startsWith("(verifier)"), lines[4]);
        assertTrue(lines[5].matches("total\\s+[0-9]+\\.[0-9]{3}\\s+100\\.0%"), lines[5]);
        for (String l : lines) if (!l.startsWith("=")) assertEquals(lines[1].length(), l.length(), "aligned: " + l);
    }

    @Test void aCrashWritesTheInputIrAndThePipeline(@TempDir Path dir) throws Exception {
        Module m = TestModules.cnnWithBatchNorm(3);
        PassCrashException e = assertThrows(PassCrashException.class,
                () -> run("fold-batchnorm,boom", PassManager.Options.defaults().withCrashDir(dir), m));
        Path file = dir.resolve("nmcc-crash-boom.nmir");
        assertEquals(file, e.crashFile());
        assertTrue(e.getMessage().contains("pass 'boom' crashed: java.lang.IllegalStateException: kaboom"), e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()));
        String text = Files.readString(file);
        assertTrue(text.contains("// pipeline: fold-batchnorm,boom\n"), text);
        // The crash file holds the pass's input (after fold-batchnorm), full, and parses back.
        Module back = IrParser.parse(text, file.toString());
        assertTrue(back.graph().opsOf(OpKind.ANN_BATCHNORM).isEmpty());
        assertEquals(Stage.ANN, back.stage());
        assertTrue(text.contains("resources {"));
        assertEquals(IrPrinter.print(back), text.substring(text.indexOf("module @")));
    }

    @Test void passesAreBuiltFreshForEachRun() {
        int[] built = new int[1];
        PassInfo counting = new PassInfo("count", "counts", Set.of(Stage.ANN), null, java.util.List.of(), o -> {
            built[0]++;
            return new Pass() {
                @Override public PassInfo info() { return null; }

                @Override public PassResult run(Module m, PassContext c) { return PassResult.unchanged(m); }
            };
        });
        PassRegistry r = PassRegistry.of(counting);
        Pipeline p = Pipeline.parse("count,count", r); // the parser builds each once to check its options
        int afterParse = built[0];
        PassManager pm = new PassManager(r, PassManager.Options.defaults());
        pm.run(p, TestModules.mlp(1), context());
        pm.run(p, TestModules.mlp(1), context());
        assertEquals(afterParse + 4, built[0]);
    }
}

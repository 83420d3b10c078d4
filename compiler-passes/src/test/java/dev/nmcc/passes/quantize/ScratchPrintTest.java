package dev.nmcc.passes.quantize;

import dev.nmcc.ir.diag.DiagnosticSink;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.text.IrParser;
import dev.nmcc.ir.text.IrPrinter;
import dev.nmcc.passes.CompileSettings;
import dev.nmcc.passes.PassContext;
import dev.nmcc.passes.dead.EliminateDeadNeurons;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ScratchPrintTest {
    @Test
    void print() throws Exception {
        for (Path p : Files.list(Path.of("/tmp/qz/in")).sorted().toList()) {
            String text = Files.readString(p);
            Module m = IrParser.parse(text, p.getFileName().toString());
            PassContext ctx = new PassContext(CompileSettings.defaults(), new DiagnosticSink(), null);
            String name = p.getFileName().toString();
            Module out;
            if (name.startsWith("dead")) out = new EliminateDeadNeurons(false, null).run(m, ctx).module();
            else if (name.startsWith("q4t")) out = new QuantizeWeights(4, false, 32).run(m, ctx).module();
            else if (name.startsWith("q1")) out = new QuantizeWeights(1, true, 32).run(m, ctx).module();
            else out = new QuantizeWeights(8, true, 32).run(m, ctx).module();
            StringBuilder sb = new StringBuilder(IrPrinter.print(out));
            for (String l : ctx.reportLines()) sb.append("REPORT ").append(l).append('\n');
            for (var d : ctx.diagnostics().diagnostics()) sb.append("DIAG ").append(d).append('\n');
            Files.writeString(Path.of("/tmp/qz/out/" + name), sb.toString());
        }
    }
}

package dev.nmcc.driver.cli;

import dev.nmcc.driver.api.ModelSummary;
import dev.nmcc.driver.api.Nmcc;
import dev.nmcc.driver.diag.DiagnosticRenderer;
import dev.nmcc.ir.diag.DiagnosticSink;
import dev.nmcc.ir.graph.Module;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code nmcc check FILE}: load, verify, print a summary. */
@Command(name = "check", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        header = "Load and verify a model, and print a summary of its size.",
        description = {
            "Parses FILE, runs the verifier, and prints the stage, inputs, outputs, and the number of "
                + "layers, neurons, synapses and parameters, then one row per layer.",
            "Synapses: dense in*out; conv2d out_channels*out_h*out_w*in_channels*kh*kw; "
                + "pooling out_elements*kh*kw. Parameters: the values of every referenced blob, once each."})
public final class CheckCommand implements Callable<Integer> {
    private final Context ctx;

    @Parameters(paramLabel = "FILE", description = "The model: a .nmd (network DSL), .nmir (IR text) or .onnx file.")
    Path file;

    public CheckCommand(Context ctx) { this.ctx = ctx; }

    @Override public Integer call() {
        DiagnosticSink sink = new DiagnosticSink();
        Module module = Nmcc.load(file, true, sink);
        ctx.err().print(new DiagnosticRenderer().renderAll(sink.diagnostics()));
        ctx.out().print(ModelSummary.of(module).text());
        return 0;
    }
}

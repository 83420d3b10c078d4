package dev.nmcc.driver.cli;

import dev.nmcc.driver.api.Nmcc;
import dev.nmcc.driver.api.PreConversionReport;
import dev.nmcc.ir.analysis.ConversionAdvisor;
import dev.nmcc.ir.diag.DiagnosticSink;
import dev.nmcc.ir.graph.Module;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nmcc analyze MODEL}: the report to read before converting. */
@Command(name = "analyze", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        header = "Report layers, sizes and conversion problems before converting.",
        description = {
            "Loads MODEL (.onnx, .nmd or .nmir) and prints, per layer: op, input and output shapes, neurons, "
                + "synapses (connections), parameters and fan-in; the totals; and the conversion diagnostics, "
                + "each with a concrete suggestion (BatchNorm that cannot be folded, MaxPool, Dropout, a Softmax "
                + "dropped at the output, residual adds, very large fan-in).",
            "Exit status 1 when a finding is an error (the network cannot be converted as it is) or the model "
                + "cannot be imported (every unsupported operator is listed)."})
public final class AnalyzeCommand implements Callable<Integer> {
    private final Context ctx;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "MODEL", description = "The model: a .onnx, .nmd (network DSL) or .nmir (IR text) file.")
    Path file;

    @Option(names = "--json", description = "Print the report as JSON on stdout (same content; numbers without separators).")
    boolean json;

    @Option(names = "--max-fan-in", paramLabel = "N", defaultValue = "" + ConversionAdvisor.DEFAULT_MAX_FAN_IN,
            description = "Flag layers with more than N synapses per neuron (default: ${DEFAULT-VALUE}).")
    long maxFanIn;

    public AnalyzeCommand(Context ctx) { this.ctx = ctx; }

    @Override public Integer call() {
        if (maxFanIn < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--max-fan-in must be positive, got " + maxFanIn);
        }
        DiagnosticSink sink = new DiagnosticSink();
        Module module = Nmcc.load(file, true, sink);
        PreConversionReport report = PreConversionReport.of(module, file.toString(), sink.diagnostics(), maxFanIn);
        ctx.out().print(json ? report.json() : report.text());
        return report.hasErrors() ? 1 : 0;
    }
}

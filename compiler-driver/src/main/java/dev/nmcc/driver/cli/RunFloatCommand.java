package dev.nmcc.driver.cli;

import dev.nmcc.driver.api.Datasets;
import dev.nmcc.driver.api.FloatRun;
import dev.nmcc.driver.api.ModelSummary;
import dev.nmcc.driver.api.Nmcc;
import dev.nmcc.driver.api.UserErrors;
import dev.nmcc.driver.diag.DiagnosticRenderer;
import dev.nmcc.driver.io.AtomicFiles;
import dev.nmcc.driver.io.ProgressBar;
import dev.nmcc.frontend.numpy.Npy;
import dev.nmcc.ir.diag.DiagnosticSink;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.interp.Batch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code nmcc run-float MODEL --data X.npy}: the float reference on a data set. */
@Command(name = "run-float", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        header = "Run a model in float32 (the reference interpreter) on a data set.",
        description = "Runs the ann-stage MODEL on every sample of --data. With --labels, prints the accuracy "
                + "(argmax of the single output against the label). With -o, writes the outputs as float32 "
                + "of shape (N, ...). A progress bar is shown on stderr when it is a terminal.")
public final class RunFloatCommand implements Callable<Integer> {
    private final Context ctx;

    @Spec CommandSpec spec;

    @Parameters(paramLabel = "MODEL", description = "The model: a .nmd, .nmir or .onnx file at stage ann.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "X.npy",
            description = "The inputs: an array (N, ...) whose samples have as many values as the model input; "
                    + "reshaped in C order. float32, float64, int64 or uint8 (uint8 is scaled by 1/255).")
    Path data;

    @Option(names = "--labels", paramLabel = "Y.npy",
            description = "Class labels: N integers (int64, int32 or uint8). Prints the accuracy.")
    Path labels;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT.npy",
            description = "Write the outputs to OUT.npy (float32, shape (N, ...); atomically).")
    Path output;

    @Option(names = "--input-scale", paramLabel = "S",
            description = "Multiply every input value by S (default: 1/255 for uint8 data, 1 otherwise).")
    Double inputScale;

    @Option(names = "--limit", paramLabel = "N", description = "Use only the first N samples.")
    Integer limit;

    public RunFloatCommand(Context ctx) { this.ctx = ctx; }

    @Override public Integer call() throws IOException {
        if (limit != null && limit <= 0) throw new CommandLine.ParameterException(spec.commandLine(), "--limit must be positive, got " + limit);
        if (inputScale != null && !(Double.isFinite(inputScale) && inputScale > 0)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--input-scale must be a positive finite number, got " + inputScale);
        }
        if (output != null) {
            String why = AtomicFiles.whyNotWritable(output);
            if (why != null) throw UserErrors.error("cannot write '" + output + "': " + why);
        }
        DiagnosticSink sink = new DiagnosticSink();
        Module module = Nmcc.load(model, true, sink);
        ctx.err().print(new DiagnosticRenderer().renderAll(sink.diagnostics()));
        ModelSummary summary = ModelSummary.of(module);
        if (summary.inputs().size() != 1 || summary.outputs().size() != 1) {
            throw UserErrors.error("run-float needs a model with one input and one output; '" + model + "' has "
                    + summary.inputs().size() + " inputs and " + summary.outputs().size() + " outputs");
        }
        var in = summary.inputs().getFirst();
        Datasets.Inputs read = Datasets.readInputs(data, in.type().shape(),
                inputScale == null ? OptionalDouble.empty() : OptionalDouble.of(inputScale), limit == null ? 0 : limit);
        Batch inputs = read.batch();
        int[] truth = null;
        int classes = (int) summary.outputs().getFirst().type().shape().elementCountExact();
        if (labels != null) {
            truth = Datasets.readLabels(labels, inputs.samples(), read.total(), classes);
        }
        Batch outputs;
        try (ProgressBar bar = ProgressBar.start(ctx.err(), ctx.stderrIsTerminal(), "run-float", "samples", inputs.samples())) {
            outputs = FloatRun.run(module, inputs, bar::step);
        }
        if (output != null) {
            int[] shape = new int[outputs.sampleShape().rank() + 1];
            shape[0] = outputs.samples();
            System.arraycopy(outputs.sampleShape().dims(), 0, shape, 1, shape.length - 1);
            try {
                AtomicFiles.write(output, out -> Npy.writeFloats(out, shape, outputs.data()));
            } catch (IOException e) {
                throw UserErrors.io("write", output, e);
            }
        }
        ctx.out().println("samples:  " + inputs.samples());
        if (truth != null) {
            int correct = FloatRun.correct(FloatRun.argmax(outputs), truth);
            ctx.out().println(String.format(Locale.ROOT, "accuracy: %.2f%% (%d/%d)", 100.0 * correct / inputs.samples(), correct,
                    inputs.samples()));
        }
        if (output != null) {
            ctx.out().println("outputs:  " + output + " (" + outputs.samples() + "x" + outputs.sampleShape().text() + " float32)");
        }
        return 0;
    }
}

package dev.nmcc.driver.cli;

import dev.nmcc.driver.api.Datasets;
import dev.nmcc.driver.api.ModelSummary;
import dev.nmcc.driver.api.Nmcc;
import dev.nmcc.driver.api.UserErrors;
import dev.nmcc.driver.diag.DiagnosticRenderer;
import dev.nmcc.driver.io.ProgressBar;
import dev.nmcc.ir.attr.Attribute;
import dev.nmcc.ir.diag.DiagnosticSink;
import dev.nmcc.ir.graph.Graph;
import dev.nmcc.ir.graph.GraphBuilder;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.graph.Op;
import dev.nmcc.ir.graph.Value;
import dev.nmcc.ir.interp.Batch;
import dev.nmcc.ir.interp.SnnInterpreter;
import dev.nmcc.ir.interp.SnnResult;
import dev.nmcc.ir.interp.SnnStats;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.ir.op.Stage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code nmcc validate MODEL.nmir --data X.npy --labels Y.npy}: the accuracy and activity of a
 * spiking model, run by the SNN interpreter (reference 2 of DESIGN §3).
 */
@Command(name = "validate", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        header = "Run a spiking model on labelled data: accuracy, firing rates.",
        description = "Runs MODEL for T timesteps per sample with the SNN interpreter (float or integer form, as "
                + "compiled) and prints the accuracy (the predicted class against --labels), the firing rate of each "
                + "layer (spikes over neurons x T x samples) and the synaptic operations per inference. Rate-encoded "
                + "inputs draw their spikes from a counter-based PRNG keyed by --seed and the sample's index in the "
                + "data, so runs are reproducible and --limit keeps the trains of the samples it keeps.")
public final class ValidateCommand implements Callable<Integer> {
    /** Samples per interpreter call, between progress-bar updates. */
    private static final int CHUNK = 256;

    private final Context ctx;

    @Spec CommandSpec spec;

    @Parameters(paramLabel = "MODEL", description = "The compiled model: a .nmir (or .nmd) file at stage snn or hw.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "X.npy",
            description = "The inputs: an array (N, ...) whose samples have as many values as the model input; "
                    + "reshaped in C order. float32, float64, int64 or uint8 (uint8 is scaled by 1/255).")
    Path data;

    @Option(names = "--labels", required = true, paramLabel = "Y.npy",
            description = "Class labels: N integers (int64, int32 or uint8).")
    Path labels;

    @Option(names = {"-T", "--timesteps"}, paramLabel = "T", defaultValue = "32",
            description = "Timesteps per sample (default: ${DEFAULT-VALUE}).")
    int timesteps;

    @Option(names = "--encoding", paramLabel = "MODE",
            description = "Run the input encoding MODE (direct or rate) instead of the compiled one; float-input "
                    + "models of stage snn only.")
    String encoding;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Seed of the rate encoder's PRNG (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--input-scale", paramLabel = "S",
            description = "Multiply every input value by S (default: 1/255 for uint8 data, 1 otherwise).")
    Double inputScale;

    @Option(names = "--limit", paramLabel = "N", description = "Use only the first N samples.")
    Integer limit;

    public ValidateCommand(Context ctx) { this.ctx = ctx; }

    @Override public Integer call() {
        CommandLine cl = spec.commandLine();
        if (limit != null && limit <= 0) throw new CommandLine.ParameterException(cl, "--limit must be positive, got " + limit);
        if (timesteps < 1) throw new CommandLine.ParameterException(cl, "--timesteps must be positive, got " + timesteps);
        if (encoding != null && !encoding.equals("direct") && !encoding.equals("rate")) {
            throw new CommandLine.ParameterException(cl, "--encoding must be direct or rate, got '" + encoding + "'");
        }
        if (inputScale != null && !Double.isFinite(inputScale)) {
            throw new CommandLine.ParameterException(cl, "--input-scale must be a finite number");
        }
        String file = model.getFileName() == null ? "" : model.getFileName().toString().toLowerCase(Locale.ROOT);
        if (file.endsWith(".nmc")) {
            throw UserErrors.error("cannot validate '" + model + "': .nmc binaries are run by the simulator, which this build "
                    + "does not have yet; validate the .nmir of the compiled model instead");
        }
        DiagnosticSink sink = new DiagnosticSink();
        Module module = Nmcc.load(model, true, sink);
        ctx.err().print(new DiagnosticRenderer().renderAll(sink.diagnostics()));
        if (module.stage() == Stage.ANN) {
            throw UserErrors.error("validate runs spiking models (stage snn or hw); '" + model + "' is at stage ann: convert it "
                    + "first (nmcc compile), or run it in float with nmcc run-float");
        }
        if (encoding != null) module = withEncoding(module, encoding);
        ModelSummary summary = ModelSummary.of(module);
        if (summary.inputs().size() != 1 || summary.outputs().size() != 1) {
            throw UserErrors.error("validate needs a model with one input and one output; '" + model + "' has "
                    + summary.inputs().size() + " inputs and " + summary.outputs().size() + " outputs");
        }
        SnnInterpreter interp;
        try {
            interp = new SnnInterpreter(module);
        } catch (IllegalArgumentException e) {
            throw UserErrors.error("cannot run '" + model + "': " + e.getMessage());
        }
        var in = summary.inputs().getFirst();
        Datasets.Inputs read = Datasets.readInputs(data, in.type().shape(),
                inputScale == null ? OptionalDouble.empty() : OptionalDouble.of(inputScale), limit == null ? 0 : limit);
        Batch inputs = read.batch();
        int n = inputs.samples();
        int classes = interp.outputShapes().values().iterator().next().elementCount();
        int[] truth = Datasets.readLabels(labels, n, read.total(), classes);

        int correct = 0;
        List<SnnStats> parts = new ArrayList<>();
        try (ProgressBar bar = ProgressBar.start(ctx.err(), ctx.stderrIsTerminal(), "validate", "samples", n)) {
            int size = inputs.sampleSize();
            for (int start = 0; start < n; start += CHUNK) {
                int count = Math.min(CHUNK, n - start);
                float[] chunk = new float[count * size];
                System.arraycopy(inputs.data(), start * size, chunk, 0, chunk.length);
                SnnResult r = interp.run(new Batch(count, inputs.sampleShape(), chunk), timesteps, seed, start);
                int[] p = r.predictions();
                for (int s = 0; s < count; s++) if (p[s] == truth[start + s]) correct++;
                parts.add(r.stats());
                bar.step(count);
            }
        }
        ctx.out().println(String.format(Locale.ROOT, "Accuracy: %.1f%% (%d samples, T=%d)", n == 0 ? 0.0 : 100.0 * correct / n, n,
                timesteps));
        ctx.out().println("Firing rate per layer: " + firingRates(parts, n));
        long sops = 0;
        long[] perSample = new long[n];
        int at = 0;
        for (SnnStats st : parts) {
            sops += st.sops();
            System.arraycopy(st.sampleSops(), 0, perSample, at, st.samples());
            at += st.samples();
        }
        java.util.Arrays.sort(perSample);
        long p99 = n == 0 ? 0 : perSample[Math.max(0, (int) Math.ceil(0.99 * n) - 1)];
        ctx.out().println(String.format(Locale.ROOT, "SOPs/inference: mean %,.0f  p99 %,d", n == 0 ? 0.0 : (double) sops / n, p99));
        return 0;
    }

    /** "name 9.8%, name 7.1%": each population's spikes over neurons × T × samples, over all chunks. */
    private String firingRates(List<SnnStats> parts, int n) {
        if (parts.isEmpty()) return "-";
        List<SnnStats.Population> pops = parts.getFirst().populations();
        if (pops.isEmpty()) return "- (no spiking populations)";
        List<String> items = new ArrayList<>();
        for (int p = 0; p < pops.size(); p++) {
            long spikes = 0;
            for (SnnStats st : parts) spikes += st.populations().get(p).spikes();
            double rate = spikes / ((double) pops.get(p).neurons() * timesteps * Math.max(1, n));
            String name = pops.get(p).name();
            if (name.startsWith("%")) name = name.substring(1);
            else name = "layer_" + p;
            items.add(String.format(Locale.ROOT, "%s %.1f%%", name, 100 * rate));
        }
        return String.join(", ", items);
    }

    /** The module with every {@code snn.encode} in {@code mode}; only float (not quantized) inputs of stage snn. */
    private Module withEncoding(Module m, String mode) {
        Graph g = m.graph();
        boolean changes = g.ops().stream().anyMatch(op -> op.kind() == OpKind.SNN_ENCODE && !op.attributes().getString("mode", "").equals(mode));
        if (!changes) return m;
        if (m.stage() != Stage.SNN) {
            throw UserErrors.error("--encoding " + mode + ": '" + model + "' is at stage " + m.stage().mnemonic()
                    + ", compiled for its encoding; compile it again with --encoding " + mode);
        }
        GraphBuilder b = new GraphBuilder(m.blobs());
        Value[] map = new Value[g.valueCount()];
        for (Op op : g.ops()) {
            List<Value> operands = op.operands().stream().map(v -> map[v.id()]).toList();
            var attrs = op.attributes();
            if (op.kind() == OpKind.SNN_ENCODE) {
                if (attrs.has("input_scale")) {
                    throw UserErrors.error("--encoding " + mode + ": '" + model + "' quantizes its input (input_scale); compile it "
                            + "again with --encoding " + mode);
                }
                attrs = attrs.with("mode", new Attribute.Symbol(mode));
            }
            if (op.kind().isInput()) {
                map[op.result().id()] = b.input(op.kind(), g.type(op.result()), attrs, op.location());
            } else {
                if (b.infer(op.kind(), operands, attrs).error() != null) {
                    throw UserErrors.error("--encoding " + mode + " does not fit '" + model + "': " + op.kind().mnemonic() + " at "
                            + op.location().describe() + ": " + b.infer(op.kind(), operands, attrs).error());
                }
                Value r = b.add(op.kind(), operands, attrs, op.location());
                if (!op.results().isEmpty()) map[op.result().id()] = r;
            }
            if (!op.results().isEmpty()) {
                Value v = op.result();
                g.name(v).ifPresent(name -> b.setName(map[v.id()], name));
            }
        }
        return new Module(m.name(), m.stage(), m.blobs(), b.build());
    }
}

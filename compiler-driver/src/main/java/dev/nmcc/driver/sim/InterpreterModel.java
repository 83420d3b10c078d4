package dev.nmcc.driver.sim;

import dev.nmcc.driver.api.ModelSummary;
import dev.nmcc.driver.api.UserErrors;
import dev.nmcc.ir.analysis.LayerNames;
import dev.nmcc.ir.attr.Attribute;
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
import dev.nmcc.ir.type.Shape;
import dev.nmcc.sim.Mode;
import dev.nmcc.sim.ProgressListener;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A spiking model of stage {@code snn} or {@code hw} (from a {@code .nmir} or {@code .nmd} file)
 * run by the SNN interpreter, reference 2 of DESIGN §3. Functional numbers only: accuracy, firing
 * rates, SOPs; the cycle model needs the {@code .nmc} binary.
 */
public final class InterpreterModel implements SpikingModel {
    /** Samples per interpreter call, between progress reports. */
    private static final int CHUNK = 256;

    private final String file;
    private final Module module;
    private final SnnInterpreter interp;
    private final Shape inputShape;
    private final int classes;

    private InterpreterModel(String file, Module module, SnnInterpreter interp) {
        this.file = file;
        this.module = module;
        this.interp = interp;
        this.inputShape = interp.inputShapes().values().iterator().next();
        this.classes = interp.outputShapes().values().iterator().next().elementCount();
    }

    /**
     * Prepares {@code module}, loaded from {@code file}, with every {@code snn.encode} switched to
     * {@code encoding} (null: as compiled); {@code command} names the command in errors.
     */
    public static InterpreterModel of(String file, Module module, String encoding, String command) {
        if (module.stage() == Stage.ANN) {
            throw UserErrors.error(command + " runs spiking models (stage snn or hw); '" + file + "' is at stage ann: convert it "
                    + "first (nmcc compile), or run it in float with nmcc run-float");
        }
        if (encoding != null) module = withEncoding(file, module, encoding);
        ModelSummary summary = ModelSummary.of(module);
        if (summary.inputs().size() != 1 || summary.outputs().size() != 1) {
            throw UserErrors.error(command + " needs a model with one input and one output; '" + file + "' has "
                    + summary.inputs().size() + " inputs and " + summary.outputs().size() + " outputs");
        }
        try {
            return new InterpreterModel(file, module, new SnnInterpreter(module));
        } catch (IllegalArgumentException e) {
            throw UserErrors.error("cannot run '" + file + "': " + e.getMessage());
        }
    }

    @Override public String file() { return file; }

    @Override public Shape inputShape() { return inputShape; }

    @Override public int classes() { return classes; }

    /** The interpreter's customary T, as {@code nmcc compile --timesteps} defaults to. */
    @Override public int defaultTimesteps() { return 32; }

    @Override public long defaultSeed() { return 0; }

    @Override public Run run(Batch inputs, int[] labels, Settings settings, ProgressListener progress) {
        requireFunctional(settings);
        int n = inputs.samples(), size = inputs.sampleSize();
        List<SnnResult> parts = new ArrayList<>();
        for (int start = 0; start < n; start += CHUNK) {
            int count = Math.min(CHUNK, n - start);
            float[] chunk = new float[count * size];
            System.arraycopy(inputs.data(), start * size, chunk, 0, chunk.length);
            parts.add(interp.run(new Batch(count, inputs.sampleShape(), chunk), settings.timesteps(), settings.seed(), start));
            progress.samplesDone(start + count, n);
        }
        int[] predictions = new int[n];
        long[] sops = new long[n];
        List<SnnStats.Population> pops = parts.isEmpty() ? List.of() : parts.getFirst().stats().populations();
        long[] spikes = new long[pops.size()];
        long[][] perNeuron = new long[pops.size()][];
        for (int p = 0; p < pops.size(); p++) perNeuron[p] = new long[pops.get(p).neurons()];
        SnnResult.Output first = parts.isEmpty() ? null : parts.getFirst().output();
        int outSize = first == null ? classes : first.size();
        double[] values = new double[n * outSize];
        int at = 0;
        for (SnnResult r : parts) {
            SnnResult.Output o = r.output();
            System.arraycopy(o.predictions(), 0, predictions, at, r.samples());
            System.arraycopy(r.stats().sampleSops(), 0, sops, at, r.samples());
            System.arraycopy(o.values(), 0, values, at * outSize, r.samples() * outSize);
            for (int p = 0; p < pops.size(); p++) {
                SnnStats.Population pop = r.stats().populations().get(p);
                spikes[p] += pop.spikes();
                long[] src = pop.spikesPerNeuron();
                for (int i = 0; i < src.length; i++) perNeuron[p][i] += src[i];
            }
            at += r.samples();
        }
        List<SimReport.LayerActivity> layers = new ArrayList<>();
        LayerNames names = LayerNames.of(module.graph()); // the names of the .nmc and the compile report
        for (int p = 0; p < pops.size(); p++) {
            String name = names.get(pops.get(p).opIndex()) != null ? names.get(pops.get(p).opIndex()) : layerName(pops.get(p).name());
            layers.add(new SimReport.LayerActivity(name, perNeuron[p].length, spikes[p], perNeuron[p]));
        }
        int correct = labels == null ? -1 : SimReport.countCorrect(predictions, labels);
        SimReport report = new SimReport(file, "interpreter", n, settings.timesteps(), settings.seed(), correct, layers, sops, null, Double.NaN);
        String decoding = first == null ? "potential" : first.decoding().name().toLowerCase(java.util.Locale.ROOT);
        String name = interp.outputShapes().keySet().iterator().next();
        return new Run(report, predictions, List.of(new Output(name, interp.outputShapes().get(name).dims(), decoding, values)));
    }

    @Override public SpikeRaster trace(Batch inputs, int sample, int label, Settings settings) {
        requireFunctional(settings);
        Graph g = module.graph();
        SpikeRaster.Builder raster = new SpikeRaster.Builder(settings.timesteps());
        Map<Integer, Integer> bandOf = new HashMap<>();
        LayerNames names = LayerNames.of(g);
        for (Op op : g.ops()) {
            String kind = switch (op.kind()) {
                case SNN_IF -> "if";
                case SNN_LIF -> "lif";
                case SNN_MAXPOOL -> "maxpool";
                case SNN_ENCODE -> op.attributes().getString("mode", "").equals("rate") ? "rate input" : null;
                default -> null;
            };
            if (kind == null) continue;
            Value v = op.result();
            String name = names.get(g.definingOpIndex(v)) != null ? names.get(g.definingOpIndex(v))
                    : g.name(v).orElse("op " + g.definingOpIndex(v));
            bandOf.put(v.id(), raster.band(layerName(name), kind, g.type(v).shape().elementCount()));
        }
        Batch one = new Batch(1, inputs.sampleShape(), inputs.sample(sample));
        SnnResult r = interp.run(Map.of(interp.inputShapes().keySet().iterator().next(), one), settings.timesteps(), settings.seed(), sample,
                (value, s, t, indices, count) -> {
                    Integer band = bandOf.get(value.id());
                    if (band != null) raster.spikes(band, t, indices, count);
                });
        return raster.build(sample, label, r.predictions()[0]);
    }

    private void requireFunctional(Settings settings) {
        if (settings.mode() != Mode.FUNCTIONAL) {
            throw UserErrors.error("--mode cycle needs a .nmc binary ('" + file + "' runs on the SNN interpreter, which has no cycle "
                    + "model); compile with -o MODEL.nmc");
        }
    }

    /** Population names as people write them: {@code c1}, not {@code %c1}. */
    static String layerName(String name) { return name.startsWith("%") ? name.substring(1) : name; }

    /** The module with every {@code snn.encode} in {@code mode}; only float (not quantized) inputs of stage snn. */
    private static Module withEncoding(String file, Module m, String mode) {
        Graph g = m.graph();
        boolean changes = g.ops().stream().anyMatch(op -> op.kind() == OpKind.SNN_ENCODE && !op.attributes().getString("mode", "").equals(mode));
        if (!changes) return m;
        if (m.stage() != Stage.SNN) {
            throw UserErrors.error("--encoding " + mode + ": '" + file + "' is at stage " + m.stage().mnemonic()
                    + ", compiled for its encoding; compile it again with --encoding " + mode);
        }
        GraphBuilder b = new GraphBuilder(m.blobs());
        Value[] map = new Value[g.valueCount()];
        for (Op op : g.ops()) {
            List<Value> operands = op.operands().stream().map(v -> map[v.id()]).toList();
            var attrs = op.attributes();
            if (op.kind() == OpKind.SNN_ENCODE) {
                if (attrs.has("input_scale")) {
                    throw UserErrors.error("--encoding " + mode + ": '" + file + "' quantizes its input (input_scale); compile it "
                            + "again with --encoding " + mode);
                }
                attrs = attrs.with("mode", new Attribute.Symbol(mode));
            }
            if (op.kind().isInput()) {
                map[op.result().id()] = b.input(op.kind(), g.type(op.result()), attrs, op.location());
            } else {
                var inferred = b.infer(op.kind(), operands, attrs);
                if (inferred.error() != null) {
                    throw UserErrors.error("--encoding " + mode + " does not fit '" + file + "': " + op.kind().mnemonic() + " at "
                            + op.location().describe() + ": " + inferred.error());
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

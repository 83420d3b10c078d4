package dev.nmcc.driver.sim;

import dev.nmcc.driver.api.UserErrors;
import dev.nmcc.ir.interp.Batch;
import dev.nmcc.ir.type.Shape;
import dev.nmcc.nmc.io.NmcFormatException;
import dev.nmcc.nmc.io.NmcReader;
import dev.nmcc.nmc.model.IoSpec;
import dev.nmcc.nmc.model.Layer;
import dev.nmcc.nmc.model.LayerOp;
import dev.nmcc.nmc.model.NmcModel;
import dev.nmcc.sim.InputBatch;
import dev.nmcc.sim.ProgressListener;
import dev.nmcc.sim.SimOptions;
import dev.nmcc.sim.SimResult;
import dev.nmcc.sim.Simulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code .nmc} binary run by runtime-sim's simulator, reference 3 of DESIGN §3: functional mode
 * for outputs, spikes and SOPs; cycle mode adds energy, latency and per-core time.
 */
public final class BinaryModel implements SpikingModel {
    private final String file;
    private final NmcModel model;
    private final Simulator simulator;
    private final IoSpec.InputSpec input;

    private BinaryModel(String file, NmcModel model, Simulator simulator) {
        this.file = file;
        this.model = model;
        this.simulator = simulator;
        this.input = model.io().inputs().getFirst();
    }

    /** Reads and checks {@code path}: a missing, corrupt, foreign or newer file is a user error naming what is wrong. */
    public static BinaryModel load(Path path, String command) {
        String file = path.toString();
        // The same words as for a missing model of any kind; the reader's own messages name the file.
        if (!Files.exists(path)) throw UserErrors.error("cannot load '" + file + "': no such file");
        NmcModel model;
        try {
            model = NmcReader.read(path);
        } catch (NmcFormatException e) {
            throw UserErrors.error(e.getMessage());
        }
        IoSpec io = model.io();
        if (io.inputs().size() != 1 || io.outputs().isEmpty()) {
            throw UserErrors.error(command + " needs a model with one input and at least one output; '" + file + "' has "
                    + io.inputs().size() + " inputs and " + io.outputs().size() + " outputs");
        }
        try {
            return new BinaryModel(file, model, new Simulator(model));
        } catch (IllegalArgumentException e) {
            throw UserErrors.error("cannot run '" + file + "': " + e.getMessage());
        }
    }

    /** Why cycle mode cannot time this binary, or null when it can ({@link Simulator#cycleModeLimitation()}). */
    public String cycleModeLimitation() { return simulator.cycleModeLimitation(); }

    /** The decoded binary. */
    public NmcModel model() { return model; }

    @Override public String file() { return file; }

    @Override public Shape inputShape() { return Shape.of(input.shape()); }

    @Override public int classes() { return size(model.io().outputs().getFirst().shape()); }

    @Override public int defaultTimesteps() { return model.io().timesteps(); }

    @Override public long defaultSeed() { return model.io().seed(); }

    @Override public Run run(Batch inputs, int[] labels, Settings settings, ProgressListener progress) {
        SimOptions options = new SimOptions(settings.mode(), settings.timesteps(), settings.seed(), 0);
        SimResult r = simulator.run(Map.of(input.name(), new InputBatch(inputs.samples(), inputs.data())), options, progress);
        List<SimReport.LayerActivity> layers = new ArrayList<>();
        for (SimResult.PopulationStats p : r.populations()) {
            layers.add(new SimReport.LayerActivity(p.name(), p.neurons(), p.spikes(), p.spikesPerNeuron()));
        }
        int correct = labels == null ? -1 : SimReport.countCorrect(r.predictions(), labels);
        String engine = settings.mode().name().toLowerCase(java.util.Locale.ROOT);
        SimReport report = new SimReport(file, engine, r.samples(), r.timesteps(), settings.seed(), correct, layers, r.sampleSops(), r.cycle(),
                model.target().pjPerSop());
        List<Output> outputs = new ArrayList<>();
        for (IoSpec.OutputSpec spec : model.io().outputs()) {
            LayerOp decoder = model.layers().get(spec.decoder()).op();
            outputs.add(new Output(spec.name(), spec.shape(), decoder instanceof LayerOp.DecodeCount ? "count" : "potential",
                    r.output(spec.name()).values()));
        }
        return new Run(report, r.predictions(), outputs);
    }

    @Override public SpikeRaster trace(Batch inputs, int sample, int label, Settings settings) {
        SpikeRaster.Builder raster = new SpikeRaster.Builder(settings.timesteps());
        Map<Integer, Integer> bandOf = new HashMap<>();
        for (Layer l : model.layers()) {
            String kind = switch (l.op()) {
                case LayerOp.Neurons n -> n.leaky() ? "lif" : "if";
                case LayerOp.MaxPool m -> "maxpool";
                case LayerOp.Encode e when e.mode() == dev.nmcc.nmc.model.Encoding.RATE -> "rate input";
                default -> null;
            };
            if (kind != null) bandOf.put(l.index(), raster.band(l.name(), kind, l.size()));
        }
        SimOptions options = new SimOptions(settings.mode(), settings.timesteps(), settings.seed(), 0);
        SimResult r = simulator.trace(Map.of(input.name(), new InputBatch(inputs.samples(), inputs.data())), sample, options,
                (t, layer, indices, count) -> {
                    Integer band = bandOf.get(layer);
                    if (band != null) raster.spikes(band, t, indices, count);
                });
        return raster.build(sample, label, r.predictions()[0]);
    }

    private static int size(int[] shape) {
        int n = 1;
        for (int d : shape) n *= d;
        return n;
    }
}

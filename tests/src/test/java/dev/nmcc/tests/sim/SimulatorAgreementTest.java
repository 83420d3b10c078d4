package dev.nmcc.tests.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nmcc.backend.emit.NmcEmitter;
import dev.nmcc.backend.target.Target;
import dev.nmcc.backend.target.Targets;
import dev.nmcc.driver.api.ModelSummary;
import dev.nmcc.driver.api.Nmcc;
import dev.nmcc.ir.diag.DiagnosticSink;
import dev.nmcc.ir.graph.Graph;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.graph.Op;
import dev.nmcc.ir.interp.Batch;
import dev.nmcc.ir.interp.SnnInterpreter;
import dev.nmcc.ir.interp.SnnResult;
import dev.nmcc.ir.interp.SnnStats;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.ir.op.Stage;
import dev.nmcc.ir.type.Shape;
import dev.nmcc.nmc.io.NmcReader;
import dev.nmcc.nmc.io.NmcWriter;
import dev.nmcc.nmc.model.NmcModel;
import dev.nmcc.passes.CompileSettings;
import dev.nmcc.passes.PassContext;
import dev.nmcc.passes.PassManager;
import dev.nmcc.passes.PassRegistry;
import dev.nmcc.passes.Presets;
import dev.nmcc.passes.mapping.MappingReport;
import dev.nmcc.sim.InputBatch;
import dev.nmcc.sim.Mode;
import dev.nmcc.sim.SimOptions;
import dev.nmcc.sim.SimResult;
import dev.nmcc.sim.Simulator;
import dev.nmcc.tests.fixtures.FmnistFixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The central test of the project (DESIGN §3, reference 3 against reference 2): every fixture,
 * compiled to stage hw as {@code nmcc compile} does, emitted as a {@code .nmc} model, written to
 * bytes and read back, then run by the simulator, gives exactly what the integer SNN interpreter
 * gives on the hw IR: every output value bit for bit (and the count decoders' final potentials),
 * the predictions, the spikes of every neuron of every population, the SOPs and spikes of every
 * sample, and, for a few samples, every spike train timestep by timestep.
 */
class SimulatorAgreementTest {
    private static final long SEED = 7;

    /** Compiles {@code model} to hw with the default pipeline and returns the module and the model read back from its bytes. */
    record Compiled(Module hw, NmcModel model) {}

    static Compiled compile(Path model, String targetName, String encoding, String decoding, Batch calib, int timesteps) {
        PassRegistry registry = PassRegistry.standard();
        Module module = Nmcc.load(model);
        Target target = Targets.resolve(targetName);
        CompileSettings settings = new CompileSettings(timesteps, encoding, decoding, SEED, calib, null, null).withTarget(target);
        PassContext context = new PassContext(settings, new DiagnosticSink(), null);
        var pipeline = Presets.pipeline(Presets.DEFAULT, registry).startingAt(module.stage());
        Module hw = new PassManager(registry, PassManager.Options.defaults()).run(pipeline, module, context).module();
        if (hw.stage() != Stage.HW) throw new IllegalStateException("the default pipeline ended at " + hw.stage()); // no AssertJ: the bench calls this
        String report = context.get(MappingReport.class).map(MappingReport::json).orElse("");
        byte[] bytes = NmcWriter.toBytes(NmcEmitter.emit(hw, target, timesteps, SEED, "nmcc test", report));
        return new Compiled(hw, NmcReader.read(bytes, model.getFileName() + ".nmc"));
    }

    private static Batch first(Batch all, int n) {
        int k = Math.min(n, all.samples());
        return new Batch(k, all.sampleShape(), Arrays.copyOf(all.data(), k * all.sampleSize()));
    }

    /** Inputs for a model: the committed Fashion-MNIST images, or uniform [0, 1] values for other shapes (KWS). */
    private static Batch data(Shape shape, String source, int n) {
        if (source.equals("fmnist")) {
            Batch b = first(FmnistFixtures.images("test_images.npy"), n);
            return new Batch(b.samples(), shape, b.data());
        }
        SplittableRandom rnd = new SplittableRandom(source.hashCode());
        float[] x = new float[n * shape.elementCount()];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextDouble();
        return new Batch(n, shape, x);
    }

    private static Batch calibration(Shape shape, String source) {
        if (!source.equals("fmnist")) return data(shape, source + "-calib", 64);
        Batch b = first(FmnistFixtures.images("calib_images.npy"), 200);
        return new Batch(b.samples(), shape, b.data());
    }

    @ParameterizedTest(name = "{0} on {1}, {2} input, {3} decoding")
    @CsvSource({
            "../examples/fmnist_cnn.nmd,   akd1500, direct, potential, fmnist, 60",
            "../examples/fmnist_cnn.nmd,   akd1000, rate,   potential, fmnist, 60",
            "../examples/fmnist_cnn.nmd,   akd1500, rate,   count,     fmnist, 60",
            "../examples/kws_mlp.nmd,      akd1500, direct, potential, kws,    60",
            "../examples/kws_mlp.nmd,      akd1000, rate,   count,     kws,    60",
            "../examples/spiking_mlp.nmd,  akd1500, rate,   count,     fmnist, 200",
            "../examples/spiking_mlp.nmd,  akd1000, direct, potential, fmnist, 200",
            "fixtures/fmnist/mlp.nmd,      akd1500, direct, potential, fmnist, 200",
            "fixtures/fmnist/mlp.nmd,      akd1000, rate,   count,     fmnist, 200",
            "fixtures/fmnist/cnn.nmd,      akd1000, direct, count,     fmnist, 60",
            "fixtures/fmnist/cnn.nmd,      akd1500, rate,   potential, fmnist, 60",
            "fixtures/fmnist/mlp.onnx,     akd1500, rate,   potential, fmnist, 200",
            "fixtures/fmnist/cnn.onnx,     akd1000, direct, potential, fmnist, 60",
            "fixtures/fmnist/resnet.onnx,  akd1500, direct, potential, fmnist, 60",
            "fixtures/fmnist/resnet.onnx,  akd1000, rate,   count,     fmnist, 60",
    })
    void simulatorEqualsTheIntegerSnnInterpreter(String file, String target, String encoding, String decoding, String source, int n) {
        Module loaded = Nmcc.load(Path.of(file));
        Shape shape = ModelSummary.of(loaded).inputs().getFirst().type().shape();
        Compiled c = compile(Path.of(file), target, encoding, decoding, calibration(shape, source), 32);
        Batch in = data(shape, source, n);
        int timesteps = c.model().io().timesteps();
        long seed = c.model().io().seed();
        SnnInterpreter interp = new SnnInterpreter(c.hw());
        String inputName = interp.inputShapes().keySet().iterator().next();
        SnnResult ref = interp.run(Map.of(inputName, in), timesteps, seed, 0);
        Simulator sim = new Simulator(c.model());
        Map<String, InputBatch> simIn = Map.of(inputName, new InputBatch(in.samples(), in.data()));
        SimResult got = sim.run(simIn, new SimOptions(Mode.FUNCTIONAL, timesteps, seed, 0), null);

        assertThat(got.outputs()).hasSameSizeAs(ref.outputs());
        for (SnnResult.Output o : ref.outputs()) {
            SimResult.Output g = got.output(o.name());
            assertThat(g.values()).as("output %s", o.name()).containsExactly(o.values());
            if (o.finalPotentials() == null) assertThat(g.finalPotentials()).isNull();
            else assertThat(g.finalPotentials()).as("final potentials of %s", o.name()).containsExactly(o.finalPotentials());
        }
        assertThat(got.predictions()).containsExactly(ref.outputs().getFirst().predictions());
        SnnStats st = ref.stats();
        assertThat(got.populations()).hasSameSizeAs(st.populations());
        for (int p = 0; p < st.populations().size(); p++) {
            assertThat(got.populations().get(p).spikesPerNeuron()).as("spikes per neuron of %s", st.populations().get(p).name())
                    .containsExactly(st.populations().get(p).spikesPerNeuron());
        }
        assertThat(got.sampleSops()).containsExactly(st.sampleSops());
        assertThat(got.sampleSpikes()).containsExactly(st.sampleSpikes());
        assertThat(st.spikes()).as("the network is not silent").isPositive();
        long distinct = Arrays.stream(got.predictions()).distinct().count();
        assertThat(distinct).as("predictions vary across samples").isGreaterThan(1);

        spikeTrainsAgree(c, interp, sim, inputName, in, timesteps, seed);

        // cycle mode drives the same engine with the cycle model watching: the same numbers on the first samples
        int k = Math.min(6, in.samples());
        SimResult cyc = sim.run(Map.of(inputName, new InputBatch(k, Arrays.copyOf(in.data(), k * in.sampleSize()))),
                new SimOptions(Mode.CYCLE, timesteps, seed, 0), null);
        for (SnnResult.Output o : ref.outputs()) {
            int size = o.size();
            assertThat(cyc.output(o.name()).values()).as("cycle-mode output %s", o.name())
                    .containsExactly(Arrays.copyOf(o.values(), k * size));
        }
        assertThat(cyc.sampleSops()).containsExactly(Arrays.copyOf(st.sampleSops(), k));
        assertThat(cyc.cycle().sampleCycles()).hasSize(k);
    }

    /** Samples 0 and 5: the simulator's trace equals the interpreter's observer, spike by spike. */
    private static void spikeTrainsAgree(Compiled c, SnnInterpreter interp, Simulator sim, String inputName, Batch in, int timesteps,
                                         long seed) {
        Map<Integer, Integer> layerOfValue = layerOfValue(c.hw().graph());
        for (int s : new int[] {0, 5}) {
            List<String> ref = Collections.synchronizedList(new ArrayList<>()), got = new ArrayList<>();
            int n = in.sampleSize();
            Batch one = new Batch(1, in.sampleShape(), Arrays.copyOfRange(in.data(), s * n, (s + 1) * n));
            interp.run(Map.of(inputName, one), timesteps, seed, s, (value, sample, t, idx, count) ->
                    ref.add(t + " " + layerOfValue.get(value.id()) + " " + Arrays.toString(Arrays.copyOf(idx, count))));
            sim.trace(Map.of(inputName, new InputBatch(in.samples(), in.data())), s, new SimOptions(Mode.FUNCTIONAL, timesteps, seed, 0),
                    (t, layer, idx, count) -> got.add(t + " " + layer + " " + Arrays.toString(Arrays.copyOf(idx, count))));
            assertThat(got).as("spike trains of sample %d", s).isEqualTo(ref);
            assertThat(got).isNotEmpty();
        }
    }

    /** The layer of each op's result: one layer per op except core slices, routes and outputs (the emitter's numbering). */
    static Map<Integer, Integer> layerOfValue(Graph g) {
        Map<Integer, Integer> m = new HashMap<>();
        int l = 0;
        for (Op op : g.ops()) {
            if (op.kind() == OpKind.HW_CORE_SLICE || op.kind() == OpKind.HW_ROUTE || op.kind() == OpKind.SNN_OUTPUT) continue;
            m.put(op.result().id(), l++);
        }
        return m;
    }
}

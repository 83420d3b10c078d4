package dev.nmcc.tests.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nmcc.backend.emit.NmcEmitter;
import dev.nmcc.backend.target.Target;
import dev.nmcc.backend.target.Targets;
import dev.nmcc.driver.api.Nmcc;
import dev.nmcc.ir.diag.DiagnosticSink;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.interp.Batch;
import dev.nmcc.nmc.model.NmcModel;
import dev.nmcc.passes.CompileSettings;
import dev.nmcc.passes.PassContext;
import dev.nmcc.passes.PassManager;
import dev.nmcc.passes.PassRegistry;
import dev.nmcc.passes.Presets;
import dev.nmcc.sim.InputBatch;
import dev.nmcc.sim.Mode;
import dev.nmcc.sim.ProgressListener;
import dev.nmcc.sim.SimOptions;
import dev.nmcc.sim.SimResult;
import dev.nmcc.sim.Simulator;
import dev.nmcc.sim.cycle.CycleStats;
import dev.nmcc.tests.fixtures.FmnistFixtures;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Both simulator modes on compiled fixtures, in both encodings: cycle mode gives the very outputs and predictions of
 * functional mode, and its per-core SOPs add up to functional mode's SOPs sample by sample; its time adds up per core.
 */
class CycleModeTest {
    private static final int SAMPLES = 12, T = 16;

    /** Compiles a model through the default pipeline for akd1500 (as nmcc compile does) and emits its .nmc model. */
    private static NmcModel compile(Path model, String encoding) {
        PassRegistry registry = PassRegistry.standard();
        Module module = Nmcc.load(model);
        Target target = Targets.resolve("akd1500");
        Batch all = FmnistFixtures.images("calib_images.npy");
        int n = Math.min(200, all.samples());
        Batch calib = new Batch(n, all.sampleShape(), Arrays.copyOf(all.data(), n * all.sampleSize()));
        CompileSettings settings = new CompileSettings(T, encoding, "potential", 7, calib, null, null).withTarget(target);
        PassContext context = new PassContext(settings, new DiagnosticSink(), null);
        var pipeline = Presets.pipeline(Presets.DEFAULT, registry).startingAt(module.stage());
        Module hw = new PassManager(registry, PassManager.Options.defaults()).run(pipeline, module, context).module();
        return NmcEmitter.emit(hw, target, T, 7, "nmcc test", "");
    }

    @ParameterizedTest(name = "{0}, {1} input")
    @CsvSource({"fixtures/fmnist/mlp.nmd, direct", "fixtures/fmnist/mlp.nmd, rate", "fixtures/fmnist/cnn.nmd, direct",
            "fixtures/fmnist/cnn.nmd, rate"})
    void cycleModeAgreesWithFunctionalMode(String file, String encoding) {
        NmcModel model = compile(Path.of(file), encoding);
        Batch images = FmnistFixtures.images("test_images.npy");
        float[] data = Arrays.copyOf(images.data(), SAMPLES * images.sampleSize());
        Map<String, InputBatch> in = Map.of(model.io().inputs().getFirst().name(), new InputBatch(SAMPLES, data));
        Simulator sim = new Simulator(model);
        SimResult f = sim.run(in, SimOptions.defaults(model, Mode.FUNCTIONAL), ProgressListener.NONE);
        SimResult c = sim.run(in, SimOptions.defaults(model, Mode.CYCLE), ProgressListener.NONE);

        assertThat(c.predictions()).containsExactly(f.predictions());
        for (int o = 0; o < f.outputs().size(); o++) assertThat(c.outputs().get(o).values()).containsExactly(f.outputs().get(o).values());
        assertThat(c.sampleSops()).containsExactly(f.sampleSops());
        assertThat(c.sampleSpikes()).containsExactly(f.sampleSpikes());

        CycleStats st = c.cycle();
        assertThat(f.cycle()).isNull();
        assertThat(st.sampleCycles()).hasSize(SAMPLES);
        long coreSops = st.cores().stream().mapToLong(CycleStats.CoreStats::sops).sum();
        assertThat(coreSops).isEqualTo(Arrays.stream(f.sampleSops()).sum()).isPositive();
        long cycles = Arrays.stream(st.sampleCycles()).sum();
        assertThat(Arrays.stream(st.timestepCycles()).sum()).isEqualTo(cycles);
        for (CycleStats.CoreStats core : st.cores()) assertThat(core.busy() + core.idle() + core.asleep()).isEqualTo(cycles);
        assertThat(st.cores()).hasSize(model.slices().size());
        assertThat(st.neuronUpdates()).isEqualTo(model.slices().stream().mapToLong(s -> s.neurons()).sum() * T * SAMPLES);
        assertThat(st.energyAlwaysAwakePj()).isGreaterThanOrEqualTo(st.dynamicEnergyPj() + st.staticEnergyPj());
    }
}

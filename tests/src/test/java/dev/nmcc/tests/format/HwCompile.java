package dev.nmcc.tests.format;

import dev.nmcc.backend.emit.NmcEmitter;
import dev.nmcc.backend.target.Target;
import dev.nmcc.backend.target.Targets;
import dev.nmcc.driver.api.Nmcc;
import dev.nmcc.ir.diag.DiagnosticSink;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.interp.Batch;
import dev.nmcc.ir.op.Stage;
import dev.nmcc.nmc.model.NmcModel;
import dev.nmcc.passes.CompileSettings;
import dev.nmcc.passes.PassContext;
import dev.nmcc.passes.PassManager;
import dev.nmcc.passes.PassRegistry;
import dev.nmcc.passes.Presets;
import dev.nmcc.passes.mapping.MappingReport;
import dev.nmcc.tests.fixtures.FmnistFixtures;
import java.nio.file.Path;
import java.util.Arrays;

/** Compiles a model through the default pipeline to stage hw, as {@code nmcc compile} does, and emits its .nmc model. */
final class HwCompile {
    private HwCompile() {}

    /** The hw module and the model emitted from it. */
    record Compiled(Module module, Target target, NmcModel model) {}

    /** The first 200 calibration images (enough for thresholds; keeps the tests quick). */
    static Batch calibration() {
        Batch all = FmnistFixtures.images("calib_images.npy");
        int n = Math.min(200, all.samples());
        return new Batch(n, all.sampleShape(), Arrays.copyOf(all.data(), n * all.sampleSize()));
    }

    static Compiled compile(Path model, String targetName) {
        PassRegistry registry = PassRegistry.standard();
        Module module = Nmcc.load(model);
        Target target = Targets.resolve(targetName);
        CompileSettings settings = new CompileSettings(32, "direct", "potential", 7, calibration(), null, null).withTarget(target);
        PassContext context = new PassContext(settings, new DiagnosticSink(), null);
        var pipeline = Presets.pipeline(Presets.DEFAULT, registry).startingAt(module.stage());
        Module hw = new PassManager(registry, PassManager.Options.defaults()).run(pipeline, module, context).module();
        if (hw.stage() != Stage.HW) throw new AssertionError("the default pipeline ended at " + hw.stage());
        String report = context.get(MappingReport.class).map(MappingReport::json).orElse("");
        return new Compiled(hw, target, NmcEmitter.emit(hw, target, 32, 7, "nmcc test", report));
    }
}

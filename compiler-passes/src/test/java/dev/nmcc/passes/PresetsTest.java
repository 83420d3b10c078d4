package dev.nmcc.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.op.Stage;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PresetsTest {
    /** Stand-ins with the options the preset table uses, to check the table parses when the passes exist. */
    private static PassInfo fake(String name, Set<Stage> accepts, Stage produces, OptionSpec... options) {
        return new PassInfo(name, "stand-in", accepts, produces, List.of(options), o -> new Pass() {
            @Override public PassInfo info() { return null; }

            @Override public PassResult run(Module m, PassContext c) { return PassResult.unchanged(m); }
        });
    }

    /** The standard passes, plus stand-ins for those not built yet. */
    private static final PassRegistry FULL = withStandIns(
            fake("calibrate-thresholds", Set.of(Stage.ANN), Stage.SNN,
                    OptionSpec.choice("mode", "percentile", List.of("max", "percentile", "scale"), ""),
                    OptionSpec.number("p", 99.9, ""),
                    OptionSpec.flag("channel-wise", true, ""),
                    OptionSpec.choice("v0", "half", List.of("zero", "half"), "")),
            fake("eliminate-dead-neurons", Set.of(Stage.SNN), null,
                    OptionSpec.choice("mode", "exact", List.of("exact", "calibrated"), "")),
            fake("quantize-weights", Set.of(Stage.SNN), null,
                    OptionSpec.integer("bits", 8, ""),
                    OptionSpec.choice("granularity", "per-channel", List.of("per-tensor", "per-channel"), "")),
            fake("allocate-cores", Set.of(Stage.SNN), Stage.HW),
            fake("annotate-wake-on-spike", Set.of(Stage.HW), null));

    private static PassRegistry withStandIns(PassInfo... standIns) {
        PassRegistry std = PassRegistry.standard();
        return std.with(java.util.Arrays.stream(standIns).filter(p -> !std.contains(p.name())).toArray(PassInfo[]::new));
    }

    @Test void everyLevelParsesAndChainsStagesWhenAllPassesExist() {
        for (Presets.Level l : Presets.Level.values()) {
            Pipeline p = Presets.pipeline(l, FULL);
            assertEquals(Presets.text(l), p.text(), "the table is written canonically");
            assertEquals(Stage.HW, p.checkStages(Stage.ANN, FULL));
            assertEquals(List.of(), Presets.skipped(l, FULL));
        }
    }

    @Test void levelsGrow() {
        assertEquals("calibrate-thresholds,quantize-weights,allocate-cores", Presets.pipeline(Presets.Level.O0, FULL).text());
        assertTrue(Presets.pipeline(Presets.Level.O1, FULL).contains("fold-batchnorm"));
        assertTrue(Presets.pipeline(Presets.Level.O2, FULL).contains("annotate-wake-on-spike"));
    }

    @Test void unregisteredPassesAreSkippedForPresetsOnly() {
        PassRegistry std = PassRegistry.standard();
        for (Presets.Level l : Presets.Level.values()) {
            Pipeline p = Presets.pipeline(l, std);
            for (Pipeline.Step s : p.steps()) assertTrue(std.contains(s.name()));
            assertEquals(p.size() + Presets.skipped(l, std).size(), Presets.elements(l).size());
        }
        assertEquals("fold-batchnorm", Presets.pipeline(Presets.Level.O2, std.with()).text().split(",")[0]);
        assertTrue(Presets.skipped(Presets.Level.O0, std).contains("calibrate-thresholds") == !std.contains("calibrate-thresholds"));
    }

    @Test void presetStartsAtTheInputStage() {
        Pipeline p = Presets.pipeline(Presets.Level.O2, FULL).startingAt(Stage.SNN);
        assertEquals("eliminate-dead-neurons", p.steps().getFirst().name());
    }
}

package dev.nmcc.backend.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nmcc.ir.diag.CompilationException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bundled targets: they load, hold the published figures, cite a source for every field, and are canonical. */
class TargetsTest {
    @Test
    void akd1000HoldsThePublishedFigures() {
        Target t = Targets.resolve("akd1000");
        assertThat(t.geometry()).isEqualTo(new Geometry(1, 20, 4, 4, 5));
        assertThat(t.totalNpus()).isEqualTo(80);
        assertThat(t.npu().weightBits()).containsExactly(1, 2, 4, 8);
        assertThat(t.npu().activationBits()).containsExactly(1, 2, 4);
        assertThat(t.npu().synapseMemoryBytes()).isEqualTo(8L * 1024 * 1024 / 80); // 104,857 B: 8 MB / 80, rounded down
        assertThat(t.totalSynapseMemoryBytes()).isLessThanOrEqualTo(8L * 1024 * 1024);
        assertThat(t.npu().maxFanIn()).isEqualTo(57334);
        assertThat(t.layers().convKernelSizes()).containsExactly(1, 3, 5, 7);
        assertThat(t.layers().allowsConv(3, 2, false)).isTrue();
        assertThat(t.layers().allowsConv(3, 3, false)).isFalse();
        assertThat(t.layers().allowsConv(7, 3, true)).isTrue();
    }

    @Test
    void akd1500IsTheWalkthroughPart() {
        Target t = Targets.resolve("akd1500");
        assertThat(t.totalNpus()).isEqualTo(80);
        assertThat(t.npu().weightBits()).containsExactly(1, 4);
        assertThat(t.npu().supportsWeightBits(4)).isTrue();
        assertThat(t.npu().supportsWeightBits(8)).isFalse();
        assertThat(t.totalSynapseMemoryBytes()).isLessThanOrEqualTo(2L * 1024 * 1024).isGreaterThan(2L * 1024 * 1024 - 80);
        assertThat(t.energy().pjPerSop()).isEqualTo(0.8);
    }

    @Test
    void everyBundledNumberHasASource() {
        for (Target t : Targets.bundled()) {
            for (TargetFields.Field f : TargetFields.all()) {
                if (f.section().isEmpty()) continue;
                assertThat(t.sources()).as(t.name() + " source of " + f.name()).containsKey(f.name());
                assertThat(t.sources().get(f.name())).as(t.name() + " source of " + f.name()).isNotBlank();
            }
        }
    }

    @Test
    void bundledFilesAreInCanonicalFormAndRoundTrip() {
        for (String name : Targets.BUNDLED) {
            Target t = Targets.bundled(name).orElseThrow();
            String json = TargetJson.write(t);
            assertThat(json).as(name).isEqualTo(Targets.bundledText(name).orElseThrow());
            assertThat(TargetLoader.parse(json, name + ".json")).isEqualTo(t);
        }
    }

    @Test
    void roundTripKeepsEveryValue() {
        Target t = Targets.resolve("akd1000").withChips(3);
        Target back = TargetLoader.parse(TargetJson.write(t), "x.json");
        assertThat(back).isEqualTo(t);
        assertThat(back.geometry().chips()).isEqualTo(3);
        Target odd = new Target("odd", "quotes \" and \\ and µ", new Geometry(2, 3, 1, 1, 3),
                new Npu(7, 1000, List.of(8, 1), List.of(2), 9, 64),
                new LayerLimits(4, List.of(3), 64, List.of(1), List.of(1), List.of(3), List.of(2), List.of(2)),
                new Timing(123.456, 1, 3, 0, 0.125, 0, 1e-3, 0), new Energy(0, 0.1, 0, 1e6, 0.3, 0.3), java.util.Map.of());
        assertThat(TargetLoader.parse(TargetJson.write(odd), "odd.json")).isEqualTo(odd);
    }

    @Test
    void unknownNamesListTheBundledTargets() {
        assertThatThrownBy(() -> Targets.resolve("akd100"))
                .isInstanceOf(CompilationException.class)
                .hasMessage("<unknown>: error: unknown target 'akd100'; did you mean 'akd1000'? "
                        + "(bundled targets: akd1000, akd1500; or give the path of a .json target file)");
        assertThatThrownBy(() -> Targets.resolve("loihi"))
                .hasMessage("<unknown>: error: unknown target 'loihi' (bundled targets: akd1000, akd1500; or give the path of a .json target file)");
    }

    @Test
    void pathsAreLoaded() {
        Target t = Targets.resolve(TargetLoaderTest.resource("good.json").toString());
        assertThat(t.name()).isEqualTo("test-chip");
    }

    @Test
    void recordsRejectWhatCanNeverBeValid() {
        assertThatThrownBy(() -> new Geometry(1, 20, 4, 4, 4)).hasMessage("a 4 x 4 mesh cannot hold 20 nodes");
        assertThatThrownBy(() -> new Npu(1, 1, List.of(3), List.of(1), 1, 20)).hasMessage("weight_bits: unsupported value 3");
        assertThatThrownBy(() -> new Timing(0, 1, 1, 1, 1, 1, 1, 1)).hasMessage("clock_mhz must be a positive number, got 0.0");
        assertThatThrownBy(() -> new Energy(-1, 0, 0, 0, 0, 0)).hasMessage("pj_per_sop must be a non-negative number, got -1.0");
    }
}

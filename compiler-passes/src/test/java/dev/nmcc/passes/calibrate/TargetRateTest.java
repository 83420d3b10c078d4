package dev.nmcc.passes.calibrate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nmcc.ir.diag.Severity;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.interp.Batch;
import dev.nmcc.ir.type.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TargetRateTest {
    static Batch data(int n) {
        SplittableRandom rnd = new SplittableRandom(9);
        float[] x = new float[n * 72];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextDouble();
        return new Batch(n, Shape.of(2, 6, 6), x);
    }

    @Test void scalesAreAdjustedUntilTheMeanRateIsInRange() {
        Module ann = NormalisationEquivalenceTest.randomNet(11);
        Batch calib = data(30);
        var ctx = CalibrateThresholdsTest.context(calib, 16);
        var base = CalibrateThresholdsTest.pass("mode=max").convert(ann, CalibrateThresholdsTest.context(calib, 16));
        double baseRate = new SpikeSim(base.module()).run(calib, 16, new int[] {16}, 0, false).meanRate();

        double lo = baseRate * 1.8, hi = baseRate * 2.4;
        var c = CalibrateThresholdsTest.pass("mode=max", "target-rate=" + lo + ".." + hi).convert(ann, ctx);
        double rate = new SpikeSim(c.module()).run(calib, 16, new int[] {16}, 0, false).meanRate();
        assertThat(rate).isBetween(lo, hi);
        assertThat(c.globalFactor()).isLessThan(1.0); // more spikes need smaller scales
        assertThat(ctx.reportLines()).anySatisfy(l -> assertThat(l).startsWith("target-rate: scales × "));
        assertThat(ctx.diagnostics().diagnostics()).noneMatch(d -> d.severity() == Severity.WARNING);
    }

    @Test void anUnreachableRangeIsExplained() {
        Module ann = NormalisationEquivalenceTest.randomNet(11);
        Batch calib = data(10);
        var ctx = CalibrateThresholdsTest.context(calib, 8);
        CalibrateThresholdsTest.pass("target-rate=0.99..1.0").run(ann, ctx);
        assertThat(ctx.diagnostics().diagnostics()).anySatisfy(d -> {
            assertThat(d.severity()).isEqualTo(Severity.WARNING);
            assertThat(d.message()).startsWith("target-rate 0.990..1.00 not reached: mean firing rate");
        });
    }
}

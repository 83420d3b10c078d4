package dev.nmcc.passes.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.interp.Batch;
import dev.nmcc.ir.interp.SnnInterpreter;
import dev.nmcc.ir.type.ElementType;
import dev.nmcc.ir.type.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ExpectedSopsTest {
    static final int T = 16;

    /** Random inputs in [0, 1) with about a third of the elements zero (direct input events are the non-zero ones). */
    static Batch inputs(int samples, Shape shape, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] d = new float[samples * shape.elementCount()];
        for (int i = 0; i < d.length; i++) d[i] = r.nextInt(3) == 0 ? 0 : (float) r.nextDouble();
        return new Batch(samples, shape, d);
    }

    static double total(NetworkLayers net, ActivityProfile p) {
        double s = 0;
        for (double v : ExpectedSops.perLayer(net, p)) s += v;
        return s * T;
    }

    /** On a dense network, the expectation from measured rates is the interpreter's count on the same samples, exactly. */
    @Test void denseNetworksMatchTheInterpreterExactly() {
        Module m = TestNets.mlp("m", new int[] {64, 32, 16, 10}, ElementType.I4, 3);
        Batch x = inputs(20, Shape.of(64), 5);
        NetworkLayers net = NetworkLayers.of(m);
        ActivityProfile p = ActivityProfile.measure(net, x, T, 0, 20, 0.1);
        var stats = new SnnInterpreter(m).run(x, T, 0, 0).stats();
        assertThat(stats.spikes()).isPositive();
        assertThat(total(net, p)).isCloseTo((double) stats.sops() / stats.samples(), within(1e-6));
    }

    /**
     * The counting rules by hand on a small CNN (1x8x8 → conv 4 k3 p1 → IF → avgpool 2 → conv 4 k3 p1
     * → IF → avgpool 2 → dense 8 → IF → dense 3) at a uniform rate r and input density d:
     * conv1: d · 4 output channels · Σ covered positions (per axis 2+3·6+2 = 22, so 484);
     * c1 → avgpool: r · 256 spikes · 1 window each, then a pooled element is an event with
     * q = 1 − (1 − r)^4 and conv2 does q · 4 in-channels · 4 out-channels · (2+3+3+2)^2 = 100;
     * c2 → avgpool: r · 64, then dense 8 on 16 pooled elements: q · 16 · 8; h → dense 3: r · 8 · 3.
     */
    @Test void countsFollowTheInterpretersRules() {
        Module m = TestNets.cnn("c", 1, 8, 4, 4, 8, 3, ElementType.I4, 1);
        double r = 0.1, d = 0.5;
        ActivityProfile p = new ActivityProfile(null, r, d, "test");
        double[] layer = ExpectedSops.perLayer(NetworkLayers.of(m), p);
        double q = 1 - Math.pow(1 - r, 4);
        assertThat(layer[0]).isCloseTo(d * 4 * 484, within(1e-9));
        assertThat(layer[1]).isCloseTo(r * 256 + q * 4 * 4 * 100, within(1e-9));
        assertThat(layer[2]).isCloseTo(r * 64 + q * 16 * 8, within(1e-9));
        assertThat(layer[3]).isCloseTo(r * 8 * 3, within(1e-9));
    }

    /** Measured projection events replace the independence guess behind a pooling: the CNN then matches the interpreter. */
    @Test void measuredEventsBehindPoolingMatchTheInterpreter() {
        Module m = TestNets.cnn("c", 1, 8, 4, 4, 8, 3, ElementType.I4, 1);
        Batch x = inputs(30, Shape.of(1, 8, 8), 7);
        NetworkLayers net = NetworkLayers.of(m);
        ActivityProfile p = ActivityProfile.measure(net, x, T, 0, 30, 0.1);
        var stats = new SnnInterpreter(m).run(x, T, 0, 0).stats();
        double measured = (double) stats.sops() / stats.samples();
        assertThat(stats.spikes()).isPositive();
        // Only where the pooled events fall relative to conv2's padded border is modelled (by the neurons' rates);
        // on a 4 x 4 plane 12 of 16 positions are border ones, so this small net is the hard case for it.
        assertThat(total(net, p)).isCloseTo(measured, org.assertj.core.data.Percentage.withPercentage(5));
    }
}

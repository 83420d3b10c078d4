package dev.nmcc.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nmcc.nmc.model.Encoding;
import dev.nmcc.nmc.model.NmcModel;
import dev.nmcc.nmc.model.Reset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Neuron dynamics on hand-built models, every expected number worked out by hand in the comments. */
class SimulatorNeuronTest {
    static SimResult run(NmcModel m, int timesteps, float... x) {
        return new Simulator(m).run(Map.of("x", new InputBatch(1, x)), new SimOptions(Mode.FUNCTIONAL, timesteps, 0, 0), null);
    }

    /** x_q = 10 (scale 10, x = 1), one dense weight 3: I = 30 every step; threshold 40. */
    private static NmcModel constantCurrent(Reset reset) {
        ModelBuilder b = new ModelBuilder();
        int x = b.input("x", 1);
        int e = b.encode(x, Encoding.DIRECT, 10);
        int d = b.dense(e, 1, 4, new int[] {3}, null);
        int p = b.neurons(d, false, 0, reset, 32, new int[] {40}, new int[] {0});
        b.decodeCount(p, "out", p);
        return b.build();
    }

    @Test
    void resetBySubtractionKeepsTheRemainder() {
        // v: 30, 60→spike→20, 50→spike→10, 40→spike→0, 30: 3 spikes at t = 1, 2, 3, final 30
        NmcModel m = constantCurrent(Reset.SUBTRACT);
        SimResult r = run(m, 5, 1f);
        assertThat(r.output("out").values()).containsExactly(3);
        assertThat(r.output("out").finalPotentials()).containsExactly(30);
        assertThat(r.populations().getFirst().spikesPerNeuron()).containsExactly(3);
        assertThat(r.sampleSpikes()).containsExactly(3);
        // the dense projection reads the static direct input: 1 event × 1 synapse, counted at each of the 5 steps
        assertThat(r.sampleSops()).containsExactly(5);
        List<Integer> times = new ArrayList<>();
        new Simulator(m).trace(Map.of("x", new InputBatch(1, new float[] {1f})), 0, new SimOptions(Mode.FUNCTIONAL, 5, 0, 0),
                (t, layer, idx, n) -> {
                    if (layer == 3) for (int k = 0; k < n; k++) times.add(t);
                });
        assertThat(times).containsExactly(1, 2, 3);
    }

    @Test
    void resetToZeroDropsTheRemainder() {
        // v: 30, 60→spike→0, 30, 60→spike→0, 30: 2 spikes, final 30
        SimResult r = run(constantCurrent(Reset.ZERO), 5, 1f);
        assertThat(r.output("out").values()).containsExactly(2);
        assertThat(r.output("out").finalPotentials()).containsExactly(30);
    }

    @Test
    void leakIsAnArithmeticShiftBeforeIntegration() {
        // neuron 0: I = −5, v0 = 0: −5; −5−(−3)−5 = −7; −7−(−4)−5 = −8; −8−(−4)−5 = −9; −9−(−5)−5 = −9
        // neuron 1: I = 0, v0 = 7: 7−3 = 4; 4−2 = 2; 2−1 = 1; 1−0 = 1; 1
        ModelBuilder b = new ModelBuilder();
        int x = b.input("x", 1);
        int e = b.encode(x, Encoding.DIRECT, 255);
        int d = b.dense(e, 2, 8, new int[] {1, 1}, new int[] {-5, 0});
        int p = b.neurons(d, true, 1, Reset.SUBTRACT, 32, new int[] {100}, new int[] {0, 7});
        b.decodeCount(p, "out", p);
        SimResult r = run(b.build(), 5, 0f);
        assertThat(r.output("out").values()).containsExactly(0, 0);
        assertThat(r.output("out").finalPotentials()).containsExactly(-9, 1);
        assertThat(r.sampleSops()).containsExactly(0); // x_q = 0: no input events
    }

    @Test
    void potentialsSaturateToVBitsBeforeTheThresholdTest() {
        // v_bits = 4: potentials live in [−8, 7]. I = 30, −30, 30, 30 (bias); thresholds 100, 100, 7, 8; v0 50 → 7.
        // n0: stays at 7. n1: stays at −8. n2: min(v + 30, 7) = 7 ≥ 7 fires every step, back to 0.
        // n3: 7 < 8 never fires.
        ModelBuilder b = new ModelBuilder();
        int x = b.input("x", 1);
        int e = b.encode(x, Encoding.DIRECT, 255);
        int d = b.dense(e, 4, 2, new int[] {0, 0, 0, 0}, new int[] {30, -30, 30, 30});
        int p = b.neurons(d, false, 0, Reset.SUBTRACT, 4, new int[] {100, 100, 7, 8}, new int[] {50, 0, 0, 0});
        b.decodeCount(p, "out", p);
        SimResult r = run(b.build(), 5, 0f);
        assertThat(r.output("out").values()).containsExactly(0, 0, 5, 0);
        assertThat(r.output("out").finalPotentials()).containsExactly(7, -8, 0, 7);
        assertThat(r.predictions()).containsExactly(2);
    }

    @Test
    void perChannelThresholdsComeFromEverySlice() {
        // population [2, 2]: channel 0 = neurons 0, 1 (θ 10), channel 1 = neurons 2, 3 (θ 20); I = 10 everywhere.
        // slice 0 holds neurons 0..2 with thresholds [10, 20] and v0 0; slice 1 holds neuron 3 (channel 1) with θ 20, v0 5.
        // n0, n1 fire every step (4); n2: 10, 20→0, 10, 20→0 (2); n3: 15, 25→5, 15, 25→5 (2, final 5)
        ModelBuilder b = new ModelBuilder();
        int x = b.input("x", 1);
        int e = b.encode(x, Encoding.DIRECT, 255);
        int d = b.dense(e, 4, 4, new int[4], new int[] {10, 10, 10, 10}, 3);
        int r2 = b.reshape(d, 2, 2);
        int p = b.neuronsUnplaced(r2, false, 0, Reset.SUBTRACT, 32);
        b.slice(p, 0, 3, 0, new int[] {10, 20}, new int[] {0});
        b.slice(p, 3, 4, 1, new int[] {20}, new int[] {5});
        b.decodeCount(p, "out", p);
        SimResult r = run(b.build(), 4, 0f);
        assertThat(r.populations().getFirst().spikesPerNeuron()).containsExactly(4, 4, 2, 2);
        assertThat(r.populations().getFirst().spikes()).isEqualTo(12);
        assertThat(r.populations().getFirst().firingRate(4, 1)).isEqualTo(12.0 / 16);
        assertThat(r.output("out").finalPotentials()).containsExactly(0, 0, 0, 5);
        assertThat(r.predictions()).containsExactly(0); // counts 4 = 4, potentials 0 = 0: the lower index
    }

    /** Two neurons with I = 10, θ = 25 and the given v0: both spike twice; the final potentials are the v0s. */
    private static int tieWinner(int v0a, int v0b) {
        // v0 = 0: 10, 20, 30→5, 15, 25→0: 2 spikes, final 0.   v0 = 4: 14, 24, 34→9, 19, 29→4: 2 spikes, final 4
        ModelBuilder b = new ModelBuilder();
        int x = b.input("x", 1);
        int e = b.encode(x, Encoding.DIRECT, 255);
        int d = b.dense(e, 2, 4, new int[2], new int[] {10, 10});
        int p = b.neurons(d, false, 0, Reset.SUBTRACT, 32, new int[] {25}, new int[] {v0a, v0b});
        b.decodeCount(p, "out", p);
        SimResult r = run(b.build(), 5, 0f);
        assertThat(r.output("out").values()).containsExactly(2, 2);
        assertThat(r.output("out").finalPotentials()).containsExactly(v0a, v0b);
        return r.predictions()[0];
    }

    @Test
    void equalCountsAreOrderedByFinalPotentialThenIndex() {
        assertThat(tieWinner(0, 4)).isEqualTo(1);
        assertThat(tieWinner(4, 0)).isEqualTo(0);
        assertThat(tieWinner(4, 4)).isEqualTo(0);
    }
}

package dev.nmcc.ir.interp;

import static dev.nmcc.ir.interp.SnnTesting.batch;
import static dev.nmcc.ir.interp.SnnTesting.parse;
import static dev.nmcc.ir.interp.SnnTesting.spikeTimes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.type.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

/** IF and LIF populations, float and integer, computed by hand. */
class SnnNeuronTest {
    /** One neuron fed by the direct (float) input as its constant current, counted. */
    private static Module floatNeuron(String op, String attrs) {
        return parse("""
                module @n stage snn {
                  %x = snn.input {name = "x"} : tensor<1xf32>
                  %c = snn.encode(%x) {mode = direct} : tensor<1xf32>
                  %s = OP(%c) {ATTRS} : spikes<1>
                  %n = snn.decode(%s) {mode = count} : tensor<1xi32>
                  snn.output(%n) {name = "n"}
                }
                """.replace("OP", op).replace("ATTRS", attrs));
    }

    /** One neuron fed by the integer direct input x_q = round(S x), through an i8 weight w. */
    private static Module intNeuron(int scale, int weight, String op, String attrs) {
        return parse("""
                module @n stage hw {
                  blob @w : tensor<1x1xi8> = [W]
                  %x = snn.input {name = "x"} : tensor<1xf32>
                  %c = snn.encode(%x) {mode = direct, input_scale = S} : tensor<1xi32>
                  %d = snn.dense(%c) {units = 1, weight = @w} : tensor<1xi32>
                  %s = OP(%d) {ATTRS} : spikes<1>
                  %n = snn.decode(%s) {mode = count} : tensor<1xi32>
                  snn.output(%n) {name = "n"}
                }
                """.replace("OP", op).replace("ATTRS", attrs).replace("S", Integer.toString(scale)).replace("W", Integer.toString(weight)));
    }

    private static final Batch ONE = batch(Shape.of(1), 1f);

    /** The membrane potential after each of T = 1 … steps timesteps (the count decoder's tie-break potentials). */
    private static double[] potentials(Module m, Batch in, int steps) {
        double[] v = new double[steps];
        SnnInterpreter interp = new SnnInterpreter(m);
        for (int t = 1; t <= steps; t++) v[t - 1] = interp.run(in, t).output().finalPotentials()[0];
        return v;
    }

    @Test
    void ifWithConstantCurrentSpikesEveryThirdStep() {
        // I = 0.3, θ = 1, v0 = 0, subtract: v = 0.3, 0.6, 0.9, 1.2 -> spike at t = 3 (v = 0.2), 0.5, 0.8, 1.1 -> spike at t = 6
        Module m = floatNeuron("snn.if", "threshold = 1.0, v0 = 0.0, reset = subtract");
        assertThat(spikeTimes(m, "s", batch(Shape.of(1), 0.3f), 8, 0)).containsExactly(3, 6);
    }

    @Test
    void halfThresholdInitialPotentialFiresEarlier() {
        // v0 = θ/2 = 0.5: v = 0.8, 1.1 -> spike at t = 1 (v = 0.1), 0.4, 0.7, 1.0 -> spike at t = 4 (in float32 the
        // sum lands on or just above 1), then 0.3, 0.6, 0.9: 2 spikes in 8 steps, as 0.5 + 8 · 0.3 = 2.9 says
        Module m = floatNeuron("snn.if", "threshold = 1.0, v0 = 0.5");
        List<Integer> times = spikeTimes(m, "s", batch(Shape.of(1), 0.3f), 8, 0);
        assertThat(times).containsExactly(1, 4);
    }

    @Test
    void resetBySubtractionKeepsTheRemainderResetToZeroDropsIt() {
        // I = 0.625 (exact in binary), θ = 1
        // subtract: .625 1.25|.25 .875 1.5|.5 1.125|.125 .75 1.375|.375 1.0|0 -> spikes at 1, 3, 4, 6, 7
        // zero:     .625 1.25|0 .625 1.25|0 ...                                 -> spikes at 1, 3, 5, 7
        Batch in = batch(Shape.of(1), 0.625f);
        assertThat(spikeTimes(floatNeuron("snn.if", "threshold = 1.0, reset = subtract"), "s", in, 8, 0)).containsExactly(1, 3, 4, 6, 7);
        assertThat(spikeTimes(floatNeuron("snn.if", "threshold = 1.0, reset = zero"), "s", in, 8, 0)).containsExactly(1, 3, 5, 7);
    }

    @Test
    void floatLifLeaksBeforeIntegrating() {
        // v <- 0.5 v + 1, θ = 1.5: 1, 1.5|0, 1, 1.5|0 -> spikes at 1, 3, 5; with leak 1 (no leak): 1, 2|.5, 1.5|0, 1, 2|.5 -> 1, 2, 4
        assertThat(spikeTimes(floatNeuron("snn.lif", "threshold = 1.5, leak = 0.5"), "s", ONE, 6, 0)).containsExactly(1, 3, 5);
        assertThat(spikeTimes(floatNeuron("snn.lif", "threshold = 1.5, leak = 1.0"), "s", ONE, 6, 0)).containsExactly(1, 2, 4, 5);
        assertThat(potentials(floatNeuron("snn.lif", "threshold = 8.0, leak = 0.75"), ONE, 3)).containsExactly(1.0, 1.75, 2.3125);
        // float form with only leak_shift = 2: leak = 1 - 2^-2 = 0.75
        assertThat(potentials(floatNeuron("snn.lif", "threshold = 8.0, leak_shift = 2"), ONE, 3)).containsExactly(1.0, 1.75, 2.3125);
    }

    @Test
    void integerLifLeaksByArithmeticShift() {
        // I = 10, leak_shift = 2, θ = 30: v = 10, 10-2+10 = 18, 18-4+10 = 24, 24-6+10 = 28, 28-7+10 = 31 -> spike, 1; 1-0+10 = 11
        Module m = intNeuron(10, 1, "snn.lif", "threshold = 30, leak_shift = 2");
        assertThat(potentials(m, ONE, 6)).containsExactly(10, 18, 24, 28, 1, 11);
        assertThat(spikeTimes(m, "s", ONE, 6, 0)).containsExactly(4);
        // I = -10: -10, -10-(-3)-10 = -17, -17-(-5)-10 = -22, -22-(-6)-10 = -26 (>> rounds toward -inf)
        assertThat(potentials(intNeuron(10, -1, "snn.lif", "threshold = 30, leak_shift = 2"), ONE, 4)).containsExactly(-10, -17, -22, -26);
        // leak_shift = 0 forgets everything: v = I every step
        assertThat(potentials(intNeuron(10, 1, "snn.lif", "threshold = 30, leak_shift = 0"), ONE, 3)).containsExactly(10, 10, 10);
    }

    @Test
    void integerIfResetModes() {
        // I = 7, θ = 10: subtract 7, 14|4, 11|1, 8, 15|5; zero 7, 14|0, 7, 14|0, 7
        assertThat(potentials(intNeuron(7, 1, "snn.if", "threshold = 10, reset = subtract"), ONE, 5)).containsExactly(7, 4, 1, 8, 5);
        assertThat(potentials(intNeuron(7, 1, "snn.if", "threshold = 10, reset = zero"), ONE, 5)).containsExactly(7, 0, 7, 0, 7);
        assertThat(potentials(intNeuron(7, 1, "snn.if", "threshold = 10, v0 = 5"), ONE, 2)).containsExactly(2, 9);
    }

    @Test
    void potentialsSaturateAtVBits() {
        // v_bits = 8: [-128, 127]; I = ±100 and a threshold never reached
        assertThat(potentials(intNeuron(100, 1, "snn.if", "threshold = 1000, v_bits = 8"), ONE, 4)).containsExactly(100, 127, 127, 127);
        assertThat(potentials(intNeuron(100, -1, "snn.if", "threshold = 1000, v_bits = 8"), ONE, 3)).containsExactly(-100, -128, -128);
        // saturation happens before the threshold test: 127 >= 120 fires and subtracts from the saturated value
        assertThat(potentials(intNeuron(100, 1, "snn.if", "threshold = 120, v_bits = 8"), ONE, 3)).containsExactly(100, 7, 107);
        // the default 32 bits: i32 currents summed in 64 bits then saturated
        assertThat(potentials(intNeuron(100, -1, "snn.if", "threshold = 1000, v_bits = 32, v0 = -2147483600"), ONE, 2))
                .containsExactly(-2147483648, -2147483648);
    }

    @Test
    void integerDirectInputRoundsHalfUp() {
        // x_q = clamp(floor(255 x + 0.5), 0, 255): 0.5 -> 128, 0.498 -> 127, 1.2 -> 255, -0.3 -> 0; potential decoding over T = 1
        Module m = parse("""
                module @d stage hw {
                  %x = snn.input {name = "x"} : tensor<4xf32>
                  %c = snn.encode(%x) {mode = direct, input_scale = 255} : tensor<4xi32>
                  %a = snn.decode(%c) {mode = potential} : tensor<4xi32>
                  snn.output(%a) {name = "a"}
                }
                """);
        SnnResult r = new SnnInterpreter(m).run(batch(Shape.of(4), 0.5f, 0.498f, 1.2f, -0.3f), 1);
        assertThat(r.output().values()).containsExactly(128, 127, 255, 0);
        assertThat(r.output().integer()).isTrue();
        assertThat(new SnnInterpreter(m).run(batch(Shape.of(4), 0.5f, 0.498f, 1.2f, -0.3f), 3).output().values())
                .containsExactly(384, 381, 765, 0);
    }
}

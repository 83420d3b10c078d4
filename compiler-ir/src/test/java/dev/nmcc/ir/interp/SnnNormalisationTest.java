package dev.nmcc.ir.interp;

import static dev.nmcc.ir.interp.SnnTesting.floats;
import static dev.nmcc.ir.interp.SnnTesting.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.type.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Normalisation equivalence (DESIGN §3), reference 1 against reference 2: a float ANN dense 4→3,
 * relu, dense 3→2 run by {@link AnnInterpreter}, and its SNN,
 * converted by hand (W'_l = W_l λ_{l-1} / λ_l, b'_l = b_l / λ_l, θ = 1, v0 = θ/2, reset by
 * subtraction, direct input, potential decoding): at large T the hidden rates approach the
 * normalised activations a_1 / λ_1, and the decoded potential over T approaches z_2 / λ_2.
 */
class SnnNormalisationTest {
    @Test
    void ratesApproachNormalisedActivationsLayerByLayer() {
        SplittableRandom rnd = new SplittableRandom(2024);
        float[] w1 = new float[12], b1 = new float[3], w2 = new float[6], b2 = new float[2];
        for (int i = 0; i < 12; i++) w1[i] = (float) rnd.nextDouble(-0.4, 1);
        for (int i = 0; i < 3; i++) b1[i] = (float) rnd.nextDouble(-0.2, 0.3);
        for (int i = 0; i < 6; i++) w2[i] = (float) rnd.nextDouble(-1, 1);
        for (int i = 0; i < 2; i++) b2[i] = (float) rnd.nextDouble(-0.2, 0.2);
        int samples = 12;
        float[] x = new float[samples * 4];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextDouble();

        // the ANN, run by reference 1 (the float interpreter), its hidden activations seen by an observer;
        // the per-layer scales λ = max activation over the samples
        Module ann = parse("""
                module @ann stage ann {
                  blob @w1 : tensor<3x4xf32> = W1
                  blob @b1 : tensor<3xf32> = B1
                  blob @w2 : tensor<2x3xf32> = W2
                  blob @b2 : tensor<2xf32> = B2
                  %x = ann.input {name = "x"} : tensor<4xf32>
                  %z1 = ann.dense(%x) {units = 3, weight = @w1, bias = @b1} : tensor<3xf32>
                  %a1 = ann.relu(%z1) : tensor<3xf32>
                  %z2 = ann.dense(%a1) {units = 2, weight = @w2, bias = @b2} : tensor<2xf32>
                  ann.output(%z2) {name = "logits"}
                }
                """.replace("W1", floats(w1)).replace("B1", floats(b1)).replace("W2", floats(w2)).replace("B2", floats(b2)));
        double[][] a1 = new double[samples][3], z2 = new double[samples][2];
        dev.nmcc.ir.graph.Value hidden = SnnTesting.value(ann, "a1");
        Batch logits = new AnnInterpreter(ann).run(new Batch(samples, Shape.of(4), x), (value, sample, data, offset, length) -> {
            if (value.equals(hidden)) for (int j = 0; j < 3; j++) a1[sample][j] = data[offset + j];
        });
        double lambda1 = 0, lambda2 = 0;
        for (int s = 0; s < samples; s++) {
            for (int j = 0; j < 3; j++) lambda1 = Math.max(lambda1, a1[s][j]);
            for (int k = 0; k < 2; k++) {
                z2[s][k] = logits.get(s, k);
                lambda2 = Math.max(lambda2, Math.abs(z2[s][k]));
            }
        }
        assertThat(lambda1).isPositive();

        // the hand conversion
        float[] w1n = new float[12], b1n = new float[3], w2n = new float[6], b2n = new float[2];
        for (int i = 0; i < 12; i++) w1n[i] = (float) (w1[i] / lambda1);
        for (int i = 0; i < 3; i++) b1n[i] = (float) (b1[i] / lambda1);
        for (int i = 0; i < 6; i++) w2n[i] = (float) (w2[i] * lambda1 / lambda2);
        for (int i = 0; i < 2; i++) b2n[i] = (float) (b2[i] / lambda2);
        Module snn = parse("""
                module @converted stage snn {
                  blob @w1 : tensor<3x4xf32> = W1
                  blob @b1 : tensor<3xf32> = B1
                  blob @w2 : tensor<2x3xf32> = W2
                  blob @b2 : tensor<2xf32> = B2
                  %x = snn.input {name = "x"} : tensor<4xf32>
                  %c = snn.encode(%x) {mode = direct} : tensor<4xf32>
                  %i1 = snn.dense(%c) {units = 3, weight = @w1, bias = @b1} : tensor<3xf32>
                  %h = snn.if(%i1) {threshold = 1.0, v0 = 0.5, reset = subtract} : spikes<3>
                  %i2 = snn.dense(%h) {units = 2, weight = @w2, bias = @b2} : tensor<2xf32>
                  %logits = snn.decode(%i2) {mode = potential} : tensor<2xf32>
                  snn.output(%logits) {name = "logits"}
                }
                """.replace("W1", floats(w1n)).replace("B1", floats(b1n)).replace("W2", floats(w2n)).replace("B2", floats(b2n)));

        int steps = 2000;
        SnnInterpreter interp = new SnnInterpreter(snn);
        int firing = 0;
        for (int s = 0; s < samples; s++) {
            float[] xs = new float[4];
            System.arraycopy(x, s * 4, xs, 0, 4);
            SnnResult r = interp.run(new Batch(1, Shape.of(4), xs), steps);
            long[] spikes = r.stats().populations().getFirst().spikesPerNeuron();
            for (int j = 0; j < 3; j++) {
                double rate = spikes[j] / (double) steps;
                assertThat(rate).as("sample %d hidden neuron %d", s, j).isCloseTo(a1[s][j] / lambda1, within(0.01));
                if (spikes[j] > 0) firing++;
            }
            for (int k = 0; k < 2; k++) {
                double out = r.output().values()[k] / steps;
                assertThat(out).as("sample %d output %d", s, k).isCloseTo(z2[s][k] / lambda2, within(0.01));
            }
        }
        assertThat(firing).as("hidden neurons that fired, over all samples").isGreaterThanOrEqualTo(2 * samples);
    }
}

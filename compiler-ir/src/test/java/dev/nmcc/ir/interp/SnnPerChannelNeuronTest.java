package dev.nmcc.ir.interp;

import static dev.nmcc.ir.interp.SnnTesting.batch;
import static dev.nmcc.ir.interp.SnnTesting.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.type.Shape;
import org.junit.jupiter.api.Test;

/** Per-channel thresholds and initial potentials (blobs of shape [C], as quantize-weights writes them). */
class SnnPerChannelNeuronTest {
    @Test // integer form: channel c of a [2, 1, 2] population has threshold [10, 20][c] and v0 [0, 15][c]
    void integerPerChannel() {
        Module m = parse("""
                module @n stage snn {
                  blob @w : tensor<2x1x1x1xi8> = [1, 1]
                  blob @th : tensor<2xi32> = [10, 20]
                  blob @v0 : tensor<2xi32> = [0, 15]
                  %x = snn.input {name = "x"} : tensor<1x1x2xf32>
                  %c = snn.encode(%x) {mode = direct, input_scale = 10} : tensor<1x1x2xi32>
                  %d = snn.conv2d(%c) {out_channels = 2, kernel = [1, 1], weight = @w} : tensor<2x1x2xi32>
                  %s = snn.if(%d) {threshold = @th, v0 = @v0, v_bits = 16} : spikes<2x1x2>
                  %n = snn.decode(%s) {mode = count} : tensor<2x1x2xi32>
                  snn.output(%n) {name = "n"}
                }
                """);
        // x_q = 10 per step: channel 0 (θ 10) fires every step; channel 1 (θ 20, v0 15) at t = 0 (25), then every 2nd step
        double[] counts = new SnnInterpreter(m).run(batch(Shape.of(1, 1, 2), 1f, 1f), 6).output().values();
        assertThat(counts).containsExactly(6, 6, 3, 3);
    }

    @Test // float form: per-neuron thresholds of a dense population
    void floatPerNeuron() {
        Module m = parse("""
                module @n stage snn {
                  blob @th : tensor<2xf32> = [1.0, 0.5]
                  %x = snn.input {name = "x"} : tensor<2xf32>
                  %c = snn.encode(%x) {mode = direct} : tensor<2xf32>
                  %s = snn.if(%c) {threshold = @th} : spikes<2>
                  %n = snn.decode(%s) {mode = count} : tensor<2xi32>
                  snn.output(%n) {name = "n"}
                }
                """);
        double[] counts = new SnnInterpreter(m).run(batch(Shape.of(2), 0.25f, 0.25f), 8).output().values();
        assertThat(counts).containsExactly(2, 4);
    }
}

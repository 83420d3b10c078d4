package dev.nmcc.passes.quantize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nmcc.ir.blob.Blob;
import dev.nmcc.ir.diag.DiagnosticSink;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.graph.Op;
import dev.nmcc.ir.interp.Batch;
import dev.nmcc.ir.interp.SnnInterpreter;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.ir.text.IrParser;
import dev.nmcc.ir.type.Shape;
import dev.nmcc.passes.CompileSettings;
import dev.nmcc.passes.PassContext;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The integer module computes what the float one does, up to quantization, measured with the SNN interpreter. */
class QuantizedAccuracyTest {
    static PassContext context() { return new PassContext(CompileSettings.defaults(), new DiagnosticSink(), null); }

    static Batch uniform(long seed, int samples, Shape shape) {
        Random r = new Random(seed);
        float[] d = new float[samples * shape.elementCount()];
        for (int i = 0; i < d.length; i++) d[i] = r.nextFloat();
        return new Batch(samples, shape, d);
    }

    static double agreement(int[] a, int[] b) {
        int ok = 0;
        for (int i = 0; i < a.length; i++) if (a[i] == b[i]) ok++;
        return (double) ok / a.length;
    }

    @ParameterizedTest // one projection into a potential decoder: y_q · s matches y within the rounding bound, every sample
    @ValueSource(ints = {8, 4, 2})
    void singleLayerWithinTheRoundingBound(int bits) {
        String text = QuantizeWeightsTest.randomMlp(bits, 10, 4, 3);
        // keep only encode -> dense -> decode: cut the hidden layers out of the text
        Module full = IrParser.parse(text, "mlp.nmir");
        Blob w1 = full.blobs().get("w1"), b1 = full.blobs().get("b1");
        String single = "module @one stage snn {\n"
                + QuantizeWeightsTest.blobText("w1", w1.floats(), 4, 10) + QuantizeWeightsTest.blobText("b1", b1.floats(), 4)
                + "  %x = snn.input {name = \"x\"} : tensor<10xf32>\n"
                + "  %e = snn.encode(%x) {mode = direct} : tensor<10xf32>\n"
                + "  %c = snn.dense(%e) {units = 4, weight = @w1, bias = @b1} : tensor<4xf32>\n"
                + "  %y = snn.decode(%c) {mode = potential} : tensor<4xf32>\n"
                + "  snn.output(%y) {name = \"y\"}\n}\n";
        Module m = IrParser.parse(single, "one.nmir");
        Module q = new QuantizeWeights(bits, true, 32).run(m, context()).module();
        Op d = q.graph().opsOf(OpKind.SNN_DENSE).getFirst();
        double s = d.attributes().getNumber("weight_scale", Double.NaN);
        int[] wq = q.blobs().get(d.attributes().getBlob("weight")).ints();
        int[] bq = q.blobs().get(d.attributes().getBlob("bias")).ints();
        Batch in = uniform(bits, 50, Shape.of(10));
        int t = 5;
        double[] y = new SnnInterpreter(m).run(in, t).output().values();
        double[] yq = new SnnInterpreter(q).run(in, t).output().values();
        for (int n = 0; n < in.samples(); n++) {
            for (int j = 0; j < 4; j++) {
                // |s (Σ w_q x_q + b_q) - (Σ W x + b)| <= Σ (|w_q| s / 2 + |w_q s 255 - W| x) + |b_q s - b|, per timestep
                double bound = Math.abs(bq[j] * s - b1.floats()[j]);
                for (int i = 0; i < 10; i++) {
                    double x = in.get(n, i);
                    bound += Math.abs(wq[j * 10 + i]) * s * 0.5 + Math.abs(wq[j * 10 + i] * s * 255 - w1.floats()[j * 10 + i]) * x;
                }
                assertThat(Math.abs(yq[n * 4 + j] * s - y[n * 4 + j])).isLessThanOrEqualTo(t * bound * (1 + 1e-6) + 1e-5);
            }
        }
    }

    @Test // a 3-layer network: predictions of the integer SNN agree with the float SNN's, better with more bits
    void predictionsAgree() {
        Module m = IrParser.parse(QuantizeWeightsTest.randomMlp(11, 16, 32, 6), "mlp.nmir");
        Batch in = uniform(3, 400, Shape.of(16));
        int[] ref = new SnnInterpreter(m).run(in, 32).predictions();
        double a8 = agreement(ref, new SnnInterpreter(new QuantizeWeights(8, true, 32).run(m, context()).module()).run(in, 32).predictions());
        double a4 = agreement(ref, new SnnInterpreter(new QuantizeWeights(4, true, 32).run(m, context()).module()).run(in, 32).predictions());
        assertThat(a8).isGreaterThan(0.93);
        assertThat(a4).isGreaterThan(0.8).isLessThanOrEqualTo(a8);
    }

    /**
     * Two linear layers without neurons between them (c2 reads c1's current): the integer current
     * of c1 is c2's input in units of c1's scale, so c2's weights and h's threshold must count it.
     * Before that was done, c2 read c1's integer current as if in real units and h fired at every
     * step. The integer SNN agrees with the float one neuron by neuron, within a spike or two.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aProjectionReadingAnotherProjectionsCurrent(boolean perChannel) {
        Random r = new Random(5);
        String text = "module @chain stage snn {\n"
                + QuantizeWeightsTest.blob("w1", r, 12, 16) + QuantizeWeightsTest.blob("b1", r, 12)
                + QuantizeWeightsTest.blob("w2", r, 8, 12) + QuantizeWeightsTest.blob("w3", r, 3, 8)
                + "  %x = snn.input {name = \"x\"} : tensor<16xf32>\n"
                + "  %e = snn.encode(%x) {mode = direct} : tensor<16xf32>\n"
                + "  %c1 = snn.dense(%e) {units = 12, weight = @w1, bias = @b1} : tensor<12xf32>\n"
                + "  %c2 = snn.dense(%c1) {units = 8, weight = @w2} : tensor<8xf32>\n"
                + "  %h = snn.if(%c2) {threshold = 1.0, v0 = 0.5} : spikes<8>\n"
                + "  %c3 = snn.dense(%h) {units = 3, weight = @w3} : tensor<3xf32>\n"
                + "  %y = snn.decode(%c3) {mode = potential} : tensor<3xf32>\n"
                + "  snn.output(%y) {name = \"y\"}\n}\n";
        Module m = IrParser.parse(text, "chain.nmir");
        Module q = new QuantizeWeights(8, perChannel, 32).run(m, context()).module();
        Op first = q.graph().opsOf(OpKind.SNN_DENSE).getFirst();
        assertThat(first.attributes().getOrNull("weight_scale")).as("c1's current is c2's input: one scale").isInstanceOf(
                dev.nmcc.ir.attr.Attribute.Float.class);
        Batch in = uniform(7, 60, Shape.of(16));
        int t = 32;
        long[] ref = new SnnInterpreter(m).run(in, t).stats().populations().getFirst().spikesPerNeuron();
        long[] got = new SnnInterpreter(q).run(in, t).stats().populations().getFirst().spikesPerNeuron();
        long total = 0;
        for (int i = 0; i < ref.length; i++) {
            total += ref[i];
            assertThat(Math.abs(got[i] - ref[i])).as("spikes of neuron %d over 60 samples", i).isLessThanOrEqualTo(2 + ref[i] / 50);
        }
        assertThat(total).as("the float network is neither silent nor saturated").isBetween(60L * t, 60L * t * 8 * 3 / 4);
    }

    @Test // a LIF with leak 1 does not leak: quantized, it behaves exactly as the IF (no leak_shift, which would move v < 0)
    void aLifWithoutLeakQuantizesToAnIf() {
        String text = QuantizeWeightsTest.randomMlp(21, 16, 32, 6);
        Module asIf = IrParser.parse(text, "if.nmir");
        Module asLif = IrParser.parse(text.replace("snn.if(%c2) {threshold = 1.0}", "snn.lif(%c2) {threshold = 1.0, leak = 1.0}"), "lif.nmir");
        assertThat(asLif.graph().opsOf(OpKind.SNN_LIF)).hasSize(1);
        Module qIf = new QuantizeWeights(4, true, 20).run(asIf, context()).module();
        Module qLif = new QuantizeWeights(4, true, 20).run(asLif, context()).module();
        Op lif = qLif.graph().opsOf(OpKind.SNN_LIF).getFirst();
        assertThat(lif.attributes().has("leak_shift")).isFalse();
        assertThat(lif.attributes().has("leak")).isFalse();
        Batch in = uniform(9, 200, Shape.of(16));
        var a = new SnnInterpreter(qIf).run(in, 32);
        var b = new SnnInterpreter(qLif).run(in, 32);
        assertThat(b.output().values()).containsExactly(a.output().values());
        assertThat(b.stats().populations().get(1).spikesPerNeuron()).containsExactly(a.stats().populations().get(1).spikesPerNeuron());
    }

    @Test // 8-bit weights on 8-bit input into a 12-bit membrane: thresholds that would not fit raise their channel's scale
    void thresholdsThatDoNotFitTheMembraneRaiseTheScale() {
        Module m = IrParser.parse(QuantizeWeightsTest.randomMlp(11, 16, 32, 6), "mlp.nmir");
        PassContext ctx = context();
        Module q = new QuantizeWeights(8, true, 12).run(m, ctx).module();
        var h1 = q.graph().opsOf(OpKind.SNN_IF).getFirst().attributes();
        List<Double> th = IntStream.range(0, 32).mapToObj(j -> h1.getNumberAt("threshold", j, q.blobs(), Double.NaN)).toList();
        assertThat(th).allSatisfy(t -> assertThat(t).isBetween(1.0, 2047.0)).contains(2047.0);
        assertThat(ctx.diagnostics().diagnostics()).filteredOn(d -> d.message().contains("membrane")).singleElement()
                .satisfies(d -> assertThat(d.message()).contains("thresholds of layer 'h1' exceed the 12-bit membrane range (up to 24.0x)")
                        .contains("its weight scale is raised to fit, so its weights use about"));
        // and the raised layer still computes what the float one does: predictions agree as at full precision
        Batch in = uniform(3, 400, Shape.of(16));
        int[] ref = new SnnInterpreter(m).run(in, 32).predictions();
        assertThat(agreement(ref, new SnnInterpreter(q).run(in, 32).predictions())).isGreaterThan(0.8);
    }

    @Test // a population fed by the direct input has no weights to take a coarser unit: its threshold is clamped, once
    void aDirectInputPopulationKeepsTheInputUnit() {
        Module m = IrParser.parse("""
                module @direct stage snn {
                  %x = snn.input {name = "x"} : tensor<4xf32>
                  %e = snn.encode(%x) {mode = direct} : tensor<4xf32>
                  %h = snn.if(%e) {threshold = 1.0} : spikes<4>
                  %y = snn.decode(%h) {mode = count} : tensor<4xi32>
                  snn.output(%y) {name = "y"}
                }
                """, "direct.nmir");
        PassContext ctx = context();
        Module q = new QuantizeWeights(8, true, 8).run(m, ctx).module();
        var h = q.graph().opsOf(OpKind.SNN_IF).getFirst().attributes();
        assertThat(h.getNumber("threshold", 0)).as("255 clamped to the 8-bit top").isEqualTo(127);
        assertThat(ctx.diagnostics().diagnostics()).extracting(d -> d.message()).containsExactly(
                "quantize-weights: the integer thresholds of 4 of 4 channels (up to 255) exceed the 8-bit membrane range and are "
                        + "clamped to 127: those neurons fire more often than calibrated");
    }

    @Test // with evaluation data the default evaluator (the SNN interpreter) reports accuracy before and after
    void accuracyReportedByTheInterpreter() {
        Module m = IrParser.parse(QuantizeWeightsTest.randomMlp(11, 16, 32, 6), "mlp.nmir");
        Batch in = uniform(3, 40, Shape.of(16));
        int[] labels = new SnnInterpreter(m).run(in, 16).predictions(); // the float SNN is 100% by construction
        var settings = new CompileSettings(16, "direct", "potential", 0, null, in, labels);
        PassContext ctx = new PassContext(settings, new DiagnosticSink(), null);
        new QuantizeWeights(8, true, 32).run(m, ctx);
        assertThat(ctx.reportLines().getLast()).startsWith("Accuracy: 100.00% -> ").endsWith("on 40 samples, T=16");
    }
}

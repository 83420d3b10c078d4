package dev.nmcc.passes.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nmcc.ir.diag.CompilationException;
import dev.nmcc.ir.diag.DiagnosticSink;
import dev.nmcc.ir.diag.Severity;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.graph.Op;
import dev.nmcc.ir.interp.Batch;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.ir.op.Stage;
import dev.nmcc.ir.text.IrParser;
import dev.nmcc.ir.type.Shape;
import dev.nmcc.ir.verify.Verifier;
import dev.nmcc.passes.CompileSettings;
import dev.nmcc.passes.PassContext;
import dev.nmcc.passes.PassOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CalibrateThresholdsTest {
    static CalibrateThresholds pass(String... kv) {
        Map<String, String> given = new LinkedHashMap<>();
        for (String s : kv) {
            String[] p = s.split("=", 2);
            given.put(p[0], p[1]);
        }
        Map<String, String> v = new LinkedHashMap<>(PassOptions.defaults(CalibrateThresholds.INFO).values());
        v.putAll(given);
        return new CalibrateThresholds(new PassOptions(v, given));
    }

    static PassContext context(Batch calib, int t) {
        return new PassContext(new CompileSettings(t, "direct", "potential", 0, calib, null, null), new DiagnosticSink(), null);
    }

    static Batch batch(Shape s, float... data) { return new Batch(data.length / s.elementCount(), s, data); }

    static float[] blob(Module m, Op op, String attr) { return m.blobs().get(op.attributes().getBlob(attr)).floats(); }

    // A 2→2→1 MLP. Calibration samples x = (1, 0) and (0, 2): hidden pre-activations are
    // h = W1 x + b1 with W1 = [[1, 2], [-1, 3]], b1 = [0.5, 0]:
    //   x=(1,0): h = (1.5, -1)   x=(0,2): h = (4.5, 6)   so max per neuron: (4.5, 6), per layer: 6.
    static final String MLP = """
            module @mlp stage ann {
              blob @w1 : tensor<2x2xf32> = [1.0, 2.0, -1.0, 3.0]
              blob @b1 : tensor<2xf32> = [0.5, 0.0]
              blob @w2 : tensor<1x2xf32> = [2.0, -4.0]
              blob @b2 : tensor<1xf32> = [1.0]
              %x = ann.input {name = "x"} : tensor<2xf32>
              %0 = ann.dense(%x) {units = 2, weight = @w1, bias = @b1} : tensor<2xf32>
              %h = ann.relu(%0) : tensor<2xf32>
              %1 = ann.dense(%h) {units = 1, weight = @w2, bias = @b2} : tensor<1xf32>
              ann.output(%1) {name = "y"}
            }
            """;

    @Test void convertsAHandComputableMlpPerLayer() {
        Module ann = IrParser.parse(MLP, "mlp.nmir");
        PassContext ctx = context(batch(Shape.of(2), 1, 0, 0, 2), 8);
        var c = pass("mode=max", "channel-wise=false").convert(ann, ctx);
        Module snn = c.module();
        Verifier.verifyOrThrow(snn, "after calibrate-thresholds");
        assertThat(snn.stage()).isEqualTo(Stage.SNN);
        assertThat(snn.graph().ops()).noneMatch(op -> op.kind().mnemonic().startsWith("ann."));
        assertThat(c.layers()).hasSize(1);
        assertThat(c.layers().getFirst().lambda()).containsExactly(6.0, 6.0); // one λ for the layer, listed per neuron
        List<Op> dense = snn.graph().opsOf(OpKind.SNN_DENSE);
        // W1' = W1 · λ0 / λ1 = W1 / 6, b1' = b1 / 6
        assertThat(blob(snn, dense.get(0), "weight")).containsExactly(1 / 6f, 2 / 6f, -1 / 6f, 3 / 6f);
        assertThat(blob(snn, dense.get(0), "bias")).containsExactly(0.5f / 6, 0f);
        // last layer (potential decoding): W2' = W2 · λ1 / 1, b2' = b2
        assertThat(blob(snn, dense.get(1), "weight")).containsExactly(12f, -24f);
        assertThat(blob(snn, dense.get(1), "bias")).containsExactly(1f);
        Op pop = snn.graph().opsOf(OpKind.SNN_IF).getFirst();
        assertThat(pop.attributes().getNumber("threshold", 0)).isEqualTo(1.0);
        assertThat(pop.attributes().getNumber("v0", -1)).isEqualTo(0.5);
        assertThat(snn.graph().opsOf(OpKind.SNN_ENCODE).getFirst().attributes().getString("mode", "")).isEqualTo("direct");
        assertThat(snn.graph().opsOf(OpKind.SNN_DECODE).getFirst().attributes().getString("mode", "")).isEqualTo("potential");
    }

    @Test void channelWiseScalesDivideEachNeuronByItsOwnLambda() {
        Module ann = IrParser.parse(MLP, "mlp.nmir");
        var c = pass("mode=max", "channel-wise=true", "v0=zero").convert(ann, context(batch(Shape.of(2), 1, 0, 0, 2), 8));
        Module snn = c.module();
        assertThat(c.layers().getFirst().lambda()).containsExactly(4.5, 6.0);
        List<Op> dense = snn.graph().opsOf(OpKind.SNN_DENSE);
        assertThat(blob(snn, dense.get(0), "weight")).containsExactly((float) (1 / 4.5), (float) (2 / 4.5), -1 / 6f, 3 / 6f);
        assertThat(blob(snn, dense.get(0), "bias")).containsExactly((float) (0.5 / 4.5), 0f);
        // input j of the last layer carries λ1[j]: W2'[0][j] = W2[0][j] · λ1[j]
        assertThat(blob(snn, dense.get(1), "weight")).containsExactly(9f, -24f);
        assertThat(snn.graph().opsOf(OpKind.SNN_IF).getFirst().attributes().getNumber("v0", -1)).isEqualTo(0.0);
    }

    @Test void scaleModeTakesAFractionOfTheMaximum() {
        Module ann = IrParser.parse(MLP, "mlp.nmir");
        var c = pass("mode=scale", "scale=0.5", "channel-wise=false").convert(ann, context(batch(Shape.of(2), 1, 0, 0, 2), 8));
        assertThat(c.layers().getFirst().lambda()).containsExactly(3.0, 3.0);
    }

    @Test void percentileModeReadsTheHistogram() {
        Module ann = IrParser.parse(MLP, "mlp.nmir");
        // positive hidden values: 1.5, 4.5, 6 → the 50th percentile (rank 1.5 of 3) is inside the bin of 4.5
        var c = pass("mode=percentile", "p=50", "channel-wise=false").convert(ann, context(batch(Shape.of(2), 1, 0, 0, 2), 8));
        assertThat(c.layers().getFirst().lambda()[0]).isCloseTo(4.5, within(4.5 / 128));
    }

    // conv 1→2 (1x1) → relu → conv 2→2 (1x1) → relu → flatten → dense 8→1 on a 1x2x2 input.
    // First conv: channel 0 = 2x, channel 1 = 3x (no bias); calibration input all ones → λ1 = (2, 3).
    // Second conv: out 0 = a0 + a1 = 5, out 1 = 2·a0 = 4  → λ2 = (5, 4).
    static final String CNN = """
            module @cnn stage ann {
              blob @k1 : tensor<2x1x1x1xf32> = [2.0, 3.0]
              blob @k2 : tensor<2x2x1x1xf32> = [1.0, 1.0, 2.0, 0.0]
              blob @b2 : tensor<2xf32> = [0.0, 0.0]
              blob @w : tensor<1x8xf32> = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]
              %x = ann.input {name = "x"} : tensor<1x2x2xf32>
              %0 = ann.conv2d(%x) {out_channels = 2, kernel = [1, 1], weight = @k1} : tensor<2x2x2xf32>
              %a = ann.relu(%0) : tensor<2x2x2xf32>
              %1 = ann.conv2d(%a) {out_channels = 2, kernel = [1, 1], weight = @k2, bias = @b2} : tensor<2x2x2xf32>
              %c = ann.relu(%1) : tensor<2x2x2xf32>
              %2 = ann.flatten(%c) : tensor<8xf32>
              %3 = ann.dense(%2) {units = 1, weight = @w} : tensor<1xf32>
              ann.output(%3) {name = "y"}
            }
            """;

    @Test void perChannelIndexingForConvToConvAndConvToFlattenToDense() {
        Module ann = IrParser.parse(CNN, "cnn.nmir");
        float[] ones = {1, 1, 1, 1};
        var c = pass("mode=max", "channel-wise=true").convert(ann, context(batch(Shape.of(1, 2, 2), ones), 4));
        Module snn = c.module();
        Verifier.verifyOrThrow(snn, "after calibrate-thresholds");
        assertThat(c.layers().get(0).lambda()).containsExactly(2.0, 3.0);
        assertThat(c.layers().get(1).lambda()).containsExactly(5.0, 4.0);
        List<Op> convs = snn.graph().opsOf(OpKind.SNN_CONV2D);
        assertThat(blob(snn, convs.get(0), "weight")).containsExactly(1f, 1f);
        // W'[o][c] = W[o][c] · λ1[c] / λ2[o]: [[1·2/5, 1·3/5], [2·2/4, 0]]
        assertThat(blob(snn, convs.get(1), "weight")).containsExactly(2 / 5f, 3 / 5f, 1f, 0f);
        // after flatten, element i belongs to channel i / 4: W'[0][i] = W[0][i] · λ2[i / 4]
        Op dense = snn.graph().opsOf(OpKind.SNN_DENSE).getFirst();
        assertThat(blob(snn, dense, "weight")).containsExactly(5f, 10f, 15f, 20f, 20f, 24f, 28f, 32f);
        assertThat(snn.graph().opsOf(OpKind.SNN_FLATTEN)).hasSize(1);
    }

    @Test void missingCalibrationDataIsAnError() {
        Module ann = IrParser.parse(MLP, "mlp.nmir");
        assertThatThrownBy(() -> pass().run(ann, context(null, 8)))
                .isInstanceOf(CompilationException.class)
                .hasMessageContaining("calibrate-thresholds needs calibration data (--calib X.npy)");
    }

    @Test void optionValuesOutOfRangeAreErrors() {
        Module ann = IrParser.parse(MLP, "mlp.nmir");
        Batch calib = batch(Shape.of(2), 1, 0, 0, 2);
        assertThatThrownBy(() -> pass("p=0").run(ann, context(calib, 8))).hasMessageContaining("p must be in (0, 100], got 0");
        assertThatThrownBy(() -> pass("scale=1.5").run(ann, context(calib, 8))).hasMessageContaining("scale must be in (0, 1]");
        assertThatThrownBy(() -> pass("target-rate=0.3..0.1").run(ann, context(calib, 8))).hasMessageContaining("target-rate must be LO..HI");
        assertThatThrownBy(() -> pass("samples=0").run(ann, context(calib, 8))).hasMessageContaining("samples must be positive");
    }

    @Test void batchNormMustBeFoldedFirst() {
        String text = """
                module @bn stage ann {
                  blob @g : tensor<2xf32> = [1.0, 1.0]
                  blob @z : tensor<2xf32> = [0.0, 0.0]
                  %x = ann.input {name = "x"} : tensor<2xf32>
                  %0 = ann.batchnorm(%x) {gamma = @g, beta = @z, mean = @z, var = @g} : tensor<2xf32> loc("net.nmd":3:5)
                  %1 = ann.relu(%0) : tensor<2xf32>
                  ann.output(%1) {name = "y"}
                }
                """;
        Module ann = IrParser.parse(text, "bn.nmir");
        assertThatThrownBy(() -> pass().run(ann, context(batch(Shape.of(2), 1, 1), 8)))
                .isInstanceOfSatisfying(CompilationException.class, e -> {
                    assertThat(e.diagnostics().getFirst().severity()).isEqualTo(Severity.ERROR);
                    assertThat(e.diagnostics().getFirst().toString())
                            .startsWith("net.nmd:3:5: error: ann.batchnorm must be folded before calibrate-thresholds")
                            .contains("fold-batchnorm");
                });
    }

    @Test void reportHasOneLinePerLayerInTheDocumentedFormat() {
        Module ann = IrParser.parse(CNN, "cnn.nmir");
        PassContext ctx = context(batch(Shape.of(1, 2, 2), 1, 1, 1, 1), 4);
        pass("mode=max").run(ann, ctx);
        List<String> lines = ctx.reportLines();
        assertThat(lines.getFirst()).startsWith("Calibration report");
        // λ = 2 and 3 → channel mean 2.5; input 1 → currents 1, 1 → a neuron with v0 = 0.5 fires every step
        assertThat(lines.get(1)).isEqualTo("Layer 0 (conv2d 1x2x2→2x2x2): threshold=2.50, avg_rate=100.0%, max_rate=100.0%");
        assertThat(lines.get(2)).matches("Layer 1 \\(conv2d 2x2x2→2x2x2\\): threshold=4\\.50, avg_rate=\\d+\\.\\d%, max_rate=\\d+\\.\\d%");
        assertThat(lines).hasSize(3);
    }

    @Test void residualAddBecomesOneMergedPopulationWithPerBranchScales() {
        // a = relu(2x) (λ=2); r = relu(conv(a) + a) with conv = 1·a → r = 2a = 4 (λ=4).
        String text = """
                module @res stage ann {
                  blob @k : tensor<1x1x1x1xf32> = [2.0]
                  blob @one : tensor<1x1x1x1xf32> = [1.0]
                  blob @w : tensor<1x4xf32> = [1.0, 1.0, 1.0, 1.0]
                  %x = ann.input {name = "x"} : tensor<1x2x2xf32>
                  %0 = ann.conv2d(%x) {out_channels = 1, kernel = [1, 1], weight = @k} : tensor<1x2x2xf32>
                  %a = ann.relu(%0) : tensor<1x2x2xf32>
                  %1 = ann.conv2d(%a) {out_channels = 1, kernel = [1, 1], weight = @one} : tensor<1x2x2xf32>
                  %2 = ann.add(%1, %a) : tensor<1x2x2xf32>
                  %r = ann.relu(%2) : tensor<1x2x2xf32>
                  %3 = ann.flatten(%r) : tensor<4xf32>
                  %4 = ann.dense(%3) {units = 1, weight = @w} : tensor<1xf32>
                  ann.output(%4) {name = "y"}
                }
                """;
        Module ann = IrParser.parse(text, "res.nmir");
        var c = pass("mode=max").convert(ann, context(batch(Shape.of(1, 2, 2), 1, 1, 1, 1), 4));
        Module snn = c.module();
        Verifier.verifyOrThrow(snn, "after calibrate-thresholds");
        assertThat(c.layers()).extracting(SnnLowering.Layer::description)
                .containsExactly("conv2d 1x2x2→1x2x2", "add 1x2x2");
        assertThat(c.layers().get(1).lambda()).containsExactly(4.0);
        Op merge = snn.graph().opsOf(OpKind.SNN_MERGE).getFirst();
        List<Op> convs = snn.graph().opsOf(OpKind.SNN_CONV2D);
        // branch 1: conv weight 1 · λa / λr = 0.5; branch 2 (skip): diagonal λa / λr = 0.5
        assertThat(blob(snn, convs.get(1), "weight")).containsExactly(0.5f);
        assertThat(blob(snn, convs.get(2), "weight")).containsExactly(0.5f);
        assertThat(merge.operands()).containsExactly(convs.get(1).result(), convs.get(2).result());
    }

    @Test void averagePoolingIsFoldedIntoTheNextProjectionByDefault() {
        String text = """
                module @pool stage ann {
                  blob @k : tensor<1x1x1x1xf32> = [2.0]
                  blob @w : tensor<1x1xf32> = [3.0]
                  %x = ann.input {name = "x"} : tensor<1x2x2xf32>
                  %0 = ann.conv2d(%x) {out_channels = 1, kernel = [1, 1], weight = @k} : tensor<1x2x2xf32>
                  %a = ann.relu(%0) : tensor<1x2x2xf32>
                  %p = ann.avgpool(%a) {kernel = [2, 2]} : tensor<1x1x1xf32>
                  %f = ann.flatten(%p) : tensor<1xf32>
                  %y = ann.dense(%f) {units = 1, weight = @w} : tensor<1xf32>
                  ann.output(%y) {name = "y"}
                }
                """;
        Module ann = IrParser.parse(text, "pool.nmir");
        Batch calib = batch(Shape.of(1, 2, 2), 1, 1, 1, 1);
        var folded = pass("mode=max").convert(ann, context(calib, 4));
        Verifier.verifyOrThrow(folded.module(), "after calibrate-thresholds");
        assertThat(folded.layers()).hasSize(1);
        Op pool = folded.module().graph().opsOf(OpKind.SNN_AVGPOOL).getFirst();
        assertThat(folded.module().graph().type(pool.operand(0)).text()).isEqualTo("spikes<1x2x2>");
        assertThat(blob(folded.module(), folded.module().graph().opsOf(OpKind.SNN_DENSE).getFirst(), "weight")).containsExactly(6f);

        var pop = pass("mode=max", "pool-population=true").convert(ann, context(calib, 4));
        Verifier.verifyOrThrow(pop.module(), "after calibrate-thresholds");
        assertThat(pop.layers()).extracting(SnnLowering.Layer::description).containsExactly("conv2d 1x2x2→1x2x2", "avgpool 1x2x2→1x1x1");
        assertThat(pop.layers().get(1).lambda()).containsExactly(2.0);
    }

    @Test void maxPoolingIsApproximatedWithAWarning() {
        String text = """
                module @mp stage ann {
                  blob @k : tensor<1x1x1x1xf32> = [1.0]
                  blob @w : tensor<1x1xf32> = [1.0]
                  %x = ann.input {name = "x"} : tensor<1x2x2xf32>
                  %0 = ann.conv2d(%x) {out_channels = 1, kernel = [1, 1], weight = @k} : tensor<1x2x2xf32>
                  %a = ann.relu(%0) : tensor<1x2x2xf32>
                  %p = ann.maxpool(%a) {kernel = [2, 2]} : tensor<1x1x1xf32> loc("mp.nmd":7:3)
                  %f = ann.flatten(%p) : tensor<1xf32>
                  %y = ann.dense(%f) {units = 1, weight = @w} : tensor<1xf32>
                  ann.output(%y) {name = "y"}
                }
                """;
        Module ann = IrParser.parse(text, "mp.nmir");
        PassContext ctx = context(batch(Shape.of(1, 2, 2), 1, 0, 0, 1), 4);
        Module snn = pass().run(ann, ctx).module();
        Verifier.verifyOrThrow(snn, "after calibrate-thresholds");
        assertThat(snn.graph().opsOf(OpKind.SNN_MAXPOOL)).hasSize(1);
        assertThat(ctx.diagnostics().diagnostics()).anySatisfy(d -> {
            assertThat(d.severity()).isEqualTo(Severity.WARNING);
            assertThat(d.toString()).startsWith("mp.nmd:7:3: warning: ann.maxpool is approximated by snn.maxpool");
        });
    }

    @Test void aCountDecodedOutputHasOneScaleForAllItsNeurons() {
        // Counts are compared across the output neurons, so they must share λ even channel-wise.
        String text = MLP.replace("blob @w2 : tensor<1x2xf32> = [2.0, -4.0]", "blob @w2 : tensor<2x2xf32> = [2.0, 0.0, 0.0, 1.0]")
                .replace("blob @b2 : tensor<1xf32> = [1.0]", "blob @b2 : tensor<2xf32> = [0.0, 0.0]")
                .replace("{units = 1, weight = @w2, bias = @b2} : tensor<1xf32>", "{units = 2, weight = @w2, bias = @b2} : tensor<2xf32>");
        Module ann = IrParser.parse(text, "mlp2.nmir");
        PassContext ctx = new PassContext(new CompileSettings(8, "direct", "count", 0, batch(Shape.of(2), 1, 0, 0, 2), null, null),
                new DiagnosticSink(), null);
        var c = pass("mode=max").convert(ann, ctx);
        // outputs: (2·1.5, 0) and (2·4.5, 6) → per neuron max (9, 6), one λ = 9 for both
        assertThat(c.layers().get(0).lambda()).containsExactly(4.5, 6.0);
        assertThat(c.layers().get(1).lambda()).containsExactly(9.0, 9.0);
    }

    @Test void rateEncodingAndCountDecoding() {
        Module ann = IrParser.parse(MLP, "mlp.nmir");
        PassContext ctx = new PassContext(new CompileSettings(8, "rate", "count", 7, batch(Shape.of(2), 1, 0, 0, 2), null, null),
                new DiagnosticSink(), null);
        Module snn = pass("mode=max").run(ann, ctx).module();
        Verifier.verifyOrThrow(snn, "after calibrate-thresholds");
        assertThat(snn.graph().opsOf(OpKind.SNN_ENCODE).getFirst().attributes().getString("mode", "")).isEqualTo("rate");
        Op decode = snn.graph().opsOf(OpKind.SNN_DECODE).getFirst();
        assertThat(decode.attributes().getString("mode", "")).isEqualTo("count");
        assertThat(snn.graph().opsOf(OpKind.SNN_IF)).hasSize(2); // the hidden layer and the firing output layer
    }
}

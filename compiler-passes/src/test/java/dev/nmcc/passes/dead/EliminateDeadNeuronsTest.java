package dev.nmcc.passes.dead;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nmcc.ir.blob.Blob;
import dev.nmcc.ir.diag.DiagnosticSink;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.graph.Op;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.ir.text.IrParser;
import dev.nmcc.ir.verify.Verifier;
import dev.nmcc.passes.CompileSettings;
import dev.nmcc.passes.Pass;
import dev.nmcc.passes.PassContext;
import dev.nmcc.passes.PassOptions;
import dev.nmcc.passes.quantize.QuantizeWeights;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EliminateDeadNeuronsTest {

    /**
     * Direct input (3, in [0, 1]) → 4 hidden IF neurons → 2 potential outputs. Hidden neuron 1 has only
     * negative weights and bias 0; neuron 2 has a positive weight 0.3 but bias -0.35 (b + Σ⁺ < 0);
     * neuron 3 can fire but its outgoing weights are zero. Only neuron 0 is needed.
     */
    static final String MLP = """
            module @mlp stage snn {
              blob @fc1.weight : tensor<4x3xf32> = [0.5, 0.25, -0.5, -0.5, -1.0, -0.25, 0.3, -0.2, 0.0, 1.0, 1.0, 1.0]
              blob @fc1.bias : tensor<4xf32> = [0.0, 0.0, -0.35, 0.1]
              blob @fc2.weight : tensor<2x4xf32> = [1.0, 2.0, 3.0, 0.0, -1.0, 4.0, 5.0, 0.0]
              %x = snn.input {name = "x", range = [0.0, 1.0]} : tensor<3xf32>
              %e = snn.encode(%x) {mode = direct} : tensor<3xf32>
              %c1 = snn.dense(%e) {units = 4, weight = @fc1.weight, bias = @fc1.bias} : tensor<4xf32>
              %h = snn.if(%c1) {threshold = 1.0, v0 = 0.5} : spikes<4>
              %c2 = snn.dense(%h) {units = 2, weight = @fc2.weight} : tensor<2xf32>
              %y = snn.decode(%c2) {mode = potential} : tensor<2xf32>
              snn.output(%y) {name = "y"}
            }
            """;

    static Module parse(String text) {
        Module m = IrParser.parse(text, "test.nmir");
        assertThat(Verifier.verify(m)).isEmpty();
        return m;
    }

    static PassContext context() { return new PassContext(CompileSettings.defaults(), new DiagnosticSink(), null); }

    static Pass.PassResult run(Module m, PassContext ctx) {
        Pass.PassResult r = new EliminateDeadNeurons(false, null).run(m, ctx);
        assertThat(Verifier.verify(r.module())).as("verifier after eliminate-dead-neurons").isEmpty();
        return r;
    }

    static Op op(Module m, OpKind kind, int index) { return m.graph().opsOf(kind).get(index); }

    static Blob blob(Module m, Op op, String attr) { return m.blobs().get(op.attributes().getBlob(attr)); }

    @Test // the pass is described for the registry
    void info() {
        assertThat(EliminateDeadNeurons.INFO.name()).isEqualTo("eliminate-dead-neurons");
        assertThat(EliminateDeadNeurons.INFO.option("mode").defaultValue()).isEqualTo("exact");
        assertThat(EliminateDeadNeurons.INFO.factory().apply(PassOptions.defaults(EliminateDeadNeurons.INFO)).info())
                .isSameAs(EliminateDeadNeurons.INFO);
    }

    @Test // never-firing neurons (negative weights, b + Σ⁺ ≤ 0) and a neuron without a path to the output go
    void mlpShrinks() {
        PassContext ctx = context();
        Pass.PassResult r = run(parse(MLP), ctx);
        assertThat(r.changed()).isTrue();
        Module m = r.module();
        Op fc1 = op(m, OpKind.SNN_DENSE, 0), fc2 = op(m, OpKind.SNN_DENSE, 1);
        assertThat(fc1.attributes().getInt("units", 0)).isEqualTo(1);
        assertThat(blob(m, fc1, "weight").floats()).containsExactly(0.5f, 0.25f, -0.5f);
        assertThat(blob(m, fc1, "bias").floats()).containsExactly(0.0f);
        assertThat(blob(m, fc2, "weight").floats()).containsExactly(1.0f, -1.0f);
        assertThat(m.graph().type(op(m, OpKind.SNN_IF, 0).result()).text()).isEqualTo("spikes<1>");
        assertThat(ctx.reportLines()).containsExactly(
                "Dead neurons eliminated: 3 (75.0% of total)",
                "  %h (snn.if, 4 neurons): 3 removed (2 never fire, 1 no path to an output)");
    }

    @Test // a neuron starting at or above its threshold fires at t = 0 even without input: kept
    void v0AtThresholdIsAlive() {
        Module m = parse(MLP.replace("v0 = 0.5", "v0 = 1.0"));
        Module out = run(m, context()).module();
        // neurons 1 and 2 fire once now; neuron 3 still has no path, and neuron 1/2 keep theirs
        assertThat(op(out, OpKind.SNN_DENSE, 0).attributes().getInt("units", 0)).isEqualTo(3);
    }

    @Test // a tiny positive margin (b + Σ⁺ > 0) keeps the neuron: it fires after enough timesteps
    void positiveMarginIsAlive() {
        Module m = parse(MLP.replace("[0.0, 0.0, -0.35, 0.1]", "[0.0, 0.0, -0.29, 0.1]"));
        Module out = run(m, context()).module();
        assertThat(blob(out, op(out, OpKind.SNN_DENSE, 0), "bias").floats()).containsExactly(0.0f, -0.29f);
    }

    @Test // a neuron fed only by neurons that never fire never fires either (forward in program order)
    void deadnessPropagates() {
        String text = """
                module @chain stage snn {
                  blob @w1 : tensor<2x2xf32> = [1.0, 1.0, -1.0, -1.0]
                  blob @w2 : tensor<2x2xf32> = [0.0, 5.0, 1.0, 0.0]
                  blob @w3 : tensor<2x2xf32> = [1.0, 1.0, 1.0, 1.0]
                  %x = snn.input {name = "x"} : tensor<2xf32>
                  %e = snn.encode(%x) {mode = rate} : spikes<2>
                  %c1 = snn.dense(%e) {units = 2, weight = @w1} : tensor<2xf32>
                  %h1 = snn.if(%c1) {threshold = 1.0} : spikes<2>
                  %c2 = snn.dense(%h1) {units = 2, weight = @w2} : tensor<2xf32>
                  %h2 = snn.if(%c2) {threshold = 1.0} : spikes<2>
                  %c3 = snn.dense(%h2) {units = 2, weight = @w3} : tensor<2xf32>
                  %h3 = snn.if(%c3) {threshold = 1.0} : spikes<2>
                  %y = snn.decode(%h3) {mode = count} : tensor<2xi32>
                  snn.output(%y) {name = "y"}
                }
                """;
        PassContext ctx = context();
        Module out = run(parse(text), ctx).module();
        // h1[1] never fires; h2[0] reads only h1[1] (weight 5) so it never fires either
        assertThat(blob(out, op(out, OpKind.SNN_DENSE, 1), "weight").floats()).containsExactly(1.0f);
        assertThat(blob(out, op(out, OpKind.SNN_DENSE, 2), "weight").floats()).containsExactly(1.0f, 1.0f);
        // the output population keeps all of its neurons
        assertThat(out.graph().type(op(out, OpKind.SNN_IF, 2).result()).text()).isEqualTo("spikes<2>");
        assertThat(ctx.reportLines().getFirst()).isEqualTo("Dead neurons eliminated: 2 (33.3% of total)");
    }

    @Test // conv populations lose whole channels; the flatten after maxpool maps them to dense columns
    void convChannelsAcrossFlatten() {
        String text = """
                module @cnn stage snn {
                  blob @k : tensor<3x1x1x1xf32> = [0.5, -1.0, 0.7]
                  blob @kb : tensor<3xf32> = [0.0, -0.1, 0.0]
                  blob @fc : tensor<2x12xf32> = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24]
                  %x = snn.input {name = "x"} : tensor<1x4x4xf32>
                  %e = snn.encode(%x) {mode = rate} : spikes<1x4x4>
                  %c = snn.conv2d(%e) {out_channels = 3, kernel = [1, 1], weight = @k, bias = @kb} : tensor<3x4x4xf32>
                  %h = snn.if(%c) {threshold = 1.0} : spikes<3x4x4>
                  %p = snn.maxpool(%h) {kernel = [2, 2]} : spikes<3x2x2>
                  %f = snn.flatten(%p) : spikes<12>
                  %d = snn.dense(%f) {units = 2, weight = @fc} : tensor<2xf32>
                  %y = snn.decode(%d) {mode = potential} : tensor<2xf32>
                  snn.output(%y) {name = "y"}
                }
                """;
        PassContext ctx = context();
        Module out = run(parse(text), ctx).module();
        Op conv = op(out, OpKind.SNN_CONV2D, 0);
        assertThat(conv.attributes().getInt("out_channels", 0)).isEqualTo(2);
        assertThat(blob(out, conv, "weight").floats()).containsExactly(0.5f, 0.7f);
        assertThat(blob(out, conv, "bias").floats()).containsExactly(0.0f, 0.0f);
        assertThat(out.graph().type(op(out, OpKind.SNN_FLATTEN, 0).result()).text()).isEqualTo("spikes<8>");
        assertThat(blob(out, op(out, OpKind.SNN_DENSE, 0), "weight").floats())
                .containsExactly(1, 2, 3, 4, 9, 10, 11, 12, 13, 14, 15, 16, 21, 22, 23, 24);
        assertThat(ctx.reportLines()).containsExactly(
                "Dead neurons eliminated: 16 (33.3% of total)",
                "  %h (snn.if, 48 neurons): 16 removed (16 never fire, 0 no path to an output), 1 channel");
    }

    @Test // merge: a removed neuron shrinks both projections into its population
    void mergeShrinksBoth() {
        String text = """
                module @res stage snn {
                  blob @a : tensor<2x2xf32> = [1.0, 0.5, -0.1, -0.2]
                  blob @b : tensor<2x2xf32> = [0.25, 2.0, -0.4, 0.0]
                  blob @o : tensor<1x2xf32> = [1.0, 1.0]
                  %x = snn.input {name = "x"} : tensor<2xf32>
                  %e = snn.encode(%x) {mode = rate} : spikes<2>
                  %p = snn.dense(%e) {units = 2, weight = @a} : tensor<2xf32>
                  %q = snn.dense(%e) {units = 2, weight = @b} : tensor<2xf32>
                  %m = snn.merge(%p, %q) : tensor<2xf32>
                  %h = snn.if(%m) {threshold = 1.0} : spikes<2>
                  %c = snn.dense(%h) {units = 1, weight = @o} : tensor<1xf32>
                  %y = snn.decode(%c) {mode = potential} : tensor<1xf32>
                  snn.output(%y) {name = "y"}
                }
                """;
        Module out = run(parse(text), context()).module();
        assertThat(blob(out, op(out, OpKind.SNN_DENSE, 0), "weight").floats()).containsExactly(1.0f, 0.5f);
        assertThat(blob(out, op(out, OpKind.SNN_DENSE, 1), "weight").floats()).containsExactly(0.25f, 2.0f);
        assertThat(blob(out, op(out, OpKind.SNN_DENSE, 2), "weight").floats()).containsExactly(1.0f);
    }

    @Test // integer form (after quantize-weights): per-channel thresholds shrink with their population
    void integerForm() {
        Module q = new QuantizeWeights(8, true, 32).run(parse(MLP), context()).module();
        Module out = run(q, context()).module();
        Op h = op(out, OpKind.SNN_IF, 0);
        assertThat(blob(out, h, "threshold").ints()).hasSize(1);
        assertThat(blob(out, op(out, OpKind.SNN_DENSE, 0), "weight_scale").size()).isEqualTo(1);
        assertThat(blob(out, op(out, OpKind.SNN_DENSE, 1), "weight").ints()).hasSize(2);
    }

    @Test // nothing dead: unchanged, and the report says 0
    void nothingToDo() {
        String text = MLP.replace("[0.0, 0.0, -0.35, 0.1]", "[0.0, 0.5, 0.5, 0.1]")
                .replace("[1.0, 2.0, 3.0, 0.0, -1.0, 4.0, 5.0, 0.0]", "[1.0, 2.0, 3.0, 0.5, -1.0, 4.0, 5.0, 0.0]");
        PassContext ctx = context();
        Pass.PassResult r = run(parse(text), ctx);
        assertThat(r.changed()).isFalse();
        assertThat(ctx.reportLines().getFirst()).isEqualTo("Dead neurons eliminated: 0 (0.0% of total)");
    }

    @org.junit.jupiter.params.ParameterizedTest // random modules with planted dead neurons: all planted ones go, the verifier is clean
    @org.junit.jupiter.params.provider.ValueSource(longs = {1, 2, 3, 4, 5})
    void randomModulesShrinkStructurally(long seed) {
        Module mlp = run(parse(RandomSnn.mlp(seed, 12, 9, 8, 4, seed % 2 == 0)), context()).module();
        // planted: h1 neurons 0, 3, 6 never fire; h2 neurons 1, 5 have no path to an output
        assertThat(op(mlp, OpKind.SNN_DENSE, 0).attributes().getInt("units", 0)).isLessThanOrEqualTo(6);
        assertThat(op(mlp, OpKind.SNN_DENSE, 1).attributes().getInt("units", 0)).isLessThanOrEqualTo(6);
        assertThat(op(mlp, OpKind.SNN_DENSE, 2).attributes().getInt("units", 0)).isEqualTo(4);
        Module cnn = run(parse(RandomSnn.cnn(seed, 6, 5, 3)), context()).module();
        // planted: channels 1 and 4 never fire
        assertThat(op(cnn, OpKind.SNN_CONV2D, 0).attributes().getInt("out_channels", 0)).isLessThanOrEqualTo(3);
        assertThat(cnn.graph().type(op(cnn, OpKind.SNN_FLATTEN, 0).result()).shape().dim(0))
                .isEqualTo(op(cnn, OpKind.SNN_CONV2D, 0).attributes().getInt("out_channels", 0) * 9);
    }

    @Test // calibrated mode: neurons that never fired on the calibration set go too
    void calibrated() {
        String text = MLP.replace("[0.0, 0.0, -0.35, 0.1]", "[0.0, 0.5, 0.5, 0.1]")
                .replace("[1.0, 2.0, 3.0, 0.0, -1.0, 4.0, 5.0, 0.0]", "[1.0, 2.0, 3.0, 0.5, -1.0, 4.0, 5.0, 0.0]");
        Module m = parse(text);
        int ifIndex = m.graph().ops().indexOf(op(m, OpKind.SNN_IF, 0));
        EliminateDeadNeurons.SpikeCounter counter = (mod, ctx) -> Map.of(ifIndex, new long[] {5, 0, 3, 0});
        PassContext ctx = context();
        Module out = new EliminateDeadNeurons(true, counter).run(m, ctx).module();
        assertThat(Verifier.verify(out)).isEmpty();
        assertThat(op(out, OpKind.SNN_DENSE, 0).attributes().getInt("units", 0)).isEqualTo(2);
        assertThat(blob(out, op(out, OpKind.SNN_DENSE, 1), "weight").floats()).containsExactly(1.0f, 3.0f, -1.0f, 5.0f);
        assertThat(ctx.reportLines().get(1)).contains("2 never fire or never fired");
    }

    @Test // calibrated mode without data or interpreter is an error, not a silent no-op
    void calibratedNeedsData() {
        PassContext ctx = context();
        Pass.PassResult r = new EliminateDeadNeurons(true, null).run(parse(MLP), ctx);
        assertThat(r.changed()).isFalse();
        assertThat(ctx.diagnostics().hasErrors()).isTrue();
    }
}

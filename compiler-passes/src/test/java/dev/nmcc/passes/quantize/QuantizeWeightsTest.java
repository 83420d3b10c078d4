package dev.nmcc.passes.quantize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nmcc.ir.attr.Attribute;
import dev.nmcc.ir.attr.Attributes;
import dev.nmcc.ir.blob.Blob;
import dev.nmcc.ir.diag.DiagnosticSink;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.graph.Op;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.ir.text.IrParser;
import dev.nmcc.ir.type.ElementType;
import dev.nmcc.ir.type.TensorType;
import dev.nmcc.ir.verify.Verifier;
import dev.nmcc.passes.CompileSettings;
import dev.nmcc.passes.Pass;
import dev.nmcc.passes.PassContext;
import dev.nmcc.passes.PassOptions;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class QuantizeWeightsTest {

    /** A two-layer MLP with direct input: 2 inputs, 3 hidden IF neurons, 2 potential outputs. Weights chosen by hand. */
    static final String MLP = """
            module @mlp stage snn {
              blob @fc1.weight : tensor<3x2xf32> = [0.5, -0.25, 1.27, 0.635, -0.1, 0.05]
              blob @fc1.bias : tensor<3xf32> = [0.1, -0.02, 0.0]
              blob @fc2.weight : tensor<2x3xf32> = [2.0, -1.0, 0.5, 0.25, 1.0, -2.0]
              %x = snn.input {name = "x", range = [0.0, 1.0]} : tensor<2xf32>
              %e = snn.encode(%x) {mode = direct} : tensor<2xf32>
              %c1 = snn.dense(%e) {units = 3, weight = @fc1.weight, bias = @fc1.bias} : tensor<3xf32>
              %h = snn.if(%c1) {threshold = 1.0, v0 = 0.5} : spikes<3>
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

    static PassContext context() {
        return new PassContext(CompileSettings.defaults(), new DiagnosticSink(), null);
    }

    static Module run(Module m, int bits, boolean perChannel, int vBits, PassContext ctx) {
        Pass.PassResult r = new QuantizeWeights(bits, perChannel, vBits).run(m, ctx);
        assertThat(r.changed()).isTrue();
        assertThat(Verifier.verify(r.module())).as("verifier after quantize-weights").isEmpty();
        return r.module();
    }

    static Op op(Module m, OpKind kind, int index) { return m.graph().opsOf(kind).get(index); }

    static Blob blob(Module m, Op op, String attr) { return m.blobs().get(op.attributes().getBlob(attr)); }

    @Test // the pass is described for the registry: name, stage, options with defaults
    void info() {
        var info = QuantizeWeights.INFO;
        assertThat(info.name()).isEqualTo("quantize-weights");
        assertThat(info.option("bits").defaultValue()).isEqualTo("8");
        assertThat(info.option("bits").choices()).containsExactly("8", "4", "2", "1");
        assertThat(info.option("granularity").choices()).containsExactly("per-channel", "per-tensor");
        assertThat(info.option("v-bits").defaultValue()).isEqualTo("32");
        Pass p = info.factory().apply(PassOptions.defaults(info));
        assertThat(p.info()).isSameAs(info);
    }

    @Nested
    class Arithmetic {
        @Test // round half away from zero, symmetric in the sign
        void rounding() {
            assertThat(Quantization.round(2.5)).isEqualTo(3);
            assertThat(Quantization.round(-2.5)).isEqualTo(-3);
            assertThat(Quantization.round(2.49)).isEqualTo(2);
            assertThat(Quantization.round(-0.4)).isEqualTo(0);
        }

        @Test // integer ranges: clipping to the signed b-bit range; 1 bit is ±1
        void ranges() {
            assertThat(Quantization.quantize(10.0, 0.01, 8)).isEqualTo(127);
            assertThat(Quantization.quantize(-10.0, 0.01, 8)).isEqualTo(-128);
            assertThat(Quantization.quantize(-10.0, 0.01, 4)).isEqualTo(-8);
            assertThat(Quantization.quantize(0.0, 1.0, 1)).isEqualTo(1);
            assertThat(Quantization.quantize(-1e-9, 1.0, 1)).isEqualTo(-1);
            assertThat(Quantization.qmax(8)).isEqualTo(127);
            assertThat(Quantization.qmax(4)).isEqualTo(7);
            assertThat(Quantization.qmax(2)).isEqualTo(1);
            assertThat(Quantization.scale(1.27, 0.5, 8)).isEqualTo(0.01);
            assertThat(Quantization.scale(1.27, 0.5, 1)).isEqualTo(0.5);
        }

        @Test // leak factors map to shifts: leak = 1 - 2^-k
        void leakShift() {
            assertThat(QuantizeWeights.leakShift(0.875)).isEqualTo(3);
            assertThat(QuantizeWeights.leakShift(0.5)).isEqualTo(1);
            assertThat(QuantizeWeights.leakShift(0.9)).isEqualTo(3);
            assertThat(QuantizeWeights.leakShift(1.0)).isEqualTo(31);
        }
    }

    @Nested
    class PerChannel {
        @Test // 8 bit per channel: hand-rounded weights, biases, thresholds and v0 per hidden neuron
        void handRounded() {
            PassContext ctx = context();
            Module q = run(parse(MLP), 8, true, 32, ctx);
            Op enc = op(q, OpKind.SNN_ENCODE, 0);
            assertThat(enc.attributes().getInt("input_scale", 0)).isEqualTo(255);
            Op fc1 = op(q, OpKind.SNN_DENSE, 0);
            Blob w1 = blob(q, fc1, "weight");
            assertThat(w1.type().elementType()).isEqualTo(ElementType.I8);
            // effective weights W/255; row scales s_j = max|W_j| / 255 / 127
            // row 0: max 0.5 -> [127, -64 (=-63.5 rounded away)], row 1: max 1.27 -> [127, 64 (63.5)], row 2: [-127, 64 (63.5)]
            assertThat(w1.ints()).containsExactly(127, -64, 127, 64, -127, 64);
            double s0 = 0.5 / 255 / 127, s1 = 1.27 / 255 / 127, s2 = 0.1 / 255 / 127;
            Blob scale = blob(q, fc1, "weight_scale");
            assertThat(scale.get(0)).isCloseTo(s0, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(scale.get(1)).isCloseTo(s1, org.assertj.core.data.Offset.offset(1e-9));
            // bias: round(b / s_j): 0.1 / s0 = 6477, -0.02 / s1 = -510.0 -> -510
            Blob b1 = blob(q, fc1, "bias");
            assertThat(b1.type().elementType()).isEqualTo(ElementType.I32);
            assertThat(b1.ints()).containsExactly((int) Quantization.round(0.1f / s0), (int) Quantization.round(-0.02f / s1), 0);
            // thresholds per channel: round(1 / s_j) = 64770, 25500, 323850; v0 = round(0.5 / s_j)
            Op h = op(q, OpKind.SNN_IF, 0);
            Blob th = blob(q, h, "threshold");
            assertThat(th.type()).isEqualTo(new TensorType(dev.nmcc.ir.type.Shape.of(3), ElementType.I32));
            assertThat(th.ints()).containsExactly(64770, 25500, 323850);
            assertThat(blob(q, h, "v0").ints()).containsExactly(32385, 12750, 161925);
            assertThat(h.attributes().getInt("v_bits", 0)).isEqualTo(32);
            // the output projection feeds a potential decoder: one scale for all classes (argmax needs common units)
            Op fc2 = op(q, OpKind.SNN_DENSE, 1);
            assertThat(fc2.attributes().getOrNull("weight_scale")).isEqualTo(new Attribute.Float(2.0 / 127));
            assertThat(blob(q, fc2, "weight").ints()).containsExactly(127, -64, 32, 16, 64, -127);
            // currents are integers now, all the way to the output
            assertThat(q.graph().type(op(q, OpKind.SNN_DECODE, 0).result()).text()).isEqualTo("tensor<2xi32>");
            assertThat(ctx.reportLines()).first().asString().contains("8 bits, per-channel");
            assertThat(ctx.reportLines()).anySatisfy(l -> assertThat(l).startsWith("Layer 0 (dense 2→3): i8 per-channel"));
        }

        @ParameterizedTest // every bit width: integer ranges hold, the verifier is clean, 1 bit is ±1 only
        @ValueSource(ints = {8, 4, 2, 1})
        void rangesPerWidth(int bits) {
            Module q = run(parse(randomMlp(7, 16, 12, 5)), bits, true, 16, context());
            ElementType et = Quantization.elementType(bits);
            for (Op d : q.graph().opsOf(OpKind.SNN_DENSE)) {
                Blob w = blob(q, d, "weight");
                assertThat(w.type().elementType()).isEqualTo(et);
                for (int v : w.ints()) {
                    assertThat(v).isBetween((int) et.minValue(), (int) et.maxValue());
                    if (bits == 1) assertThat(v).isIn(-1, 1);
                }
                // per-channel (hidden layer): each row reaches the top of the range (b >= 2), except a row whose
                // threshold would not fit the 16-bit membrane at that scale: its scale is raised until the
                // integer threshold is the top of the membrane range, 32767
                if (bits >= 2 && d == op(q, OpKind.SNN_DENSE, 0)) {
                    int rows = w.type().shape().dim(0), len = w.size() / rows;
                    int[] th = blob(q, op(q, OpKind.SNN_IF, 0), "threshold").ints();
                    for (int r = 0; r < rows; r++) {
                        int m = 0;
                        for (int e = r * len; e < (r + 1) * len; e++) m = Math.max(m, Math.abs(w.ints()[e]));
                        if (m < Quantization.qmax(bits)) assertThat(th[r]).as("row %d: scale raised for the threshold", r).isEqualTo(32767);
                        else assertThat(m).isGreaterThanOrEqualTo(Quantization.qmax(bits));
                    }
                }
            }
            for (Op h : q.graph().opsOf(OpKind.SNN_IF)) assertThat(h.attributes().getInt("v_bits", 0)).isEqualTo(16);
        }

        @Test // 1 bit: s = mean|W| per channel, threshold = round(1 / s)
        void oneBitScale() {
            Module q = run(parse(MLP), 1, true, 32, context());
            Op fc1 = op(q, OpKind.SNN_DENSE, 0);
            assertThat(blob(q, fc1, "weight").ints()).containsExactly(1, -1, 1, 1, -1, 1);
            double s0 = (0.5 + 0.25) / 2 / 255;
            assertThat(blob(q, op(q, OpKind.SNN_IF, 0), "threshold").ints()[0]).isEqualTo((int) Quantization.round(1 / s0));
        }
    }

    @Nested
    class PerTensor {
        @Test // one scale per layer: scalar integer threshold and v0, float weight_scale
        void scalarThreshold() {
            Module q = run(parse(MLP), 4, false, 24, context());
            Op fc1 = op(q, OpKind.SNN_DENSE, 0);
            double s = (double) 1.27f / 255 / 7;
            assertThat(fc1.attributes().getOrNull("weight_scale")).isEqualTo(new Attribute.Float(s));
            // 0.5/255/s = 2.756 -> 3, -0.25 -> -1.378 -> -1, 1.27 -> 7, 0.635 -> 3.5 -> 4, -0.1 -> -0.55 -> -1, 0.05 -> 0
            assertThat(blob(q, fc1, "weight").ints()).containsExactly(3, -1, 7, 4, -1, 0);
            Op h = op(q, OpKind.SNN_IF, 0);
            assertThat(h.attributes().getOrNull("threshold")).isEqualTo(new Attribute.Int(Quantization.round(1 / s)));
            assertThat(h.attributes().getOrNull("v0")).isEqualTo(new Attribute.Int(Quantization.round(0.5 / s)));
            assertThat(h.attributes().getInt("v_bits", 0)).isEqualTo(24);
        }

        @Test // merge: both projections into one population share its units (per channel over both)
        void mergeSharesUnits() {
            String text = """
                    module @res stage snn {
                      blob @a : tensor<2x2xf32> = [1.0, 0.5, 0.1, 0.3]
                      blob @b : tensor<2x2xf32> = [0.25, 2.0, 0.5, -0.1]
                      %x = snn.input {name = "x"} : tensor<2xf32>
                      %e = snn.encode(%x) {mode = rate} : spikes<2>
                      %p = snn.dense(%e) {units = 2, weight = @a} : tensor<2xf32>
                      %q = snn.dense(%e) {units = 2, weight = @b} : tensor<2xf32>
                      %m = snn.merge(%p, %q) : tensor<2xf32>
                      %h = snn.if(%m) {threshold = 1.0} : spikes<2>
                      %o = snn.dense(%h) {units = 2, weight = @a} : tensor<2xf32>
                      %z = snn.if(%o) {threshold = 1.0} : spikes<2>
                      %y = snn.decode(%z) {mode = count} : tensor<2xi32>
                      snn.output(%y) {name = "y"}
                    }
                    """;
            Module q = run(parse(text), 8, true, 32, context());
            // channel 0: max(1.0, 2.0) = 2.0 (s = 2/127); channel 1: max(0.3, 0.5) = 0.5 (s = 0.5/127)
            assertThat(blob(q, op(q, OpKind.SNN_DENSE, 0), "weight").ints()).containsExactly(64, 32, 25, 76);
            assertThat(blob(q, op(q, OpKind.SNN_DENSE, 1), "weight").ints()).containsExactly(16, 127, 127, -25);
            assertThat(blob(q, op(q, OpKind.SNN_IF, 0), "threshold").ints()).containsExactly(64, 254); // 63.5, 254
            // rate input: no input_scale
            assertThat(op(q, OpKind.SNN_ENCODE, 0).attributes().has("input_scale")).isFalse();
            // the output population (read by a count decoder) is per tensor: s = 1.0 / 127
            assertThat(op(q, OpKind.SNN_IF, 1).attributes().getOrNull("threshold")).isEqualTo(new Attribute.Int(127));
            assertThat(op(q, OpKind.SNN_DENSE, 2).attributes().getOrNull("weight_scale")).isEqualTo(new Attribute.Float(1.0 / 127));
        }

        @Test // avgpool: its scalar weight becomes an integer in the population's units; the population is per tensor
        void avgpool() {
            String text = """
                    module @pool stage snn {
                      blob @k : tensor<2x1x1x1xf32> = [1.0, 0.5]
                      %x = snn.input {name = "x"} : tensor<1x4x4xf32>
                      %e = snn.encode(%x) {mode = rate} : spikes<1x4x4>
                      %c = snn.conv2d(%e) {out_channels = 2, kernel = [1, 1], weight = @k} : tensor<2x4x4xf32>
                      %h = snn.if(%c) {threshold = 1.0} : spikes<2x4x4>
                      %a = snn.avgpool(%h) {kernel = [2, 2]} : tensor<2x2x2xf32>
                      %p = snn.lif(%a) {threshold = 1.0, leak = 0.875, v0 = 0.5} : spikes<2x2x2>
                      %y = snn.decode(%p) {mode = count} : tensor<2x2x2xi32>
                      snn.output(%y) {name = "y"}
                    }
                    """;
            Module q = run(parse(text), 4, true, 32, context());
            Op ap = op(q, OpKind.SNN_AVGPOOL, 0);
            assertThat(ap.attributes().getOrNull("weight")).isEqualTo(new Attribute.Int(7)); // s = 0.25 / 7
            Op lif = op(q, OpKind.SNN_LIF, 0);
            assertThat(lif.attributes().getOrNull("threshold")).isEqualTo(new Attribute.Int(28));
            assertThat(lif.attributes().getOrNull("v0")).isEqualTo(new Attribute.Int(14));
            assertThat(lif.attributes().getOrNull("leak_shift")).isEqualTo(new Attribute.Int(3));
            assertThat(lif.attributes().has("leak")).isFalse();
            // the conv population is per channel: [1.0 -> 7 at s = 1/7, 0.5 -> 7 at s = 0.5/7]
            assertThat(blob(q, op(q, OpKind.SNN_CONV2D, 0), "weight").ints()).containsExactly(7, 7);
            assertThat(blob(q, op(q, OpKind.SNN_IF, 0), "threshold").ints()).containsExactly(7, 14);
        }
    }

    @Test // an avgpool feeding a projection (folded pooling) becomes a sum pool; its weight folds into the projection
    void pooledInput() {
        String text = """
                module @fold stage snn {
                  blob @k : tensor<1x1x1x1xf32> = [1.0]
                  blob @k2 : tensor<2x1x1x1xf32> = [2.0, -1.0]
                  blob @k3 : tensor<2x2x1x1xf32> = [1.0, 0.0, 0.0, 1.0]
                  %x = snn.input {name = "x"} : tensor<1x4x4xf32>
                  %e = snn.encode(%x) {mode = rate} : spikes<1x4x4>
                  %c = snn.conv2d(%e) {out_channels = 1, kernel = [1, 1], weight = @k} : tensor<1x4x4xf32>
                  %h = snn.if(%c) {threshold = 1.0} : spikes<1x4x4>
                  %a = snn.avgpool(%h) {kernel = [2, 2]} : tensor<1x2x2xf32>
                  %c2 = snn.conv2d(%a) {out_channels = 2, kernel = [1, 1], weight = @k2} : tensor<2x2x2xf32>
                  %h2 = snn.if(%c2) {threshold = 1.0} : spikes<2x2x2>
                  %o = snn.conv2d(%h2) {out_channels = 2, kernel = [1, 1], weight = @k3} : tensor<2x2x2xf32>
                  %y = snn.decode(%o) {mode = potential} : tensor<2x2x2xf32>
                  snn.output(%y) {name = "y"}
                }
                """;
        PassContext ctx = context();
        Module q = run(parse(text), 8, true, 32, ctx);
        assertThat(op(q, OpKind.SNN_AVGPOOL, 0).attributes().getOrNull("weight")).isEqualTo(new Attribute.Int(1));
        // effective weights on the summed spikes: [2.0, -1.0] * 0.25 = [0.5, -0.25]; per channel: [127, -127], thresholds 1 / (0.5/127), 1 / (0.25/127)
        assertThat(blob(q, op(q, OpKind.SNN_CONV2D, 1), "weight").ints()).containsExactly(127, -127);
        assertThat(blob(q, op(q, OpKind.SNN_IF, 1), "threshold").ints()).containsExactly(254, 508);
        assertThat(ctx.reportLines()).anySatisfy(l -> assertThat(l).contains("sum pooling (weight 1)"));
    }

    @Test // clip=mse shrinks the scale when many small weights lose to one large one; clip=max keeps max|W| / q_max
    void mseClip() {
        String text = """
                module @clip stage snn {
                  blob @w : tensor<1x8xf32> = [1.0, 0.3, 0.3, 0.3, -0.3, -0.3, 0.3, 0.3]
                  blob @w2 : tensor<1x1xf32> = [1.0]
                  %x = snn.input {name = "x"} : tensor<8xf32>
                  %e = snn.encode(%x) {mode = rate} : spikes<8>
                  %c = snn.dense(%e) {units = 1, weight = @w} : tensor<1xf32>
                  %h = snn.if(%c) {threshold = 1.0} : spikes<1>
                  %o = snn.dense(%h) {units = 1, weight = @w2} : tensor<1xf32>
                  %y = snn.decode(%o) {mode = potential} : tensor<1xf32>
                  snn.output(%y) {name = "y"}
                }
                """;
        Module m = parse(text);
        // 2 bits, max: s = 1.0, the 0.3s round to 0 (squared error 0.63); mse: s = 0.5, 1.0 clips to 1 (0.25), 0.3 -> ±1 (0.04 each): 0.53
        Module max = new QuantizeWeights(2, true, 32, false, null).run(m, context()).module();
        Module mse = new QuantizeWeights(2, true, 32, true, null).run(m, context()).module();
        assertThat(blob(max, op(max, OpKind.SNN_DENSE, 0), "weight").ints()).containsExactly(1, 0, 0, 0, 0, 0, 0, 0);
        assertThat(blob(mse, op(mse, OpKind.SNN_DENSE, 0), "weight").ints()).containsExactly(1, 1, 1, 1, -1, -1, 1, 1);
        assertThat(op(mse, OpKind.SNN_IF, 0).attributes().getOrNull("threshold")).isEqualTo(new Attribute.Int(2)); // 1 / 0.5
        assertThat(QuantizeWeights.INFO.option("clip").defaultValue()).isEqualTo("mse");
    }

    @Test // a module that is already integer is refused, unchanged
    void alreadyQuantized() {
        PassContext ctx = context();
        Module q = run(parse(MLP), 8, true, 32, context());
        Pass.PassResult again = new QuantizeWeights(8, true, 32).run(q, ctx);
        assertThat(again.changed()).isFalse();
        assertThat(ctx.diagnostics().hasErrors()).isTrue();
    }

    @Test // with evaluation data the report gives accuracy before and after (the evaluator sees both modules)
    void accuracyReport() {
        var data = new dev.nmcc.ir.interp.Batch(2, dev.nmcc.ir.type.Shape.of(2), new float[] {0.1f, 0.2f, 0.3f, 0.4f});
        var settings = new CompileSettings(16, "direct", "potential", 0, null, data, new int[] {0, 1});
        PassContext ctx = new PassContext(settings, new DiagnosticSink(), null);
        QuantizeWeights.Evaluator fake = (m, c) -> m.blobs().get("fc1.weight").isFloat() ? 0.9 : 0.875;
        Pass.PassResult r = new QuantizeWeights(8, true, 32, fake).run(parse(MLP), ctx);
        assertThat(r.changed()).isTrue();
        assertThat(ctx.reportLines()).last().isEqualTo("Accuracy: 90.00% -> 87.50% (-2.50 points) on 2 samples, T=16");
    }

    @Test // bad options are refused at construction
    void badOptions() {
        assertThatThrownBy(() -> new QuantizeWeights(3, true, 32)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new QuantizeWeights(8, true, 40)).isInstanceOf(IllegalArgumentException.class);
    }

    /** A random MLP in .nmir text: in inputs (direct), two hidden IF layers, out potential outputs. */
    static String randomMlp(long seed, int in, int hidden, int out) {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder("module @rand stage snn {\n");
        sb.append(blob("w1", r, hidden, in)).append(blob("b1", r, hidden)).append(blob("w2", r, hidden, hidden))
                .append(blob("w3", r, out, hidden));
        sb.append("  %x = snn.input {name = \"x\"} : tensor<").append(in).append("xf32>\n");
        sb.append("  %e = snn.encode(%x) {mode = direct} : tensor<").append(in).append("xf32>\n");
        sb.append("  %c1 = snn.dense(%e) {units = ").append(hidden).append(", weight = @w1, bias = @b1} : tensor<").append(hidden).append("xf32>\n");
        sb.append("  %h1 = snn.if(%c1) {threshold = 1.0, v0 = 0.5} : spikes<").append(hidden).append(">\n");
        sb.append("  %c2 = snn.dense(%h1) {units = ").append(hidden).append(", weight = @w2} : tensor<").append(hidden).append("xf32>\n");
        sb.append("  %h2 = snn.if(%c2) {threshold = 1.0} : spikes<").append(hidden).append(">\n");
        sb.append("  %c3 = snn.dense(%h2) {units = ").append(out).append(", weight = @w3} : tensor<").append(out).append("xf32>\n");
        sb.append("  %y = snn.decode(%c3) {mode = potential} : tensor<").append(out).append("xf32>\n");
        sb.append("  snn.output(%y) {name = \"y\"}\n}\n");
        return sb.toString();
    }

    static String blobText(String name, float[] data, int... dims) {
        StringBuilder t = new StringBuilder();
        for (int d : dims) t.append(d).append('x');
        StringBuilder sb = new StringBuilder("  blob @" + name + " : tensor<" + t + "f32> = [");
        for (int i = 0; i < data.length; i++) sb.append(i == 0 ? "" : ", ").append(data[i]);
        return sb.append("]\n").toString();
    }

    static String blob(String name, Random r, int... dims) {
        int n = 1;
        StringBuilder t = new StringBuilder();
        for (int d : dims) { n *= d; t.append(d).append('x'); }
        StringBuilder sb = new StringBuilder("  blob @" + name + " : tensor<" + t + "f32> = [");
        for (int i = 0; i < n; i++) sb.append(i == 0 ? "" : ", ").append((float) (r.nextGaussian() * 0.5));
        return sb.append("]\n").toString();
    }

}

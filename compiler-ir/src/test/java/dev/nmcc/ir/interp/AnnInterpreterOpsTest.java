package dev.nmcc.ir.interp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nmcc.ir.attr.Attributes;
import dev.nmcc.ir.graph.Value;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.ir.type.Shape;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Every ann op on tiny inputs whose results were computed by hand. */
class AnnInterpreterOpsTest {
    private static Batch one(float[] data, int... dims) { return new Batch(1, Shape.of(dims), data); }

    private static float[] run(TestNet t, float[] x, int... dims) {
        return new AnnInterpreter(t.module()).run(one(x, dims)).data();
    }

    @Test
    void denseIsWeightTimesInputPlusBias() {
        // W = [[1, 2, 3], [4, 5, 6]], b = [0.5, -1], x = [1, 0, -1]: y = [1 - 3 + 0.5, 4 - 6 - 1]
        TestNet t = new TestNet();
        Value x = t.input("x", 3);
        t.output("y", t.dense(x, "fc", new float[] {1, 2, 3, 4, 5, 6}, new float[] {0.5f, -1}, 2, 3));
        assertThat(run(t, new float[] {1, 0, -1}, 3)).containsExactly(-1.5f, -3f);
    }

    @Test
    void denseWithoutBiasAddsNothing() {
        // W = [[2], [-3]], x = [1.5]: y = [3, -4.5]
        TestNet t = new TestNet();
        t.output("y", t.dense(t.input("x", 1), "fc", new float[] {2, -3}, null, 2, 1));
        assertThat(run(t, new float[] {1.5f}, 1)).containsExactly(3f, -4.5f);
    }

    @Test
    void denseMatchesNaiveLoopsOnSparseRandomInputs() {
        // 37 -> 13 with a third of the inputs zero (skipped) and blocks of 8, 4 and 1 products, against a double dot product
        SplittableRandom rnd = new SplittableRandom(11);
        int in = 37, out = 13, n = 5;
        float[] w = TestNet.random(rnd, out * in, 1), b = TestNet.random(rnd, out, 1), x = TestNet.random(rnd, n * in, 1);
        for (int i = 0; i < x.length; i += 3) x[i] = 0;
        TestNet t = new TestNet();
        t.output("y", t.dense(t.input("x", in), "fc", w, b, out, in));
        Batch y = new AnnInterpreter(t.module()).run(new Batch(n, Shape.of(in), x));
        for (int s = 0; s < n; s++) {
            for (int j = 0; j < out; j++) {
                double sum = b[j];
                for (int i = 0; i < in; i++) sum += (double) w[j * in + i] * x[s * in + i];
                assertThat(y.get(s, j)).isCloseTo((float) sum, within(1e-5f));
            }
        }
    }

    @Test
    void convWithStrideTwoAndAsymmetricPadding() {
        // x = 1..16 as 1x4x4, pad [top 1, left 0, bottom 0, right 1], stride 2, k = [[1,0,-1],[0,2,0],[1,0,0]], b = 0.5.
        // Window (0,0): row -1 is padding, 2*2 + 5 = 9; (0,1): 2*4 + 7 = 15; (1,0): (5-7) + 2*10 + 13 = 31;
        // (1,1): (7-0) + 2*12 + 15 = 46; each plus the bias.
        TestNet t = new TestNet();
        Value x = t.input("x", 1, 4, 4);
        float[] k = {1, 0, -1, 0, 2, 0, 1, 0, 0};
        t.output("y", t.conv(x, "c", k, new float[] {0.5f}, 1, 1, 3, 3, new int[] {2, 2}, new int[] {1, 0, 0, 1}));
        assertThat(run(t, TestNet.range(1, 16), 1, 4, 4)).containsExactly(9.5f, 15.5f, 31.5f, 46.5f);
    }

    @Test
    void pointwiseConvMixesChannels() {
        // 1x1 conv, channels [1, 2] and [3, 4], W = [[1, 1], [1, -1]]: out ch0 = [4, 6], ch1 = [-2, -2]
        TestNet t = new TestNet();
        Value x = t.input("x", 2, 1, 2);
        t.output("y", t.conv(x, "c", new float[] {1, 1, 1, -1}, null, 2, 2, 1, 1, null, null));
        assertThat(run(t, new float[] {1, 2, 3, 4}, 2, 1, 2)).containsExactly(4f, 6f, -2f, -2f);
    }

    @Test
    void convMatchesNaiveLoopsOnRandomData() {
        // Random convolutions of every stride/padding/kernel combination against a six-loop reference.
        SplittableRandom rnd = new SplittableRandom(7);
        int[][] configs = { // ic, h, w, oc, kh, kw, sh, sw, pt, pl, pb, pr
            {3, 7, 9, 5, 3, 3, 1, 1, 1, 1, 1, 1}, {2, 8, 8, 4, 3, 2, 2, 1, 0, 2, 1, 0}, {1, 5, 6, 3, 5, 5, 1, 2, 2, 2, 2, 2},
            {4, 6, 6, 6, 1, 1, 1, 1, 0, 0, 0, 0}, {3, 9, 7, 2, 2, 3, 3, 2, 1, 0, 2, 1}, {5, 4, 4, 3, 4, 4, 1, 1, 3, 3, 0, 0}};
        for (int[] c : configs) {
            int ic = c[0], h = c[1], w = c[2], oc = c[3], kh = c[4], kw = c[5], sh = c[6], sw = c[7];
            int pt = c[8], pl = c[9], pb = c[10], pr = c[11];
            float[] wt = TestNet.random(rnd, oc * ic * kh * kw, 1), b = TestNet.random(rnd, oc, 1);
            float[] x = TestNet.random(rnd, 3 * ic * h * w, 1);
            TestNet t = new TestNet();
            Value in = t.input("x", ic, h, w);
            t.output("y", t.conv(in, "c", wt, b, oc, ic, kh, kw, new int[] {sh, sw}, new int[] {pt, pl, pb, pr}));
            Batch y = new AnnInterpreter(t.module(), 2).run(new Batch(3, Shape.of(ic, h, w), x));
            int oh = (h + pt + pb - kh) / sh + 1, ow = (w + pl + pr - kw) / sw + 1;
            assertThat(y.sampleShape()).isEqualTo(Shape.of(oc, oh, ow));
            for (int s = 0; s < 3; s++) {
                for (int o = 0; o < oc; o++) {
                    for (int r = 0; r < oh; r++) {
                        for (int q = 0; q < ow; q++) {
                            double sum = b[o];
                            for (int i = 0; i < ic; i++) {
                                for (int dy = 0; dy < kh; dy++) {
                                    for (int dx = 0; dx < kw; dx++) {
                                        int iy = r * sh - pt + dy, ix = q * sw - pl + dx;
                                        if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                                        sum += (double) wt[((o * ic + i) * kh + dy) * kw + dx] * x[s * ic * h * w + (i * h + iy) * w + ix];
                                    }
                                }
                            }
                            assertThat(y.get(s, (o * oh + r) * ow + q)).as("config %s", java.util.Arrays.toString(c))
                                    .isCloseTo((float) sum, within(1e-4f));
                        }
                    }
                }
            }
        }
    }

    @Test
    void batchnormUsesRunningStatisticsAndGivenEpsilon() {
        // gamma [2, 1], beta [0, 1], mean [1, 2], var [3, 0], epsilon 1: ch0 = 2 (x - 1) / 2, ch1 = (x - 2) / 1 + 1
        TestNet t = new TestNet();
        Value x = t.input("x", 2, 1, 2);
        var a = Attributes.builder().putBlob("gamma", t.blob("g", new float[] {2, 1}, 2)).putBlob("beta", t.blob("b", new float[] {0, 1}, 2))
                .putBlob("mean", t.blob("m", new float[] {1, 2}, 2)).putBlob("var", t.blob("v", new float[] {3, 0}, 2))
                .putFloat("epsilon", 1.0).build();
        t.output("y", t.op(OpKind.ANN_BATCHNORM, a, x));
        assertThat(run(t, new float[] {1, 2, 3, 4}, 2, 1, 2)).containsExactly(0f, 1f, 2f, 3f);
    }

    @Test
    void batchnormDefaultEpsilonIsOneE5() {
        // rank 1, mean 1, var 1, gamma 1, beta 0: y = (3 - 1) / sqrt(1 + 1e-5)
        TestNet t = new TestNet();
        Value x = t.input("x", 1);
        var a = Attributes.builder().putBlob("gamma", t.blob("g", new float[] {1}, 1)).putBlob("beta", t.blob("b", new float[] {0}, 1))
                .putBlob("mean", t.blob("m", new float[] {1}, 1)).putBlob("var", t.blob("v", new float[] {1}, 1)).build();
        t.output("y", t.op(OpKind.ANN_BATCHNORM, a, x));
        assertThat(run(t, new float[] {3}, 1)[0]).isEqualTo((float) (2 / Math.sqrt(1 + 1e-5)));
    }

    @Test
    void reluClampsNegativesAndKeepsNaN() {
        // [-1, -0, 0, 2.5, NaN] -> [0, 0, 0, 2.5, NaN], as torch.relu
        TestNet t = new TestNet();
        t.output("y", t.op(OpKind.ANN_RELU, t.input("x", 5)));
        assertThat(run(t, new float[] {-1, -0f, 0, 2.5f, Float.NaN}, 5)).containsExactly(0f, 0f, 0f, 2.5f, Float.NaN);
    }

    private static float[] pool(OpKind kind, Attributes attrs, float[] x, int... dims) {
        TestNet t = new TestNet();
        t.output("y", t.op(kind, attrs, t.input("x", dims)));
        return run(t, x, dims);
    }

    @Test
    void avgpoolExcludesPaddingFromTheCountByDefault() {
        // x = 1..9 as 1x3x3, k 2, stride 2, pad [1, 1, 0, 0]: windows {1}, {2, 3}, {4, 7}, {5, 6, 8, 9}
        var a = Attributes.builder().putInts("kernel", 2, 2).putInts("stride", 2, 2).putInts("pad", 1, 1, 0, 0).build();
        assertThat(pool(OpKind.ANN_AVGPOOL, a, TestNet.range(1, 9), 1, 3, 3)).containsExactly(1f, 2.5f, 5.5f, 7f);
    }

    @Test
    void avgpoolWithCountIncludePadDividesByTheWholeWindow() {
        // Same windows as above, each sum divided by 4: 1/4, 5/4, 11/4, 28/4
        var a = Attributes.builder().putInts("kernel", 2, 2).putInts("stride", 2, 2).putInts("pad", 1, 1, 0, 0)
                .putBool("count_include_pad", true).build();
        assertThat(pool(OpKind.ANN_AVGPOOL, a, TestNet.range(1, 9), 1, 3, 3)).containsExactly(0.25f, 1.25f, 2.75f, 7f);
    }

    @Test
    void avgpoolStrideDefaultsToTheKernel() {
        // 1x4x4 = 1..16, k 2, no stride: means of the four 2x2 blocks
        var a = Attributes.builder().putInts("kernel", 2, 2).build();
        assertThat(pool(OpKind.ANN_AVGPOOL, a, TestNet.range(1, 16), 1, 4, 4)).containsExactly(3.5f, 5.5f, 11.5f, 13.5f);
    }

    @Test
    void twoByTwoPoolingDropsTheOddLastRowAndColumn() {
        // 1x5x5 = 1..25, k 2: windows {1,2,6,7}, {3,4,8,9}, {11,12,16,17}, {13,14,18,19}; row and column 5 are not used
        var a = Attributes.builder().putInts("kernel", 2, 2).build();
        assertThat(pool(OpKind.ANN_AVGPOOL, a, TestNet.range(1, 25), 1, 5, 5)).containsExactly(4f, 6f, 14f, 16f);
        assertThat(pool(OpKind.ANN_MAXPOOL, a, TestNet.range(1, 25), 1, 5, 5)).containsExactly(7f, 9f, 17f, 19f);
    }

    @Test
    void maxpoolPadsWithMinusInfinity() {
        // [-4, -3, -2, -1] as 1x2x2, k 2, stride 1, pad [1, 1, 0, 0]: zero padding would give 0, -inf padding gives the inputs
        var a = Attributes.builder().putInts("kernel", 2, 2).putInts("stride", 1, 1).putInts("pad", 1, 1, 0, 0).build();
        assertThat(pool(OpKind.ANN_MAXPOOL, a, new float[] {-4, -3, -2, -1}, 1, 2, 2)).containsExactly(-4f, -3f, -2f, -1f);
    }

    @Test
    void maxpoolStrideDefaultsToTheKernelPerChannel() {
        // 2x2x4: channel 0 = 1..8, channel 1 = -(1..8); k [2, 2] -> maxima of each 2x2 block per channel
        float[] x = new float[16];
        for (int i = 0; i < 8; i++) {
            x[i] = i + 1;
            x[8 + i] = -(i + 1);
        }
        var a = Attributes.builder().putInts("kernel", 2, 2).build();
        assertThat(pool(OpKind.ANN_MAXPOOL, a, x, 2, 2, 4)).containsExactly(6f, 8f, -1f, -3f);
    }

    @Test
    void globalAvgpoolGivesOneMeanPerChannel() {
        // 2x2x2 = 1..8: means 2.5 and 6.5, shape [2, 1, 1]
        TestNet t = new TestNet();
        t.output("y", t.op(OpKind.ANN_GLOBAL_AVGPOOL, t.input("x", 2, 2, 2)));
        Batch y = new AnnInterpreter(t.module()).run(one(TestNet.range(1, 8), 2, 2, 2));
        assertThat(y.sampleShape()).isEqualTo(Shape.of(2, 1, 1));
        assertThat(y.data()).containsExactly(2.5f, 6.5f);
    }

    @Test
    void flattenReshapeDropoutAndIdentityPassValuesThrough() {
        // 2x3 -> reshape [3, 2] -> dropout -> identity -> flatten: same six values, shape [6]
        TestNet t = new TestNet();
        Value x = t.input("x", 2, 3);
        Value r = t.op(OpKind.ANN_RESHAPE, Attributes.builder().putInts("shape", 3, 2).build(), x);
        Value d = t.op(OpKind.ANN_DROPOUT, Attributes.builder().putFloat("rate", 0.5).build(), r);
        t.output("y", t.op(OpKind.ANN_FLATTEN, t.op(OpKind.ANN_IDENTITY, d)));
        Batch y = new AnnInterpreter(t.module()).run(one(TestNet.range(1, 6), 2, 3));
        assertThat(y.sampleShape()).isEqualTo(Shape.of(6));
        assertThat(y.data()).containsExactly(1, 2, 3, 4, 5, 6);
    }

    @Test
    void reshapeKeepsCOrderAndFeedsAConsumer() {
        // [1..6] reshaped to [2, 3] then relu'd after subtracting 3 via add of a constant: [0, 0, 0, 1, 2, 3]
        TestNet t = new TestNet();
        Value x = t.input("x", 6);
        Value r = t.op(OpKind.ANN_RESHAPE, Attributes.builder().putInts("shape", 2, 3).build(), x);
        Value c = t.op(OpKind.ANN_CONST, Attributes.builder().putBlob("value", t.blob("minus3", new float[] {-3, -3, -3, -3, -3, -3}, 2, 3)).build());
        t.output("y", t.op(OpKind.ANN_RELU, t.op(OpKind.ANN_ADD, r, c)));
        Batch y = new AnnInterpreter(t.module()).run(one(TestNet.range(1, 6), 6));
        assertThat(y.sampleShape()).isEqualTo(Shape.of(2, 3));
        assertThat(y.data()).containsExactly(0, 0, 0, 1, 2, 3);
    }

    @Test
    void addSumsTwoInputsElementwise() {
        // [1, 2, 3] + [10, 20, 30] = [11, 22, 33], for each of two samples
        TestNet t = new TestNet();
        t.output("y", t.op(OpKind.ANN_ADD, t.input("a", 3), t.input("b", 3)));
        var out = new AnnInterpreter(t.module()).run(Map.of(
                "a", new Batch(2, Shape.of(3), new float[] {1, 2, 3, 4, 5, 6}),
                "b", new Batch(2, Shape.of(3), new float[] {10, 20, 30, 40, 50, 60})));
        assertThat(out.get("y").data()).containsExactly(11, 22, 33, 44, 55, 66);
    }

    private static float[] concat(int axis, float[] a, int[] aDims, float[] b, int[] bDims) {
        TestNet t = new TestNet();
        Value x = t.input("a", aDims), y = t.input("b", bDims);
        t.output("y", t.op(OpKind.ANN_CONCAT, Attributes.builder().putInt("axis", axis).build(), x, y));
        return new AnnInterpreter(t.module()).run(Map.of("a", one(a, aDims), "b", one(b, bDims))).get("y").data();
    }

    @Test
    void concatOnAxisOneInterleavesPerChannel() {
        // a = [[[1,2]],[[3,4]]] (2x1x2), b = 5..12 (2x2x2): per channel, a's row then b's two rows
        assertThat(concat(1, TestNet.range(1, 4), new int[] {2, 1, 2}, TestNet.range(5, 8), new int[] {2, 2, 2}))
                .containsExactly(1, 2, 5, 6, 7, 8, 3, 4, 9, 10, 11, 12);
    }

    @Test
    void concatOnAxisZeroAppendsAndOnTheLastAxisInterleavesRows() {
        // axis 0: [1,2] ++ [3,4,5]; axis 2 of 1x2x1 and 1x2x2: rows [1 | 3 4], [2 | 5 6]
        assertThat(concat(0, new float[] {1, 2}, new int[] {2}, new float[] {3, 4, 5}, new int[] {3})).containsExactly(1, 2, 3, 4, 5);
        assertThat(concat(2, new float[] {1, 2}, new int[] {1, 2, 1}, new float[] {3, 4, 5, 6}, new int[] {1, 2, 2}))
                .containsExactly(1, 3, 4, 2, 5, 6);
    }

    @Test
    void concatOfThreeOperandsIncludingAConstant() {
        // [1] ++ const [7, 8] ++ [1] on axis 0, for two samples
        TestNet t = new TestNet();
        Value x = t.input("x", 1);
        Value c = t.op(OpKind.ANN_CONST, Attributes.builder().putBlob("value", t.blob("k", new float[] {7, 8}, 2)).build());
        t.output("y", t.op(OpKind.ANN_CONCAT, x, c, x));
        Batch y = new AnnInterpreter(t.module()).run(new Batch(2, Shape.of(1), new float[] {1, 2}));
        assertThat(y.data()).containsExactly(1, 7, 8, 1, 2, 7, 8, 2);
    }
}

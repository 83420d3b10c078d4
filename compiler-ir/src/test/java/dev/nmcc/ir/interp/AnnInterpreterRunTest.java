package dev.nmcc.ir.interp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nmcc.ir.attr.Attributes;
import dev.nmcc.ir.blob.BlobTable;
import dev.nmcc.ir.graph.GraphBuilder;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.graph.Value;
import dev.nmcc.ir.loc.Location;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.ir.op.Stage;
import dev.nmcc.ir.type.Shape;
import dev.nmcc.ir.type.TensorType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** Batches, chunks, threads, the observer, buffer reuse and input errors. */
class AnnInterpreterRunTest {
    private static Batch images(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[n * 784];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextDouble();
        return new Batch(n, Shape.of(1, 28, 28), x);
    }

    @Test
    void batchInParallelEqualsSamplesOneByOneBitForBit() {
        // 37 samples (4 full chunks of 8 and one of 5, on several threads) give the very floats of 37 single runs
        Module m = TestNet.smallCnn(1);
        Batch in = images(37, 2);
        AnnInterpreter interp = new AnnInterpreter(m);
        Batch all = interp.run(in);
        assertThat(all.samples()).isEqualTo(37);
        assertThat(all.sampleShape()).isEqualTo(Shape.of(10));
        for (int s = 0; s < 37; s++) {
            Batch single = interp.run(new Batch(1, in.sampleShape(), in.sample(s)));
            assertThat(single.data()).as("sample %d", s).containsExactly(all.sample(s));
        }
    }

    @Test
    void smallCnnMatchesAPlainDoubleImplementation() {
        // The whole benchmark CNN (buffer reuse, in-place relu and batchnorm, views) against straightforward loops in double
        Module m = TestNet.smallCnn(21);
        Batch in = images(6, 22);
        Batch out = new AnnInterpreter(m).run(in);
        for (int s = 0; s < in.samples(); s++) {
            double[] x = new double[784];
            for (int i = 0; i < 784; i++) x[i] = in.get(s, i);
            double[] h = conv(m, "conv1", x, 1, 28, 16);
            float[] g = m.blobs().get("bn.gamma").floats(), b = m.blobs().get("bn.beta").floats();
            float[] mu = m.blobs().get("bn.mean").floats(), var = m.blobs().get("bn.var").floats();
            for (int i = 0; i < h.length; i++) {
                int c = i / 784;
                h[i] = Math.max(0, (h[i] - mu[c]) * g[c] / Math.sqrt(var[c] + 1e-5) + b[c]);
            }
            h = avgpool2(h, 16, 28);
            h = conv(m, "conv2", h, 16, 14, 32);
            for (int i = 0; i < h.length; i++) h[i] = Math.max(0, h[i]);
            h = avgpool2(h, 32, 14);
            h = dense(m, "fc1", h);
            for (int i = 0; i < h.length; i++) h[i] = Math.max(0, h[i]);
            h = dense(m, "fc2", h);
            for (int j = 0; j < 10; j++) assertThat((double) out.get(s, j)).isCloseTo(h[j], within(1e-4));
        }
    }

    /** 3x3 convolution with padding 1 on a square [ic, n, n] input. */
    private static double[] conv(Module m, String name, double[] x, int ic, int n, int oc) {
        float[] w = m.blobs().get(name + ".w").floats(), b = m.blobs().get(name + ".b").floats();
        double[] y = new double[oc * n * n];
        for (int o = 0; o < oc; o++) {
            for (int r = 0; r < n; r++) {
                for (int q = 0; q < n; q++) {
                    double sum = b[o];
                    for (int i = 0; i < ic; i++) {
                        for (int dy = 0; dy < 3; dy++) {
                            for (int dx = 0; dx < 3; dx++) {
                                int iy = r - 1 + dy, ix = q - 1 + dx;
                                if (iy >= 0 && iy < n && ix >= 0 && ix < n) sum += w[((o * ic + i) * 3 + dy) * 3 + dx] * x[(i * n + iy) * n + ix];
                            }
                        }
                    }
                    y[(o * n + r) * n + q] = sum;
                }
            }
        }
        return y;
    }

    private static double[] avgpool2(double[] x, int c, int n) {
        int k = n / 2;
        double[] y = new double[c * k * k];
        for (int ch = 0; ch < c; ch++) {
            for (int r = 0; r < k; r++) {
                for (int q = 0; q < k; q++) {
                    int a = (ch * n + 2 * r) * n + 2 * q;
                    y[(ch * k + r) * k + q] = (x[a] + x[a + 1] + x[a + n] + x[a + n + 1]) / 4;
                }
            }
        }
        return y;
    }

    private static double[] dense(Module m, String name, double[] x) {
        float[] w = m.blobs().get(name + ".w").floats(), b = m.blobs().get(name + ".b").floats();
        double[] y = new double[b.length];
        for (int j = 0; j < y.length; j++) {
            double sum = b[j];
            for (int i = 0; i < x.length; i++) sum += w[j * x.length + i] * x[i];
            y[j] = sum;
        }
        return y;
    }

    @Test
    void chunkSizeDoesNotChangeResults() {
        // Chunks of 1, 3 and 64 samples give identical outputs (sums run in a fixed order per sample)
        Module m = TestNet.smallCnn(3);
        Batch in = images(20, 4);
        float[] ref = new AnnInterpreter(m, 1).run(in).data();
        assertThat(new AnnInterpreter(m, 3).run(in).data()).containsExactly(ref);
        assertThat(new AnnInterpreter(m, 64).run(in).data()).containsExactly(ref);
    }

    @Test
    void repeatedRunsReuseFramesAndGiveTheSameResult() {
        // A second run on the same interpreter (reused buffers) reproduces the first
        AnnInterpreter interp = new AnnInterpreter(TestNet.smallCnn(5));
        Batch in = images(19, 6);
        float[] first = interp.run(in).data();
        assertThat(interp.run(in).data()).containsExactly(first);
    }

    @Test
    void emptyBatchGivesEmptyOutputs() {
        // Zero samples in, zero samples out, with the output's shape
        Batch y = new AnnInterpreter(TestNet.smallCnn(1)).run(new Batch(0, Shape.of(1, 28, 28), new float[0]));
        assertThat(y.samples()).isZero();
        assertThat(y.sampleShape()).isEqualTo(Shape.of(10));
    }

    @Test
    void observerSeesEveryValueOfEverySampleBeforeLaterOpsOverwriteIt() {
        // Every op result (inputs and views included) is observed once per sample; the dense result is
        // seen before its relu runs in place over it, so negatives are visible
        Module m = TestNet.smallCnn(7);
        int n = 11;
        Map<Value, float[][]> seen = new ConcurrentHashMap<>();
        var interp = new AnnInterpreter(m);
        Batch out = interp.run(Map.of("image", images(n, 8)), (value, sample, data, offset, length) -> {
            float[][] perSample = seen.computeIfAbsent(value, v -> new float[n][]);
            synchronized (perSample) {
                assertThat(perSample[sample]).as("observed twice").isNull();
                float[] copy = new float[length];
                System.arraycopy(data, offset, copy, 0, length);
                perSample[sample] = copy;
            }
        }).get("logits");
        List<Value> results = new ArrayList<>();
        m.graph().ops().forEach(op -> results.addAll(op.results()));
        assertThat(seen.keySet()).containsExactlyInAnyOrderElementsOf(results);
        for (Value v : results) {
            int size = m.graph().type(v).shape().elementCount();
            for (float[] sample : seen.get(v)) assertThat(sample).hasSize(size);
        }
        Value dense1 = m.graph().opsOf(OpKind.ANN_DENSE).getFirst().result();
        Value logits = m.graph().opsOf(OpKind.ANN_DENSE).getLast().result();
        boolean negative = false;
        for (float[] s : seen.get(dense1)) for (float v : s) negative |= v < 0;
        assertThat(negative).isTrue();
        for (int s = 0; s < n; s++) assertThat(seen.get(logits)[s]).containsExactly(out.sample(s));
    }

    @Test
    void recorderKeepsIntermediateActivationsPerSample() {
        // Recording every value: the input comes back as given, the last dense equals the output, the flatten is the pool's data
        Module m = TestNet.smallCnn(12);
        Batch in = images(10, 13);
        ActivationRecorder rec = ActivationRecorder.all(m.graph(), in.samples());
        Batch out = new AnnInterpreter(m).run(Map.of("image", in), rec).get("logits");
        Value input = m.graph().opsOf(OpKind.ANN_INPUT).getFirst().result();
        Value logits = m.graph().opsOf(OpKind.ANN_DENSE).getLast().result();
        var flatten = m.graph().opsOf(OpKind.ANN_FLATTEN).getFirst();
        assertThat(rec.get(input).data()).containsExactly(in.data());
        assertThat(rec.get(logits).data()).containsExactly(out.data());
        assertThat(rec.get(flatten.result()).data()).containsExactly(rec.get(flatten.operand(0)).data());
        assertThat(rec.get(flatten.result()).sampleShape()).isEqualTo(Shape.of(1568));
    }

    @Test
    void observerDoesNotChangeResults() {
        // Running with an observer gives the same outputs as without
        AnnInterpreter interp = new AnnInterpreter(TestNet.smallCnn(9));
        Batch in = images(9, 10);
        float[] plain = interp.run(in).data();
        assertThat(interp.run(Map.of("image", in), (v, s, d, o, l) -> {}).get("logits").data()).containsExactly(plain);
    }

    @Test
    void aValueUsedAfterItsReluIsNotOverwrittenInPlace() {
        // d = dense(x) feeds relu and is also an output after it: relu must not run in place over d
        TestNet t = new TestNet();
        Value x = t.input("x", 2);
        Value d = t.dense(x, "fc", new float[] {1, 0, 0, -1}, null, 2, 2);
        t.output("r", t.op(OpKind.ANN_RELU, d));
        t.output("d", d);
        var out = new AnnInterpreter(t.module()).run(Map.of("x", new Batch(1, Shape.of(2), new float[] {3, 4})));
        assertThat(out.keySet()).containsExactly("r", "d");
        assertThat(out.get("r").data()).containsExactly(3, 0);
        assertThat(out.get("d").data()).containsExactly(3, -4);
    }

    @Test
    void residualBlockKeepsTheSkipValueAlive() {
        // y = relu(x + relu(dense(x))): x is read by the add after dense and relu used their buffers
        TestNet t = new TestNet();
        Value x = t.input("x", 2);
        Value h = t.op(OpKind.ANN_RELU, t.dense(x, "fc", new float[] {1, 1, -1, -1}, new float[] {0, 0}, 2, 2));
        Value s = t.op(OpKind.ANN_RELU, t.op(OpKind.ANN_ADD, t.op(OpKind.ANN_RELU, x), h));
        t.output("y", s);
        Batch y = new AnnInterpreter(t.module()).run(new Batch(2, Shape.of(2), new float[] {1, 2, -1, -2}));
        // sample 0: relu(x) = [1, 2], h = [3, 0] -> [4, 2]; sample 1: relu(x) = [0, 0], h = [0, 3] -> [0, 3]
        assertThat(y.data()).containsExactly(4, 2, 0, 3);
    }

    @Test
    void inputErrorsNameTheProblem() {
        // Missing, unknown, wrongly shaped or disagreeing inputs are IllegalArgumentExceptions saying which
        TestNet t = new TestNet();
        t.output("y", t.op(OpKind.ANN_ADD, t.input("a", 2), t.input("b", 2)));
        var interp = new AnnInterpreter(t.module());
        Batch two = new Batch(1, Shape.of(2), new float[2]);
        assertThatThrownBy(() -> interp.run(Map.of("a", two)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing input 'b'");
        assertThatThrownBy(() -> interp.run(Map.of("a", two, "b", two, "c", two)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown input 'c'");
        assertThatThrownBy(() -> interp.run(Map.of("a", two, "b", new Batch(1, Shape.of(1, 2), new float[2]))))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("input 'b' has sample shape [1,2], expected [2]");
        assertThatThrownBy(() -> interp.run(Map.of("a", two, "b", new Batch(2, Shape.of(2), new float[4]))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("samples");
        assertThatThrownBy(() -> interp.run(two))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one input and one output");
    }

    @Test
    void refusesModulesOfOtherStages() {
        // An snn-stage module is not for this interpreter
        Module m = TestNet.smallCnn(1).withStage(Stage.SNN);
        assertThatThrownBy(() -> new AnnInterpreter(m)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ann-stage");
    }

    @Test
    void refusesStoredTypesThatContradictTheTypeRules() {
        // A relu whose stored result type differs from its operand's is caught at plan time, not as an out-of-bounds write
        var b = new GraphBuilder(BlobTable.EMPTY);
        Value in = b.input(OpKind.ANN_INPUT, TensorType.f32(4), Attributes.builder().putString("name", "x").build(), Location.UNKNOWN);
        b.addTyped(OpKind.ANN_RELU, List.of(in), Attributes.EMPTY, List.of(TensorType.f32(8)), Location.UNKNOWN);
        Module bad = new Module("bad", Stage.ANN, BlobTable.EMPTY, b.build());
        assertThatThrownBy(() -> new AnnInterpreter(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ann.relu").hasMessageContaining("tensor<4xf32>");
    }
}

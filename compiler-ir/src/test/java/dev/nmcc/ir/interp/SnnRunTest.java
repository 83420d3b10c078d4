package dev.nmcc.ir.interp;

import static dev.nmcc.ir.interp.SnnTesting.batch;
import static dev.nmcc.ir.interp.SnnTesting.floats;
import static dev.nmcc.ir.interp.SnnTesting.ints;
import static dev.nmcc.ir.interp.SnnTesting.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.type.Shape;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Decoding and prediction, batches and threads, sample numbering, errors. */
class SnnRunTest {
    /** Two or three integer neurons with constant currents x_q = round(10 x), θ = 10, counted. */
    private static final String COUNTED = """
            module @c stage hw {
              %x = snn.input {name = "x"} : tensor<3xf32>
              %c = snn.encode(%x) {mode = direct, input_scale = 10} : tensor<3xi32>
              %s = snn.if(%c) {threshold = 10} : spikes<3>
              %n = snn.decode(%s) {mode = count} : tensor<3xi32>
              snn.output(%n) {name = "n"}
            }
            """;

    @Test
    void countDecodingBreaksTiesByFinalPotentialThenIndex() {
        // T = 4: I = 3 -> 3 6 9 12|2: one spike, v = 2; I = 4 -> 4 8 12|2 6: one spike, v = 6; I = 0 -> none
        SnnInterpreter interp = new SnnInterpreter(parse(COUNTED));
        SnnResult r = interp.run(batch(Shape.of(3), 0.3f, 0.4f, 0f, 0.4f, 0.3f, 0f, 0.3f, 0.3f, 0f, 0f, 0f, 0.9f), 4);
        SnnResult.Output n = r.output();
        assertThat(n.decoding()).isEqualTo(SnnResult.Decoding.COUNT);
        assertThat(n.sample(0)).containsExactly(1, 1, 0);
        assertThat(Arrays.copyOfRange(n.finalPotentials(), 0, 3)).containsExactly(2, 6, 0);
        assertThat(r.predictions()).containsExactly(1, 0, 0, 2);
        // sample 3: counts 0 0 3 -> 2 whatever the potentials
        assertThat(n.sample(3)).containsExactly(0, 0, 3);
    }

    @Test
    void predictOrdersByValueThenTieBreakThenIndex() {
        assertThat(SnnResult.predict(new double[] {1, 3, 3, 2}, null, 0, 4)).isEqualTo(1);
        assertThat(SnnResult.predict(new double[] {1, 3, 3, 2}, new double[] {9, 0.5, 0.7, 9}, 0, 4)).isEqualTo(2);
        assertThat(SnnResult.predict(new double[] {9, 9, 1, 3, 3, 2}, new double[] {0, 0, 9, 0.5, 0.5, 9}, 2, 4)).isEqualTo(1);
        assertThat(SnnResult.predict(new double[] {Double.NaN, -1, Double.NaN}, null, 0, 3)).isEqualTo(1);
    }

    /** A small spiking CNN: rate input, conv, IF, max pool, flatten, dense, LIF, count decoding; float or integer. */
    static Module smallNet(long seed, boolean integer) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] cw = new int[4 * 9], dw = new int[10 * 64], cb = new int[4];
        float[] cwf = new float[4 * 9], dwf = new float[10 * 64], cbf = new float[4];
        for (int i = 0; i < cw.length; i++) {
            cw[i] = rnd.nextInt(-3, 8);
            cwf[i] = (float) rnd.nextDouble(-0.3, 0.8);
        }
        for (int i = 0; i < dw.length; i++) {
            dw[i] = rnd.nextInt(-6, 8);
            dwf[i] = (float) rnd.nextDouble(-0.5, 0.7);
        }
        for (int i = 0; i < 4; i++) {
            cb[i] = rnd.nextInt(-2, 3);
            cbf[i] = (float) rnd.nextDouble(-0.1, 0.1);
        }
        String text = integer ? """
                module @net stage hw {
                  blob @cw : tensor<4x1x3x3xi4> = CW
                  blob @cb : tensor<4xi32> = CB
                  blob @dw : tensor<10x64xi4> = DW
                  %x = snn.input {name = "image"} : tensor<1x8x8xf32>
                  %s = snn.encode(%x) {mode = rate} : spikes<1x8x8>
                  %c = snn.conv2d(%s) {out_channels = 4, kernel = [3, 3], pad = [1, 1, 1, 1], weight = @cw, bias = @cb} : tensor<4x8x8xi32>
                  %h = snn.if(%c) {threshold = 12, v0 = 6, v_bits = 12} : spikes<4x8x8>
                  %p = snn.maxpool(%h) {kernel = [2, 2]} : spikes<4x4x4>
                  %f = snn.flatten(%p) : spikes<64>
                  %d = snn.dense(%f) {units = 10, weight = @dw} : tensor<10xi32>
                  %o = snn.lif(%d) {threshold = 20, leak_shift = 3, v0 = 10, reset = zero} : spikes<10>
                  %n = snn.decode(%o) {mode = count} : tensor<10xi32>
                  snn.output(%n) {name = "counts"}
                }
                """.replace("CW", ints(cw)).replace("CB", ints(cb)).replace("DW", ints(dw)) : """
                module @net stage snn {
                  blob @cw : tensor<4x1x3x3xf32> = CW
                  blob @cb : tensor<4xf32> = CB
                  blob @dw : tensor<10x64xf32> = DW
                  %x = snn.input {name = "image"} : tensor<1x8x8xf32>
                  %s = snn.encode(%x) {mode = rate} : spikes<1x8x8>
                  %c = snn.conv2d(%s) {out_channels = 4, kernel = [3, 3], pad = [1, 1, 1, 1], weight = @cw, bias = @cb} : tensor<4x8x8xf32>
                  %h = snn.if(%c) {threshold = 1.0, v0 = 0.5} : spikes<4x8x8>
                  %p = snn.maxpool(%h) {kernel = [2, 2]} : spikes<4x4x4>
                  %f = snn.flatten(%p) : spikes<64>
                  %d = snn.dense(%f) {units = 10, weight = @dw} : tensor<10xf32>
                  %o = snn.lif(%d) {threshold = 1.0, leak = 0.9, v0 = 0.5} : spikes<10>
                  %n = snn.decode(%o) {mode = count} : tensor<10xi32>
                  snn.output(%n) {name = "counts"}
                }
                """.replace("CW", floats(cwf)).replace("CB", floats(cbf)).replace("DW", floats(dwf));
        return parse(text);
    }

    static Batch images(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[n * 64];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextDouble();
        return new Batch(n, Shape.of(1, 8, 8), x);
    }

    @ParameterizedTest(name = "integer form: {0}")
    @ValueSource(booleans = {false, true})
    void batchInParallelEqualsSamplesOneByOne(boolean integer) {
        // 37 samples on several threads give the decoded values, potentials and spike counts of 37 single runs
        Module m = smallNet(3, integer);
        Batch in = images(37, 4);
        SnnInterpreter interp = new SnnInterpreter(m);
        int steps = 16;
        SnnResult all = interp.run(in, steps, 7, 0);
        assertThat(all.stats().spikes()).isPositive();
        long[][] perNeuron = new long[all.stats().populations().size()][];
        for (int p = 0; p < perNeuron.length; p++) perNeuron[p] = new long[all.stats().populations().get(p).neurons()];
        long sops = 0, inputSpikes = 0;
        for (int s = 0; s < 37; s++) {
            SnnResult one = interp.run(new Batch(1, in.sampleShape(), in.sample(s)), steps, 7, s);
            assertThat(one.output().sample(0)).as("sample %d", s).containsExactly(all.output().sample(s));
            assertThat(Arrays.copyOf(one.output().finalPotentials(), 10))
                    .containsExactly(Arrays.copyOfRange(all.output().finalPotentials(), s * 10, s * 10 + 10));
            assertThat(one.predictions()[0]).isEqualTo(all.predictions()[s]);
            for (int p = 0; p < perNeuron.length; p++) {
                long[] c = one.stats().populations().get(p).spikesPerNeuron();
                for (int i = 0; i < c.length; i++) perNeuron[p][i] += c[i];
            }
            sops += one.stats().sops();
            assertThat(all.stats().sampleSops()[s]).isEqualTo(one.stats().sops());
            assertThat(all.stats().sampleSpikes()[s]).isEqualTo(one.stats().spikes());
            inputSpikes += one.stats().inputSpikes();
        }
        for (int p = 0; p < perNeuron.length; p++) {
            assertThat(all.stats().populations().get(p).spikesPerNeuron()).containsExactly(perNeuron[p]);
        }
        assertThat(all.stats().sops()).isEqualTo(sops);
        assertThat(all.stats().inputSpikes()).isEqualTo(inputSpikes);
    }

    @Test
    void aSliceOfTheDataSetRunsAloneAsInTheFullRun() {
        // samples 10..19 with firstSampleIndex = 10 draw the spikes they draw inside a run of 0..29
        Module m = smallNet(8, false);
        Batch in = images(30, 9);
        SnnInterpreter interp = new SnnInterpreter(m, 3);
        SnnResult all = interp.run(in, 12, 42, 0);
        Batch slice = new Batch(10, in.sampleShape(), Arrays.copyOfRange(in.data(), 10 * 64, 20 * 64));
        SnnResult part = interp.run(slice, 12, 42, 10);
        assertThat(part.output().values()).containsExactly(Arrays.copyOfRange(all.output().values(), 100, 200));
        // another seed gives other trains
        assertThat(interp.run(slice, 12, 43, 10).stats().inputSpikes()).isNotEqualTo(part.stats().inputSpikes());
    }

    @Test
    void repeatedRunsAreIdentical() {
        Module m = smallNet(11, true);
        Batch in = images(20, 12);
        SnnInterpreter interp = new SnnInterpreter(m, 1);
        SnnResult a = interp.run(in, 10, 5, 0), b = interp.run(in, 10, 5, 0);
        assertThat(b.output().values()).containsExactly(a.output().values());
        assertThat(b.stats().populations().get(0).spikesPerNeuron()).containsExactly(a.stats().populations().get(0).spikesPerNeuron());
        SnnStats st = a.stats();
        assertThat(st.populations()).extracting(SnnStats.Population::name).containsExactly("%h", "%o");
        assertThat(st.populations().get(0).neurons()).isEqualTo(256);
        assertThat(st.populations().get(0).firingRate()).isBetween(0.0, 1.0);
        assertThat(st.populations().get(0).maxNeuronRate()).isGreaterThanOrEqualTo(st.populations().get(0).firingRate());
        assertThat(st.projections()).extracting(SnnStats.Projection::name).containsExactly("%c", "%d");
        assertThat(st.samples()).isEqualTo(20);
        assertThat(a.accuracy(a.predictions())).isEqualTo(1.0);
    }

    @Test
    void emptyBatch() {
        SnnResult r = new SnnInterpreter(smallNet(1, false)).run(new Batch(0, Shape.of(1, 8, 8), new float[0]), 4);
        assertThat(r.samples()).isZero();
        assertThat(r.predictions()).isEmpty();
        assertThat(r.stats().firingRate()).isZero();
    }

    @Test
    void rejectsWhatItCannotRun() {
        Module ann = parse("""
                module @a stage ann {
                  %x = ann.input {name = "x"} : tensor<2xf32>
                  %y = ann.relu(%x) : tensor<2xf32>
                  ann.output(%y) {name = "y"}
                }
                """);
        assertThatThrownBy(() -> new SnnInterpreter(ann)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("snn- or hw-stage");
        SnnInterpreter interp = new SnnInterpreter(smallNet(1, false));
        assertThatThrownBy(() -> interp.run(new Batch(1, Shape.of(64), new float[64]), 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sample shape [64], expected [1,8,8] (same size: reshape the batch)");
        assertThatThrownBy(() -> interp.run(images(1, 1), 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timesteps");
        assertThatThrownBy(() -> interp.run(Map.of("img", images(1, 1)), 4, 0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing input 'image'");
        Module noDecode = parse("""
                module @o stage snn {
                  %x = snn.input {name = "x"} : tensor<2xf32>
                  %c = snn.encode(%x) {mode = direct} : tensor<2xf32>
                  snn.output(%c) {name = "y"}
                }
                """);
        assertThatThrownBy(() -> new SnnInterpreter(noDecode)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("op 2 (snn.output at <unknown>): snn.output must name the result of an snn.decode");
        Module floatThreshold = parse(COUNTED.replace("stage hw", "stage snn").replace("threshold = 10", "threshold = 2.5"));
        assertThatThrownBy(() -> new SnnInterpreter(floatThreshold)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'threshold' of an integer-form population must be an integer, got 2.5");
    }

    @Test
    void theSpikeObserverSeesEveryTrainAndItsSpikesAddUpToTheCounts() {
        // every spike-emitting op (encoder, IF, max pool, LIF) is observed once per sample and timestep, indices sorted
        Module m = smallNet(21, false);
        Batch in = images(5, 22);
        SnnInterpreter interp = new SnnInterpreter(m);
        int steps = 6;
        java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.atomic.AtomicLong> spikes = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.atomic.AtomicLong calls = new java.util.concurrent.atomic.AtomicLong();
        long[] lastLayer = new long[5 * 10];
        SnnResult r = interp.run(Map.of("image", in), steps, 9, 0, (value, sample, t, idx, count) -> {
            calls.incrementAndGet();
            String name = m.graph().name(value).orElseThrow();
            spikes.computeIfAbsent(name, k -> new java.util.concurrent.atomic.AtomicLong()).addAndGet(count);
            for (int k = 1; k < count; k++) assertThat(idx[k]).isGreaterThan(idx[k - 1]);
            if (name.equals("o")) for (int k = 0; k < count; k++) lastLayer[sample * 10 + idx[k]]++; // one thread per sample
        });
        assertThat(calls.get()).isEqualTo(5L * steps * 4);
        assertThat(spikes.get("s").get()).isEqualTo(r.stats().inputSpikes());
        assertThat(spikes.get("h").get()).isEqualTo(r.stats().populations().get(0).spikes());
        assertThat(spikes.get("o").get()).isEqualTo(r.stats().populations().get(1).spikes());
        for (int i = 0; i < lastLayer.length; i++) assertThat(r.output().values()[i]).isEqualTo(lastLayer[i]);
        // the decoded values as a float batch
        Batch b = r.output().asBatch();
        assertThat(b.samples()).isEqualTo(5);
        assertThat(b.get(4, 9)).isEqualTo((float) r.output().values()[49]);
    }
}

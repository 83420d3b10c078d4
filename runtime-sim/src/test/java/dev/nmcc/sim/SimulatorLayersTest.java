package dev.nmcc.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nmcc.nmc.model.Encoding;
import dev.nmcc.nmc.model.Reset;
import dev.nmcc.nmc.model.Window;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Projections, pooling, merge and the i32 clamps on hand-built models, expected values worked out by hand. */
class SimulatorLayersTest {
    private static final int MAX = Integer.MAX_VALUE, MIN = Integer.MIN_VALUE;

    private static SimResult run(ModelBuilder b, int timesteps, float... x) {
        return new Simulator(b.build()).run(Map.of("x", new InputBatch(1, x)), new SimOptions(Mode.FUNCTIONAL, timesteps, 0, 0), null);
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        Arrays.fill(a, v);
        return a;
    }

    @Test
    void currentsAreClampedToI32PerProjectionAndAgainAfterAMerge() {
        // x_q = 2^23 on 4 inputs. Row 0: 4 · 127 · 2^23 = 4,261,412,864 → MAX; row 1: 4 · (−128) · 2^23 → MIN.
        // The 64-bit potential decoder adds the clamped current T = 3 times; the merge adds MAX + MAX → MAX.
        ModelBuilder b = new ModelBuilder();
        int x = b.input("x", 4);
        int e = b.encode(x, Encoding.DIRECT, 1 << 23);
        int[] w = {127, 127, 127, 127, -128, -128, -128, -128};
        int d1 = b.dense(e, 2, 8, w, null);
        int d2 = b.dense(e, 2, 8, w, null);
        b.decodePotential(d1, "single");
        int m = b.merge(d1, d2);
        b.decodePotential(m, "merged");
        SimResult r = run(b, 3, 1f, 1f, 1f, 1f);
        assertThat(r.output("single").values()).containsExactly(3.0 * MAX, 3.0 * MIN);
        assertThat(r.output("merged").values()).containsExactly(3.0 * MAX, 3.0 * MIN);
        assertThat(r.sampleSops()).containsExactly(2 * 4 * 2 * 3); // two static projections: 4 events × 2 units × T
    }

    @Test
    void spikeSumsUse32BitsOnlyWhenTheyCannotOverflow() {
        // rate input x = 1 spikes every step on all 4 inputs. Row 0: bias MAX − 47 + 4 · 127 overflows → MAX (64-bit path).
        // Row 1: bias MAX − 47 − 4 · 128 = MAX − 559 (fits).
        ModelBuilder b = new ModelBuilder();
        int x = b.input("x", 4);
        int e = b.encode(x, Encoding.RATE, 255);
        int d = b.dense(e, 2, 8, new int[] {127, 127, 127, 127, -128, -128, -128, -128}, new int[] {MAX - 47, MAX - 47});
        b.decodePotential(d, "out");
        // the same without overflow risk takes the 32-bit path: bias 1000, rows of 3 and −2
        int d2 = b.dense(e, 2, 4, new int[] {3, 3, 3, 3, -2, -2, -2, -2}, new int[] {1000, 1000});
        b.decodePotential(d2, "narrow");
        SimResult r = run(b, 2, 1f, 1f, 1f, 1f);
        assertThat(r.output("out").values()).containsExactly(2.0 * MAX, 2.0 * (MAX - 559));
        assertThat(r.output("narrow").values()).containsExactly(2 * 1012, 2 * 992);
        assertThat(r.sampleSops()).containsExactly(2 * (4 * 2) * 2);
    }

    @Test
    void denseLayersReadPackedRunsAtEveryWidthAndAlignment() {
        // 13 rows in blocks of 5, 5 and 3 rows: at 1, 2 and 4 bits the run of input i starts at bit i · count · bits, mid-byte
        // for most i. Random weights; expected currents computed from the row-major matrix: I_j = b_j + Σ_i W_ji · in_i.
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
        int nIn = 7, rows = 13, steps = 2;
        for (int bits : new int[] {1, 2, 4, 8}) {
            int lo = bits == 1 ? -1 : -(1 << (bits - 1)), hi = bits == 1 ? 1 : (1 << (bits - 1)) - 1;
            int[] w = new int[rows * nIn], bias = new int[rows], bigBias = new int[rows];
            for (int k = 0; k < w.length; k++) w[k] = bits == 1 ? (rnd.nextBoolean() ? 1 : -1) : rnd.nextInt(lo, hi + 1);
            for (int j = 0; j < rows; j++) {
                bias[j] = rnd.nextInt(-50, 51);
                bigBias[j] = MAX - rnd.nextInt(1, 2 * nIn * (1 << (bits - 1))); // near MAX: some rows clamp
            }
            // Analog input (64-bit path): x_q = k (scale 10, x = k / 10).
            float[] analog = new float[nIn];
            int[] q = new int[nIn];
            for (int i = 0; i < nIn; i++) {
                q[i] = (i * 3) % 11;
                analog[i] = q[i] / 10f;
            }
            // Spikes (32-bit path, and 64-bit with the large bias): x = 1 spikes every step, x = 0 never.
            float[] spikes = new float[nIn];
            int[] s = new int[nIn];
            for (int i = 0; i < nIn; i++) s[i] = i % 3 == 1 ? 0 : 1;
            for (int i = 0; i < nIn; i++) spikes[i] = s[i];
            for (int path = 0; path < 3; path++) {
                int[] in = path == 0 ? q : s, b0 = path == 2 ? bigBias : bias;
                ModelBuilder b = new ModelBuilder();
                int x = b.input("x", nIn);
                int e = b.encode(x, path == 0 ? Encoding.DIRECT : Encoding.RATE, path == 0 ? 10 : 255);
                b.decodePotential(b.dense(e, rows, bits, w, b0, 5), "out");
                double[] want = new double[rows];
                for (int j = 0; j < rows; j++) {
                    long sum = b0[j];
                    for (int i = 0; i < nIn; i++) sum += (long) w[j * nIn + i] * in[i];
                    want[j] = steps * (double) Math.clamp(sum, MIN, MAX);
                }
                assertThat(run(b, steps, path == 0 ? analog : spikes).output("out").values()).as("%d bits, path %d", bits, path)
                        .containsExactly(want);
            }
        }
    }

    @Test
    void convolutionHonoursPaddingAndStride() {
        // input 1×3×3 = 1..9 (scale 10, x = k/10), kernel 2×2 [[1, 2], [3, 4]], stride 2, pad 1 on every side → 2×2 output.
        // (0,0): only x(0,0) under w(1,1): 4·1 = 4.  (0,1): 3·2 + 4·3 = 18.  (1,0): 2·4 + 4·7 = 36.
        // (1,1): 1·5 + 2·6 + 3·8 + 4·9 = 77.  Bias 1; potential after T = 2: twice.
        ModelBuilder b = new ModelBuilder();
        int x = b.input("x", 1, 3, 3);
        int e = b.encode(x, Encoding.DIRECT, 10);
        int c = b.conv(e, 1, new Window(2, 2, 2, 2, 1, 1, 1, 1), 4, new int[] {1, 2, 3, 4}, new int[] {1}, 2, 2);
        b.decodePotential(c, "out");
        float[] in = new float[9];
        for (int k = 0; k < 9; k++) in[k] = (k + 1) / 10f;
        SimResult r = run(b, 2, in);
        assertThat(r.output("out").values()).containsExactly(10, 38, 74, 156);
        // every input lies in exactly one window: 9 events × 1 synapse per step, counted at both steps
        assertThat(r.sampleSops()).containsExactly(18);
    }

    @Test
    void convolutionOnSpikesCountsTheSynapsesOfEachEvent() {
        // 1×3×3 rate input at x = 1 (spikes every step), 3×3 kernel, pad 1: channel 0 all +1, channel 1 all −1.
        // Each output sums the inputs its window covers: 4 at corners, 6 at edges, 9 in the centre.
        // SOPs per step: 2 channels × (4 corners · 4 + 4 edges · 6 + 9) = 98.
        ModelBuilder b = new ModelBuilder();
        int x = b.input("x", 1, 3, 3);
        int e = b.encode(x, Encoding.RATE, 255);
        int[] w = new int[18];
        Arrays.fill(w, 0, 9, 1);
        Arrays.fill(w, 9, 18, -1);
        int c = b.conv(e, 2, new Window(3, 3, 1, 1, 1, 1, 1, 1), 2, w, null, 3, 3);
        b.decodePotential(c, "out");
        SimResult r = run(b, 2, filled(9, 1f));
        assertThat(r.output("out").values()).containsExactly(8, 12, 8, 12, 18, 12, 8, 12, 8, -8, -12, -8, -12, -18, -12, -8, -12, -8);
        assertThat(r.sampleSops()).containsExactly(196);
    }

    @Test
    void averagePoolingCountsSpikesPerWindowTimesItsWeight() {
        // 1×4×4 all spiking, 2×2 windows stride 2, weight 3: every output 3 · 4 = 12 per step; T = 3 → 36.
        // Each input lies in one window: 16 SOPs per step.
        ModelBuilder b = new ModelBuilder();
        int x = b.input("x", 1, 4, 4);
        int e = b.encode(x, Encoding.RATE, 255);
        int a = b.avgpool(e, new Window(2, 2, 2, 2, 0, 0, 0, 0), 3, 2, 2);
        b.decodePotential(a, "out");
        SimResult r = run(b, 3, filled(16, 1f));
        assertThat(r.output("out").values()).containsExactly(36, 36, 36, 36);
        assertThat(r.sampleSops()).containsExactly(48);
    }

    @Test
    void maxPoolingSpikesWhenAnyInputOfItsWindowSpikes() {
        // 1×2×4 input, only element 6 = (row 1, col 2) at x = 1: window (0, 1) spikes every step, window (0, 0) never.
        ModelBuilder b = new ModelBuilder();
        int x = b.input("x", 1, 2, 4);
        int e = b.encode(x, Encoding.RATE, 255);
        int mp = b.maxpool(e, new Window(2, 2, 2, 2, 0, 0, 0, 0), 1, 2);
        b.decodeCount(mp, "out", -1);
        float[] in = new float[8];
        in[6] = 1f;
        SimResult r = run(b, 4, in);
        assertThat(r.output("out").values()).containsExactly(0, 4);
        assertThat(r.output("out").finalPotentials()).isNull();
        assertThat(r.predictions()).containsExactly(1);
        assertThat(r.sampleSops()).containsExactly(0); // pooling by OR costs no synaptic operations
        List<String> seen = new ArrayList<>();
        new Simulator(b.build()).trace(Map.of("x", new InputBatch(1, in)), 0, new SimOptions(Mode.FUNCTIONAL, 2, 0, 0),
                (t, layer, idx, n) -> seen.add(t + ":" + layer + ":" + Arrays.toString(Arrays.copyOf(idx, n))));
        assertThat(seen).containsExactly("0:1:[6]", "0:2:[1]", "1:1:[6]", "1:2:[1]");
    }

    @Test
    void avgPoolOfStaticCurrentSumsEachWindowOnce() {
        // direct 1×2×2 input x_q = 1, 2, 3, 4 (scale 10); a 2×2 window with pad 1 stride 2 on each side gives 2×2 outputs,
        // each covering one input: weight 2 → 2, 4, 6, 8 per step; T = 2.
        ModelBuilder b = new ModelBuilder();
        int x = b.input("x", 1, 2, 2);
        int e = b.encode(x, Encoding.DIRECT, 10);
        int a = b.avgpool(e, new Window(2, 2, 2, 2, 1, 1, 1, 1), 2, 2, 2);
        int p = b.neurons(a, false, 0, Reset.SUBTRACT, 32, new int[] {5}, new int[] {0});
        b.decodePotential(a, "out");
        b.decodeCount(p, "count", p);
        SimResult r = run(b, 2, 0.1f, 0.2f, 0.3f, 0.4f);
        assertThat(r.output("out").values()).containsExactly(4, 8, 12, 16);
        // counts: I = 2: 2, 4 (0 spikes); I = 4: 4, 8→3 (1); I = 6: 6→1, 7→2 (2); I = 8: 8→3, 11→6 (2)
        assertThat(r.output("count").values()).containsExactly(0, 1, 2, 2);
        assertThat(r.output("count").finalPotentials()).containsExactly(4, 3, 2, 6);
        assertThat(r.sampleSops()).containsExactly(4 * 2); // 4 events × 1 window × T
    }
}

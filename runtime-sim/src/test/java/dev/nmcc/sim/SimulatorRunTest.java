package dev.nmcc.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nmcc.nmc.model.Encoding;
import dev.nmcc.nmc.model.NmcModel;
import dev.nmcc.nmc.model.Reset;
import dev.nmcc.nmc.model.SynapseBlock;
import dev.nmcc.sim.engine.RateCode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The rate-encoding PRNG, batching and determinism, and the errors of bad input. */
class SimulatorRunTest {
    /** Rows of rate_encoder_vectors.txt: seed sample element t u16 x spike (computed in Python from the doc's formula). */
    private static List<String[]> vectors() throws Exception {
        List<String[]> rows = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                SimulatorRunTest.class.getResourceAsStream("/vectors/rate_encoder_vectors.txt"), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.startsWith("#") && !line.isBlank()) rows.add(line.trim().split("\\s+"));
            }
        }
        assertThat(rows).hasSize(12);
        return rows;
    }

    @Test
    void prngMatchesIndependentlyComputedVectors() throws Exception {
        for (String[] v : vectors()) {
            long seed = Long.parseLong(v[0]), sample = Long.parseLong(v[1]), element = Long.parseLong(v[2]), t = Long.parseLong(v[3]);
            assertThat(RateCode.u16(seed, sample, element, t)).as("u16 of %s", String.join(" ", v)).isEqualTo(Integer.parseInt(v[4]));
        }
    }

    @Test
    void rateEncoderSpikesAsTheVectorsSay() throws Exception {
        for (String[] v : vectors()) {
            long seed = Long.parseLong(v[0]), sample = Long.parseLong(v[1]);
            int element = Integer.parseInt(v[2]), t = Integer.parseInt(v[3]);
            float x = Float.parseFloat(v[5]);
            boolean expected = v[6].equals("1");
            ModelBuilder b = new ModelBuilder();
            int in = b.input("x", element + 1);
            int e = b.encode(in, Encoding.RATE, 255);
            b.decodeCount(e, "out", -1);
            float[] data = new float[element + 1];
            data[element] = x;
            boolean[] spiked = new boolean[1];
            new Simulator(b.build()).trace(Map.of("x", new InputBatch(1, data)), 0, new SimOptions(Mode.FUNCTIONAL, t + 1, seed, sample),
                    (ts, layer, idx, n) -> {
                        if (ts == t) for (int k = 0; k < n; k++) spiked[0] |= idx[k] == element;
                    });
            assertThat(spiked[0]).as("spike of %s", String.join(" ", v)).isEqualTo(expected);
        }
    }

    /** A random 3-layer MLP with rate input, 8-bit weights, count decoding (ties broken by potential). */
    static NmcModel randomMlp(long seed, int in, int hidden, int out) {
        Random rnd = new Random(seed);
        ModelBuilder b = new ModelBuilder();
        int x = b.input("x", in);
        int e = b.encode(x, Encoding.RATE, 255);
        int[] w1 = new int[hidden * in], w2 = new int[out * hidden], b1 = new int[hidden];
        for (int k = 0; k < w1.length; k++) w1[k] = rnd.nextInt(256) - 128;
        for (int k = 0; k < w2.length; k++) w2[k] = rnd.nextInt(16) - 8;
        for (int k = 0; k < hidden; k++) b1[k] = rnd.nextInt(41) - 20;
        int d1 = b.dense(e, hidden, 8, w1, b1, 7);
        int p1 = b.neurons(d1, true, 3, Reset.SUBTRACT, 16, new int[] {300}, new int[] {150});
        int d2 = b.dense(p1, out, 4, w2, null);
        int p2 = b.neurons(d2, false, 0, Reset.ZERO, 16, new int[] {20}, new int[] {0});
        b.decodeCount(p2, "out", p2);
        return b.build();
    }

    private static float[] randomInputs(long seed, int n) {
        Random rnd = new Random(seed);
        float[] x = new float[n];
        for (int k = 0; k < n; k++) x[k] = rnd.nextFloat() < 0.5 ? 0 : rnd.nextFloat();
        return x;
    }

    @Test
    void resultsDoNotDependOnChunkingAndASliceGivesTheSamplesItGivesInAWholeRun() {
        NmcModel m = randomMlp(1, 50, 40, 10);
        int samples = 23;
        float[] x = randomInputs(2, samples * 50);
        SimOptions opt = new SimOptions(Mode.FUNCTIONAL, 16, 9, 0);
        AtomicLong calls = new AtomicLong(), last = new AtomicLong();
        SimResult a = new Simulator(m, 1).run(Map.of("x", new InputBatch(samples, x)), opt, (done, total) -> {
            calls.incrementAndGet();
            last.accumulateAndGet(done, Math::max);
            assertThat(total).isEqualTo(samples);
        });
        SimResult b = new Simulator(m, 5).run(Map.of("x", new InputBatch(samples, x)), opt, null);
        assertThat(calls.get()).isEqualTo(samples);
        assertThat(last.get()).isEqualTo(samples);
        assertThat(a.output("out").values()).containsExactly(b.output("out").values());
        assertThat(a.output("out").finalPotentials()).containsExactly(b.output("out").finalPotentials());
        assertThat(a.predictions()).containsExactly(b.predictions());
        assertThat(a.sampleSops()).containsExactly(b.sampleSops());
        assertThat(a.sampleSpikes()).containsExactly(b.sampleSpikes());
        for (int p = 0; p < 2; p++) {
            assertThat(a.populations().get(p).spikesPerNeuron()).containsExactly(b.populations().get(p).spikesPerNeuron());
        }
        assertThat(a.populations().getFirst().spikes()).isPositive(); // the network is not silent
        // samples 7 … 22 alone, numbered from 7
        float[] tail = java.util.Arrays.copyOfRange(x, 7 * 50, samples * 50);
        SimResult c = new Simulator(m).run(Map.of("x", new InputBatch(samples - 7, tail)), new SimOptions(Mode.FUNCTIONAL, 16, 9, 7), null);
        assertThat(c.output("out").values()).containsExactly(java.util.Arrays.copyOfRange(a.output("out").values(), 70, samples * 10));
        assertThat(c.sampleSops()).containsExactly(java.util.Arrays.copyOfRange(a.sampleSops(), 7, samples));
        // and a trace of sample 12 gives sample 12's result
        long[] spikes = new long[1];
        SimResult t = new Simulator(m).trace(Map.of("x", new InputBatch(samples, x)), 12, opt, (ts, layer, idx, n) -> {
            if (layer == 3 || layer == 5) spikes[0] += n;
        });
        assertThat(t.samples()).isEqualTo(1);
        assertThat(t.output("out").values()).containsExactly(java.util.Arrays.copyOfRange(a.output("out").values(), 120, 130));
        assertThat(spikes[0]).isEqualTo(a.sampleSpikes()[12]).isEqualTo(t.sampleSpikes()[0]);
    }

    @Test
    void badInputsAreOneClearError() {
        Simulator sim = new Simulator(randomMlp(1, 5, 4, 3));
        SimOptions opt = SimOptions.defaults(sim.model(), Mode.FUNCTIONAL);
        assertThatThrownBy(() -> sim.run(Map.of(), opt, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("missing input 'x'; the model's inputs are [x]");
        assertThatThrownBy(() -> sim.run(Map.of("x", new InputBatch(1, new float[5]), "y", new InputBatch(1, new float[5])), opt, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("unknown input 'y'; the model's inputs are [x]");
        assertThatThrownBy(() -> sim.run(Map.of("x", new InputBatch(2, new float[9])), opt, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("input 'x' has 9 values for 2 samples; each sample needs 5");
        assertThatThrownBy(() -> sim.trace(Map.of("x", new InputBatch(2, new float[10])), 2, opt, (t, l, i, n) -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("sample 2 is out of range: the inputs hold 2 samples");
    }

    @Test
    void aMalformedModelNamesTheLayer() {
        NmcModel m = randomMlp(1, 5, 4, 3);
        List<SynapseBlock> fewer = new ArrayList<>(m.synapses());
        fewer.removeFirst(); // rows 0 … 3 of the first dense layer
        NmcModel broken = new NmcModel(m.header(), m.target(), m.io(), m.layers(), m.slices(), fewer, m.routes(), "");
        assertThatThrownBy(() -> new Simulator(broken)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("layer 2 'dense2': synapse blocks cover 0 of its 4 rows");
    }
}

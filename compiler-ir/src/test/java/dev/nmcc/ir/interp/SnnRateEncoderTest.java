package dev.nmcc.ir.interp;

import static dev.nmcc.ir.interp.SnnTesting.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.type.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The counter-based PRNG of rate encoding against vectors computed in Python, and its rates. */
class SnnRateEncoderTest {
    @Test
    void matchesTheVectorsComputedInPython() throws IOException {
        // docs/vectors/rate_encoder_vectors.py computes these with Python's unbounded integers
        List<String> lines;
        try (InputStream in = getClass().getResourceAsStream("/vectors/rate_encoder_vectors.txt")) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("#")).toList();
        }
        assertThat(lines).hasSizeGreaterThanOrEqualTo(10);
        for (String line : lines) {
            String[] f = line.trim().split(" +");
            long seed = Long.parseLong(f[0]), sample = Long.parseLong(f[1]), element = Long.parseLong(f[2]), t = Long.parseLong(f[3]);
            int u16 = Integer.parseInt(f[4]);
            double x = Double.parseDouble(f[5]);
            boolean spike = f[6].equals("1");
            assertThat(RateEncoder.u16(seed, sample, element, t)).as(line).isEqualTo(u16);
            int level = (int) Math.max(0, Math.min(255, Math.floor(255 * x + 0.5)));
            assertThat(RateEncoder.spikes(u16, level)).as(line).isEqualTo(spike);
        }
    }

    @Test
    void handPickedVectors() {
        // from rate_encoder_vectors.txt: (seed, sample, element, t) -> u16
        assertThat(RateEncoder.u16(0, 0, 0, 0)).isEqualTo(8496);
        assertThat(RateEncoder.u16(42, 7, 783, 0)).isEqualTo(22408);
        assertThat(RateEncoder.u16(-1, 0, 0, 0)).isEqualTo(252);
        assertThat(RateEncoder.u16(Long.MAX_VALUE, 60000, 784, 7)).isEqualTo(35166);
    }

    @Test
    void levelsRoundHalfUpAndClamp() {
        assertThat(RateEncoder.level(0f)).isEqualTo(0);
        assertThat(RateEncoder.level(1f)).isEqualTo(255);
        assertThat(RateEncoder.level(0.5f)).isEqualTo(128); // 127.5 + 0.5
        assertThat(RateEncoder.level(0.3f)).isEqualTo(77);
        assertThat(RateEncoder.level(-0.2f)).isEqualTo(0);
        assertThat(RateEncoder.level(7f)).isEqualTo(255);
        assertThat(RateEncoder.level(Float.NaN)).isEqualTo(0);
        assertThat(RateEncoder.quantize(0.5f, 255)).isEqualTo(128);
    }

    @Test
    void spikesNeverAtZeroAlwaysAtOneAndAtRateXInBetween() {
        // fixed seed: the counts are exact numbers, so the bounds cannot flake
        int steps = 20000;
        int zero = 0, one = 0, third = 0;
        for (int t = 0; t < steps; t++) {
            if (RateEncoder.spikes(5, 3, 11, t, 0f)) zero++;
            if (RateEncoder.spikes(5, 3, 11, t, 1f)) one++;
            if (RateEncoder.spikes(5, 3, 11, t, 0.3f)) third++;
        }
        assertThat(zero).isZero();
        assertThat(one).isEqualTo(steps);
        double expected = steps * 77 / 255.0; // 6039.2; one standard deviation is about 65
        assertThat((double) third).isBetween(expected - 250, expected + 250);
    }

    @Test
    void theInterpreterEncodesWithThePrngAndTheSampleIndex() {
        // counts of the encoder's own spikes equal the PRNG's, per sample, with samples numbered from firstSampleIndex
        Module m = parse("""
                module @enc stage snn {
                  %x = snn.input {name = "x"} : tensor<2x3xf32>
                  %s = snn.encode(%x) {mode = rate} : spikes<2x3>
                  %n = snn.decode(%s) {mode = count} : tensor<2x3xi32>
                  snn.output(%n) {name = "n"}
                }
                """);
        float[] x = {0f, 0.1f, 0.25f, 0.5f, 0.9f, 1f, 0.7f, 0.3f, 0.05f, 0.6f, 0.42f, 0.99f};
        Batch in = new Batch(2, Shape.of(2, 3), x);
        int steps = 64;
        long seed = 1234, first = 100;
        SnnResult r = new SnnInterpreter(m).run(in, steps, seed, first);
        SnnResult.Output out = r.output("n");
        assertThat(out.finalPotentials()).isNull();
        long total = 0;
        for (int s = 0; s < 2; s++) {
            for (int i = 0; i < 6; i++) {
                int c = 0;
                for (int t = 0; t < steps; t++) if (RateEncoder.spikes(seed, first + s, i, t, x[s * 6 + i])) c++;
                assertThat(out.values()[s * 6 + i]).as("sample %d element %d", s, i).isEqualTo(c);
                total += c;
            }
        }
        assertThat(r.stats().inputSpikes()).isEqualTo(total);
        assertThat(out.values()[0]).isZero();
        assertThat(out.values()[5]).isEqualTo(steps);
    }
}

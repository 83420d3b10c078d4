package dev.nmcc.passes.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ActivationStatsTest {
    @Test void histogramPercentileIsWithinItsDocumentedAccuracyOfTheExactOrderStatistic() {
        SplittableRandom rnd = new SplittableRandom(5);
        int n = 200_000;
        float[] x = new float[n];
        int[] h = new int[ActivationStats.BINS];
        long pos = 0;
        double max = 0;
        for (int i = 0; i < n; i++) {
            // a heavy-tailed, relu-like distribution: half zeros, the rest log-normal
            x[i] = rnd.nextBoolean() ? 0f : (float) Math.exp(rnd.nextGaussian() * 1.5);
            if (x[i] > 0) {
                h[ActivationStats.bin(x[i])]++;
                pos++;
                max = Math.max(max, x[i]);
            }
        }
        float[] positive = new float[(int) pos];
        int k = 0;
        for (float v : x) if (v > 0) positive[k++] = v;
        Arrays.sort(positive);
        for (double p : new double[] {50, 90, 99, 99.9, 99.99}) {
            double exact = positive[(int) Math.ceil(p / 100 * pos) - 1];
            double approx = ActivationStats.percentileOf(h, pos, max, p);
            assertThat(approx).as("p=" + p).isCloseTo(exact, within(exact * 0.008));
        }
        assertThat(ActivationStats.percentileOf(h, pos, max, 100)).isEqualTo(max);
    }

    @Test void binEdgesBracketTheValue() {
        for (float v : new float[] {1e-6f, 0.013f, 0.5f, 1f, 1.5f, 3.14159f, 1234.5f}) {
            int b = ActivationStats.bin(v);
            assertThat(ActivationStats.binLow(b)).isLessThanOrEqualTo(v);
            assertThat(ActivationStats.binHigh(b)).isGreaterThan(v);
        }
    }
}

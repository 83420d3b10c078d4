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

    @Test void mseScaleClipsMoreAtSmallT() {
        // 1000 values uniform in (0, 1] plus one outlier at 10: at large T, λ covers the outlier's
        // neighbourhood less and less worth clipping; at small T the rounding term dominates.
        int[] h = new int[ActivationStats.BINS];
        int[][] hist = {h};
        double max = 10;
        for (int i = 1; i <= 1000; i++) h[ActivationStats.bin(i / 1000f)]++;
        h[ActivationStats.bin(10f)]++;
        var s = new ActivationStats.ChannelStats(1, 1001, new double[] {max}, new long[] {1001}, new long[] {1001}, hist);
        double at4 = s.mseScale(0, 4), at64 = s.mseScale(0, 64), at100k = s.mseScale(0, 100_000);
        assertThat(at4).isLessThan(at64);
        assertThat(at4).isBetween(0.5, 1.0);
        assertThat(at100k).isCloseTo(10.0, within(0.1)); // no rounding error left: never clip
    }
}

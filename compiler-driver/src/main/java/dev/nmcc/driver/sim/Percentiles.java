package dev.nmcc.driver.sim;

import java.util.Arrays;

/**
 * Nearest-rank percentiles: the p-quantile of n values is the ⌈p·n⌉-th smallest (the smallest
 * for p = 0, the largest for p = 1), so it is always one of the values. 0 for no values.
 */
final class Percentiles {
    private Percentiles() {}

    static long of(long[] values, double p) {
        if (values.length == 0) return 0;
        long[] s = values.clone();
        Arrays.sort(s);
        return s[rank(s.length, p)];
    }

    static double of(double[] values, double p) {
        if (values.length == 0) return 0;
        double[] s = values.clone();
        Arrays.sort(s);
        return s[rank(s.length, p)];
    }

    /** The 0-based index of the p-quantile among n sorted values. */
    static int rank(int n, double p) { return Math.min(n - 1, Math.max(0, (int) Math.ceil(p * n) - 1)); }
}

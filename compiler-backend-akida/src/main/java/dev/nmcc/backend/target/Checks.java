package dev.nmcc.backend.target;

import java.util.List;

/** Invariants the records enforce when built in code (the loader reports the same ones with locations). */
final class Checks {
    private Checks() {}

    /** The bit widths an Akida-class NPU can be configured for (weights and activations). */
    static final List<Integer> BIT_WIDTHS = List.of(1, 2, 4, 8);

    static int positive(String field, int v) {
        if (v <= 0) throw new IllegalArgumentException(field + " must be positive, got " + v);
        return v;
    }

    static long positive(String field, long v) {
        if (v <= 0) throw new IllegalArgumentException(field + " must be positive, got " + v);
        return v;
    }

    static double positive(String field, double v) {
        if (!(v > 0) || Double.isInfinite(v)) throw new IllegalArgumentException(field + " must be a positive number, got " + v);
        return v;
    }

    static double nonNegative(String field, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) throw new IllegalArgumentException(field + " must be a non-negative number, got " + v);
        return v;
    }

    static int nonNegative(String field, int v) {
        if (v < 0) throw new IllegalArgumentException(field + " must be non-negative, got " + v);
        return v;
    }

    /** A sorted, duplicate-free, non-empty copy of positive values ({@code allowed} when not null). */
    static List<Integer> sortedSet(String field, List<Integer> values, List<Integer> allowed) {
        if (values == null || values.isEmpty()) throw new IllegalArgumentException(field + " must not be empty");
        List<Integer> sorted = values.stream().sorted().toList();
        for (int i = 0; i < sorted.size(); i++) {
            int v = sorted.get(i);
            if (v <= 0) throw new IllegalArgumentException(field + " must hold positive values, got " + v);
            if (allowed != null && !allowed.contains(v)) throw new IllegalArgumentException(field + ": unsupported value " + v);
            if (i > 0 && sorted.get(i - 1) == v) throw new IllegalArgumentException(field + " lists " + v + " twice");
        }
        return sorted;
    }
}

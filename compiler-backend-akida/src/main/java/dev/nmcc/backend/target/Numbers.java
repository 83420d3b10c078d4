package dev.nmcc.backend.target;

/** Number formatting shared by the JSON writer and the text description. */
final class Numbers {
    private Numbers() {}

    /** A double as JSON text: integral values without ".0" ({@code 300}), others as shortest round-trip text. */
    static String text(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return Double.toString(v);
    }
}

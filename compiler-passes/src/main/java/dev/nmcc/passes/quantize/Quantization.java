package dev.nmcc.passes.quantize;

import dev.nmcc.ir.type.ElementType;

/**
 * The arithmetic of symmetric weight quantization (DESIGN §3), in one place so that the pass,
 * its tests and its documentation say the same thing.
 *
 * <ul>
 *   <li>b ∈ {2, 4, 8}: {@code q_max = 2^(b-1) - 1}, scale {@code s = max|W| / q_max},
 *       {@code w_q = clamp(round(W / s), -2^(b-1), q_max)}.</li>
 *   <li>b = 1: the weights are ±1 ({@code w_q = +1} for {@code W >= 0}, else {@code -1}) and
 *       {@code s = mean|W|}, the scale that minimises {@code Σ (W - s·sign W)^2}
 *       (XNOR-Net's binary weight approximation). A zero weight becomes {@code +s}.</li>
 *   <li>{@code round} is half away from zero: {@code round(2.5) = 3}, {@code round(-2.5) = -3},
 *       so that quantization is symmetric in the sign of the weight.</li>
 * </ul>
 */
public final class Quantization {
    private Quantization() {}

    /** The integer element type of a b-bit weight. */
    public static ElementType elementType(int bits) {
        return switch (bits) {
            case 8 -> ElementType.I8;
            case 4 -> ElementType.I4;
            case 2 -> ElementType.I2;
            case 1 -> ElementType.I1;
            default -> throw new IllegalArgumentException("weights have 1, 2, 4 or 8 bits, not " + bits);
        };
    }

    /** Largest magnitude of the symmetric range: 127, 7, 1 (and 1 for ±1 weights). */
    public static int qmax(int bits) {
        return bits == 1 ? 1 : (1 << (bits - 1)) - 1;
    }

    /** Round half away from zero. */
    public static long round(double x) {
        double r = Math.floor(Math.abs(x) + 0.5);
        return (long) Math.copySign(r, x);
    }

    /** The integer weight of real weight {@code w} at scale {@code s} (> 0), clipped to the b-bit range. */
    public static int quantize(double w, double s, int bits) {
        if (bits == 1) return w >= 0 ? 1 : -1;
        long hi = switch (bits) { // qmax(bits); the hot loop of quantize-weights calls this for every weight
            case 8 -> 127;
            case 4 -> 7;
            case 2 -> 1;
            default -> throw new IllegalArgumentException("weights have 1, 2, 4 or 8 bits, not " + bits);
        };
        long q = round(w / s);
        return (int) Math.max(-hi - 1, Math.min(hi, q));
    }

    /** A value rounded to an integer and clamped to the i32 range (biases, thresholds, potentials). */
    public static long toI32(double x) {
        return Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, round(x)));
    }

    /**
     * The scale of a set of weights given their largest magnitude and their mean magnitude:
     * {@code max / q_max} for b >= 2, {@code mean} for b = 1. Zero when every weight is zero.
     */
    public static double scale(double maxAbs, double meanAbs, int bits) {
        return bits == 1 ? meanAbs : maxAbs / qmax(bits);
    }
}

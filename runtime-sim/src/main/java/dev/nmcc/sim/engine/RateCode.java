package dev.nmcc.sim.engine;

/**
 * The counter-based PRNG of rate encoding, docs/snn-semantics.md "Rate encoding": a pure function
 * of {@code (seed, sample, element, t)}, so the simulator draws the very spike trains of the SNN
 * interpreter (and of any other implementation of the formula).
 *
 * <pre>
 * mix(z):  z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9
 *          z = (z ^ (z >>> 27)) * 0x94D049BB133111EB
 *          return z ^ (z >>> 31)
 * h = mix(seed + G); h = mix((h ^ sample) + G); h = mix((h ^ element) + G); h = mix((h ^ t) + G)
 * u16 = h >>> 48;   spike ⇔ u16 · 255 &lt; x_q · 65536           (G = 0x9E3779B97F4A7C15)
 * </pre>
 *
 * Java's {@code long} wraps modulo 2^64: the unsigned arithmetic the formula asks for. The hash
 * is split at its natural stages so that a sample's key and an element's key are computed once.
 */
public final class RateCode {
    /** The golden-ratio increment of SplitMix64. */
    public static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private RateCode() {}

    /** The SplitMix64 finaliser. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The hash after seed and sample (one per sample). */
    public static long sampleKey(long seed, long sample) { return mix((mix(seed + GOLDEN) ^ sample) + GOLDEN); }

    /** The hash after the element index (one per element and sample). */
    public static long elementKey(long sampleKey, long element) { return mix((sampleKey ^ element) + GOLDEN); }

    /** The 16-bit uniform number of one element at timestep t. */
    public static int u16(long elementKey, long t) { return (int) (mix((elementKey ^ t) + GOLDEN) >>> 48); }

    /** The 16-bit uniform number of {@code (seed, sample, element, t)}. */
    public static int u16(long seed, long sample, long element, long t) {
        return u16(elementKey(sampleKey(seed, sample), element), t);
    }

    /** {@code clamp(floor(scale · (double) x + 0.5), 0, scale)}; NaN gives 0. */
    public static int quantize(float x, int scale) {
        double q = Math.floor(scale * (double) x + 0.5);
        if (!(q > 0)) return 0; // also NaN
        return q >= scale ? scale : (int) q;
    }

    /** Whether an element of 8-bit level {@code level} spikes for the number {@code u16}. */
    public static boolean spikes(int u16, int level) { return u16 * 255 < level * 65536; }
}

package dev.nmcc.ir.interp;

/**
 * The counter-based PRNG of rate encoding (docs/snn-semantics.md, "Rate encoding"): a pure
 * function of {@code (seed, sample, element, t)}, so that every implementation (this
 * interpreter, the simulator, a Python script) reproduces the same spike trains, and a sample
 * gives the same trains whether it runs alone or inside a batch.
 *
 * <pre>
 * mix(z):  z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9
 *          z = (z ^ (z >>> 27)) * 0x94D049BB133111EB
 *          return z ^ (z >>> 31)                        (64-bit unsigned arithmetic)
 * h = mix(seed + G); h = mix((h ^ sample) + G); h = mix((h ^ element) + G); h = mix((h ^ t) + G)
 * u16 = h >>> 48                                        (G = 0x9E3779B97F4A7C15)
 * spike  ⇔  u16 · 255 < x_q · 65536,   x_q = clamp(floor(255 · (double) x + 0.5), 0, 255)
 * </pre>
 *
 * Java's {@code long} arithmetic wraps modulo 2^64, which is the unsigned arithmetic the
 * contract asks for. The test vectors in {@code docs/vectors/rate_encoder_vectors.py}
 * are computed independently, in Python.
 */
public final class RateEncoder {
    /** The golden-ratio increment of SplitMix64. */
    public static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private RateEncoder() {}

    /** The SplitMix64 finaliser. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The hash state after the seed and the sample index (constant for all of one sample's elements). */
    public static long sampleKey(long seed, long sample) {
        return mix((mix(seed + GOLDEN) ^ sample) + GOLDEN);
    }

    /** The hash state after the element index (constant for all of one element's timesteps). */
    public static long elementKey(long sampleKey, long element) {
        return mix((sampleKey ^ element) + GOLDEN);
    }

    /** The 16-bit uniform number of one element at one timestep, from its element key. */
    public static int u16(long elementKey, long t) {
        return (int) (mix((elementKey ^ t) + GOLDEN) >>> 48);
    }

    /** The 16-bit uniform number of {@code (seed, sample, element, t)}: 0 … 65535. */
    public static int u16(long seed, long sample, long element, long t) {
        return u16(elementKey(sampleKey(seed, sample), element), t);
    }

    /**
     * The 8-bit input level {@code x_q = clamp(floor(255 · x + 0.5), 0, 255)}, computed in double
     * (NaN gives 0).
     */
    public static int level(float x) {
        return quantize(x, 255);
    }

    /** {@code clamp(floor(scale · (double) x + 0.5), 0, scale)}; NaN gives 0. */
    public static int quantize(float x, int scale) {
        double q = Math.floor(scale * (double) x + 0.5);
        if (!(q > 0)) return 0; // also NaN
        return q >= scale ? scale : (int) q;
    }

    /** Whether an element with input level {@code level} (0 … 255) spikes for the number {@code u16}. */
    public static boolean spikes(int u16, int level) {
        return u16 * 255 < level * 65536;
    }

    /** Whether element {@code element} of sample {@code sample} with value {@code x} spikes at {@code t}. */
    public static boolean spikes(long seed, long sample, long element, long t, float x) {
        return spikes(u16(seed, sample, element, t), level(x));
    }
}

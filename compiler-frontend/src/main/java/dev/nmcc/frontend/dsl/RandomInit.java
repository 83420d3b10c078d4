package dev.nmcc.frontend.dsl;

/**
 * The DSL's deterministic initialisers (docs/dsl.md, "Initialisers"). {@code random(seed = N)}
 * is Kaiming-uniform driven by an explicit SplitMix64, so that any implementation in any
 * language reproduces the same weights bit for bit:
 *
 * <pre>
 * state = seed
 * next():  state += 0x9E3779B97F4A7C15
 *          z = state
 *          z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9
 *          z = (z ^ (z >>> 27)) * 0x94D049BB133111EB
 *          return z ^ (z >>> 31)                       (64-bit wrapping arithmetic)
 * u = (next() >>> 40) * 2^-24                          (24 random bits, in [0, 1))
 * w = (float) ((2u - 1) * sqrt(6 / fan_in))            (double arithmetic, rounded to float32 once)
 * </pre>
 *
 * one draw per element, in C order of the tensor.
 */
public final class RandomInit {
    private RandomInit() {}

    /** One SplitMix64 generator; {@link #next()} returns the next 64-bit output. */
    public static final class SplitMix64 {
        private long state;

        public SplitMix64(long seed) { this.state = seed; }

        public long next() {
            state += 0x9E3779B97F4A7C15L;
            long z = state;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }

        /** A uniform double in [0, 1) with 24 random bits: {@code (next() >>> 40) * 2^-24}. */
        public double nextUniform() { return (next() >>> 40) * 0x1.0p-24; }
    }

    /** {@code count} Kaiming-uniform values for a layer with the given fan-in. */
    public static float[] kaimingUniform(long seed, int count, long fanIn) {
        if (fanIn <= 0) throw new IllegalArgumentException("fan_in must be positive: " + fanIn);
        double bound = Math.sqrt(6.0 / fanIn);
        SplitMix64 rng = new SplitMix64(seed);
        float[] out = new float[count];
        for (int i = 0; i < count; i++) out[i] = (float) ((2.0 * rng.nextUniform() - 1.0) * bound);
        return out;
    }

    /** {@code count} copies of {@code value} ({@code zeros}, {@code ones}). */
    public static float[] constant(int count, float value) {
        float[] out = new float[count];
        if (value != 0f) java.util.Arrays.fill(out, value);
        return out;
    }
}

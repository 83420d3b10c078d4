package dev.nmcc.frontend.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The random initialiser: SplitMix64 and Kaiming-uniform as documented in docs/dsl.md. */
class RandomInitTest {
    /** SplitMix64 seeded with 0 gives the published reference outputs. */
    @Test
    void splitMix64MatchesReference() {
        var rng = new RandomInit.SplitMix64(0);
        assertThat(rng.next()).isEqualTo(0xE220A8397B1DCDAFL);
        assertThat(rng.next()).isEqualTo(0x6E789E6AA1B965F4L);
        assertThat(rng.next()).isEqualTo(0x06C45D188009454FL);
    }

    /**
     * Seed 1, fan_in 6 (bound 1): first output 0x910A2DEC89025CC1, u = 0x910A2D / 2^24,
     * w = 2u - 1 = 0.13312304...; values computed independently with Python.
     */
    @Test
    void kaimingUniformMatchesHandComputedValues() {
        assertThat(RandomInit.kaimingUniform(1, 4, 6))
                .containsExactly(0.13312304019927979f, 0.49156343936920166f, 0.9420053958892822f, -0.1112816333770752f);
        assertThat(RandomInit.kaimingUniform(42, 3, 784))
                .containsExactly(0.04226504638791084f, -0.05950328707695007f, -0.0387367382645607f);
    }

    /** The same seed gives the same values; different seeds differ; all lie within +-sqrt(6 / fan_in). */
    @Test
    void deterministicAndBounded() {
        float[] a = RandomInit.kaimingUniform(7, 10_000, 24);
        assertThat(RandomInit.kaimingUniform(7, 10_000, 24)).containsExactly(a);
        assertThat(RandomInit.kaimingUniform(8, 10_000, 24)).isNotEqualTo(a);
        float bound = (float) Math.sqrt(6.0 / 24);
        for (float v : a) assertThat(Math.abs(v)).isLessThanOrEqualTo(bound);
    }
}

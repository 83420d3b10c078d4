package dev.nmcc.backend.target;

import java.util.List;

/**
 * What one NPU (neural processing unit, a "core") holds. The mapper splits populations into
 * slices that respect all of these at once.
 *
 * @param neurons            maximum neurons one NPU integrates (count)
 * @param synapseMemoryBytes synapse (weight) memory of one NPU, in bytes; weights are stored at
 *                           their quantized bit width
 * @param weightBits         supported weight widths in bits, ascending, a subset of {1, 2, 4, 8}
 *                           (1 bit means ±1)
 * @param activationBits     supported activation (spike payload) widths in bits, ascending, a
 *                           subset of {1, 2, 4, 8}
 * @param maxFanIn           maximum synapses into one neuron (inputs of a dense row, or
 *                           kernel height × width × input channels of a convolution)
 * @param membraneBits       width in bits of the signed membrane potential register (saturating)
 */
public record Npu(int neurons, long synapseMemoryBytes, List<Integer> weightBits, List<Integer> activationBits, int maxFanIn,
                  int membraneBits) {
    public Npu {
        Checks.positive("neurons", neurons);
        Checks.positive("synapse_memory_bytes", synapseMemoryBytes);
        weightBits = Checks.sortedSet("weight_bits", weightBits, Checks.BIT_WIDTHS);
        activationBits = Checks.sortedSet("activation_bits", activationBits, Checks.BIT_WIDTHS);
        Checks.positive("max_fan_in", maxFanIn);
        if (membraneBits < 2 || membraneBits > 64) throw new IllegalArgumentException("membrane_bits must be in [2, 64], got " + membraneBits);
    }

    /** Whether weights of {@code bits} bits can be stored. */
    public boolean supportsWeightBits(int bits) { return weightBits.contains(bits); }

    /** Whether activations of {@code bits} bits can be emitted. */
    public boolean supportsActivationBits(int bits) { return activationBits.contains(bits); }

    /** Largest membrane potential: {@code 2^(membraneBits−1) − 1}. */
    public long maxPotential() { return membraneBits >= 64 ? Long.MAX_VALUE : (1L << (membraneBits - 1)) - 1; }

    /** Smallest membrane potential: {@code −2^(membraneBits−1)}. */
    public long minPotential() { return membraneBits >= 64 ? Long.MIN_VALUE : -(1L << (membraneBits - 1)); }
}

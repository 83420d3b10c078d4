package dev.nmcc.nmc.model;

import java.util.Objects;

/**
 * The weights (and biases) of output rows {@code [first, first + count)} of one dense layer, or of
 * output channels {@code [first, first + count)} of one conv2d layer, as stored in one NPU's
 * synapse memory.
 *
 * <p>Order of the {@code count × fanIn} stored values:
 * <ul>
 *   <li>dense: input-major {@code [in][row]}: value {@code k = i · count + r} is the weight from
 *       input {@code i} to row {@code first + r}. The weights one input spike reaches are one
 *       contiguous run of {@code count} values starting at value {@code i · count} (bit
 *       {@code i · count · bits}), the order an event-driven NPU reads them in;</li>
 *   <li>conv2d: {@code [channel][inChannel][ky][kx]}: value {@code k = r · fanIn + q}, with
 *       {@code q = (inChannel · kh + ky) · kw + kx}.</li>
 * </ul>
 *
 * <p>Packing: signed two's-complement integers of {@code bits} bits, packed little-endian: value k
 * occupies bits {@code [k·bits, (k+1)·bits)} of the byte string, bit 0 being the least significant
 * bit of byte 0 (no padding between runs: a dense run starts mid-byte when
 * {@code i · count · bits} is not a multiple of 8). 1-bit weights are ±1: bit 1 means +1, bit 0
 * means −1. See {@link WeightPacking}.
 *
 * @param projection the dense or conv2d layer's index
 * @param slice      the core slice whose NPU stores it (the population the projection feeds), or -1
 * @param first      first output row or channel
 * @param count      number of rows or channels
 * @param bits       weight width: 1, 2, 4 or 8
 * @param fanIn      weights per row or channel (dense: inputs; conv2d: inChannels · kh · kw)
 * @param packed     the packed weights, {@code ceil(count · fanIn · bits / 8)} bytes
 * @param bias       integer bias current per row or channel ({@code count} values), or empty
 */
public record SynapseBlock(int projection, int slice, int first, int count, int bits, int fanIn, byte[] packed, int[] bias) {
    public SynapseBlock {
        Objects.requireNonNull(packed, "packed");
        Objects.requireNonNull(bias, "bias");
    }

    /** The {@code k}-th stored value, unpacked (its meaning depends on the layer: see the class comment). */
    public int weight(long k) { return WeightPacking.get(packed, bits, k); }

    /** Of a dense block: the weight from input {@code input} to row {@code first + r} ({@code 0 ≤ r < count}). */
    public int denseWeight(int r, int input) { return weight((long) input * count + r); }

    /**
     * Of a conv2d block: the weight of output channel {@code first + r} ({@code 0 ≤ r < count}) at
     * tap {@code q = (inChannel · kh + ky) · kw + kx}.
     */
    public int convWeight(int r, int q) { return weight((long) r * fanIn + q); }

    /**
     * Packs a dense block from the layer's weights in the IR's row-major {@code [units][fanIn]}
     * order: rows {@code [first, first + count)}, stored input-major.
     *
     * @throws IllegalArgumentException when a weight does not fit {@code bits}
     */
    public static byte[] packDense(int[] rowMajor, int fanIn, int first, int count, int bits) {
        int[] values = new int[Math.multiplyExact(count, fanIn)];
        for (int r = 0; r < count; r++) {
            int src = (first + r) * fanIn;
            for (int i = 0; i < fanIn; i++) values[i * count + r] = rowMajor[src + i];
        }
        try {
            return WeightPacking.pack(values, bits);
        } catch (IllegalArgumentException e) {
            // Name the weight as people index it (row, input), not by its stored position.
            for (int r = 0; r < count; r++) {
                for (int i = 0; i < fanIn; i++) {
                    int v = rowMajor[(first + r) * fanIn + i];
                    if (bits == 1 ? v != 1 && v != -1 : v < WeightPacking.min(bits) || v > WeightPacking.max(bits)) {
                        throw new IllegalArgumentException("weight [" + (first + r) + ", " + i + "] is " + v + (bits == 1
                                ? "; 1-bit weights are -1 or +1" : ", outside the " + bits + "-bit range [" + WeightPacking.min(bits)
                                + ", " + WeightPacking.max(bits) + "]"));
                    }
                }
            }
            throw e;
        }
    }
}

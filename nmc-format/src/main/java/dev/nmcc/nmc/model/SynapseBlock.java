package dev.nmcc.nmc.model;

import java.util.Objects;

/**
 * The weights (and biases) of output rows {@code [first, first + count)} of one dense layer, or of
 * output channels {@code [first, first + count)} of one conv2d layer, as stored in one NPU's
 * synapse memory.
 *
 * <p>Packing: the {@code count × fanIn} weights (dense: row-major {@code [row][in]}; conv2d:
 * {@code [channel][inChannel][ky][kx]}) are signed two's-complement integers of {@code bits} bits,
 * packed little-endian: value k occupies bits {@code [k·bits, (k+1)·bits)} of the byte string,
 * bit 0 being the least significant bit of byte 0. 1-bit weights are ±1: bit 1 means +1, bit 0
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

    /** Weight {@code k} of the block ({@code k = row · fanIn + i}), unpacked. */
    public int weight(long k) { return WeightPacking.get(packed, bits, k); }
}

package dev.nmcc.ir.type;

/**
 * The type of an SSA value: a tensor of numbers, or a spike train (one bit per element per
 * timestep). Text forms: {@code tensor<16x28x28xf32>}, {@code spikes<512>}.
 */
public sealed interface Type permits TensorType, SpikeType {
    Shape shape();

    /** The text form used by the IR printer and parser. */
    String text();
}

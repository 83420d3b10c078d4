package dev.nmcc.nmc.model;

import java.util.List;

/**
 * How to feed and read the network.
 *
 * @param timesteps default timesteps T of one inference (the compile's {@code --timesteps})
 * @param seed      default seed of the rate-encoding PRNG (docs/snn-semantics.md)
 * @param inputs    the network inputs, in program order
 * @param outputs   the network outputs, in program order
 */
public record IoSpec(int timesteps, long seed, List<InputSpec> inputs, List<OutputSpec> outputs) {
    public IoSpec {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    /**
     * A network input.
     *
     * @param name       the input's name (what {@code --input} data is matched to)
     * @param layer      index of its {@link LayerOp.Input} layer
     * @param shape      one sample's shape, without the batch dimension
     * @param rangeLo    lowest expected input value (documentation: inputs are normalised to [0, 1])
     * @param rangeHi    highest expected input value
     * @param encoding   how the first encoder of this input turns it into currents or spikes
     * @param inputScale direct encoding: {@code x_q = clamp(floor(inputScale · x + 0.5), 0, inputScale)}
     */
    public record InputSpec(String name, int layer, int[] shape, float rangeLo, float rangeHi, Encoding encoding, int inputScale) {}

    /**
     * A network output.
     *
     * @param name          the output's name
     * @param decoder       index of the decoder layer ({@link LayerOp.DecodePotential} or {@link LayerOp.DecodeCount})
     * @param shape         the decoded tensor's shape
     * @param tiePopulation count decoding: index of the population whose final potentials break
     *                      ties between equal counts, or -1 (ties go to the lower index)
     */
    public record OutputSpec(String name, int decoder, int[] shape, int tiePopulation) {}
}

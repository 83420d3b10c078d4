package dev.nmcc.ir.analysis;

import dev.nmcc.ir.op.OpKind;
import dev.nmcc.ir.type.Type;

/**
 * The counts of one layer: an op with synapses (a weighted or pooling connection).
 *
 * @param opIndex    the op's index in its graph's program order
 * @param kind       the op kind, such as {@code ann.conv2d}
 * @param name       the result's name ({@code c1}), else the name of the value it feeds through
 *                   sole-use activations ({@code c1 = relu(conv2d(...))}), or null
 * @param outputType the type of the layer's result
 * @param neurons    the elements of the result: the neurons this layer drives
 * @param synapses   the connections into those neurons (see {@link ModelStats})
 * @param parameters the values of the blobs the op references
 */
public record LayerStats(int opIndex, OpKind kind, String name, Type outputType, long neurons, long synapses, long parameters) {}

package dev.nmcc.sim.engine;

import dev.nmcc.nmc.model.CoreSlice;
import dev.nmcc.nmc.model.Layer;
import dev.nmcc.nmc.model.NmcModel;
import dev.nmcc.nmc.model.SynapseBlock;
import dev.nmcc.nmc.model.WeightPacking;

/**
 * Gathers what the binary spreads over NPUs back into whole layers: the weights and biases of a
 * projection from its synapse blocks, and the per-neuron thresholds and initial potentials of a
 * population from its core slices. Checks that the pieces cover the layer exactly once, so a
 * malformed binary is an error naming the layer, not a wrong answer.
 */
final class Parameters {
    private Parameters() {}

    /** A projection's weights, row-major {@code [rows][fanIn]}, and its bias (null when it has none). */
    record Weights(int[] w, int[] bias) {}

    /** A population's per-neuron parameters. */
    record NeuronParams(int[] thresholds, int[] v0) {}

    static Weights weights(NmcModel model, Layer layer, int rows, int fanIn, boolean hasBias) {
        int[] w = new int[Math.multiplyExact(rows, fanIn)];
        int[] bias = hasBias ? new int[rows] : null;
        boolean[] seen = new boolean[rows];
        int covered = 0;
        for (SynapseBlock b : model.synapses()) {
            if (b.projection() != layer.index()) continue;
            String where = "synapse block of rows [" + b.first() + ", " + (b.first() + b.count()) + ")";
            if (!WeightPacking.isSupported(b.bits())) throw Engine.fail(layer, where + " has unsupported weight width " + b.bits());
            if (b.fanIn() != fanIn) throw Engine.fail(layer, where + " has fan-in " + b.fanIn() + ", expected " + fanIn);
            if (b.first() < 0 || b.count() < 0 || (long) b.first() + b.count() > rows) {
                throw Engine.fail(layer, where + " lies outside the layer's " + rows + " rows");
            }
            if (b.packed().length < WeightPacking.packedBytes((long) b.count() * fanIn, b.bits())) {
                throw Engine.fail(layer, where + " holds " + b.packed().length + " bytes, too few for its weights");
            }
            if (b.bias().length != (hasBias ? b.count() : 0)) {
                throw Engine.fail(layer, where + " has " + b.bias().length + " bias values, expected " + (hasBias ? b.count() : 0));
            }
            for (int r = 0; r < b.count(); r++) {
                int row = b.first() + r;
                if (seen[row]) throw Engine.fail(layer, "row " + row + " is stored in two synapse blocks");
                seen[row] = true;
                covered++;
                long src = (long) r * fanIn;
                int dst = row * fanIn;
                for (int i = 0; i < fanIn; i++) w[dst + i] = WeightPacking.get(b.packed(), b.bits(), src + i);
                if (hasBias) bias[row] = b.bias()[r];
            }
        }
        if (covered != rows) throw Engine.fail(layer, "synapse blocks cover " + covered + " of its " + rows + " rows");
        return new Weights(w, bias);
    }

    /**
     * Per-neuron threshold and v0 of a population. A slice's arrays hold one value for all its
     * neurons, or one per channel starting at {@code channelStart} (channel = neuron / (n / C),
     * C = the layer's first dimension).
     */
    static NeuronParams neurons(NmcModel model, Layer layer) {
        int n = layer.size();
        int channels = layer.shape().length == 0 ? 1 : layer.shape()[0];
        if (channels < 1 || n % channels != 0) throw Engine.fail(layer, "shape does not split into channels");
        int per = n / channels;
        int[] th = new int[n], v0 = new int[n];
        boolean[] seen = new boolean[n];
        int covered = 0;
        for (CoreSlice s : model.slices()) {
            if (s.layer() != layer.index()) continue;
            String where = "core slice " + s.id();
            if (s.neuronStart() < 0 || s.neuronEnd() > n || s.neuronStart() > s.neuronEnd()) {
                throw Engine.fail(layer, where + " holds neurons [" + s.neuronStart() + ", " + s.neuronEnd() + ") of " + n);
            }
            for (int k = s.neuronStart(); k < s.neuronEnd(); k++) {
                if (seen[k]) throw Engine.fail(layer, "neuron " + k + " is placed in two core slices");
                seen[k] = true;
                covered++;
                th[k] = value(layer, where, "thresholds", s.thresholds(), s.channelStart(), k / per);
                v0[k] = value(layer, where, "v0", s.v0(), s.channelStart(), k / per);
            }
        }
        if (covered != n) throw Engine.fail(layer, "core slices hold " + covered + " of its " + n + " neurons");
        return new NeuronParams(th, v0);
    }

    private static int value(Layer layer, String where, String what, int[] values, int channelStart, int channel) {
        if (values.length == 1) return values[0];
        int k = channel - channelStart;
        if (k < 0 || k >= values.length) {
            throw Engine.fail(layer, where + " has no " + what + " value for channel " + channel + " (it holds channels "
                    + channelStart + " … " + (channelStart + values.length - 1) + ")");
        }
        return values[k];
    }
}

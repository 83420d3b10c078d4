package dev.nmcc.sim.engine;

import dev.nmcc.nmc.model.CoreSlice;
import dev.nmcc.nmc.model.Layer;
import dev.nmcc.nmc.model.NmcModel;
import dev.nmcc.nmc.model.SynapseBlock;
import dev.nmcc.nmc.model.WeightPacking;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Gathers what the binary spreads over NPUs back into whole layers: the synapse blocks of a dense
 * projection (used as they are, still packed), the unpacked weights of a convolution and the
 * biases of both, and the per-neuron thresholds and initial potentials of a
 * population from its core slices. Checks that the pieces cover the layer exactly once, so a
 * malformed binary is an error naming the layer, not a wrong answer.
 */
final class Parameters {
    private Parameters() {}

    /** A conv2d projection's weights, {@code [channel][fanIn]}, and its bias (null when it has none). */
    record Weights(int[] w, int[] bias) {}

    /** A dense projection's synapse blocks (the model's own, weights still packed), checked, and its bias (null when none). */
    record DenseBlocks(SynapseBlock[] blocks, int[] bias) {}

    /**
     * A population's parameters as runs of neurons that share them (per channel or per slice, so
     * memory does not grow with the neurons): neurons {@code [start[s], start[s + 1])} have
     * threshold {@code thresholds[s]} and initial potential {@code v0[s]}.
     */
    record NeuronParams(int[] start, int[] thresholds, int[] v0) {}

    /** The conv2d layer's weights unpacked from its blocks ({@code [channel][inChannel][ky][kx]}), and its bias. */
    static Weights weights(NmcModel model, Layer layer, int rows, int fanIn, boolean hasBias) {
        int[] w = new int[Math.multiplyExact(rows, fanIn)];
        int[] bias = hasBias ? new int[rows] : null;
        for (SynapseBlock b : blocks(model, layer, rows, fanIn, hasBias, bias)) {
            for (int r = 0; r < b.count(); r++) {
                int dst = (b.first() + r) * fanIn;
                for (int q = 0; q < fanIn; q++) w[dst + q] = b.convWeight(r, q);
            }
        }
        return new Weights(w, bias);
    }

    /** The dense layer's blocks, by first row, and its bias; the weights stay packed in the blocks. */
    static DenseBlocks denseBlocks(NmcModel model, Layer layer, int rows, int fanIn, boolean hasBias) {
        int[] bias = hasBias ? new int[rows] : null;
        List<SynapseBlock> blocks = blocks(model, layer, rows, fanIn, hasBias, bias);
        return new DenseBlocks(blocks.toArray(SynapseBlock[]::new), bias);
    }

    /**
     * The projection's blocks, checked to be readable and to cover its rows exactly once; copies
     * their biases into {@code bias} (when not null).
     */
    private static List<SynapseBlock> blocks(NmcModel model, Layer layer, int rows, int fanIn, boolean hasBias, int[] bias) {
        List<SynapseBlock> out = new ArrayList<>();
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
                if (hasBias) bias[row] = b.bias()[r];
            }
            out.add(b);
        }
        if (covered != rows) throw Engine.fail(layer, "synapse blocks cover " + covered + " of its " + rows + " rows");
        out.sort(Comparator.comparingInt(SynapseBlock::first));
        return out;
    }

    /**
     * Threshold and v0 of each neuron of a population. A slice's arrays hold one value for all its
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
        return runs(th, v0);
    }

    /** Per-neuron values (transient) as maximal runs of equal (threshold, v0). */
    private static NeuronParams runs(int[] th, int[] v0) {
        int n = th.length, runs = 0;
        for (int k = 0; k < n; k++) if (k == 0 || th[k] != th[k - 1] || v0[k] != v0[k - 1]) runs++;
        int[] start = new int[runs + 1], t = new int[runs], v = new int[runs];
        int r = -1;
        for (int k = 0; k < n; k++) {
            if (k == 0 || th[k] != th[k - 1] || v0[k] != v0[k - 1]) {
                start[++r] = k;
                t[r] = th[k];
                v[r] = v0[k];
            }
        }
        start[runs] = n;
        return new NeuronParams(start, t, v);
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

package dev.nmcc.backend.emit;

import dev.nmcc.ir.blob.Blob;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.graph.Op;
import dev.nmcc.nmc.model.CoreSlice;
import dev.nmcc.nmc.model.Layer;
import dev.nmcc.nmc.model.LayerOp;
import dev.nmcc.nmc.model.SynapseBlock;
import dev.nmcc.nmc.model.WeightPacking;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Splits the weights of each dense and conv2d layer into synapse blocks, one per core slice of the
 * population (or potential decoder) the projection feeds, directly or through merges and views:
 * the rows a slice's neurons need (dense), or the output channels its neurons belong to (conv2d).
 * A channel split between two slices is stored once, in the block of the first; a projection
 * that feeds no sliced layer directly gets one block with slice -1.
 */
final class WeightBlocks {
    private final Module module;
    private final List<Layer> layers;
    private final List<Op> layerOps;
    private final List<CoreSlice> slices;
    private final List<List<Integer>> consumers = new ArrayList<>();

    WeightBlocks(Module module, List<Layer> layers, List<Op> layerOps, int[] layerOfValue, List<CoreSlice> slices) {
        this.module = module;
        this.layers = layers;
        this.layerOps = layerOps;
        this.slices = slices;
        for (int i = 0; i < layers.size(); i++) consumers.add(new ArrayList<>());
        for (Layer l : layers) for (int in : l.inputs()) consumers.get(in).add(l.index());
    }

    List<SynapseBlock> blocks() {
        List<SynapseBlock> out = new ArrayList<>();
        for (Layer l : layers) {
            int rows, perRow;
            switch (l.op()) {
                case LayerOp.Dense d -> { rows = d.units(); perRow = 1; }
                case LayerOp.Conv2d c -> { rows = c.outChannels(); perRow = l.shape()[1] * l.shape()[2]; }
                default -> { continue; }
            }
            Op op = layerOps.get(l.index());
            Blob w = module.blobs().get(op.attributes().getBlob("weight"));
            int[] weights = w.ints();
            int fanIn = weights.length / rows;
            int[] bias = null;
            if (op.attributes().has("bias")) {
                Blob b = module.blobs().get(op.attributes().getBlob("bias"));
                if (b == null || b.isFloat()) {
                    throw NmcEmitter.error(op, "the bias of " + op.kind().mnemonic() + " must be an integer blob in hw (run quantize-weights)");
                }
                bias = b.ints();
            }
            boolean dense = l.op() instanceof LayerOp.Dense;
            int bits = l.op() instanceof LayerOp.Dense d ? d.weightBits() : ((LayerOp.Conv2d) l.op()).weightBits();
            int next = 0;
            for (CoreSlice s : slicesFed(l.index())) {
                int first = Math.max(s.neuronStart() / perRow, next), last = (s.neuronEnd() - 1) / perRow;
                if (first > last) continue;
                out.add(block(op, dense, l.index(), s.id(), first, last - first + 1, bits, fanIn, weights, bias));
                next = last + 1;
            }
            if (next < rows) out.add(block(op, dense, l.index(), next == 0 ? -1 : slicesFed(l.index()).getLast().id(), next, rows - next, bits,
                    fanIn, weights, bias));
        }
        return out;
    }

    /** The slices (by first neuron) of the sliced layer the projection feeds through merges and views, or none. */
    private List<CoreSlice> slicesFed(int projection) {
        int cur = projection;
        while (true) {
            List<Integer> next = consumers.get(cur);
            if (next.size() != 1) return List.of();
            cur = next.getFirst();
            LayerOp op = layers.get(cur).op();
            if (op instanceof LayerOp.Merge || op instanceof LayerOp.Reshape) continue;
            if (!(op instanceof LayerOp.Neurons || op instanceof LayerOp.DecodePotential)) return List.of();
            int target = cur;
            List<CoreSlice> out = new ArrayList<>(slices.stream().filter(s -> s.layer() == target).toList());
            out.sort(Comparator.comparingInt(CoreSlice::neuronStart));
            return out;
        }
    }

    /** One block; dense weights are stored input-major ({@code [in][row]}), conv2d weights as the IR holds them. */
    private static SynapseBlock block(Op op, boolean dense, int projection, int slice, int first, int count, int bits, int fanIn,
                                      int[] weights, int[] bias) {
        byte[] packed;
        try {
            packed = dense ? SynapseBlock.packDense(weights, fanIn, first, count, bits)
                    : WeightPacking.pack(Arrays.copyOfRange(weights, first * fanIn, (first + count) * fanIn), bits);
        } catch (IllegalArgumentException e) {
            throw NmcEmitter.error(op, "weights do not fit " + bits + " bits: " + e.getMessage());
        }
        int[] b = bias == null ? new int[0] : Arrays.copyOfRange(bias, first, first + count);
        return new SynapseBlock(projection, slice, first, count, bits, fanIn, packed, b);
    }
}

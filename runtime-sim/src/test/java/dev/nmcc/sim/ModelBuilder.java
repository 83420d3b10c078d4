package dev.nmcc.sim;

import dev.nmcc.nmc.model.CoreCoord;
import dev.nmcc.nmc.model.CoreSlice;
import dev.nmcc.nmc.model.Encoding;
import dev.nmcc.nmc.model.Header;
import dev.nmcc.nmc.model.IoSpec;
import dev.nmcc.nmc.model.Layer;
import dev.nmcc.nmc.model.LayerOp;
import dev.nmcc.nmc.model.NmcModel;
import dev.nmcc.nmc.model.Reset;
import dev.nmcc.nmc.model.Route;
import dev.nmcc.nmc.model.SynapseBlock;
import dev.nmcc.nmc.model.TargetSpec;
import dev.nmcc.nmc.model.WeightPacking;
import dev.nmcc.nmc.model.Window;
import java.util.ArrayList;
import java.util.List;

/** Builds small {@link NmcModel}s by hand for tests: one slice per population, one synapse block per projection unless split. */
final class ModelBuilder {
    static final TargetSpec TARGET = new TargetSpec("test", 1, 4, 4, 2, 2, 1024, 1 << 20, 32, 300, 8, 1, 2, 1.0, 10, 0.5, 5,
            0.8, 0.5, 1.0, 5.0, 100, 10);

    final List<Layer> layers = new ArrayList<>();
    final List<CoreSlice> slices = new ArrayList<>();
    final List<SynapseBlock> blocks = new ArrayList<>();
    final List<IoSpec.InputSpec> inputs = new ArrayList<>();
    final List<IoSpec.OutputSpec> outputs = new ArrayList<>();
    int timesteps = 8;
    long seed = 0;

    private int add(String name, int[] inputs, int[] shape, LayerOp op) {
        int index = layers.size();
        layers.add(new Layer(index, name, "", inputs, shape, op));
        return index;
    }

    private int size(int layer) { return layers.get(layer).size(); }

    int input(String name, int... shape) {
        int l = add(name, new int[0], shape, new LayerOp.Input(name));
        inputs.add(new IoSpec.InputSpec(name, l, shape, 0, 1, Encoding.DIRECT, 255));
        return l;
    }

    int encode(int x, Encoding mode, int scale) {
        return add("enc" + layers.size(), new int[] {x}, layers.get(x).shape(), new LayerOp.Encode(mode, scale));
    }

    /** Dense layer with weights row-major [units][in], one block per {@code rowsPerBlock} rows. */
    int dense(int x, int units, int bits, int[] w, int[] bias, int rowsPerBlock) {
        int l = add("dense" + layers.size(), new int[] {x}, new int[] {units}, new LayerOp.Dense(units, bits, bias != null));
        blocksOf(l, true, units, size(x), bits, w, bias, rowsPerBlock);
        return l;
    }

    int dense(int x, int units, int bits, int[] w, int[] bias) { return dense(x, units, bits, w, bias, units); }

    int conv(int x, int oc, Window win, int bits, int[] w, int[] bias, int oh, int ow) {
        int[] is = layers.get(x).shape();
        int l = add("conv" + layers.size(), new int[] {x}, new int[] {oc, oh, ow}, new LayerOp.Conv2d(oc, win, bits, bias != null));
        blocksOf(l, false, oc, is[0] * win.kh() * win.kw(), bits, w, bias, oc);
        return l;
    }

    /** Blocks of {@code rowsPerBlock} rows of row-major weights: dense ones stored input-major, conv2d ones as given. */
    private void blocksOf(int l, boolean dense, int rows, int fanIn, int bits, int[] w, int[] bias, int rowsPerBlock) {
        for (int first = 0; first < rows; first += rowsPerBlock) {
            int count = Math.min(rowsPerBlock, rows - first);
            int[] part = new int[count * fanIn];
            System.arraycopy(w, first * fanIn, part, 0, part.length);
            byte[] packed = dense ? SynapseBlock.packDense(w, fanIn, first, count, bits) : WeightPacking.pack(part, bits);
            int[] b = new int[bias == null ? 0 : count];
            if (bias != null) System.arraycopy(bias, first, b, 0, count);
            blocks.add(new SynapseBlock(l, -1, first, count, bits, fanIn, packed, b));
        }
    }

    int avgpool(int x, Window win, int weight, int oh, int ow) {
        int c = layers.get(x).shape()[0];
        return add("avg" + layers.size(), new int[] {x}, new int[] {c, oh, ow}, new LayerOp.AvgPool(win, weight));
    }

    int maxpool(int x, Window win, int oh, int ow) {
        int c = layers.get(x).shape()[0];
        return add("max" + layers.size(), new int[] {x}, new int[] {c, oh, ow}, new LayerOp.MaxPool(win));
    }

    int reshape(int x, int... shape) { return add("reshape" + layers.size(), new int[] {x}, shape, new LayerOp.Reshape()); }

    int merge(int... xs) { return add("merge" + layers.size(), xs, layers.get(xs[0]).shape(), new LayerOp.Merge()); }

    /** A population in one slice; thresholds and v0 are one value or one per channel. */
    int neurons(int x, boolean leaky, int shift, Reset reset, int vBits, int[] thresholds, int[] v0) {
        int l = add("pop" + layers.size(), new int[] {x}, layers.get(x).shape(), new LayerOp.Neurons(leaky, shift, reset, vBits));
        slice(l, 0, size(l), 0, thresholds, v0);
        return l;
    }

    /** A population whose slices are added by the caller with {@link #slice}. */
    int neuronsUnplaced(int x, boolean leaky, int shift, Reset reset, int vBits) {
        return add("pop" + layers.size(), new int[] {x}, layers.get(x).shape(), new LayerOp.Neurons(leaky, shift, reset, vBits));
    }

    void slice(int layer, int start, int end, int channelStart, int[] thresholds, int[] v0) {
        int id = slices.size();
        slices.add(new CoreSlice(id, layer, new CoreCoord(0, id % 4, id / 4 % 4), start, end, channelStart, thresholds, v0, 0,
                CoreSlice.Wake.ALWAYS));
    }

    int decodePotential(int x, String output) {
        int l = add(output, new int[] {x}, layers.get(x).shape(), new LayerOp.DecodePotential());
        slice(l, 0, size(l), 0, new int[0], new int[0]); // a potential decoder sits on an NPU too, without parameters
        outputs.add(new IoSpec.OutputSpec(output, l, layers.get(x).shape(), -1));
        return l;
    }

    int decodeCount(int x, String output, int tiePopulation) {
        int l = add(output, new int[] {x}, layers.get(x).shape(), new LayerOp.DecodeCount());
        outputs.add(new IoSpec.OutputSpec(output, l, layers.get(x).shape(), tiePopulation));
        return l;
    }

    NmcModel build() {
        return new NmcModel(new Header(1, 0, "test", "test"), TARGET, new IoSpec(timesteps, seed, inputs, outputs), layers, slices,
                blocks, routes(), "");
    }

    /** Routes as the mapper writes them: each population slice sends to every slice of the populations and decoders it feeds. */
    private List<Route> routes() {
        List<Route> out = new ArrayList<>();
        for (CoreSlice src : slices) {
            if (!(layers.get(src.layer()).op() instanceof LayerOp.Neurons)) continue;
            java.util.TreeSet<Integer> dst = new java.util.TreeSet<>();
            java.util.ArrayDeque<Integer> todo = new java.util.ArrayDeque<>(List.of(src.layer()));
            while (!todo.isEmpty()) {
                int l = todo.pop();
                for (Layer next : layers) {
                    if (java.util.Arrays.stream(next.inputs()).noneMatch(i -> i == l)) continue;
                    boolean placed = next.op() instanceof LayerOp.Neurons || next.op() instanceof LayerOp.DecodePotential
                            || next.op() instanceof LayerOp.DecodeCount;
                    if (placed) {
                        for (CoreSlice d : slices) if (d.layer() == next.index()) dst.add(d.id());
                    }
                    if (!placed || next.op() instanceof LayerOp.DecodeCount) todo.push(next.index());
                }
            }
            if (!dst.isEmpty()) out.add(new Route(src.id(), dst.stream().mapToInt(Integer::intValue).toArray(), 0));
        }
        return out;
    }
}

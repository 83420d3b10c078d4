package dev.nmcc.nmc.io;

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
import java.util.Random;

/** Hand-built models for the format's tests. */
final class TestModels {
    private TestModels() {}

    /** The akd1500 figures of compiler-backend-akida/src/main/resources/targets/akd1500.json. */
    static TargetSpec akd1500() {
        return new TargetSpec("akd1500", 1, 20, 4, 4, 5, 15000, 26214, 20, 300, 8, 1, 2, 1, 300, 0.8, 100, 0.8, 1.6, 0.8, 160, 125, 12.5);
    }

    /**
     * Every layer kind: input [1,6,6] → direct encode → conv2d 4×3×3 (4-bit, bias) → IF [4,6,6] on two
     * slices that split channel 1 → avgpool → reshape [36] → two dense (2-bit with bias, 8-bit without)
     * → merge → LIF [10] (reset zero) → dense 1-bit → potential decoder; and IF → maxpool → count decoder.
     */
    static NmcModel small() {
        Random rnd = new Random(42);
        List<Layer> L = new ArrayList<>();
        Window k3 = new Window(3, 3, 1, 1, 1, 1, 1, 1), p2 = new Window(2, 2, 2, 2, 0, 0, 0, 0);
        L.add(new Layer(0, "x", "net.nmd:1:1", new int[0], new int[] {1, 6, 6}, new LayerOp.Input("x")));
        L.add(new Layer(1, "op 1", "net.nmd:1:1", new int[] {0}, new int[] {1, 6, 6}, new LayerOp.Encode(Encoding.DIRECT, 255)));
        L.add(new Layer(2, "op 2", "net.nmd:2:5", new int[] {1}, new int[] {4, 6, 6}, new LayerOp.Conv2d(4, k3, 4, true)));
        L.add(new Layer(3, "c1", "net.nmd:2:1", new int[] {2}, new int[] {4, 6, 6}, new LayerOp.Neurons(false, 0, Reset.SUBTRACT, 20)));
        L.add(new Layer(4, "op 4", "", new int[] {3}, new int[] {4, 3, 3}, new LayerOp.AvgPool(p2, 1)));
        L.add(new Layer(5, "op 5", "", new int[] {4}, new int[] {36}, new LayerOp.Reshape()));
        L.add(new Layer(6, "op 6", "", new int[] {5}, new int[] {10}, new LayerOp.Dense(10, 2, true)));
        L.add(new Layer(7, "op 7", "", new int[] {5}, new int[] {10}, new LayerOp.Dense(10, 8, false)));
        L.add(new Layer(8, "op 8", "", new int[] {6, 7}, new int[] {10}, new LayerOp.Merge()));
        L.add(new Layer(9, "h", "", new int[] {8}, new int[] {10}, new LayerOp.Neurons(true, 3, Reset.ZERO, 16)));
        L.add(new Layer(10, "op 10", "", new int[] {9}, new int[] {3}, new LayerOp.Dense(3, 1, false)));
        L.add(new Layer(11, "logits", "", new int[] {10}, new int[] {3}, new LayerOp.DecodePotential()));
        L.add(new Layer(12, "op 12", "", new int[] {3}, new int[] {4, 3, 3}, new LayerOp.MaxPool(p2)));
        L.add(new Layer(13, "counts", "", new int[] {12}, new int[] {4, 3, 3}, new LayerOp.DecodeCount()));

        List<CoreSlice> S = List.of(
                new CoreSlice(0, 3, new CoreCoord(0, 0, 0), 0, 50, 0, new int[] {100, 120}, new int[] {50, 60}, 40, CoreSlice.Wake.ALWAYS),
                new CoreSlice(1, 3, new CoreCoord(0, 0, 1), 50, 144, 1, new int[] {120, 90, 80}, new int[] {0}, 40, CoreSlice.Wake.ALWAYS),
                new CoreSlice(2, 9, new CoreCoord(0, 3, 2), 0, 10, 0, new int[] {7}, new int[] {3}, 180,
                        new CoreSlice.Wake(true, new int[] {0, 1}, 64)),
                new CoreSlice(3, 11, new CoreCoord(0, 19, 3), 0, 3, 0, new int[0], new int[0], 4, new CoreSlice.Wake(true, new int[] {2}, 64)));
        List<SynapseBlock> B = List.of(
                block(rnd, 2, 0, 0, 2, 4, 9, true),
                block(rnd, 2, 1, 2, 2, 4, 9, true),
                block(rnd, 6, 2, 0, 10, 2, 36, true),
                block(rnd, 7, 2, 0, 10, 8, 36, false),
                block(rnd, 10, 3, 0, 3, 1, 10, false));
        List<Route> R = List.of(new Route(0, new int[] {2}, 1), new Route(1, new int[] {2}, 1), new Route(2, new int[] {3}, 4));
        IoSpec io = new IoSpec(32, 5, List.of(new IoSpec.InputSpec("x", 0, new int[] {1, 6, 6}, 0f, 1f, Encoding.DIRECT, 255)),
                List.of(new IoSpec.OutputSpec("logits", 11, new int[] {3}, -1), new IoSpec.OutputSpec("counts", 13, new int[] {36}, -1)));
        return new NmcModel(new Header(FormatVersion.MAJOR, FormatVersion.MINOR, "nmcc test", "small"), akd1500(), io, L, S, B, R,
                "{\"report\": [\"a line\"], \"mapping\": null}");
    }

    /** A block of random weights in the full range of {@code bits}. */
    static SynapseBlock block(Random rnd, int projection, int slice, int first, int count, int bits, int fanIn, boolean bias) {
        int[] w = new int[count * fanIn];
        for (int i = 0; i < w.length; i++) {
            w[i] = bits == 1 ? (rnd.nextBoolean() ? 1 : -1) : WeightPacking.min(bits) + rnd.nextInt(WeightPacking.max(bits) - WeightPacking.min(bits) + 1);
        }
        int[] b = new int[bias ? count : 0];
        for (int i = 0; i < b.length; i++) b[i] = rnd.nextInt(2001) - 1000;
        return new SynapseBlock(projection, slice, first, count, bits, fanIn, WeightPacking.pack(w, bits), b);
    }

    /**
     * The keyword-spotting MLP shape 4040 → 512 → 256 → 128 → 35 with random 4-bit weights and
     * biases, sliced as the akd1500's synapse memory allows (rows per NPU = memory / row bytes).
     */
    static NmcModel kws() {
        Random rnd = new Random(7);
        TargetSpec t = akd1500();
        int[] widths = {4040, 512, 256, 128, 35};
        List<Layer> L = new ArrayList<>();
        List<CoreSlice> S = new ArrayList<>();
        List<SynapseBlock> B = new ArrayList<>();
        List<Route> R = new ArrayList<>();
        L.add(new Layer(0, "features", "", new int[0], new int[] {4040}, new LayerOp.Input("features")));
        L.add(new Layer(1, "op 1", "", new int[] {0}, new int[] {4040}, new LayerOp.Encode(Encoding.RATE, 255)));
        int prev = 1, npu = 0;
        List<Integer> prevSlices = new ArrayList<>();
        for (int k = 1; k < widths.length; k++) {
            int fanIn = widths[k - 1], units = widths[k];
            int dense = L.size();
            L.add(new Layer(dense, "op " + dense, "", new int[] {prev}, new int[] {units}, new LayerOp.Dense(units, 4, true)));
            boolean last = k == widths.length - 1;
            int pop = L.size();
            L.add(new Layer(pop, "l" + k, "", new int[] {dense}, new int[] {units},
                    last ? new LayerOp.DecodePotential() : new LayerOp.Neurons(false, 0, Reset.SUBTRACT, 20)));
            int perSlice = (int) (t.synapseMemoryBytesPerNpu() / WeightPacking.packedBytes(fanIn, 4));
            List<Integer> these = new ArrayList<>();
            for (int start = 0; start < units; start += perSlice) {
                int end = Math.min(units, start + perSlice), id = S.size();
                int[] th = last ? new int[0] : new int[end - start], v0 = last ? new int[0] : new int[end - start];
                for (int i = 0; i < th.length; i++) {
                    th[i] = 1 + rnd.nextInt(5000);
                    v0[i] = th[i] / 2;
                }
                S.add(new CoreSlice(id, pop, new CoreCoord(0, npu / 4, npu % 4), start, end, start, th, v0,
                        (end - start) * WeightPacking.packedBytes(fanIn, 4), CoreSlice.Wake.ALWAYS));
                npu++;
                B.add(block(rnd, dense, id, start, end - start, 4, fanIn, true));
                these.add(id);
            }
            int[] dst = these.stream().mapToInt(Integer::intValue).toArray();
            for (int src : prevSlices) R.add(new Route(src, dst, dst.length));
            prevSlices = these;
            prev = pop;
        }
        IoSpec io = new IoSpec(32, 0, List.of(new IoSpec.InputSpec("features", 0, new int[] {4040}, 0f, 1f, Encoding.RATE, 255)),
                List.of(new IoSpec.OutputSpec("logits", L.size() - 1, new int[] {35}, -1)));
        return new NmcModel(new Header(FormatVersion.MAJOR, FormatVersion.MINOR, "nmcc test", "kws"), t, io, L, S, B, R, "");
    }

    /** Total weights (synapses) of a model. */
    static long synapses(NmcModel m) {
        long n = 0;
        for (SynapseBlock b : m.synapses()) n += (long) b.count() * b.fanIn();
        return n;
    }
}

package dev.nmcc.passes.mapping;

import dev.nmcc.ir.attr.Attributes;
import dev.nmcc.ir.blob.Blob;
import dev.nmcc.ir.blob.BlobTable;
import dev.nmcc.ir.graph.GraphBuilder;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.graph.Value;
import dev.nmcc.ir.loc.Location;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.ir.op.Stage;
import dev.nmcc.ir.type.ElementType;
import dev.nmcc.ir.type.TensorType;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Quantized snn modules (integer weights, thresholds and biases, direct input with
 * input_scale = 255) built in Java with random integer weights: what quantize-weights produces,
 * in the shapes the mapper is measured on. The weights' values do not matter to the mapper.
 */
public final class TestNets {
    private TestNets() {}

    /** An MLP dims[0] → dims[1] → … → dims[last]; hidden layers are IF populations, the last a potential decoder. */
    public static Module mlp(String name, int[] dims, ElementType wt, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        BlobTable.Builder blobs = BlobTable.builder();
        GraphBuilder b = new GraphBuilder(blobs);
        Value x = b.input(OpKind.SNN_INPUT, TensorType.f32(dims[0]), Attributes.builder().putString("name", "x").build(), loc("x"));
        b.setName(x, "x");
        Value cur = b.add(OpKind.SNN_ENCODE, List.of(x), Attributes.builder().putSymbol("mode", "direct").putInt("input_scale", 255).build(), loc("encode"));
        for (int l = 1; l < dims.length; l++) {
            String w = "fc" + l + ".weight";
            blobs.add(randomInts(w, wt, rnd, dims[l], dims[l - 1]));
            Value i = b.add(OpKind.SNN_DENSE, List.of(cur), Attributes.builder().putInt("units", dims[l]).putBlob("weight", w).build(), loc("fc" + l));
            if (l < dims.length - 1) {
                cur = b.add(OpKind.SNN_IF, List.of(i), Attributes.builder().putInt("threshold", 64).putInt("v0", 32).build(), loc("h" + l));
                b.setName(cur, "h" + l);
            } else {
                Value y = b.add(OpKind.SNN_DECODE, List.of(i), Attributes.builder().putSymbol("mode", "potential").build(), loc("logits"));
                b.setName(y, "logits");
                b.add(OpKind.SNN_OUTPUT, List.of(y), Attributes.builder().putString("name", "logits").build(), loc("out"));
            }
        }
        return new Module(name, Stage.SNN, blobs.build(), b.build());
    }

    /**
     * The CNN fixture's shape (tests/fixtures/fmnist/cnn.nmd after calibrate-thresholds: average
     * pools folded into the next projection): 1x28x28 → conv 16 k3 p1 → IF → avgpool 2 → conv 32 k3 p1
     * → IF → avgpool 2 → flatten → dense 128 → IF → dense 10 → potential decoder.
     */
    public static Module cnn(ElementType wt, long seed) { return cnn("cnn", 1, 28, 16, 32, 128, 10, wt, seed); }

    /** The same architecture at other sizes: c × hw × hw input, conv k3 p1 → IF → avgpool 2, twice, dense, potential decoder. */
    public static Module cnn(String name, int c, int hw, int conv1, int conv2, int dense, int classes, ElementType wt, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        BlobTable.Builder blobs = BlobTable.builder();
        GraphBuilder b = new GraphBuilder(blobs);
        Value x = b.input(OpKind.SNN_INPUT, TensorType.f32(c, hw, hw), Attributes.builder().putString("name", "image").build(), loc("image"));
        b.setName(x, "image");
        Value e = b.add(OpKind.SNN_ENCODE, List.of(x), Attributes.builder().putSymbol("mode", "direct").putInt("input_scale", 255).build(), loc("encode"));
        blobs.add(randomInts("conv1.weight", wt, rnd, conv1, c, 3, 3));
        Value i1 = b.add(OpKind.SNN_CONV2D, List.of(e), conv(conv1, "conv1.weight"), loc("conv1"));
        Value c1 = b.add(OpKind.SNN_IF, List.of(i1), threshold(), loc("c1"));
        b.setName(c1, "c1");
        Value p1 = b.add(OpKind.SNN_AVGPOOL, List.of(c1), Attributes.builder().putInts("kernel", 2, 2).putInt("weight", 1).build(), loc("p1"));
        blobs.add(randomInts("conv2.weight", wt, rnd, conv2, conv1, 3, 3));
        Value i2 = b.add(OpKind.SNN_CONV2D, List.of(p1), conv(conv2, "conv2.weight"), loc("conv2"));
        Value c2 = b.add(OpKind.SNN_IF, List.of(i2), threshold(), loc("c2"));
        b.setName(c2, "c2");
        Value p2 = b.add(OpKind.SNN_AVGPOOL, List.of(c2), Attributes.builder().putInts("kernel", 2, 2).putInt("weight", 1).build(), loc("p2"));
        Value f = b.add(OpKind.SNN_FLATTEN, List.of(p2), Attributes.EMPTY, loc("f"));
        blobs.add(randomInts("fc1.weight", wt, rnd, dense, conv2 * (hw / 4) * (hw / 4)));
        Value i3 = b.add(OpKind.SNN_DENSE, List.of(f), Attributes.builder().putInt("units", dense).putBlob("weight", "fc1.weight").build(), loc("fc1"));
        Value h = b.add(OpKind.SNN_IF, List.of(i3), threshold(), loc("h"));
        b.setName(h, "h");
        blobs.add(randomInts("fc2.weight", wt, rnd, classes, dense));
        Value i4 = b.add(OpKind.SNN_DENSE, List.of(h), Attributes.builder().putInt("units", classes).putBlob("weight", "fc2.weight").build(), loc("fc2"));
        Value y = b.add(OpKind.SNN_DECODE, List.of(i4), Attributes.builder().putSymbol("mode", "potential").build(), loc("logits"));
        b.setName(y, "logits");
        b.add(OpKind.SNN_OUTPUT, List.of(y), Attributes.builder().putString("name", "logits").build(), loc("out"));
        return new Module(name, Stage.SNN, blobs.build(), b.build());
    }

    private static Attributes conv(int out, String w) {
        return Attributes.builder().putInt("out_channels", out).putInts("kernel", 3, 3).putInts("pad", 1, 1, 1, 1).putBlob("weight", w).build();
    }

    private static Attributes threshold() { return Attributes.builder().putInt("threshold", 64).putInt("v0", 32).build(); }

    static Blob randomInts(String name, ElementType et, SplittableRandom rnd, int... shape) {
        int n = 1;
        for (int d : shape) n *= d;
        int[] v = new int[n];
        long lo = et.minValue(), hi = et.maxValue();
        for (int i = 0; i < n; i++) {
            v[i] = (int) (lo + rnd.nextLong(hi - lo + 1));
            if (et == ElementType.I1 && v[i] == 0) v[i] = 1;
        }
        return Blob.ofInts(name, new TensorType(dev.nmcc.ir.type.Shape.of(shape), et), v);
    }

    private static Location loc(String name) { return new Location.Named(name); }
}

package dev.nmcc.ir.interp;

import dev.nmcc.ir.attr.Attributes;
import dev.nmcc.ir.blob.Blob;
import dev.nmcc.ir.blob.BlobTable;
import dev.nmcc.ir.graph.GraphBuilder;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.graph.Value;
import dev.nmcc.ir.loc.Location;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.ir.op.Stage;
import dev.nmcc.ir.type.TensorType;
import java.util.List;
import java.util.SplittableRandom;

/** A small builder of ann test modules: blobs and ops in a few calls. */
final class TestNet {
    private final BlobTable.Builder blobs = BlobTable.builder();
    private final GraphBuilder graph = new GraphBuilder(blobs);

    Value input(String name, int... dims) {
        return graph.input(OpKind.ANN_INPUT, TensorType.f32(dims), Attributes.builder().putString("name", name).build(), Location.UNKNOWN);
    }

    /** Adds a float blob and returns its name. */
    String blob(String name, float[] data, int... dims) {
        blobs.add(Blob.ofFloats(name, TensorType.f32(dims), data));
        return name;
    }

    Value op(OpKind kind, Attributes attrs, Value... operands) {
        return graph.add(kind, List.of(operands), attrs, Location.UNKNOWN);
    }

    Value op(OpKind kind, Value... operands) { return op(kind, Attributes.EMPTY, operands); }

    void output(String name, Value v) {
        graph.add(OpKind.ANN_OUTPUT, List.of(v), Attributes.builder().putString("name", name).build(), Location.UNKNOWN);
    }

    Value dense(Value x, String name, float[] w, float[] b, int units, int in) {
        var a = Attributes.builder().putInt("units", units).putBlob("weight", blob(name + ".w", w, units, in));
        if (b != null) a.putBlob("bias", blob(name + ".b", b, units));
        return op(OpKind.ANN_DENSE, a.build(), x);
    }

    /** A convolution; pad is [top, left, bottom, right]. */
    Value conv(Value x, String name, float[] w, float[] b, int out, int in, int kh, int kw, int[] stride, int[] pad) {
        var a = Attributes.builder().putInt("out_channels", out).putInts("kernel", kh, kw);
        if (stride != null) a.putInts("stride", stride);
        if (pad != null) a.putInts("pad", pad);
        a.putBlob("weight", blob(name + ".w", w, out, in, kh, kw));
        if (b != null) a.putBlob("bias", blob(name + ".b", b, out));
        return op(OpKind.ANN_CONV2D, a.build(), x);
    }

    Module module() { return new Module("test", Stage.ANN, blobs.build(), graph.build()); }

    static float[] random(SplittableRandom rnd, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) ((rnd.nextDouble() * 2 - 1) * scale);
        return a;
    }

    static float[] range(int from, int count) {
        float[] a = new float[count];
        for (int i = 0; i < count; i++) a[i] = from + i;
        return a;
    }

    /**
     * The small Fashion-MNIST CNN of the benchmark: conv 1→16 k3 p1, BN, relu, avgpool 2,
     * conv 16→32 k3 p1, relu, avgpool 2, flatten, dense 1568→128, relu, dense 128→10.
     */
    static Module smallCnn(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        TestNet t = new TestNet();
        Value x = t.input("image", 1, 28, 28);
        int[] p1 = {1, 1, 1, 1};
        Value c1 = t.conv(x, "conv1", random(rnd, 16 * 9, 0.5), random(rnd, 16, 0.1), 16, 1, 3, 3, null, p1);
        var bn = Attributes.builder()
                .putBlob("gamma", t.blob("bn.gamma", random(rnd, 16, 1), 16))
                .putBlob("beta", t.blob("bn.beta", random(rnd, 16, 0.2), 16))
                .putBlob("mean", t.blob("bn.mean", random(rnd, 16, 0.2), 16))
                .putBlob("var", t.blob("bn.var", positive(rnd, 16), 16)).build();
        Value b1 = t.op(OpKind.ANN_BATCHNORM, bn, c1);
        Value r1 = t.op(OpKind.ANN_RELU, b1);
        Value pool = t.op(OpKind.ANN_AVGPOOL, Attributes.builder().putInts("kernel", 2, 2).build(), r1);
        Value c2 = t.conv(pool, "conv2", random(rnd, 32 * 16 * 9, 0.15), random(rnd, 32, 0.1), 32, 16, 3, 3, null, p1);
        Value r2 = t.op(OpKind.ANN_RELU, c2);
        Value pool2 = t.op(OpKind.ANN_AVGPOOL, Attributes.builder().putInts("kernel", 2, 2).build(), r2);
        Value flat = t.op(OpKind.ANN_FLATTEN, pool2);
        Value d1 = t.dense(flat, "fc1", random(rnd, 128 * 1568, 0.05), random(rnd, 128, 0.1), 128, 1568);
        Value r3 = t.op(OpKind.ANN_RELU, d1);
        Value d2 = t.dense(r3, "fc2", random(rnd, 10 * 128, 0.2), random(rnd, 10, 0.1), 10, 128);
        t.output("logits", d2);
        return t.module();
    }

    private static float[] positive(SplittableRandom rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (0.5 + rnd.nextDouble());
        return a;
    }
}

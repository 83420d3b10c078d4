package dev.nmcc.passes;

import dev.nmcc.ir.attr.Attributes;
import dev.nmcc.ir.blob.Blob;
import dev.nmcc.ir.blob.BlobTable;
import dev.nmcc.ir.graph.GraphBuilder;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.graph.Value;
import dev.nmcc.ir.interp.Batch;
import dev.nmcc.ir.loc.Location;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.ir.op.Stage;
import dev.nmcc.ir.type.TensorType;
import java.util.List;
import java.util.Random;

/** Small modules built in code, with seeded random weights, for the pass tests. */
public final class TestModules {
    private TestModules() {}

    /** A module under construction: blobs and graph. */
    public static final class Build {
        public final BlobTable.Builder blobs = BlobTable.builder();
        public final GraphBuilder g = new GraphBuilder(blobs);
        public final Random rnd;
        private int line = 1;

        public Build(long seed) { rnd = new Random(seed); }

        public Location loc() { return Location.file("test.nmd", line++, 3); }

        public String blob(String name, float lo, float hi, int... dims) {
            float[] v = new float[TensorType.f32(dims).shape().elementCount()];
            for (int i = 0; i < v.length; i++) v[i] = lo + (hi - lo) * rnd.nextFloat();
            blobs.add(Blob.ofFloats(name, TensorType.f32(dims), v));
            return name;
        }

        public Value input(String name, int... dims) {
            Value v = g.input(OpKind.ANN_INPUT, TensorType.f32(dims), Attributes.builder().putString("name", name).build(), loc());
            g.setName(v, name);
            return v;
        }

        public Value conv(String name, Value x, int inC, int outC, boolean bias) {
            blob(name + ".weight", -0.5f, 0.5f, outC, inC, 3, 3);
            var a = Attributes.builder().putInt("out_channels", outC).putInts("kernel", 3, 3).putInts("pad", 1, 1, 1, 1)
                    .putBlob("weight", name + ".weight");
            if (bias) a.putBlob("bias", blob(name + ".bias", -0.2f, 0.2f, outC));
            return g.add(OpKind.ANN_CONV2D, List.of(x), a.build(), loc());
        }

        public Value dense(String name, Value x, int in, int units, boolean bias) {
            blob(name + ".weight", -0.3f, 0.3f, units, in);
            var a = Attributes.builder().putInt("units", units).putBlob("weight", name + ".weight");
            if (bias) a.putBlob("bias", blob(name + ".bias", -0.2f, 0.2f, units));
            return g.add(OpKind.ANN_DENSE, List.of(x), a.build(), loc());
        }

        public Value bn(String name, Value x, int c) {
            var a = Attributes.builder()
                    .putBlob("gamma", blob(name + ".weight", 0.5f, 1.5f, c))
                    .putBlob("beta", blob(name + ".bias", -0.3f, 0.3f, c))
                    .putBlob("mean", blob(name + ".running_mean", -0.2f, 0.2f, c))
                    .putBlob("var", blob(name + ".running_var", 0.1f, 2.0f, c))
                    .putFloat("epsilon", 1e-3);
            return g.add(OpKind.ANN_BATCHNORM, List.of(x), a.build(), loc());
        }

        public Value op(OpKind k, Value x) { return g.add(k, List.of(x), Attributes.EMPTY, loc()); }

        public Value op(OpKind k, Value x, Attributes a) { return g.add(k, List.of(x), a, loc()); }

        public void output(String name, Value v) {
            g.add(OpKind.ANN_OUTPUT, List.of(v), Attributes.builder().putString("name", name).build(), loc());
        }

        public Module module(String name) { return new Module(name, Stage.ANN, blobs.build(), g.build()); }
    }

    /**
     * input [1,8,8] → conv(4) → bn → relu → avgpool 2 → conv(6, no bias) → bn → relu → flatten →
     * dropout → dense(96→12) → bn → relu → identity → dense(12→5) → output.
     */
    public static Module cnnWithBatchNorm(long seed) {
        Build b = new Build(seed);
        Value x = b.input("image", 1, 8, 8);
        Value c1 = b.op(OpKind.ANN_RELU, b.bn("bn1", b.conv("conv1", x, 1, 4, true), 4));
        Value p1 = b.op(OpKind.ANN_AVGPOOL, c1, Attributes.builder().putInts("kernel", 2, 2).build());
        Value c2 = b.op(OpKind.ANN_RELU, b.bn("bn2", b.conv("conv2", p1, 4, 6, false), 6));
        Value f = b.op(OpKind.ANN_FLATTEN, c2);
        Value d = b.op(OpKind.ANN_DROPOUT, f, Attributes.builder().putFloat("rate", 0.25).build());
        Value h = b.op(OpKind.ANN_RELU, b.bn("bn3", b.dense("fc1", d, 96, 12, true), 12));
        Value i = b.op(OpKind.ANN_IDENTITY, h);
        Value y = b.dense("fc2", i, 12, 5, true);
        b.g.setName(y, "logits");
        b.output("logits", y);
        return b.module("cnn_bn");
    }

    /** A small MLP without batchnorm, dropout or identity. */
    public static Module mlp(long seed) {
        Build b = new Build(seed);
        Value x = b.input("x", 6);
        Value h = b.op(OpKind.ANN_RELU, b.dense("fc1", x, 6, 4, true));
        Value y = b.dense("fc2", h, 4, 3, true);
        b.output("y", y);
        return b.module("mlp");
    }

    /** {@code n} samples of {@code shape} uniform in [0, 1). */
    public static Batch randomInputs(long seed, int n, int... shape) {
        Random r = new Random(seed);
        var s = TensorType.f32(shape).shape();
        float[] v = new float[n * s.elementCount()];
        for (int i = 0; i < v.length; i++) v[i] = r.nextFloat();
        return new Batch(n, s, v);
    }
}

package dev.nmcc.ir.text;

import dev.nmcc.ir.attr.Attribute;
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
import dev.nmcc.ir.type.Shape;
import dev.nmcc.ir.type.SpikeType;
import dev.nmcc.ir.type.TensorType;
import dev.nmcc.ir.type.Type;
import java.util.List;
import java.util.Random;

/**
 * Modules of the three stages built with {@link GraphBuilder}, covering every op kind, every
 * attribute kind, every element type of blobs (inline and in resources), quoted names and
 * every kind of location. Types are given, not inferred: these exercise the text form, not the
 * type rules.
 */
final class Examples {
    private Examples() {}

    static Blob floats(String name, long seed, int... dims) {
        TensorType t = TensorType.f32(dims);
        float[] v = new float[t.shape().elementCount()];
        Random r = new Random(seed);
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian() * 0.1f;
        return Blob.ofFloats(name, t, v);
    }

    static Blob ints(String name, ElementType et, long seed, int... dims) {
        TensorType t = new TensorType(Shape.of(dims), et);
        int[] v = new int[t.shape().elementCount()];
        Random r = new Random(seed);
        for (int i = 0; i < v.length; i++) {
            if (et == ElementType.I1) v[i] = r.nextBoolean() ? 1 : -1;
            else if (et == ElementType.I32) v[i] = r.nextInt();
            else v[i] = (int) (et.minValue() + r.nextInt((int) (et.maxValue() - et.minValue() + 1)));
        }
        return Blob.ofInts(name, t, v);
    }

    private static Attributes.Builder attrs() { return Attributes.builder(); }

    private static Value op(GraphBuilder b, OpKind k, List<Value> in, Attributes a, Type t, Location loc) {
        return b.addTyped(k, in, a, List.of(t), loc).getFirst();
    }

    private static void sink(GraphBuilder b, OpKind k, List<Value> in, Attributes a, Location loc) {
        b.addTyped(k, in, a, List.of(), loc);
    }

    private static Location at(int line, int col) { return Location.file("fmnist_cnn.nmd", line, col); }

    /** An ann module with every ann op, floats everywhere. */
    static Module ann() {
        float[] special = {Float.NaN, -0.0f, 0.0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE,
                Float.MAX_VALUE, 1.0e-5f, 0.1f, -0.25f, 1.0f, 123456.79f, 1.0e7f, -3.0e-38f};
        Blob nanPayload = Blob.ofFloats("nan_payload", TensorType.f32(2),
                new float[] {Float.intBitsToFloat(0x7fc00001), 1.0f});
        BlobTable blobs = BlobTable.builder()
                .add(floats("conv1.weight", 1, 16, 1, 3, 3))
                .add(floats("conv1.bias", 2, 16))
                .add(floats("bn.gamma", 3, 16)).add(floats("bn.beta", 4, 16))
                .add(floats("bn.mean", 5, 16)).add(floats("bn.var", 6, 16))
                .add(floats("net.0/weight", 7, 10, 3136))
                .add(Blob.ofFloats("special", TensorType.f32(special.length), special))
                .add(nanPayload)
                .add(floats("scalar", 8))
                .add(floats("9lives", 9, 4, 14, 14))
                .build();
        GraphBuilder b = new GraphBuilder(blobs);
        Value image = b.input(OpKind.ANN_INPUT, TensorType.f32(1, 28, 28),
                attrs().putString("name", "image \"28x28\"\n").putFloats("range", 0.0, 1.0).build(), at(5, 3));
        b.setName(image, "image");
        Value c = op(b, OpKind.ANN_CONST, List.of(), attrs().putBlob("value", "9lives").build(),
                TensorType.f32(4, 14, 14), Location.named("Constant_0"));
        Value conv = op(b, OpKind.ANN_CONV2D, List.of(image), attrs().putBlob("weight", "conv1.weight")
                .putInt("out_channels", 16).putInts("kernel", 3, 3).putInts("stride", 1, 1).putInts("pad", 1, 1, 1, 1)
                .putBlob("bias", "conv1.bias").build(), TensorType.f32(16, 28, 28), Location.named("Conv_0 \"quoted\" \\ ü"));
        Value bn = op(b, OpKind.ANN_BATCHNORM, List.of(conv), attrs().putBlob("gamma", "bn.gamma").putBlob("beta", "bn.beta")
                .putBlob("mean", "bn.mean").putBlob("var", "bn.var").putFloat("epsilon", 1.0e-5).build(),
                TensorType.f32(16, 28, 28), at(7, 28));
        b.setName(bn, "conv 1"); // not an identifier: printed as a number
        Value relu = op(b, OpKind.ANN_RELU, List.of(bn), Attributes.EMPTY, TensorType.f32(16, 28, 28), at(7, 8));
        b.setName(relu, "c1");
        Value avg = op(b, OpKind.ANN_AVGPOOL, List.of(relu), attrs().putInts("kernel", 2, 2).putInts("stride", 2, 2)
                .putInts("pad", 0, 0, 0, 0).putBool("count_include_pad", true).build(), TensorType.f32(16, 14, 14), at(8, 3));
        Value max = op(b, OpKind.ANN_MAXPOOL, List.of(relu), attrs().putInts("kernel", 2, 2).build(),
                TensorType.f32(16, 14, 14), at(9, 3));
        b.setName(max, "c1"); // a second "c1": printed as a number
        Value sum = op(b, OpKind.ANN_ADD, List.of(avg, max), Attributes.EMPTY, TensorType.f32(16, 14, 14), Location.UNKNOWN);
        b.setName(sum, "res.sum$1");
        Value cat = op(b, OpKind.ANN_CONCAT, List.of(sum, c, c), attrs().putInt("axis", 0).build(),
                TensorType.f32(24, 14, 14), at(10, 3));
        Value g = op(b, OpKind.ANN_GLOBAL_AVGPOOL, List.of(cat), Attributes.EMPTY, TensorType.f32(24, 1, 1), at(11, 3));
        Value flat = op(b, OpKind.ANN_FLATTEN, List.of(cat), Attributes.EMPTY, TensorType.f32(4704), at(12, 3));
        Value re = op(b, OpKind.ANN_RESHAPE, List.of(flat), attrs().putInts("shape", 3136, 1, 1).build(),
                TensorType.f32(3136, 1, 1), at(13, 3));
        Value flat2 = op(b, OpKind.ANN_FLATTEN, List.of(re), Attributes.EMPTY, TensorType.f32(3136), at(13, 20));
        Value drop = op(b, OpKind.ANN_DROPOUT, List.of(flat2), attrs().putFloat("rate", 0.25).build(),
                TensorType.f32(3136), at(14, 3));
        Value id = op(b, OpKind.ANN_IDENTITY, List.of(drop), Attributes.EMPTY, TensorType.f32(3136), at(15, 3));
        Value logits = op(b, OpKind.ANN_DENSE, List.of(id), attrs().putInt("units", 10).putBlob("weight", "net.0/weight")
                .build(), TensorType.f32(10), at(16, 3));
        b.setName(logits, "logits");
        sink(b, OpKind.ANN_OUTPUT, List.of(logits), attrs().putString("name", "logits").build(), at(17, 3));
        sink(b, OpKind.ANN_OUTPUT, List.of(g), attrs().putString("name", "pooled").build(), at(18, 3));
        return new Module("fmnist_cnn", Stage.ANN, blobs, b.build());
    }

    /** An snn module with every snn op and quantized blobs of every integer width. */
    static Module snn() {
        BlobTable blobs = BlobTable.builder()
                .add(ints("fc1.weight", ElementType.I8, 11, 32, 64))
                .add(ints("fc1.bias", ElementType.I32, 12, 32))
                .add(ints("conv.weight", ElementType.I4, 13, 4, 1, 3, 3))
                .add(floats("conv.scale", 14, 4))
                .add(ints("tiny.i2", ElementType.I2, 15, 2, 2))
                .add(ints("bin.small", ElementType.I1, 16, 8))
                .add(ints("bin.large", ElementType.I1, 17, 10, 32))
                .add(ints("i2.large", ElementType.I2, 18, 3, 7))
                .add(ints("i32.large", ElementType.I32, 19, 17))
                .add(floats("fc2.weight", 20, 10, 32))
                .build();
        GraphBuilder b = new GraphBuilder(blobs);
        Value x = b.input(OpKind.SNN_INPUT, TensorType.f32(1, 8, 8), attrs().putString("name", "x")
                .putFloats("range", -1.0, 1.0).build(), Location.named("input"));
        b.setName(x, "x");
        Value rate = op(b, OpKind.SNN_ENCODE, List.of(x), attrs().putSymbol("mode", "rate").build(), SpikeType.of(1, 8, 8),
                Location.UNKNOWN);
        Value conv = op(b, OpKind.SNN_CONV2D, List.of(rate), attrs().putInt("out_channels", 4).putInts("kernel", 3, 3)
                .putInts("stride", 1, 1).putInts("pad", 1, 1, 1, 1).putBlob("weight", "conv.weight")
                .putBlob("weight_scale", "conv.scale").build(), TensorType.f32(4, 8, 8), Location.file("q.nmd", 3, 1));
        Value lif = op(b, OpKind.SNN_LIF, List.of(conv), attrs().putFloat("threshold", 1.0).putFloat("leak", 0.875)
                .putFloat("v0", 0.5).putSymbol("reset", "zero").build(), SpikeType.of(4, 8, 8), Location.file("q.nmd", 4, 1));
        Value mp = op(b, OpKind.SNN_MAXPOOL, List.of(lif), attrs().putInts("kernel", 2, 2).build(), SpikeType.of(4, 4, 4),
                Location.file("q.nmd", 5, 1));
        Value ap = op(b, OpKind.SNN_AVGPOOL, List.of(mp), attrs().putInts("kernel", 2, 2).putInts("stride", 2, 2)
                .putInts("pad", 0, 0, 0, 0).putFloat("weight", 0.25).build(), TensorType.f32(4, 2, 2), Location.file("q.nmd", 6, 1));
        Value ifa = op(b, OpKind.SNN_IF, List.of(ap), attrs().putFloat("threshold", 1.0).build(), SpikeType.of(4, 2, 2),
                Location.file("q.nmd", 7, 1));
        Value re = op(b, OpKind.SNN_RESHAPE, List.of(ifa), attrs().putInts("shape", 4, 4).build(), SpikeType.of(4, 4),
                Location.file("q.nmd", 8, 1));
        Value flat = op(b, OpKind.SNN_FLATTEN, List.of(re), Attributes.EMPTY, SpikeType.of(16), Location.file("q.nmd", 9, 1));
        Value direct = op(b, OpKind.SNN_ENCODE, List.of(x), attrs().putSymbol("mode", "direct").build(),
                TensorType.f32(1, 8, 8), Location.file("q.nmd", 10, 1));
        Value flatX = op(b, OpKind.SNN_FLATTEN, List.of(direct), Attributes.EMPTY, TensorType.f32(64), Location.file("q.nmd", 11, 1));
        Value fc1 = op(b, OpKind.SNN_DENSE, List.of(flatX), attrs().putInt("units", 32).putBlob("weight", "fc1.weight")
                .putBlob("bias", "fc1.bias").putFloat("weight_scale", 0.0078125).build(), TensorType.f32(32),
                Location.file("q.nmd", 12, 1));
        Value fc1b = op(b, OpKind.SNN_DENSE, List.of(flat), attrs().putInt("units", 32).putBlob("weight", "fc1.weight")
                .putFloat("weight_scale", 0.0078125).build(), TensorType.f32(32), Location.file("q.nmd", 13, 1));
        Value merged = op(b, OpKind.SNN_MERGE, List.of(fc1, fc1b, fc1), Attributes.EMPTY, TensorType.f32(32),
                Location.file("q.nmd", 14, 1));
        Value h = op(b, OpKind.SNN_IF, List.of(merged), attrs().putFloat("threshold", 1.0).putFloat("v0", 0.5)
                .putSymbol("reset", "subtract").build(), SpikeType.of(32), Location.file("q.nmd", 15, 1));
        b.setName(h, "h1");
        Value fc2 = op(b, OpKind.SNN_DENSE, List.of(h), attrs().putInt("units", 10).putBlob("weight", "fc2.weight").build(),
                TensorType.f32(10), Location.file("q.nmd", 16, 1));
        Value count = op(b, OpKind.SNN_DECODE, List.of(op(b, OpKind.SNN_IF, List.of(fc2),
                attrs().putFloat("threshold", 1.0).build(), SpikeType.of(10), Location.file("q.nmd", 17, 1))),
                attrs().putSymbol("mode", "count").build(), TensorType.f32(10), Location.file("q.nmd", 18, 1));
        Value pot = op(b, OpKind.SNN_DECODE, List.of(fc2), attrs().putSymbol("mode", "potential").build(),
                TensorType.f32(10), Location.file("q.nmd", 19, 1));
        sink(b, OpKind.SNN_OUTPUT, List.of(count), attrs().putString("name", "counts").build(), Location.file("q.nmd", 20, 1));
        sink(b, OpKind.SNN_OUTPUT, List.of(pot), attrs().putString("name", "").build(), Location.file("q.nmd", 21, 1));
        return new Module("quantized mlp/v2", Stage.SNN, blobs, b.build());
    }

    /** An hw module: integer parameters and the mapping annotations. */
    static Module hw() {
        BlobTable blobs = BlobTable.builder()
                .add(ints("fc1.weight", ElementType.I4, 21, 32, 64))
                .add(ints("fc1.bias", ElementType.I32, 22, 32))
                .add(ints("fc2.weight", ElementType.I2, 23, 10, 32))
                .build();
        GraphBuilder b = new GraphBuilder(blobs);
        Value x = b.input(OpKind.SNN_INPUT, TensorType.f32(64), attrs().putString("name", "x").build(), Location.named("x"));
        Value enc = op(b, OpKind.SNN_ENCODE, List.of(x), attrs().putSymbol("mode", "direct").putInt("input_scale", 255).build(),
                new TensorType(Shape.of(64), ElementType.I32), Location.file("hw.nmd", 2, 1));
        Value fc1 = op(b, OpKind.SNN_DENSE, List.of(enc), attrs().putInt("units", 32).putBlob("weight", "fc1.weight")
                .putBlob("bias", "fc1.bias").build(), new TensorType(Shape.of(32), ElementType.I32), Location.file("hw.nmd", 3, 1));
        Value h = op(b, OpKind.SNN_LIF, List.of(fc1), attrs().putInt("threshold", 300).putInt("leak_shift", 4)
                .putInt("v0", 150).putSymbol("reset", "subtract").putInt("v_bits", 20).build(), SpikeType.of(32),
                Location.file("hw.nmd", 4, 1));
        b.setName(h, "h");
        sink(b, OpKind.HW_CORE_SLICE, List.of(h), attrs().putInt("id", 0).putInts("core", 0, 1, 2).putInts("neurons", 0, 16)
                .putInt("synapse_bytes", 512).putSymbol("wake", "on_spike").putInts("wake_sources", 2)
                .putInt("idle_timeout", 1000).build(), Location.file("hw.nmd", 4, 1));
        sink(b, OpKind.HW_CORE_SLICE, List.of(h), attrs().putInt("id", 1).putInts("core", 0, 1, 3).putInts("neurons", 16, 32)
                .put("wake_sources", new Attribute.Array(List.of())).build(), Location.file("hw.nmd", 4, 1));
        Value fc2 = op(b, OpKind.SNN_DENSE, List.of(h), attrs().putInt("units", 10).putBlob("weight", "fc2.weight").build(),
                new TensorType(Shape.of(10), ElementType.I32), Location.file("hw.nmd", 5, 1));
        sink(b, OpKind.HW_ROUTE, List.of(h), attrs().putInt("src", 0).putInts("dst", 2).putInt("hops", 3).build(),
                Location.file("hw.nmd", 5, 1));
        Value ifn = op(b, OpKind.SNN_IF, List.of(fc2), attrs().putInt("threshold", -7).putInt("v0", 0).build(),
                SpikeType.of(10), Location.file("hw.nmd", 6, 1));
        sink(b, OpKind.HW_CORE_SLICE, List.of(ifn), attrs().putInt("id", 2).putInts("core", 1, 0, 0).putInts("neurons", 0, 10)
                .putSymbol("wake", "always").build(), Location.UNKNOWN);
        Value out = op(b, OpKind.SNN_DECODE, List.of(ifn), attrs().putSymbol("mode", "count").build(),
                new TensorType(Shape.of(10), ElementType.I32), Location.file("hw.nmd", 7, 1));
        sink(b, OpKind.SNN_OUTPUT, List.of(out), attrs().putString("name", "y").build(), Location.file("hw.nmd", 8, 1));
        return new Module("mlp", Stage.HW, blobs, b.build());
    }
}

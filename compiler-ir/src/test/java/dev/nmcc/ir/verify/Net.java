package dev.nmcc.ir.verify;

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
import dev.nmcc.ir.type.TensorType;
import dev.nmcc.ir.type.Type;
import java.util.List;

/**
 * A small test builder: blobs and ops of one module. {@link #add} types ops with the type rules
 * (valid ops); {@link #typed} adds them unchecked (how the tests build broken ones). Every op
 * gets the location {@code net.nmd:<n>:1}, n counting ops from 1, unless one is given.
 */
final class Net {
    final Stage stage;
    final BlobTable.Builder blobs = BlobTable.builder();
    final GraphBuilder g = new GraphBuilder(blobs);

    Net(Stage stage) { this.stage = stage; }

    static Location line(int n) { return Location.file("net.nmd", n, 1); }

    static Attributes.Builder attrs() { return Attributes.builder(); }

    Location next() { return line(g.opCount() + 1); }

    Net f32(String name, int... dims) {
        TensorType t = TensorType.f32(dims);
        float[] data = new float[t.shape().elementCount()];
        java.util.Arrays.fill(data, 0.5f);
        blobs.add(Blob.ofFloats(name, t, data));
        return this;
    }

    Net ints(String name, ElementType et, int... dims) {
        TensorType t = new TensorType(Shape.of(dims), et);
        int[] data = new int[t.shape().elementCount()];
        java.util.Arrays.fill(data, 1);
        blobs.add(Blob.ofInts(name, t, data));
        return this;
    }

    Value input(String name, Type type) {
        OpKind k = stage == Stage.ANN ? OpKind.ANN_INPUT : OpKind.SNN_INPUT;
        return g.input(k, type, attrs().putString("name", name).build(), next());
    }

    Value add(OpKind kind, Attributes.Builder a, Value... operands) {
        return g.add(kind, List.of(operands), a.build(), next());
    }

    Value add(OpKind kind, Value... operands) { return add(kind, attrs(), operands); }

    void output(String name, Value v) {
        OpKind k = stage == Stage.ANN ? OpKind.ANN_OUTPUT : OpKind.SNN_OUTPUT;
        add(k, attrs().putString("name", name), v);
    }

    /** Adds an op unchecked with the given result types (none for outputs and annotations). */
    Value typed(OpKind kind, Attributes.Builder a, List<Value> operands, Type... results) {
        List<Value> r = g.addTyped(kind, operands, a.build(), List.of(results), next());
        return r.isEmpty() ? null : r.getFirst();
    }

    Module module() { return new Module("net", stage, blobs.build(), g.build()); }

    // ---- three valid modules ------------------------------------------------------------------

    /** A small CNN with batchnorm, a residual add, both poolings, concat, dense and dropout. */
    static Module validAnn() {
        Net n = new Net(Stage.ANN)
                .f32("c.w", 4, 1, 3, 3).f32("c.b", 4)
                .f32("bn.g", 4).f32("bn.b", 4).f32("bn.m", 4).f32("bn.v", 4)
                .f32("fc.w", 10, 8).f32("fc.b", 10);
        Value x = n.input("x", TensorType.f32(1, 8, 8));
        Value c = n.add(OpKind.ANN_CONV2D, attrs().putInt("out_channels", 4).putInts("kernel", 3, 3)
                .putInts("pad", 1, 1, 1, 1).putBlob("weight", "c.w").putBlob("bias", "c.b"), x);
        Value bn = n.add(OpKind.ANN_BATCHNORM, attrs().putBlob("gamma", "bn.g").putBlob("beta", "bn.b")
                .putBlob("mean", "bn.m").putBlob("var", "bn.v").putFloat("epsilon", 1e-5), c);
        Value r = n.add(OpKind.ANN_RELU, bn);
        Value id = n.add(OpKind.ANN_IDENTITY, r);
        Value s = n.add(OpKind.ANN_ADD, r, id);
        Value mp = n.add(OpKind.ANN_MAXPOOL, attrs().putInts("kernel", 2, 2), s);
        Value ap = n.add(OpKind.ANN_AVGPOOL, attrs().putInts("kernel", 2, 2).putInts("stride", 2, 2), s);
        Value cat = n.add(OpKind.ANN_CONCAT, attrs().putInt("axis", 0), mp, ap);
        Value gp = n.add(OpKind.ANN_GLOBAL_AVGPOOL, cat);
        Value f = n.add(OpKind.ANN_FLATTEN, gp);
        Value d = n.add(OpKind.ANN_DENSE, attrs().putInt("units", 10).putBlob("weight", "fc.w").putBlob("bias", "fc.b"), f);
        Value dr = n.add(OpKind.ANN_DROPOUT, attrs().putFloat("rate", 0.5), d);
        n.output("y", dr);
        return n.module();
    }

    /** Direct encoding, IF layer, two projections merged into a LIF population, count decoding. */
    static Module validSnn() {
        Net n = new Net(Stage.SNN).f32("w1", 8, 16).f32("b1", 8).f32("w2", 4, 8).f32("w3", 4, 8);
        Value x = n.input("x", TensorType.f32(16));
        Value e = n.add(OpKind.SNN_ENCODE, attrs().putSymbol("mode", "direct"), x);
        Value h = n.add(OpKind.SNN_DENSE, attrs().putInt("units", 8).putBlob("weight", "w1").putBlob("bias", "b1"), e);
        Value s = n.add(OpKind.SNN_IF, attrs().putFloat("threshold", 1.0).putFloat("v0", 0.5).putSymbol("reset", "subtract"), h);
        Value a = n.add(OpKind.SNN_DENSE, attrs().putInt("units", 4).putBlob("weight", "w2"), s);
        Value b = n.add(OpKind.SNN_DENSE, attrs().putInt("units", 4).putBlob("weight", "w3"), s);
        Value m = n.add(OpKind.SNN_MERGE, a, b);
        Value l = n.add(OpKind.SNN_LIF, attrs().putFloat("threshold", 1.0).putFloat("leak", 0.9), m);
        Value d = n.add(OpKind.SNN_DECODE, attrs().putSymbol("mode", "count"), l);
        n.output("y", d);
        return n.module();
    }

    /** The integer form of a two-layer network, mapped on three core slices with two routes. */
    static Module validHw() {
        Net n = new Net(Stage.HW).ints("w1", ElementType.I8, 8, 16).ints("b1", ElementType.I32, 8)
                .ints("w2", ElementType.I4, 4, 8);
        Value x = n.input("x", TensorType.f32(16));
        Value e = n.add(OpKind.SNN_ENCODE, attrs().putSymbol("mode", "direct").putInt("input_scale", 255), x);
        Value h = n.add(OpKind.SNN_DENSE, attrs().putInt("units", 8).putBlob("weight", "w1").putBlob("bias", "b1")
                .putFloat("weight_scale", 0.01), e);
        Value s = n.add(OpKind.SNN_IF, attrs().putInt("threshold", 100).putInt("v0", 50).putInt("v_bits", 16), h);
        n.add(OpKind.HW_CORE_SLICE, attrs().putInt("id", 0).putInts("core", 0, 0, 0).putInts("neurons", 0, 4), s);
        n.add(OpKind.HW_CORE_SLICE, attrs().putInt("id", 1).putInts("core", 0, 0, 1).putInts("neurons", 4, 8), s);
        Value p = n.add(OpKind.SNN_DENSE, attrs().putInt("units", 4).putBlob("weight", "w2"), s);
        Value l = n.add(OpKind.SNN_LIF, attrs().putInt("threshold", 10).putInt("leak_shift", 4), p);
        n.add(OpKind.HW_CORE_SLICE, attrs().putInt("id", 2).putInts("core", 0, 1, 0).putInts("neurons", 0, 4)
                .putSymbol("wake", "on_spike").putInts("wake_sources", 0, 1).putInt("idle_timeout", 100), l);
        n.add(OpKind.HW_ROUTE, attrs().putInt("src", 0).putInts("dst", 2).putInt("hops", 1), s);
        n.add(OpKind.HW_ROUTE, attrs().putInt("src", 1).putInts("dst", 2).putInt("hops", 1), s);
        Value d = n.add(OpKind.SNN_DECODE, attrs().putSymbol("mode", "count"), l);
        n.output("y", d);
        return n.module();
    }
}

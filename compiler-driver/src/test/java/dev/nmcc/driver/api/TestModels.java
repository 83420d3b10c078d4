package dev.nmcc.driver.api;

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

/** Small modules built in Java, for tests that must not depend on the parser or the DSL. */
final class TestModels {
    private TestModels() {}

    static Attributes named(String name) { return Attributes.builder().putString("name", name).build(); }

    static Blob zeros(String name, int... dims) {
        TensorType t = TensorType.f32(dims);
        return Blob.ofFloats(name, t, new float[t.shape().elementCount()]);
    }

    /** input x: 1x8x8 -> conv 4@3x3 pad 1 (c) -> relu -> avgpool 2 -> flatten -> dense 10 -> output y. */
    static Module tinyCnn(Stage stage) {
        BlobTable blobs = BlobTable.builder()
                .add(zeros("w1", 4, 1, 3, 3)).add(zeros("b1", 4)).add(zeros("w2", 10, 64)).add(zeros("b2", 10)).build();
        GraphBuilder b = new GraphBuilder(blobs);
        Location loc = Location.file("tiny.nmd", 3, 5);
        Value x = b.input(OpKind.ANN_INPUT, TensorType.f32(1, 8, 8), named("x"), loc);
        Value c = b.add(OpKind.ANN_CONV2D, List.of(x), Attributes.builder().putInt("out_channels", 4).putInts("kernel", 3, 3)
                .putInts("pad", 1, 1, 1, 1).putBlob("weight", "w1").putBlob("bias", "b1").build(), loc);
        b.setName(c, "c");
        Value r = b.add(OpKind.ANN_RELU, List.of(c), Attributes.EMPTY, loc);
        Value p = b.add(OpKind.ANN_AVGPOOL, List.of(r), Attributes.builder().putInts("kernel", 2, 2).build(), loc);
        Value f = b.add(OpKind.ANN_FLATTEN, List.of(p), Attributes.EMPTY, loc);
        Value y = b.add(OpKind.ANN_DENSE, List.of(f), Attributes.builder().putInt("units", 10)
                .putBlob("weight", "w2").putBlob("bias", "b2").build(), loc);
        b.add(OpKind.ANN_OUTPUT, List.of(y), named("y"), loc);
        return new Module("tiny_cnn", stage, blobs, b.build());
    }
}

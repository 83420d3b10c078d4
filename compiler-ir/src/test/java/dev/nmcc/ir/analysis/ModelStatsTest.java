package dev.nmcc.ir.analysis;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.Test;

class ModelStatsTest {
    private static Blob zeros(String name, int... dims) {
        TensorType t = TensorType.f32(dims);
        return Blob.ofFloats(name, t, new float[t.shape().elementCount()]);
    }

    private static Attributes named(String name) { return Attributes.builder().putString("name", name).build(); }

    /** input 1x8x8 -> conv 4@3x3 pad 1 -> relu -> avgpool 2 -> flatten -> dense 10 -> output. */
    static Module tinyCnn() {
        BlobTable blobs = BlobTable.builder()
                .add(zeros("w1", 4, 1, 3, 3)).add(zeros("b1", 4)).add(zeros("w2", 10, 64)).add(zeros("b2", 10)).build();
        GraphBuilder b = new GraphBuilder(blobs);
        Value x = b.input(OpKind.ANN_INPUT, TensorType.f32(1, 8, 8), named("x"), Location.UNKNOWN);
        Value c = b.add(OpKind.ANN_CONV2D, List.of(x), Attributes.builder().putInt("out_channels", 4).putInts("kernel", 3, 3)
                .putInts("pad", 1, 1, 1, 1).putBlob("weight", "w1").putBlob("bias", "b1").build(), Location.UNKNOWN);
        Value r = b.add(OpKind.ANN_RELU, List.of(c), Attributes.EMPTY, Location.UNKNOWN);
        b.setName(r, "c"); // c = relu(conv2d(x)): the conv2d is the layer named c
        Value p = b.add(OpKind.ANN_AVGPOOL, List.of(r), Attributes.builder().putInts("kernel", 2, 2).build(), Location.UNKNOWN);
        Value f = b.add(OpKind.ANN_FLATTEN, List.of(p), Attributes.EMPTY, Location.UNKNOWN);
        Value y = b.add(OpKind.ANN_DENSE, List.of(f), Attributes.builder().putInt("units", 10)
                .putBlob("weight", "w2").putBlob("bias", "b2").build(), Location.UNKNOWN);
        b.add(OpKind.ANN_OUTPUT, List.of(y), named("y"), Location.UNKNOWN);
        return new Module("tiny", Stage.ANN, blobs, b.build());
    }

    @Test
    void countsTheTinyCnnByHand() {
        ModelStats s = ModelStats.of(tinyCnn());
        // conv: 4x8x8 = 256 neurons, 256 * 1*3*3 = 2304 synapses, 36 + 4 parameters
        // avgpool: 4x4x4 = 64 neurons, 64 * 2*2 = 256 synapses
        // dense: 10 neurons, 64 * 10 = 640 synapses, 640 + 10 parameters
        assertThat(s.layers()).extracting(LayerStats::kind)
                .containsExactly(OpKind.ANN_CONV2D, OpKind.ANN_AVGPOOL, OpKind.ANN_DENSE);
        assertThat(s.layers()).extracting(LayerStats::neurons).containsExactly(256L, 64L, 10L);
        assertThat(s.layers()).extracting(LayerStats::synapses).containsExactly(2304L, 256L, 640L);
        assertThat(s.layers()).extracting(LayerStats::parameters).containsExactly(40L, 0L, 650L);
        assertThat(s.layers()).extracting(LayerStats::name).containsExactly("c", null, null);
        assertThat(s.layerCount()).isEqualTo(3);
        assertThat(s.neurons()).isEqualTo(330);
        assertThat(s.synapses()).isEqualTo(3200);
        assertThat(s.parameters()).isEqualTo(690);
    }

    @Test
    void sharedBlobIsCountedOnceInTheTotal() {
        BlobTable blobs = BlobTable.builder().add(zeros("w", 4, 4)).build();
        GraphBuilder b = new GraphBuilder(blobs);
        Value x = b.input(OpKind.ANN_INPUT, TensorType.f32(4), named("x"), Location.UNKNOWN);
        Attributes dense = Attributes.builder().putInt("units", 4).putBlob("weight", "w").build();
        Value h = b.add(OpKind.ANN_DENSE, List.of(x), dense, Location.UNKNOWN);
        Value y = b.add(OpKind.ANN_DENSE, List.of(h), dense, Location.UNKNOWN);
        b.add(OpKind.ANN_OUTPUT, List.of(y), named("y"), Location.UNKNOWN);
        ModelStats s = ModelStats.of(new Module("shared", Stage.ANN, blobs, b.build()));
        assertThat(s.layers()).extracting(LayerStats::parameters).containsExactly(16L, 16L);
        assertThat(s.parameters()).isEqualTo(16);
        assertThat(s.synapses()).isEqualTo(32);
    }

    @Test
    void globalAveragePoolingConnectsEveryInputOfItsChannel() {
        GraphBuilder b = new GraphBuilder(BlobTable.EMPTY);
        Value x = b.input(OpKind.ANN_INPUT, TensorType.f32(3, 5, 5), named("x"), Location.UNKNOWN);
        Value g = b.add(OpKind.ANN_GLOBAL_AVGPOOL, List.of(x), Attributes.EMPTY, Location.UNKNOWN);
        b.add(OpKind.ANN_OUTPUT, List.of(g), named("g"), Location.UNKNOWN);
        ModelStats s = ModelStats.of(new Module("gap", Stage.ANN, BlobTable.EMPTY, b.build()));
        assertThat(s.neurons()).isEqualTo(3);
        assertThat(s.synapses()).isEqualTo(75);
        assertThat(s.parameters()).isZero();
    }

    @Test
    void spikingNeuronsAreThePopulations() {
        BlobTable blobs = BlobTable.builder().add(zeros("w", 10, 784)).build();
        GraphBuilder b = new GraphBuilder(blobs);
        Value x = b.input(OpKind.SNN_INPUT, TensorType.f32(784), named("x"), Location.UNKNOWN);
        Value e = b.add(OpKind.SNN_ENCODE, List.of(x), Attributes.builder().putSymbol("mode", "rate").build(), Location.UNKNOWN);
        Value d = b.add(OpKind.SNN_DENSE, List.of(e), Attributes.builder().putInt("units", 10).putBlob("weight", "w").build(),
                Location.UNKNOWN);
        Value n = b.add(OpKind.SNN_IF, List.of(d), Attributes.builder().putFloat("threshold", 1.0).build(), Location.UNKNOWN);
        Value o = b.add(OpKind.SNN_DECODE, List.of(n), Attributes.builder().putSymbol("mode", "count").build(), Location.UNKNOWN);
        b.add(OpKind.SNN_OUTPUT, List.of(o), named("y"), Location.UNKNOWN);
        ModelStats s = ModelStats.of(new Module("snn", Stage.SNN, blobs, b.build()));
        assertThat(s.layerCount()).isEqualTo(1);
        assertThat(s.neurons()).isEqualTo(10);
        assertThat(s.synapses()).isEqualTo(7840);
        assertThat(s.parameters()).isEqualTo(7840);
    }
}

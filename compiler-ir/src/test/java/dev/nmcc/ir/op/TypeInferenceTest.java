package dev.nmcc.ir.op;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nmcc.ir.attr.Attributes;
import dev.nmcc.ir.blob.Blob;
import dev.nmcc.ir.blob.BlobTable;
import dev.nmcc.ir.type.SpikeType;
import dev.nmcc.ir.type.TensorType;
import java.util.List;
import org.junit.jupiter.api.Test;

class TypeInferenceTest {
    private static Blob zeros(String name, int... dims) {
        TensorType t = TensorType.f32(dims);
        return Blob.ofFloats(name, t, new float[t.shape().elementCount()]);
    }

    private final BlobTable blobs = BlobTable.builder()
            .add(zeros("w", 16, 1, 3, 3)).add(zeros("b", 16)).add(zeros("fc", 10, 784)).build();

    @Test
    void paddedConvolutionKeepsSpatialSize() {
        var attrs = Attributes.builder().putInt("out_channels", 16).putInts("kernel", 3, 3)
                .putInts("pad", 1, 1, 1, 1).putBlob("weight", "w").putBlob("bias", "b").build();
        var r = TypeInference.infer(OpKind.ANN_CONV2D, List.of(TensorType.f32(1, 28, 28)), attrs, blobs);
        assertThat(r.error()).isNull();
        assertThat(r.type()).isEqualTo(TensorType.f32(16, 28, 28));
    }

    @Test
    void strideTwoPoolingHalvesAndFloors() {
        var attrs = Attributes.builder().putInts("kernel", 2, 2).build();
        var r = TypeInference.infer(OpKind.ANN_AVGPOOL, List.of(TensorType.f32(16, 7, 7)), attrs, blobs);
        assertThat(r.type()).isEqualTo(TensorType.f32(16, 3, 3));
    }

    @Test // huge padding: the output extent does not wrap around to a small (or negative) int
    void paddingThatOverflowsTheOutputIsRefused() {
        var attrs = Attributes.builder().putInts("kernel", 2, 2).putInts("pad", Integer.MAX_VALUE, 0, Integer.MAX_VALUE, 0).build();
        var r = TypeInference.infer(OpKind.ANN_AVGPOOL, List.of(TensorType.f32(1, 4, 4)), attrs, blobs);
        assertThat(r.type()).isNull();
        assertThat(r.error()).isEqualTo("padding 2147483647+2147483647 makes the output of a window of 2 over an input of 4 too large");
    }

    @Test
    void denseRejectsWeightOfWrongShapeNamingBoth() {
        var attrs = Attributes.builder().putInt("units", 10).putBlob("weight", "fc").build();
        var r = TypeInference.infer(OpKind.ANN_DENSE, List.of(TensorType.f32(100)), attrs, blobs);
        assertThat(r.error()).isEqualTo("weight @fc has shape [10, 784], expected [10, 100]");
    }

    @Test
    void rateEncodingTurnsTensorsIntoSpikes() {
        var attrs = Attributes.builder().putSymbol("mode", "rate").build();
        var r = TypeInference.infer(OpKind.SNN_ENCODE, List.of(TensorType.f32(784)), attrs, blobs);
        assertThat(r.type()).isEqualTo(SpikeType.of(784));
    }
}

package dev.nmcc.frontend.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.nmcc.ir.diag.CompilationException;
import dev.nmcc.ir.diag.Diagnostic;
import dev.nmcc.ir.diag.DiagnosticSink;
import dev.nmcc.ir.diag.Severity;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.graph.Op;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.ir.type.TensorType;
import dev.nmcc.ir.verify.Verifier;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Imports the hand-built models of src/test/resources/onnx (made by make_onnx_cases.py). */
class OnnxFrontendTest {
    private static Path model(String name) {
        try {
            return Path.of(OnnxFrontendTest.class.getResource("/onnx/" + name + ".onnx").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<OpKind> kinds(Module m) {
        return m.graph().ops().stream().map(Op::kind).toList();
    }

    private static List<String> errors(String name) {
        var e = catchThrowableOfType(CompilationException.class, () -> OnnxFrontend.compile(model(name), new DiagnosticSink()));
        assertThat(e).as("importing %s must fail", name).isNotNull();
        return e.diagnostics().stream().filter(d -> d.severity() == Severity.ERROR).map(Diagnostic::message).toList();
    }

    @Test
    void gemmAndMatMulPlusAddBecomeDenseLayersWithTransposedWeights() {
        Module m = OnnxFrontend.compile(model("mlp_gemm_matmul"), new DiagnosticSink());
        assertThat(Verifier.verify(m)).isEmpty();
        assertThat(kinds(m)).containsExactly(OpKind.ANN_INPUT, OpKind.ANN_DENSE, OpKind.ANN_RELU, OpKind.ANN_DENSE, OpKind.ANN_OUTPUT);
        Op fc1 = m.graph().ops().get(1);
        assertThat(fc1.attributes().getBlob("weight")).isEqualTo("fc1.weight");
        assertThat(m.graph().type(fc1.result())).isEqualTo(TensorType.f32(5));
        Op fc2 = m.graph().ops().get(3);
        float[] w = m.blobs().get(fc2.attributes().getBlob("weight")).floats();
        assertThat(m.blobs().get(fc2.attributes().getBlob("weight")).type()).isEqualTo(TensorType.f32(3, 5));
        assertThat(fc2.attributes().getBlob("bias")).isNotNull();
        assertThat(fc2.location().describe()).isEqualTo("/fc2/MatMul");
        // MatMul's B is [in=5, out=3]; the dense weight is its transpose: w[u][k] = B[k][u].
        assertThat(w).hasSize(15);
    }

    @Test
    void shapeChainIsFoldedPadGoesIntoThePoolAndOutputSoftmaxIsDroppedWithANote() {
        DiagnosticSink sink = new DiagnosticSink();
        Module m = OnnxFrontend.compile(model("cnn_shape_chain"), sink);
        assertThat(Verifier.verify(m)).isEmpty();
        assertThat(kinds(m)).containsExactly(OpKind.ANN_INPUT, OpKind.ANN_CONV2D, OpKind.ANN_BATCHNORM, OpKind.ANN_RELU,
                OpKind.ANN_AVGPOOL, OpKind.ANN_RESHAPE, OpKind.ANN_DENSE, OpKind.ANN_OUTPUT);
        Op pool = m.graph().ops().get(4);
        assertThat(pool.attributes().getInts("pad", null)).containsExactly(1, 1, 1, 1);
        assertThat(pool.attributes().getBool("count_include_pad", false)).isTrue();
        assertThat(m.graph().type(pool.result())).isEqualTo(TensorType.f32(4, 4, 4));
        assertThat(m.graph().type(m.graph().ops().get(5).result())).isEqualTo(TensorType.f32(64));
        assertThat(m.graph().ops().get(7).attributes().getString("name", "")).isEqualTo("probs");
        assertThat(sink.diagnostics()).extracting(Diagnostic::message)
                .anySatisfy(msg -> assertThat(msg).startsWith("node '/Softmax' (Softmax): Softmax at the output dropped"));
    }

    @Test
    void clipZeroSixIsReluWithAWarningAboutTheBound() { // a warning: run-float no longer computes the exported model
        DiagnosticSink sink = new DiagnosticSink();
        Module m = OnnxFrontend.compile(model("clip6"), sink);
        assertThat(kinds(m)).containsExactly(OpKind.ANN_INPUT, OpKind.ANN_RELU, OpKind.ANN_OUTPUT);
        assertThat(sink.diagnostics()).singleElement().satisfies(d -> {
            assertThat(d.severity()).isEqualTo(dev.nmcc.ir.diag.Severity.WARNING);
            assertThat(d.message()).contains("Clip(0, 6.0) (ReLU6, Hardtanh(0, 6.0)) imported as ReLU")
                    .contains("run-float and the converted network differ from the exported model");
        });
    }

    @Test
    void float64AndFloat16InitializersAreConvertedWithANoteAtOpset18() {
        DiagnosticSink sink = new DiagnosticSink();
        Module m = OnnxFrontend.compile(model("float64_weights_opset18"), sink);
        assertThat(m.blobs().get("w").type()).isEqualTo(TensorType.f32(2, 4));
        assertThat(m.blobs().get("b").type()).isEqualTo(TensorType.f32(2));
        assertThat(sink.diagnostics()).extracting(Diagnostic::message).containsExactly(
                "initializer 'w': float64 initializer converted to float32",
                "initializer 'b': float16 initializer converted to float32");
    }

    @Test
    void oldOpsetIsRefusedWithTheSupportedRange() {
        assertThat(errors("opset9")).singleElement().asString()
                .startsWith("opset 9 is not supported (nmcc reads opsets 11 to 18)");
    }

    @Test
    void everyUnsupportedOperatorIsListedAtOnceWithItsReason() {
        var e = catchThrowableOfType(CompilationException.class,
                () -> OnnxFrontend.compile(model("unsupported_ops"), new DiagnosticSink()));
        Diagnostic d = e.diagnostics().getFirst();
        assertThat(e.diagnostics()).hasSize(1);
        assertThat(d.message()).isEqualTo("3 unsupported operators (every one is listed below)");
        assertThat(d.notes()).extracting(Diagnostic::message).containsExactly(
                "node '/act1/Sigmoid' (Sigmoid): activations other than ReLU have no integrate-and-fire equivalent",
                "node '/act2/Tanh' (Tanh): activations other than ReLU have no integrate-and-fire equivalent",
                "node '/Erf' (Erf): operator not supported by nmcc");
    }

    @Test
    void dynamicNonBatchDimensionNamesTheInput() {
        assertThat(errors("dynamic_height")).singleElement().asString().isEqualTo(
                "input 'x' has a dynamic dimension 2 ('height'); only the batch dimension (0) may be dynamic: export with a fixed input size");
    }

    @Test
    void initializerWhoseDataDisagreesWithItsDimsIsNamed() {
        assertThat(errors("bad_initializer")).singleElement().asString()
                .isEqualTo("initializer 'w' holds 28 bytes of data but its dims need 32");
    }

    @Test
    void missingExternalDataFileIsNamed() {
        assertThat(errors("external_missing")).singleElement().asString()
                .isEqualTo("initializer 'w' external data file 'weights.bin' not found next to the model");
    }

    @Test
    void nonOnnxAndTruncatedFilesGiveOneClearError() {
        assertThat(errors("not_onnx")).singleElement().asString().startsWith("not a valid ONNX file");
        assertThat(errors("truncated")).singleElement().asString().isEqualTo("not a valid ONNX file (the file is truncated)");
    }
}

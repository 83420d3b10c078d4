package dev.nmcc.ir.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nmcc.ir.blob.Blob;
import dev.nmcc.ir.blob.BlobTable;
import dev.nmcc.ir.diag.CompilationException;
import dev.nmcc.ir.diag.Diagnostic;
import dev.nmcc.ir.graph.Graph;
import dev.nmcc.ir.graph.GraphBuilder;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.graph.Op;
import dev.nmcc.ir.graph.Value;
import dev.nmcc.ir.attr.Attributes;
import dev.nmcc.ir.loc.Location;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.ir.op.Stage;
import dev.nmcc.ir.type.ElementType;
import dev.nmcc.ir.type.TensorType;
import java.io.IOException;
import java.io.StringWriter;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class IrRoundTripTest {
    static Stream<Module> modules() { return Stream.of(Examples.ann(), Examples.snn(), Examples.hw()); }

    /** Parses text that is expected to be valid, failing with its diagnostics otherwise. */
    static Module parseOk(String text) {
        try {
            return IrParser.parse(text, "t.nmir");
        } catch (CompilationException e) {
            throw new AssertionError("unexpected parse errors:\n"
                    + String.join("\n", e.diagnostics().stream().map(Diagnostic::toString).toList()) + "\nin:\n" + text);
        }
    }

    @ParameterizedTest
    @MethodSource("modules")
    void printParsePrintIsByteIdentical(Module m) {
        // Checks: print -> parse -> print gives the same bytes, for each stage.
        String first = IrPrinter.print(m);
        String second = IrPrinter.print(parseOk(first));
        assertThat(second).isEqualTo(first);
    }

    @ParameterizedTest
    @MethodSource("modules")
    void parsedModuleEqualsTheOriginal(Module m) {
        // Checks: the parsed module has the same name, stage, blobs (by hash), ops, types and locations.
        Module back = parseOk(IrPrinter.print(m));
        assertThat(back.name()).isEqualTo(m.name());
        assertThat(back.stage()).isEqualTo(m.stage());
        assertThat(List.copyOf(back.blobs().all())).isEqualTo(List.copyOf(m.blobs().all()));
        for (Blob b : m.blobs().all()) {
            Blob c = back.blobs().get(b.name());
            for (int i = 0; i < b.size(); i++) {
                if (b.isFloat()) {
                    assertThat(Float.floatToRawIntBits(c.floats()[i])).isEqualTo(Float.floatToRawIntBits(b.floats()[i]));
                } else {
                    assertThat(c.ints()[i]).isEqualTo(b.ints()[i]);
                }
            }
        }
        Graph g = m.graph();
        Graph h = back.graph();
        assertThat(h.ops()).isEqualTo(g.ops());
        assertThat(h.ops().stream().map(Op::location).toList()).isEqualTo(g.ops().stream().map(Op::location).toList());
        assertThat(h.valueCount()).isEqualTo(g.valueCount());
        for (int i = 0; i < g.valueCount(); i++) assertThat(h.type(new Value(i))).isEqualTo(g.type(new Value(i)));
    }

    @Test
    void examplesCoverEveryOpKindStageAndElementType() {
        // Checks: the round-trip fixtures exercise every op kind, every stage and every blob element type.
        Set<OpKind> kinds = EnumSet.noneOf(OpKind.class);
        Set<Stage> stages = EnumSet.noneOf(Stage.class);
        Set<ElementType> types = EnumSet.noneOf(ElementType.class);
        modules().forEach(m -> {
            stages.add(m.stage());
            m.graph().ops().forEach(op -> kinds.add(op.kind()));
            m.blobs().all().forEach(b -> types.add(b.type().elementType()));
        });
        assertThat(kinds).containsExactlyInAnyOrder(OpKind.values());
        assertThat(stages).containsExactlyInAnyOrder(Stage.values());
        assertThat(types).containsExactlyInAnyOrder(ElementType.values());
    }

    @Test
    void namesAreBareQuotedOrNumberedAsDocumented() {
        // Checks: identifier names print bare, others quoted (blobs, module) or numbered (values), duplicates numbered.
        String text = IrPrinter.print(Examples.ann(), IrPrinter.Options.ELIDED);
        assertThat(text).startsWith("module @fmnist_cnn stage ann {\n");
        assertThat(text).contains("  blob @\"net.0/weight\" : tensor<10x3136xf32> #");
        assertThat(text).contains("  blob @\"9lives\" : tensor<4x14x14xf32> #");
        assertThat(text).contains("%image = ann.input {name = \"image \\\"28x28\\\"\\n\", range = [0.0, 1.0]}"
                + " : tensor<1x28x28xf32> loc(\"fmnist_cnn.nmd\":5:3)\n");
        assertThat(text).contains("  %2 = ann.batchnorm(%1) {");
        assertThat(text).contains("  %c1 = ann.relu(%2) : tensor<16x28x28xf32> loc(\"fmnist_cnn.nmd\":7:8)\n");
        assertThat(text).contains("  %4 = ann.maxpool(%c1) {kernel = [2, 2]} : tensor<16x14x14xf32>");
        assertThat(text).contains("  %res.sum$1 = ann.add(%3, %4) : tensor<16x14x14xf32> loc(unknown)\n");
        assertThat(text).contains("loc(\"Conv_0 \\\"quoted\\\" \\\\ ü\")");
        assertThat(text).contains("  ann.output(%logits) {name = \"logits\"} loc(\"fmnist_cnn.nmd\":17:3)\n");
        assertThat(IrPrinter.print(Examples.snn())).startsWith("module @\"quantized mlp/v2\" stage snn {\n");
    }

    @Test
    void smallBlobsPrintInlineAndLargeOnesInResources() {
        // Checks: <= 16 elements print inline with shortest-exact floats; larger blobs and NaN payloads go to resources.
        String text = IrPrinter.print(Examples.ann());
        assertThat(text).containsPattern("blob @special : tensor<14xf32> #[0-9a-f]{16} = \\[nan, -0\\.0, 0\\.0, inf, -inf, "
                + "1\\.4e-45, 3\\.4028235e\\+38, 1\\.0e-05, 0\\.1, -0\\.25, 1\\.0, 123456\\.79, 1\\.0e\\+07, -3\\.0e-38]\n");
        assertThat(text).containsPattern("blob @nan_payload : tensor<2xf32> #[0-9a-f]{16}\n");
        assertThat(text).contains("\nresources {\n  @conv1.weight = base64 \"\n    ");
        assertThat(text).contains("  @nan_payload = base64 \"\n    AQDAfwAAgD8=\"\n");
        String snn = IrPrinter.print(Examples.snn());
        assertThat(snn).containsPattern("blob @bin.small : tensor<8xi1> #[0-9a-f]{16} = \\[(-?1, ){7}-?1]\n");
        assertThat(snn).contains("  @bin.large = base64 \"");
    }

    @Test
    void elidedTextHasNoResourcesAndParsingItNamesEachBlobWithoutData() {
        // Checks: ELIDED drops the resources section; parsing it reports one located error per blob lacking data.
        String text = IrPrinter.print(Examples.hw(), IrPrinter.Options.ELIDED);
        assertThat(text).doesNotContain("resources");
        assertThatThrownBy(() -> IrParser.parse(text, "h.nmir"))
                .isInstanceOfSatisfying(CompilationException.class, e -> assertThat(
                        e.diagnostics().stream().map(Diagnostic::toString).toList()).containsExactly(
                        "h.nmir:2:8: error: blob @fc1.weight has no data (the text was printed with blob data elided)",
                        "h.nmir:3:8: error: blob @fc1.bias has no data (the text was printed with blob data elided)",
                        "h.nmir:4:8: error: blob @fc2.weight has no data (the text was printed with blob data elided)"));
    }

    @Test
    void noLineExceeds120CharactersAndTheLargeDenseWeightRoundTrips() throws IOException {
        // Checks: a 4040x512 dense weight (2M floats) prints with wrapped lines <= 120 chars and parses back exactly.
        Blob w = Examples.floats("fc.weight", 42, 4040, 512);
        BlobTable blobs = BlobTable.builder().add(w).build();
        GraphBuilder b = new GraphBuilder(blobs);
        Value x = b.input(OpKind.ANN_INPUT, TensorType.f32(512), Attributes.builder().putString("name", "x").build(),
                Location.UNKNOWN);
        b.add(OpKind.ANN_DENSE, List.of(x), Attributes.builder().putInt("units", 4040).putBlob("weight", "fc.weight").build(),
                Location.UNKNOWN);
        Module m = new Module("big", Stage.ANN, blobs, b.build());
        StringWriter out = new StringWriter();
        IrPrinter.print(m, IrPrinter.Options.DEFAULT, out);
        String text = out.toString();
        assertThat(text.lines().mapToInt(String::length).max().orElse(0)).isLessThanOrEqualTo(120);
        Module back = parseOk(text);
        assertThat(back.blobs().get("fc.weight").floats()).isEqualTo(w.floats());
        assertThat(back.blobs().get("fc.weight").hash()).isEqualTo(w.hash());
    }

    @Test
    void commentsAndBlankLinesAreIgnored() {
        // Checks: '//' comments (whole-line and trailing) and blank lines do not change the parsed module.
        String text = """
                // a module
                module @m stage ann { // trailing

                  // the input
                  %x = ann.input {name = "x"} : tensor<4xf32> loc(unknown) // here
                  ann.output(%x) {name = "y // not a comment"} // gone
                }
                """;
        assertThat(IrPrinter.print(parseOk(text))).isEqualTo("""
                module @m stage ann {
                  %x = ann.input {name = "x"} : tensor<4xf32> loc(unknown)
                  ann.output(%x) {name = "y // not a comment"} loc(unknown)
                }
                """);
    }

    @Test
    void awkwardNamesAndStringsRoundTrip() {
        // Checks: empty and dotted names, escapes and control characters in strings survive print -> parse -> print.
        BlobTable blobs = BlobTable.builder()
                .add(Blob.ofFloats("w.", TensorType.f32(1), new float[] {1.0f}))
                .add(Blob.ofFloats("tab\there \"q\" \\", TensorType.f32(1), new float[] {2.0f}))
                .build();
        GraphBuilder b = new GraphBuilder(blobs);
        Value x = b.input(OpKind.ANN_INPUT, TensorType.f32(1), Attributes.builder()
                .putString("name", "ctl\u0001\r\u00e9\u4e2d").build(), Location.file("dir/a b.nmd", 1, 1));
        b.setName(x, "x.");
        Value c = b.addTyped(OpKind.ANN_CONST, List.of(), Attributes.builder().putBlob("value", "w.").build(),
                List.of(TensorType.f32(1)), Location.named("")).getFirst();
        b.setName(c, "x");
        Module m = new Module("", Stage.ANN, blobs, b.build());
        String text = IrPrinter.print(m);
        assertThat(text).startsWith("module @\"\" stage ann {\n  blob @\"w.\" : tensor<1xf32> #");
        assertThat(text).contains("%0 = ann.input {name = \"ctl\\u0001\\u000d\u00e9\u4e2d\"}");
        assertThat(text).contains("%x = ann.const {value = @\"w.\"} : tensor<1xf32> loc(\"\")");
        assertThat(IrPrinter.print(parseOk(text))).isEqualTo(text);
    }

    @Test
    void deeplyNestedArraysAreRefusedWithADiagnostic() {
        // Checks: absurd nesting gives a located error instead of a stack overflow.
        String deep = "[".repeat(100_000);
        assertThatThrownBy(() -> IrParser.parse("module @m stage ann {\n  ann.output {name = " + deep + "\n}\n", "d.nmir"))
                .isInstanceOfSatisfying(CompilationException.class, e -> assertThat(e.diagnostics().getFirst().toString())
                        .isEqualTo("d.nmir:2:86: error: attribute arrays nest deeper than 64 levels"));
    }
}

package dev.nmcc.ir.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.nmcc.ir.diag.CompilationException;
import dev.nmcc.ir.diag.Diagnostic;
import dev.nmcc.ir.loc.Location;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parser diagnostics: exact messages, each at the line:col of the offending token. */
class IrParserErrorTest {
    private static final String HEAD = "module @m stage ann {\n";

    /** The diagnostics of parsing text, as "line:col: message", notes indented below their error. */
    private static List<String> errors(String text) {
        try {
            IrParser.parse(text, "e.nmir");
        } catch (CompilationException e) {
            List<String> out = new ArrayList<>();
            for (Diagnostic d : e.diagnostics()) {
                out.add(render(d));
                for (Diagnostic n : d.notes()) out.add("  " + render(n));
            }
            return out;
        }
        return fail("expected parse errors in:\n" + text);
    }

    private static String render(Diagnostic d) {
        var l = (Location.FileLineCol) d.location();
        assertThat(l.file()).isEqualTo("e.nmir");
        return l.line() + ":" + l.column() + ": " + d.message();
    }

    @Test
    void missingResultTypeIsASyntaxErrorAtTheNextToken() {
        // Checks: an op with a result but no ': type' is reported at the token where the type should start.
        assertThat(errors(HEAD + "  %x = ann.input {name = \"x\"} loc(unknown)\n}\n"))
                .containsExactly("2:31: expected ':' and the result type, got 'loc'");
    }

    @Test
    void unknownOpMnemonic() {
        // Checks: an op name not in OpKind is reported at the mnemonic, and its result does not cascade.
        assertThat(errors(HEAD + "  %x = ann.foo : tensor<4xf32>\n  ann.output(%x) {name = \"x\"}\n}\n"))
                .containsExactly("2:8: unknown op 'ann.foo'");
    }

    @Test
    void unknownStage() {
        // Checks: a stage other than ann/snn/hw is reported at the stage name.
        assertThat(errors("module @m stage cnn {\n}\n"))
                .containsExactly("1:17: unknown stage 'cnn' (expected ann, snn or hw)");
    }

    @Test
    void useOfUndefinedValue() {
        // Checks: an operand that no op defines is reported at the operand.
        assertThat(errors(HEAD + "  ann.output(%ghost) {name = \"y\"}\n}\n"))
                .containsExactly("2:14: use of undefined value %ghost");
    }

    @Test
    void useBeforeDefinitionPointsAtTheLaterDefinition() {
        // Checks: a use ahead of its definition (not SSA order) says so, with a note at the definition.
        assertThat(errors(HEAD + "  ann.output(%x) {name = \"y\"}\n  %x = ann.input {name = \"x\"} : tensor<4xf32>\n}\n"))
                .containsExactly("2:14: value %x is used before it is defined", "  3:3: defined here");
    }

    @Test
    void valueDefinedTwice() {
        // Checks: a second definition of a name is reported there, with a note at the first.
        assertThat(errors(HEAD + "  %0 = ann.input {name = \"a\"} : tensor<4xf32>\n"
                + "  %0 = ann.input {name = \"b\"} : tensor<4xf32>\n}\n"))
                .containsExactly("3:3: value %0 is defined twice", "  2:3: first defined here");
    }

    @Test
    void duplicateBlob() {
        // Checks: a blob name declared twice is reported at the second declaration, with a note at the first.
        assertThat(errors(HEAD + "  blob @w : tensor<1xf32> = [1.0]\n  blob @w : tensor<1xf32> = [2.0]\n}\n"))
                .containsExactly("3:8: blob @w is declared twice", "  2:8: first declared here");
    }

    @Test
    void hashMismatch() {
        // Checks: a declared #hash that differs from the data's hash is reported at the hash, naming both.
        String good = IrPrinter.print(IrParser.parse(HEAD + "  blob @w : tensor<2xf32> = [1.0, 2.0]\n}\n", "g"));
        String hash = good.substring(good.indexOf('#') + 1, good.indexOf('#') + 17);
        assertThat(errors(HEAD + "  blob @w : tensor<2xf32> #" + hash + " = [1.0, 2.5]\n}\n")).singleElement()
                .asString().startsWith("2:27: blob @w: declared hash #" + hash + " does not match its data (#");
    }

    @Test
    void wrongInlineValueCount() {
        // Checks: inline data with the wrong number of values is reported at '[' with both counts.
        assertThat(errors(HEAD + "  blob @w : tensor<2x2xf32> = [1.0, 2.0, 3.0]\n}\n"))
                .containsExactly("2:31: blob @w: expected 4 values for tensor<2x2xf32>, got 3");
    }

    @Test
    void wrongResourceByteCount() {
        // Checks: base64 data of the wrong length is reported at the start of the data with byte counts.
        assertThat(errors(HEAD + "  blob @w : tensor<2xf32>\n}\nresources {\n  @w = base64 \"AACAPw==\"\n}\n"))
                .containsExactly("5:16: blob @w: expected 8 bytes of data for tensor<2xf32>, got 4");
    }

    @Test
    void integersOutOfRangeForTheElementType() {
        // Checks: inline integers outside the element type's range (and 0 for i1, and floats for ints) are reported at the value.
        assertThat(errors(HEAD + "  blob @a : tensor<2xi4> = [7, 8]\n  blob @b : tensor<2xi1> = [1, 0]\n"
                + "  blob @c : tensor<1xi8> = [1.5]\n  blob @d : tensor<1xi32> = [2147483648]\n}\n"))
                .containsExactly("2:32: blob @a: value 8 is out of range for i4 (-8..7)",
                        "3:32: blob @b: value 0 is out of range for i1 (-1 or 1)",
                        "4:29: blob @c: expected an integer for i8, got 1.5",
                        "5:30: blob @d: value 2147483648 is out of range for i32 (-2147483648..2147483647)");
    }

    @Test
    void resourceBytesOutOfRange() {
        // Checks: a byte of base64 data outside an i2 blob's range is reported with its element index.
        assertThat(errors(HEAD + "  blob @w : tensor<2xi2>\n}\nresources {\n  @w = base64 \"AQU=\"\n}\n"))
                .containsExactly("5:16: blob @w: element 1 has value 5, out of range for i2 (-2..1)");
    }

    @Test
    void malformedBase64() {
        // Checks: a bad character (at its own line:col inside wrapped data), a bad length and data after padding.
        String head = HEAD + "  blob @a : tensor<4xf32>\n  blob @b : tensor<1xf32>\n  blob @c : tensor<1xf32>\n}\n";
        assertThat(errors(head + "resources {\n  @a = base64 \"\n    AAAAAAAAAAAA\n    AAAA*AAAAAA\"\n"
                + "  @b = base64 \"AAA\"\n  @c = base64 \"AA==AA==\"\n}\n"))
                .containsExactly("9:9: blob @a: malformed base64 data: unexpected character '*'",
                        "10:16: blob @b: malformed base64 data: 3 characters is not a multiple of 4",
                        "11:20: blob @c: malformed base64 data: data after '=' padding");
    }

    @Test
    void resultCountMustMatchTheOpKind() {
        // Checks: naming a result of an op without results, or none for an op with one, is reported at the mnemonic.
        assertThat(errors(HEAD + "  %x = ann.input {name = \"x\"} : tensor<4xf32>\n"
                + "  %y = ann.output(%x) {name = \"y\"} : tensor<4xf32>\n  ann.relu(%x)\n}\n"))
                .containsExactly("3:8: ann.output has 0 results, got 1", "4:3: ann.relu has 1 result, got 0");
    }

    @Test
    void resourcesThatDoNotFitTheDeclarations() {
        // Checks: a resource for no declared blob, a resource given twice, and data both inline and in resources.
        assertThat(errors(HEAD + "  blob @w : tensor<1xf32> = [1.0]\n  blob @v : tensor<1xf32>\n}\nresources {\n"
                + "  @u = base64 \"AACAPw==\"\n  @w = base64 \"AACAPw==\"\n  @v = base64 \"AACAPw==\"\n"
                + "  @v = base64 \"AACAPw==\"\n}\n"))
                .containsExactly("6:3: resource @u belongs to no declared blob",
                        "7:3: blob @w has data twice (inline and in the resources section)", "  2:8: declared here",
                        "9:3: resource @v is given twice", "  8:3: first given here");
    }

    @Test
    void blobWithoutDataDependsOnWhetherResourcesExist() {
        // Checks: a blob with no data says the text was elided when there is no resources section, else that its entry is missing.
        assertThat(errors(HEAD + "  blob @\"a b\" : tensor<20xf32> #0123456789abcdef\n}\n"))
                .containsExactly("2:8: blob @\"a b\" has no data (the text was printed with blob data elided)");
        assertThat(errors(HEAD + "  blob @w : tensor<20xf32>\n}\nresources {\n}\n"))
                .containsExactly("2:8: blob @w has no data (neither inline values nor an entry in the resources section)");
    }

    @Test
    void lexicalErrors() {
        // Checks: an unexpected character and an unterminated string are located; parsing goes on, without a follow-on syntax error.
        assertThat(errors(HEAD + "  %x = ann.input {name = \"x\"} : tensor<4xf32> & loc(unknown)\n"
                + "  ann.output(%x) {name = \"y}\n}\n"))
                .containsExactly("2:47: unexpected character '&'", "3:26: unterminated string");
    }

    @Test
    void badNumbersTypesAndLocations() {
        // Checks: out-of-range attribute numbers, malformed types and bad locations, each at its token.
        assertThat(errors(HEAD + "  %a = ann.input {name = \"a\", range = [1e999, 99999999999999999999]} : tensor<4xf32>\n"
                + "  %b = ann.input {name = \"b\"} : tensor<0x4xf32>\n"
                + "  %c = ann.input {name = \"c\"} : tensor<4xf16>\n"
                + "  %d = ann.input {name = \"d\"} : spikes<> loc(\"f\":0:1)\n"
                + "  blob @s : spikes<4> = [1.0, 1.0, 1.0, 1.0]\n}\n"))
                .containsExactly("2:40: float 1e999 is out of range",
                        "2:47: integer 99999999999999999999 is out of range",
                        "3:33: malformed type 'tensor<0x4xf32>': '0' is not a positive dimension",
                        "4:33: malformed type 'tensor<4xf16>': unknown element type 'f16' (expected f32, i32, i8, i4, i2 or i1)",
                        "5:33: malformed type 'spikes<>': spike trains have rank >= 1",
                        "5:50: line and column numbers start at 1",
                        "6:13: blob @s must have a tensor type, got spikes<4>");
    }

    @Test
    void severalSyntaxErrorsAreReportedInOneRun() {
        // Checks: recovery at the next line: three broken lines give three errors, the good lines none.
        assertThat(errors(HEAD + "  %x = ann.input {name = \"x\" : tensor<4xf32>\n  %y = ann.relu(%x) : tensor<4xf32>\n"
                + "  %z = = ann.relu(%y)\n  ann.output(%y) {name = \"y\"} loc(\"f\" 3)\n  ann.output(%y) {name = \"ok\"}\n}\n"))
                .containsExactly("2:30: expected '}', got ':'", "4:8: expected an op name, got '='",
                        "5:39: expected ')', got '3'");
    }

    @Test
    void missingCloseAndTrailingText() {
        // Checks: a module without '}' is reported at end of file; text after the module is reported where it starts.
        assertThat(errors(HEAD + "  %x = ann.input {name = \"x\"} : tensor<4xf32>\n"))
                .containsExactly("3:1: expected '}' to close the module, got end of file");
        assertThat(errors(HEAD + "}\nextra\n")).containsExactly("3:1: expected the end of the file, got 'extra'");
    }

    @Test
    void twoOpsOnOneLine() {
        // Checks: each op must end its line; the extra text is reported where it starts.
        assertThat(errors(HEAD + "  %x = ann.input {name = \"x\"} : tensor<4xf32> ann.output(%x) {name = \"x\"}\n}\n"))
                .containsExactly("2:47: expected the end of the line, got 'ann.output'");
    }
}

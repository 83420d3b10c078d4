package dev.nmcc.backend.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nmcc.ir.diag.CompilationException;
import dev.nmcc.ir.diag.Diagnostic;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each validation error with its exact message and line:column (files under test resources /targets). */
class TargetLoaderTest {
    static Path resource(String name) {
        try {
            return Path.of(TargetLoaderTest.class.getResource("/targets/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The diagnostics of loading {@code name}, with the directory stripped from the file names. */
    static List<String> errors(String name) {
        Path p = resource(name);
        try {
            TargetLoader.load(p);
        } catch (CompilationException e) {
            return e.diagnostics().stream().map(d -> render(d, p)).toList();
        }
        throw new AssertionError(name + " loaded without errors");
    }

    static String render(Diagnostic d, Path p) {
        StringBuilder sb = new StringBuilder(d.toString().replace(p.getParent() + "/", ""));
        for (Diagnostic n : d.notes()) sb.append(" | ").append(n.toString().replace(p.getParent() + "/", ""));
        return sb.toString();
    }

    @Test
    void theBaseFileIsValid() {
        Target t = TargetLoader.load(resource("good.json"));
        assertThat(t.name()).isEqualTo("test-chip");
        assertThat(t.sources()).isEmpty();
        assertThat(t.totalNpus()).isEqualTo(80);
    }

    @Test
    void negativeCount() {
        assertThat(errors("negative.json")).containsExactly(
                "negative.json:7:5: error: field 'npus_per_node' must be a positive integer, got -4");
    }

    @Test
    void wrongTypes() {
        assertThat(errors("types.json")).containsExactly(
                "types.json:5:5: error: field 'chips' must be a positive integer, got \"one\"",
                "types.json:14:5: error: field 'weight_bits' must be a non-empty list of bit widths from [1, 2, 4, 8], got 4",
                "types.json:17:5: error: field 'membrane_bits' must be an integer in [2, 64], got 20.5",
                "types.json:30:5: error: field 'clock_mhz' must be a positive number, got \"fast\"");
    }

    @Test
    void nonsensicalValues() {
        assertThat(errors("nonsense.json")).containsExactly(
                "nonsense.json:8:5: error: a 4 x 4 mesh has 16 positions, too few for nodes_per_chip = 20",
                "nonsense.json:14:24: error: field 'weight_bits': 3 is not a supported bit width (1, 2, 4 or 8)",
                "nonsense.json:14:30: error: field 'weight_bits' lists 4 twice",
                "nonsense.json:30:5: error: field 'clock_mhz' must be a positive number, got 0",
                "nonsense.json:40:5: error: field 'pj_per_sop' must be a non-negative number, got -1",
                "nonsense.json:45:5: error: static_power_asleep_uw (200) exceeds static_power_awake_uw (125): "
                        + "a sleeping NPU cannot draw more than an awake one");
    }

    @Test
    void unknownFieldsAreNamedWithASuggestion() {
        assertThat(errors("unknown.json")).containsExactly(
                "unknown.json:1:1: error: missing required field 'description'",
                "unknown.json:3:3: error: unknown field 'descripton'; did you mean 'description'?",
                "unknown.json:4:15: error: missing required field 'npus_per_node' in 'geometry'",
                "unknown.json:7:5: error: unknown field 'npu_per_node' in 'geometry'; did you mean 'npus_per_node'?",
                "unknown.json:12:23: error: field 'clock_mhz' does not belong in 'npu'; it belongs in 'timing'");
    }

    @Test
    void missingFieldsAreNamed() {
        assertThat(errors("missing.json")).containsExactly(
                "missing.json:1:1: error: missing required field 'energy'",
                "missing.json:4:15: error: missing required field 'mesh_cols' in 'geometry'");
    }

    @Test
    void malformedJsonIsOneLocatedError() {
        assertThat(errors("malformed.json")).hasSize(1).first().asString()
                .startsWith("malformed.json:14:5: error: malformed JSON: Unexpected character ('\"' (code 34)): was expecting comma");
    }

    @Test
    void duplicateKeysPointAtBothPlaces() {
        assertThat(errors("duplicate.json")).containsExactly(
                "duplicate.json:4:15: error: missing required field 'nodes_per_chip' in 'geometry'",
                "duplicate.json:6:5: error: duplicate field 'chips' | duplicate.json:5:5: note: first given here");
    }

    @Test
    void notAnObjectAndEmptyFiles() {
        assertThat(messages("[1, 2]")).containsExactly("t.json:1:1: error: a target file holds one JSON object, got a list");
        assertThat(messages("")).containsExactly("t.json:1:1: error: empty file; expected a JSON object");
        assertThat(messages("{} {}")).containsExactly("t.json:1:4: error: unexpected content after the end of the JSON object");
        assertThat(messages("{\"geometry\": 3, \"name\": \"x y\", \"description\": \"d\", \"npu\": {}, \"layers\": {}, \"timing\": {},"
                + " \"energy\": {}, \"sources\": {\"clock_mz\": \"typo\", \"chips\": 4}}"))
                .contains("t.json:1:2: error: field 'geometry' must be an object, got 3",
                        "t.json:1:17: error: field 'name' must be letters, digits, '_', '.' or '-', starting with a letter or digit, got \"x y\"",
                        "t.json:1:117: error: source for unknown field 'clock_mz'; did you mean 'clock_mhz'?",
                        "t.json:1:137: error: source of 'chips' must be a string, got 4");
    }

    @Test
    void unreadableFilesAreOneUnlocatedError() {
        assertThatThrownBy(() -> TargetLoader.load(Path.of("/no/such/target.json")))
                .isInstanceOf(CompilationException.class)
                .hasMessage("<unknown>: error: cannot read target '/no/such/target.json': no such file");
    }

    static List<String> messages(String text) {
        try {
            TargetLoader.parse(text, "t.json");
        } catch (CompilationException e) {
            return e.diagnostics().stream().map(Diagnostic::toString).toList();
        }
        throw new AssertionError("parsed without errors");
    }
}

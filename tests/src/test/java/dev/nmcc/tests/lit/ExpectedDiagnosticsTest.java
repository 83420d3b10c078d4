package dev.nmcc.tests.lit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nmcc.tests.lit.ExpectedDiagnostics.Expectation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExpectedDiagnosticsTest {
    @Test
    void parsesOffsetsAndForms() {
        assertThat(ExpectedDiagnostics.parseLine("  h = relu(q); // expected-error {{undefined}}", 7))
                .containsExactly(new Expectation("error", 7, "undefined", 7));
        assertThat(ExpectedDiagnostics.parseLine("// expected-error@+2 {{a}} expected-note@-1 {{b c}}", 10))
                .containsExactly(new Expectation("error", 12, "a", 10), new Expectation("note", 9, "b c", 10));
        assertThat(ExpectedDiagnostics.parseLine("// expected-warning@above {{w}}", 5)).extracting(Expectation::line).containsExactly(4);
        assertThat(ExpectedDiagnostics.parseLine("// expected-error@below {{w}}", 5)).extracting(Expectation::line).containsExactly(6);
        assertThat(ExpectedDiagnostics.parseLine("// expected-error@3 {{w}}", 5)).extracting(Expectation::line).containsExactly(3);
        assertThat(ExpectedDiagnostics.parseLine("// expected-error@* {{w}}", 5).getFirst().line()).isNull();
        assertThat(ExpectedDiagnostics.parseLine("x = 1; no comment expected-error {{w}}", 5)).isEmpty();
    }

    @Test
    void parsesRenderedDiagnosticsAndSkipsExcerpts() {
        String stderr = """
                bad.nmd:3:7: error: undefined name 'q'
                  h = relu(q);
                           ^
                bad.nmd:1:1: note: network starts here
                nmcc: error: cannot load 'x.onnx'
                1 error generated.
                """;
        var r = ExpectedDiagnostics.parseOutput(stderr);
        assertThat(r).extracting(ExpectedDiagnostics.Reported::toString).containsExactly(
                "bad.nmd:3:7: error: undefined name 'q'", "bad.nmd:1:1: note: network starts here", "nmcc: error: cannot load 'x.onnx'");
    }

    @Test
    void everyErrorMustBeExpectedAndEveryExpectationMet() {
        var reported = ExpectedDiagnostics.parseOutput("""
                bad.nmd:3:7: error: undefined name 'q'
                bad.nmd:5:1: error: unknown op 'foo'
                bad.nmd:1:1: note: unrelated note
                """);
        List<Expectation> both = List.of(new Expectation("error", 3, "undefined", 2), new Expectation("error", 5, "unknown op", 4));
        assertThat(ExpectedDiagnostics.verify(both, reported, "bad.nmd")).isEmpty(); // notes unchecked: none expected

        List<String> problems = ExpectedDiagnostics.verify(List.of(both.get(0), new Expectation("error", 6, "unknown op", 4)),
                reported, "bad.nmd");
        assertThat(problems).containsExactly("unexpected error: bad.nmd:5:1: error: unknown op 'foo'",
                "not produced: expected-error at line 6 {{unknown op}} (directive on line 4)");

        List<Expectation> withNote = new ArrayList<>(both);
        withNote.add(new Expectation("note", 2, "unrelated", 2));
        assertThat(ExpectedDiagnostics.verify(withNote, reported, "bad.nmd")).hasSize(2); // note checked now: wrong line
    }

    @Test
    void wildcardMatchesUnlocatedDiagnostics() {
        var reported = ExpectedDiagnostics.parseOutput("nmcc: error: cannot load 'x.onnx': ONNX models are not supported yet\n");
        assertThat(ExpectedDiagnostics.verify(List.of(new Expectation("error", null, "ONNX", 1)), reported, "x.nmd")).isEmpty();
        assertThat(ExpectedDiagnostics.verify(List.of(new Expectation("error", 1, "ONNX", 1)), reported, "x.nmd")).hasSize(2);
    }

    @Test
    void messageMustContainTheSubstring() {
        var reported = ExpectedDiagnostics.parseOutput("a.nmd:2:1: error: duplicate name 'h'\n");
        assertThat(ExpectedDiagnostics.verify(List.of(new Expectation("error", 2, "already defined", 1)), reported, "a.nmd")).hasSize(2);
    }
}

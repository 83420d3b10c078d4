package dev.nmcc.tests.lit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LitCaseTest {
    private static final Path FILE = Path.of("lit/x/cases.nmd");

    @Test
    void splitsCasesAndPadsThemToKeepLineNumbers() {
        String text = """
                // First case: one RUN and one CHECK.
                // RUN: nmcc check %s
                // CHECK: layers
                network a {}
                // -----
                // Second case: expects an error.
                // RUN: not nmcc check %s --flag "two words"
                network b { x = y; } // expected-error {{undefined}}
                """;
        List<LitCase> cases = LitCase.parseFile(FILE, text);
        assertThat(cases).hasSize(2);
        LitCase first = cases.get(0);
        assertThat(first.description()).isEqualTo("First case: one RUN and one CHECK.");
        assertThat(first.name()).isEqualTo("cases.nmd #1 (line 1)");
        assertThat(first.runs()).containsExactly(new LitCase.Run(2, false, List.of("check", "%s")));
        assertThat(first.checks()).containsExactly(new Directive(Directive.Kind.CHECK, "layers", 3));
        LitCase second = cases.get(1);
        assertThat(second.firstLine()).isEqualTo(6);
        assertThat(second.text().split("\n", -1)[7]).isEqualTo("network b { x = y; } // expected-error {{undefined}}");
        assertThat(second.text().split("\n", -1)[4]).isEmpty(); // the separator is blanked too
        assertThat(second.runs().getFirst().expectFailure()).isTrue();
        assertThat(second.runs().getFirst().args()).containsExactly("check", "%s", "--flag", "two words");
        assertThat(second.expectations()).extracting(ExpectedDiagnostics.Expectation::line).containsExactly(8);
    }

    @Test
    void aSingleCaseIsNamedByItsFile() {
        var c = LitCase.parseFile(FILE, "// Checks a thing.\n// RUN: nmcc check %s \\\n// --elide-blobs\n").getFirst();
        assertThat(c.name()).isEqualTo("cases.nmd");
        assertThat(c.runs().getFirst().args()).containsExactly("check", "%s", "--elide-blobs");
    }

    @Test
    void aCaseMustSayWhatItChecks() {
        assertThatThrownBy(() -> LitCase.parseFile(FILE, "// RUN: nmcc check %s\n"))
                .hasMessageContaining("must start with a comment");
        assertThatThrownBy(() -> LitCase.parseFile(FILE, "network a {}\n// RUN: nmcc check %s\n"))
                .hasMessageContaining("must start with a comment");
    }

    @Test
    void rejectsCasesWithoutRunAndOtherTools() {
        assertThatThrownBy(() -> LitCase.parseFile(FILE, "// Says.\n// CHECK: x\n")).hasMessageContaining("no RUN line");
        assertThatThrownBy(() -> LitCase.parseFile(FILE, "// Says.\n// RUN: ls %s\n")).hasMessageContaining("RUN lines run 'nmcc");
        assertThatThrownBy(() -> LitCase.parseFile(FILE, "// Says.\n// RUN: cat a b\n")).hasMessageContaining("RUN lines run 'nmcc");
    }

    @Test
    void catPrintsAFileAnEarlierRunLineWrote() {
        var c = LitCase.parseFile(FILE, "// Says.\n// RUN: nmcc x -o %t.json\n// RUN: cat %t.json\n").getFirst();
        assertThat(c.runs()).containsExactly(new LitCase.Run(2, false, List.of("x", "-o", "%t.json")),
                new LitCase.Run(3, false, "cat", List.of("%t.json")));
        assertThat(LitCase.parseFile(FILE, "// Says.\n// RUN: not cat %t.svg\n").getFirst().runs())
                .containsExactly(new LitCase.Run(2, true, "cat", List.of("%t.svg")));
    }

    @Test
    void tokenizerHonoursQuotes() {
        assertThat(LitCase.tokenize("a 'b c' \"d \\\"e\\\"\"  f")).containsExactly("a", "b c", "d \"e\"", "f");
    }
}

package dev.nmcc.tests.lit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FileCheckTest {
    private static final String OUT = """
            module tiny: verified
              stage:      ann
              layers:     3
              neurons:    330

            %c1 = ann.relu(%1) : tensor<16x28x28xf32>
            %p1 = ann.avgpool(%c1) {kernel = [2, 2]} : tensor<16x14x14xf32>
            """;

    /** Directives from "KIND: pattern" strings, numbered from line 1. */
    private static List<Directive> d(String... specs) {
        List<Directive> out = new ArrayList<>();
        for (String s : specs) {
            int colon = s.indexOf(':');
            out.add(new Directive(Directive.Kind.of(s.substring(0, colon)), s.substring(colon + 1).strip(), out.size() + 1));
        }
        return out;
    }

    private static Optional<FileCheck.Failure> check(String... specs) { return FileCheck.check(d(specs), OUT); }

    @Test
    void checkFindsSubstringsInOrderAndCollapsesBlanks() {
        assertThat(check("CHECK: module tiny", "CHECK: layers: 3", "CHECK: neurons: 330")).isEmpty();
    }

    @Test
    void checkFailsWhenOutOfOrder() {
        var f = check("CHECK: neurons", "CHECK: layers");
        assertThat(f).isPresent();
        assertThat(f.get().directive().line()).isEqualTo(2);
        assertThat(f.get().message()).contains("not found");
        assertThat(f.get().excerpt()).contains("scanning from line 4");
    }

    @Test
    void checkFailsOnAbsentText() {
        var f = check("CHECK: layers: 4");
        assertThat(f).isPresent();
        assertThat(f.get().describe("x.nmd")).startsWith("x.nmd:1: error: CHECK: expected string not found in input")
                .contains("// CHECK: layers: 4");
    }

    @Test
    void regexBlocksAndLineAnchors() {
        assertThat(check("CHECK: %{{[a-z0-9]+}} = ann.relu", "CHECK: {{^}}%p1 = ann.avgpool{{.*}}: tensor<16x14x14xf32>{{$}}")).isEmpty();
        assertThat(check("CHECK: {{^}}stage:")).isPresent(); // indented, so not at the start of the line
    }

    @Test
    void nextMustBeOnTheFollowingLine() {
        assertThat(check("CHECK: stage:", "CHECK-NEXT: layers:")).isEmpty();
        var f = check("CHECK: stage:", "CHECK-NEXT: neurons:");
        assertThat(f).isPresent();
        assertThat(f.get().message()).contains("next line");
    }

    @Test
    void sameMustBeOnTheSameLineAfterThePreviousMatch() {
        assertThat(check("CHECK: ann.avgpool", "CHECK-SAME: kernel = [2, 2]", "CHECK-SAME: 16x14x14")).isEmpty();
        assertThat(check("CHECK: ann.avgpool", "CHECK-SAME: ann.relu")).isPresent();
        assertThat(check("CHECK: kernel", "CHECK-SAME: avgpool")).isPresent(); // before the match
    }

    @Test
    void emptyMatchesABlankLine() {
        assertThat(check("CHECK: neurons:", "CHECK-EMPTY:", "CHECK-NEXT: ann.relu")).isEmpty();
        assertThat(check("CHECK: layers:", "CHECK-EMPTY:")).isPresent();
    }

    @Test
    void notForbidsTextBetweenMatches() {
        assertThat(check("CHECK: stage:", "CHECK-NOT: ann.relu", "CHECK: neurons")).isEmpty();
        var f = check("CHECK: stage:", "CHECK-NOT: layers", "CHECK: neurons");
        assertThat(f).isPresent();
        assertThat(f.get().message()).contains("excluded string found");
        assertThat(check("CHECK: ann.relu", "CHECK-NOT: avgpool")).isPresent(); // up to the end of the input
        assertThat(check("CHECK-NOT: snn.")).isEmpty();
    }

    @Test
    void labelsCutTheInputIntoBlocks() {
        assertThat(check("CHECK-LABEL: module tiny", "CHECK: neurons", "CHECK-LABEL: %c1 =", "CHECK-SAME: ann.relu")).isEmpty();
        // "ann.avgpool" is after the second label, so the first block does not contain it.
        var f = check("CHECK-LABEL: module tiny", "CHECK: ann.avgpool", "CHECK-LABEL: %p1");
        assertThat(f).isPresent();
        assertThat(f.get().directive().pattern()).isEqualTo("ann.avgpool");
        assertThat(check("CHECK-LABEL: module tiny", "CHECK: ann.relu", "CHECK-LABEL: %p1")).isEmpty();
        // A missing label fails first.
        assertThat(check("CHECK-LABEL: nope", "CHECK: stage")).get().extracting(x -> x.directive().pattern()).isEqualTo("nope");
    }

    @Test
    void nextWithoutPreviousMatchIsAnError() {
        assertThat(check("CHECK-NEXT: module")).isPresent();
    }

    @Test
    void badRegexIsReported() {
        assertThatThrownBy(() -> FileCheck.compile("a {{(}} b")).hasMessageContaining("bad regex");
        assertThatThrownBy(() -> FileCheck.compile("a {{b")).hasMessageContaining("unterminated");
    }
}

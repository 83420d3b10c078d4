package dev.nmcc.driver.diag;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nmcc.ir.diag.Diagnostic;
import dev.nmcc.ir.loc.Location;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiagnosticRendererTest {
    @TempDir Path dir;

    @Test
    void rendersLocationSourceLineCaretAndNotes() throws IOException {
        Path f = dir.resolve("net.nmd");
        Files.writeString(f, "network n {\n  h = relu(x2);\n}\n");
        Diagnostic d = Diagnostic.error(Location.file(f.toString(), 2, 12), "undefined name 'x2'")
                .withNote(Location.file(f.toString(), 1, 1), "in this network");
        assertThat(new DiagnosticRenderer().renderAll(List.of(d))).isEqualTo(
                f + ":2:12: error: undefined name 'x2'\n"
                        + "  h = relu(x2);\n"
                        + "           ^\n"
                        + f + ":1:1: note: in this network\n"
                        + "network n {\n"
                        + "^\n"
                        + "1 error generated.\n");
    }

    @Test
    void caretFollowsTabsAndStaysOnTheLine() {
        assertThat(DiagnosticRenderer.caret("\tx = y", 6)).isEqualTo("\t    ^");
        assertThat(DiagnosticRenderer.caret("ab", 40)).isEqualTo("  ^"); // just past the end
    }

    @Test
    void unreadableSourceLeavesOutTheExcerpt() {
        Diagnostic d = Diagnostic.warning(Location.file(dir.resolve("gone.nmd").toString(), 3, 1), "w");
        assertThat(new DiagnosticRenderer().renderAll(List.of(d))).isEqualTo(dir.resolve("gone.nmd") + ":3:1: warning: w\n1 warning generated.\n");
    }

    @Test
    void sortsByFileLineAndColumnKeepingReportOrderOtherwise() {
        Diagnostic a = Diagnostic.error(Location.file("b.nmd", 1, 1), "b1");
        Diagnostic b = Diagnostic.error(Location.file("a.nmd", 7, 3), "a7-3");
        Diagnostic c = Diagnostic.error(Location.file("a.nmd", 7, 1), "a7-1");
        Diagnostic d = Diagnostic.error(Location.UNKNOWN, "unlocated first");
        Diagnostic e = Diagnostic.error(Location.file("a.nmd", 2, 5), "a2 first");
        Diagnostic f = Diagnostic.error(Location.file("a.nmd", 2, 5), "a2 second");
        assertThat(DiagnosticRenderer.sorted(List.of(a, b, c, d, e, f))).extracting(Diagnostic::message)
                .containsExactly("a2 first", "a2 second", "a7-1", "a7-3", "b1", "unlocated first");
    }

    @Test
    void namedAndUnknownLocations() {
        var r = new DiagnosticRenderer("nmcc", (file, line) -> java.util.Optional.empty());
        assertThat(r.render(Diagnostic.error(Location.named("Conv_0"), "bad kernel"))).isEqualTo("Conv_0: error: bad kernel\n");
        // Driver errors alone get no summary line, as in clang.
        assertThat(r.renderAll(List.of(Diagnostic.error(Location.UNKNOWN, "no such file")))).isEqualTo("nmcc: error: no such file\n");
    }

    @Test
    void summaryCountsErrorsAndWarnings() {
        Diagnostic e = Diagnostic.error(Location.UNKNOWN, "e");
        Diagnostic w = Diagnostic.warning(Location.UNKNOWN, "w");
        assertThat(DiagnosticRenderer.summary(List.of(e, e))).isEqualTo("2 errors generated.");
        assertThat(DiagnosticRenderer.summary(List.of(w, e))).isEqualTo("1 warning and 1 error generated.");
        assertThat(DiagnosticRenderer.summary(List.of(w, w))).isEqualTo("2 warnings generated.");
        assertThat(DiagnosticRenderer.summary(List.of(Diagnostic.note(Location.UNKNOWN, "n")))).isEmpty();
    }
}

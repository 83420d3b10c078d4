package dev.nmcc.frontend.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nmcc.ir.diag.CompilationException;
import dev.nmcc.ir.diag.Diagnostic;
import dev.nmcc.ir.loc.Location;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden diagnostics: each case of src/test/resources/dsl/diagnostics/*.nmd (cases separated by
 * {@code // -----}) is compiled on its own, and its errors must be exactly those its
 * {@code // expected-error@+N:COL {{message}}} annotations announce (MLIR's -verify-diagnostics).
 */
class GoldenDiagnosticsTest {
    private static final Path DIR = ExamplesTest.PARAMS.resolve("diagnostics");
    private static final Pattern EXPECTED =
            Pattern.compile("//\\s*expected-(error|note)(?:@([+-]\\d+))?(?::(\\d+))?\\s*\\{\\{(.*)}}");

    @TestFactory
    Stream<DynamicTest> cases() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".nmd")).sorted().toList()) {
                String[] cases = Files.readString(f).split("(?m)^// -----\\n");
                int firstLine = 1;
                for (String c : cases) {
                    int offset = firstLine - 1;
                    String title = c.lines().takeWhile(l -> !l.startsWith("network"))
                            .filter(l -> l.startsWith("// ") && !l.contains("expected-")).reduce((a, b) -> b).orElse("case");
                    tests.add(DynamicTest.dynamicTest(f.getFileName() + ":" + firstLine + " " + title,
                            () -> check(f.getFileName().toString(), c, offset)));
                    firstLine += (int) c.lines().count() + 1;
                }
            }
        }
        assertThat(tests).hasSizeGreaterThan(5);
        return tests.stream();
    }

    /** Compares the "line:col: severity: message" lines (col only where the annotation gives one). */
    private static void check(String file, String source, int lineOffset) {
        List<String> expected = new ArrayList<>();
        String[] lines = source.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher m = EXPECTED.matcher(lines[i]);
            if (!m.find()) continue;
            int target = i + 1 + (m.group(2) == null ? 0 : Integer.parseInt(m.group(2)));
            String col = m.group(3) == null ? "" : ":" + m.group(3);
            expected.add((target + lineOffset) + col + ": " + m.group(1) + ": " + m.group(4));
        }
        List<Diagnostic> actual = new ArrayList<>();
        try {
            DslFrontend.compile(source, file, ExamplesTest.PARAMS);
        } catch (CompilationException e) {
            for (Diagnostic d : e.diagnostics()) {
                actual.add(d);
                actual.addAll(d.notes());
            }
        }
        List<String> got = new ArrayList<>();
        for (Diagnostic d : actual) {
            var l = (Location.FileLineCol) d.location();
            String full = (l.line() + lineOffset) + ":" + l.column() + ": " + d.severity().label() + ": " + d.message();
            String noCol = (l.line() + lineOffset) + ": " + d.severity().label() + ": " + d.message();
            got.add(expected.contains(noCol) && !expected.contains(full) ? noCol : full);
        }
        if (expected.stream().noneMatch(e -> e.contains(": note: "))) got.removeIf(g -> g.contains(": note: "));
        assertThat(got).as("diagnostics of %s at line %d", file, lineOffset + 1).containsExactlyInAnyOrderElementsOf(expected);
    }
}

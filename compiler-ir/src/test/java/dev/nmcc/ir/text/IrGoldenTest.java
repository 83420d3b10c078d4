package dev.nmcc.ir.text;

import static org.junit.jupiter.api.Assertions.fail;

import dev.nmcc.ir.diag.CompilationException;
import dev.nmcc.ir.diag.Diagnostic;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden files: each {@code src/test/resources/text/NAME.nmir} is parsed and printed, and the
 * output must equal {@code NAME.expected} exactly. Inputs named {@code *.elided.nmir} print
 * with blob data elided. When parsing fails, the output is the diagnostics, one per line. On
 * a mismatch the output is written to {@code NAME.actual} next to the copy of the expected file
 * under {@code target/test-classes/text/}, and the test fails with a diff; accepting a change is
 * a deliberate copy of that file over the expected one.
 */
class IrGoldenTest {
    @TestFactory
    Stream<DynamicTest> goldenFiles() throws IOException, URISyntaxException {
        Path dir = Path.of(IrGoldenTest.class.getResource("/text").toURI());
        List<Path> inputs;
        try (Stream<Path> files = Files.list(dir)) {
            inputs = files.filter(p -> p.toString().endsWith(".nmir")).sorted().toList();
        }
        if (inputs.isEmpty()) fail("no golden inputs in " + dir);
        return inputs.stream().map(in -> DynamicTest.dynamicTest(in.getFileName().toString(), () -> check(in)));
    }

    private static void check(Path input) throws IOException {
        String file = input.getFileName().toString();
        String base = file.substring(0, file.length() - ".nmir".length());
        Path expectedFile = input.resolveSibling(base + ".expected");
        Path actualFile = input.resolveSibling(base + ".actual");
        String actual = render(Files.readString(input, StandardCharsets.UTF_8), file,
                base.endsWith(".elided") ? IrPrinter.Options.ELIDED : IrPrinter.Options.DEFAULT);
        String expected = Files.exists(expectedFile) ? Files.readString(expectedFile, StandardCharsets.UTF_8) : null;
        if (actual.equals(expected)) {
            Files.deleteIfExists(actualFile);
            return;
        }
        Files.writeString(actualFile, actual, StandardCharsets.UTF_8);
        Path source = Path.of("src/test/resources/text", base + ".expected");
        fail((expected == null ? "missing " + source : "output differs from " + source) + "; actual output written to "
                + actualFile + " (copy it over the expected file to accept it)\n" + diff(expected == null ? "" : expected, actual));
    }

    /** The printed module, or the diagnostics when the input does not parse. */
    static String render(String text, String fileName, IrPrinter.Options options) {
        try {
            return IrPrinter.print(IrParser.parse(text, fileName), options);
        } catch (CompilationException e) {
            StringBuilder sb = new StringBuilder();
            for (Diagnostic d : e.diagnostics()) {
                sb.append(d).append('\n');
                for (Diagnostic n : d.notes()) sb.append("  ").append(n).append('\n');
            }
            return sb.toString();
        }
    }

    /** A line diff: each differing line as {@code -expected} / {@code +actual}, with its number. */
    static String diff(String expected, String actual) {
        List<String> e = expected.lines().toList();
        List<String> a = actual.lines().toList();
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        for (int i = 0; i < Math.max(e.size(), a.size()) && shown < 30; i++) {
            String x = i < e.size() ? e.get(i) : null;
            String y = i < a.size() ? a.get(i) : null;
            if (x != null && x.equals(y)) continue;
            shown++;
            if (x != null) sb.append(String.format("%4d -%s%n", i + 1, x));
            if (y != null) sb.append(String.format("%4d +%s%n", i + 1, y));
        }
        return sb.toString();
    }
}

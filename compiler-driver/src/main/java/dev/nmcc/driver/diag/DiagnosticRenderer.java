package dev.nmcc.driver.diag;

import dev.nmcc.ir.diag.Diagnostic;
import dev.nmcc.ir.diag.Severity;
import dev.nmcc.ir.loc.Location;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Renders diagnostics in the format of clang and MLIR:
 *
 * <pre>
 * net.nmd:7:8: error: undefined name 'x2'
 *   h = relu(x2);
 *            ^
 * net.nmd:3:3: note: did you mean 'x'?
 * 1 error generated.
 * </pre>
 *
 * Diagnostics without a file position print the tool name ({@code nmcc: error: ...}) or the node
 * name ({@code Conv_0: error: ...}) instead. The source line is read from the file named in the
 * location; when it cannot be read the excerpt is left out.
 */
public final class DiagnosticRenderer {
    /** Source lines longer than this are not excerpted (minified or binary content). */
    private static final int MAX_EXCERPT = 400;

    private final String toolName;
    private final BiFunction<String, Integer, Optional<String>> sourceLines;
    private final Map<String, Optional<String>> cache = new HashMap<>();

    /** A renderer reading source lines from the file system. */
    public DiagnosticRenderer() { this("nmcc", DiagnosticRenderer::readLine); }

    /**
     * @param toolName    prefix of diagnostics without a location
     * @param sourceLines gives line n (1-based) of a file, or empty when unavailable
     */
    public DiagnosticRenderer(String toolName, BiFunction<String, Integer, Optional<String>> sourceLines) {
        this.toolName = toolName;
        this.sourceLines = sourceLines;
    }

    /**
     * A deterministic order: diagnostics with a file position first, by file, line and column;
     * the rest after them; report order among equals (the sort is stable).
     */
    public static List<Diagnostic> sorted(List<Diagnostic> diagnostics) {
        List<Diagnostic> out = new ArrayList<>(diagnostics);
        out.sort(Comparator.comparing((Diagnostic d) -> !(d.location() instanceof Location.FileLineCol))
                .thenComparing(d -> d.location() instanceof Location.FileLineCol f ? f.file() : "")
                .thenComparingInt(d -> d.location() instanceof Location.FileLineCol f ? f.line() : 0)
                .thenComparingInt(d -> d.location() instanceof Location.FileLineCol f ? f.column() : 0));
        return out;
    }

    /** Every diagnostic (sorted) with its excerpt and notes, then the summary line. */
    public String renderAll(List<Diagnostic> diagnostics) {
        StringBuilder sb = new StringBuilder();
        for (Diagnostic d : sorted(diagnostics)) sb.append(render(d));
        // Like clang, no summary when every diagnostic is the driver's own (no source position).
        boolean located = diagnostics.stream().anyMatch(d -> !(d.location() instanceof Location.Unknown));
        String summary = summary(diagnostics);
        if (located && !summary.isEmpty()) sb.append(summary).append('\n');
        return sb.toString();
    }

    /** One diagnostic with its excerpt, followed by its notes; every line ends with a newline. */
    public String render(Diagnostic d) {
        StringBuilder sb = new StringBuilder();
        append(sb, d);
        for (Diagnostic note : d.notes()) append(sb, note);
        return sb.toString();
    }

    private void append(StringBuilder sb, Diagnostic d) {
        String prefix = switch (d.location()) {
            case Location.FileLineCol f -> f.describe();
            case Location.Named n -> n.name();
            case Location.Unknown u -> toolName;
        };
        sb.append(prefix).append(": ").append(d.severity().label()).append(": ").append(d.message()).append('\n');
        if (d.location() instanceof Location.FileLineCol f) {
            Optional<String> line = cache.computeIfAbsent(f.file() + "\0" + f.line(), k -> sourceLines.apply(f.file(), f.line()));
            line.filter(l -> l.length() <= MAX_EXCERPT).ifPresent(l -> sb.append(l).append('\n').append(caret(l, f.column())).append('\n'));
        }
    }

    /** Spaces (tabs where the source has tabs, so that they line up) and a caret under column. */
    static String caret(String line, int column) {
        int col = Math.min(column, line.length() + 1);
        StringBuilder sb = new StringBuilder(col);
        for (int i = 0; i < col - 1; i++) sb.append(line.charAt(i) == '\t' ? '\t' : ' ');
        return sb.append('^').toString();
    }

    /** "2 errors generated.", "1 warning and 1 error generated.", or "" when there is neither. */
    public static String summary(List<Diagnostic> diagnostics) {
        long errors = diagnostics.stream().filter(d -> d.severity() == Severity.ERROR).count();
        long warnings = diagnostics.stream().filter(d -> d.severity() == Severity.WARNING).count();
        List<String> parts = new ArrayList<>();
        if (warnings > 0) parts.add(warnings + (warnings == 1 ? " warning" : " warnings"));
        if (errors > 0) parts.add(errors + (errors == 1 ? " error" : " errors"));
        return parts.isEmpty() ? "" : String.join(" and ", parts) + " generated.";
    }

    private static Optional<String> readLine(String file, int line) {
        try (BufferedReader r = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
            String s = null;
            for (int i = 0; i < line; i++) {
                s = r.readLine();
                if (s == null) return Optional.empty();
            }
            return Optional.ofNullable(s);
        } catch (IOException | UncheckedIOException | InvalidPathException | SecurityException e) {
            return Optional.empty();
        }
    }
}

package dev.nmcc.tests.lit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A subset of LLVM FileCheck.
 *
 * <ul>
 *   <li>{@code CHECK: p} — p occurs at or after the end of the previous match.
 *   <li>{@code CHECK-NEXT: p} — p occurs on the line right after the previous match.
 *   <li>{@code CHECK-SAME: p} — p occurs on the same line as the previous match, after it.
 *   <li>{@code CHECK-EMPTY:} — the line after the previous match is empty.
 *   <li>{@code CHECK-NOT: p} — p does not occur between the previous match and the next
 *       positive match (or the end of the label block).
 *   <li>{@code CHECK-LABEL: p} — matched first, in order; the input is cut into blocks at the
 *       labels and the directives between two labels must match inside their block.
 * </ul>
 *
 * Patterns are literal text with {@code {{java regex}}} blocks; a run of spaces or tabs in a
 * pattern matches any run of spaces or tabs; {@code ^} and {@code $} inside regex blocks are
 * line anchors. Variables ({@code [[X:...]]}) are not supported.
 */
public final class FileCheck {
    private FileCheck() {}

    /** Why checking failed: the directive, a message, and an excerpt of the input. */
    public record Failure(Directive directive, String message, String excerpt) {
        public String describe(String litFile) {
            return litFile + ":" + directive.line() + ": error: " + directive.kind().spelling() + ": " + message + "\n"
                    + directive + "\n" + excerpt;
        }
    }

    /** Compiles a pattern to a regex (visible for tests). */
    public static Pattern compile(String pattern) {
        StringBuilder re = new StringBuilder();
        int i = 0;
        while (i < pattern.length()) {
            int open = pattern.indexOf("{{", i);
            int end = open < 0 ? pattern.length() : open;
            literal(pattern.substring(i, end), re);
            if (open < 0) break;
            int close = pattern.indexOf("}}", open + 2);
            if (close < 0) throw new IllegalArgumentException("unterminated {{ in pattern: " + pattern);
            re.append("(?:").append(pattern, open + 2, close).append(')');
            i = close + 2;
        }
        try {
            return Pattern.compile(re.toString(), Pattern.MULTILINE);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("bad regex in pattern '" + pattern + "': " + e.getDescription(), e);
        }
    }

    private static void literal(String s, StringBuilder re) {
        String[] parts = s.split("[ \\t]+", -1);
        for (int k = 0; k < parts.length; k++) {
            if (k > 0) re.append("[ \\t]+");
            if (!parts[k].isEmpty()) re.append(Pattern.quote(parts[k]));
        }
    }

    /** Checks the directives against the input; empty when everything matched. */
    public static Optional<Failure> check(List<Directive> directives, String input) {
        return new Run(input).check(directives);
    }

    private static final class Run {
        private final String text;
        private final int[] lineStarts;

        Run(String text) {
            this.text = text;
            List<Integer> starts = new ArrayList<>();
            starts.add(0);
            for (int i = 0; i < text.length(); i++) if (text.charAt(i) == '\n') starts.add(i + 1);
            lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
        }

        /** 0-based line of a character offset. */
        int lineOf(int offset) {
            int lo = 0;
            int hi = lineStarts.length - 1;
            while (lo < hi) {
                int mid = (lo + hi + 1) >>> 1;
                if (lineStarts[mid] <= offset) lo = mid;
                else hi = mid - 1;
            }
            return lo;
        }

        int lineCount() { return text.endsWith("\n") ? lineStarts.length - 1 : lineStarts.length; }

        int lineEnd(int line) { return line + 1 < lineStarts.length ? lineStarts[line + 1] - 1 : text.length(); }

        Matcher find(Pattern p, int from, int to) {
            if (from > to) return null;
            Matcher m = p.matcher(text);
            m.region(from, to);
            m.useAnchoringBounds(false);
            m.useTransparentBounds(true);
            return m.find() ? m : null;
        }

        Optional<Failure> check(List<Directive> directives) {
            // Pass 1: labels, in order, each after the previous one.
            List<int[]> labelMatches = new ArrayList<>();
            int pos = 0;
            for (Directive d : directives) {
                if (d.kind() != Directive.Kind.LABEL) continue;
                Matcher m = find(compile(d.pattern()), pos, text.length());
                if (m == null) return fail(d, "expected string not found in input", pos);
                labelMatches.add(new int[] {m.start(), m.end()});
                pos = m.end();
            }
            // Pass 2: the blocks between labels.
            int label = 0;
            int regionStart = 0;
            int regionEnd = labelMatches.isEmpty() ? text.length() : labelMatches.getFirst()[0];
            pos = 0;
            int lastLine = -1; // line of the previous match; -1 before any
            List<Directive> nots = new ArrayList<>();
            for (Directive d : directives) {
                switch (d.kind()) {
                    case LABEL -> {
                        Optional<Failure> f = checkNots(nots, pos, regionEnd);
                        if (f.isPresent()) return f;
                        int[] lm = labelMatches.get(label++);
                        regionStart = lm[1];
                        regionEnd = label < labelMatches.size() ? labelMatches.get(label)[0] : text.length();
                        pos = regionStart;
                        lastLine = lineOf(lm[0]);
                    }
                    case NOT -> nots.add(d);
                    case CHECK -> {
                        Matcher m = find(compile(d.pattern()), pos, regionEnd);
                        if (m == null) return fail(d, "expected string not found in input", pos);
                        Optional<Failure> f = checkNots(nots, pos, m.start());
                        if (f.isPresent()) return f;
                        pos = m.end();
                        lastLine = lineOf(Math.max(m.start(), m.end() - 1));
                    }
                    case SAME, NEXT, EMPTY -> {
                        if (lastLine < 0) return fail(d, "needs a previous CHECK or CHECK-LABEL match", pos);
                        int line = d.kind() == Directive.Kind.SAME ? lastLine : lastLine + 1;
                        if (line >= lineCount() || lineStarts[line] >= regionEnd && d.kind() != Directive.Kind.SAME) {
                            return fail(d, "no line " + (line + 1) + " in the input (after the previous match)", pos);
                        }
                        int from = d.kind() == Directive.Kind.SAME ? pos : lineStarts[line];
                        int to = Math.min(lineEnd(line), regionEnd);
                        if (d.kind() == Directive.Kind.EMPTY) {
                            if (lineEnd(line) != lineStarts[line]) return fail(d, "expected an empty line", lineStarts[line]);
                            pos = lineEnd(line);
                            lastLine = line;
                            Optional<Failure> f = checkNots(nots, pos, pos);
                            if (f.isPresent()) return f;
                            continue;
                        }
                        Matcher m = find(compile(d.pattern()), from, to);
                        if (m == null) {
                            String where = d.kind() == Directive.Kind.SAME ? "on the same line as the previous match" : "on the next line";
                            return fail(d, "expected string not found " + where, from);
                        }
                        Optional<Failure> f = checkNots(nots, pos, m.start());
                        if (f.isPresent()) return f;
                        pos = m.end();
                        lastLine = line;
                    }
                }
            }
            return checkNots(nots, pos, regionEnd);
        }

        private Optional<Failure> checkNots(List<Directive> nots, int from, int to) {
            for (Directive n : nots) {
                Matcher m = find(compile(n.pattern()), from, to);
                if (m != null) return fail(n, "excluded string found in input", m.start());
            }
            nots.clear();
            return Optional.empty();
        }

        private Optional<Failure> fail(Directive d, String message, int offset) {
            return Optional.of(new Failure(d, message, excerpt(lineOf(Math.min(offset, text.length())))));
        }

        /** The input with line numbers around {@code line}, which is marked with '>'. */
        String excerpt(int line) {
            int n = lineCount();
            if (n == 0) return "(the input is empty)\n";
            int from = Math.max(0, line - 3);
            int to = Math.min(n, from + 40);
            StringBuilder sb = new StringBuilder("input (scanning from line " + (line + 1) + "):\n");
            for (int i = from; i < to; i++) {
                sb.append(i == line ? "> " : "  ").append(String.format("%4d| ", i + 1))
                        .append(text, lineStarts[i], lineEnd(i)).append('\n');
            }
            if (to < n) sb.append("  ... ").append(n - to).append(" more lines\n");
            return sb.toString();
        }
    }
}

package dev.nmcc.tests.lit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One test case of a lit file. Syntax (comments are {@code //} in both .nmd and .nmir):
 *
 * <pre>
 * // What this case checks, in one line (required: the case's first non-blank line).
 * // RUN: nmcc check %s
 * // RUN: not nmcc print-ir %s -o %t.nmir       ("not": the command must exit with 1)
 * // RUN: cat %t.json                           (prints a file an earlier RUN line wrote, for CHECK lines;
 * //                                             "not cat": the file must not exist)
 * // CHECK: layers: 3
 * // CHECK-NEXT: ...   CHECK-SAME, CHECK-NOT, CHECK-LABEL, CHECK-EMPTY (see FileCheck)
 * network n { ... }    // expected-error {{undefined}}   (see ExpectedDiagnostics)
 * // -----
 * // The next case ...
 * </pre>
 *
 * Substitutions in RUN lines: {@code %s} the case's file, {@code %S} its directory, {@code %t}
 * a temporary path for outputs, the same for every RUN line of the case (so {@code %t.nmir}
 * written by one RUN line can be read by the next), and printed back as {@code %t}. A RUN line ending in {@code \} continues on the next line.
 * The output checked is, for every RUN line in order, its stdout followed by its stderr, with
 * the case file's path replaced by the original file's name.
 *
 * @param source      the lit file
 * @param index       1-based case number within the file
 * @param cases       how many cases the file has
 * @param firstLine   1-based line of the case's first line in the file
 * @param text        the case's text, padded with blank lines so line numbers are the file's
 * @param description the first comment line, without {@code //}
 */
public record LitCase(Path source, int index, int cases, int firstLine, String text, String description, List<Run> runs,
                      List<Directive> checks, List<ExpectedDiagnostics.Expectation> expectations) {

    /**
     * A RUN line: the program ({@code nmcc}, or the built-in {@code cat} that prints a file a
     * command wrote), its arguments, and whether exit code 1 is expected.
     */
    public record Run(int line, boolean expectFailure, String program, List<String> args) {
        public Run(int line, boolean expectFailure, List<String> args) { this(line, expectFailure, "nmcc", args); }

        /** Whether this is the built-in {@code cat FILE}. */
        public boolean isCat() { return program.equals("cat"); }
    }

    private static final Pattern SEPARATOR = Pattern.compile("^\\s*//\\s*-----\\s*$");
    private static final Pattern DIRECTIVE = Pattern.compile("^\\s*//\\s*(RUN|CHECK(?:-NEXT|-SAME|-NOT|-LABEL|-EMPTY)?):(.*)$");
    private static final Pattern COMMENT = Pattern.compile("^\\s*//\\s?(.*)$");

    /** A name for the test: the file name, with the case number when the file has several. */
    public String name() {
        String file = source.getFileName().toString();
        return cases == 1 ? file : file + " #" + index + " (line " + firstLine + ")";
    }

    /** Whether the file is a lit test at all (it has a RUN line). */
    public static boolean isLitFile(String text) {
        for (String l : text.split("\n", -1)) {
            Matcher m = DIRECTIVE.matcher(l);
            if (m.matches() && m.group(1).equals("RUN")) return true;
        }
        return false;
    }

    /** Splits a lit file into its cases at {@code // -----} lines. */
    public static List<LitCase> parseFile(Path source, String text) {
        String[] lines = text.split("\n", -1);
        List<int[]> ranges = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < lines.length; i++) {
            if (SEPARATOR.matcher(lines[i]).matches()) {
                ranges.add(new int[] {start, i});
                start = i + 1;
            }
        }
        ranges.add(new int[] {start, lines.length});
        List<LitCase> out = new ArrayList<>();
        for (int k = 0; k < ranges.size(); k++) {
            out.add(parseCase(source, lines, ranges.get(k)[0], ranges.get(k)[1], k + 1, ranges.size()));
        }
        return out;
    }

    private static LitCase parseCase(Path source, String[] lines, int from, int to, int index, int cases) {
        StringBuilder text = new StringBuilder();
        text.append("\n".repeat(from));
        String description = null;
        List<Run> runs = new ArrayList<>();
        List<Directive> checks = new ArrayList<>();
        List<ExpectedDiagnostics.Expectation> expectations = new ArrayList<>();
        String pendingRun = null;
        int pendingRunLine = 0;
        for (int i = from; i < to; i++) {
            String line = lines[i];
            int lineNo = i + 1;
            text.append(line);
            if (i + 1 < to) text.append('\n');
            if (description == null && !line.isBlank()) {
                Matcher c = COMMENT.matcher(line);
                if (!c.matches() || DIRECTIVE.matcher(line).matches() || c.group(1).startsWith("expected-")) {
                    throw new IllegalArgumentException(source.getFileName() + ":" + lineNo
                            + ": a case must start with a comment line saying what it checks");
                }
                description = c.group(1).strip();
            }
            Matcher m = DIRECTIVE.matcher(line);
            if (pendingRun != null) {
                Matcher c = COMMENT.matcher(line);
                String more = c.matches() ? c.group(1).strip() : line.strip();
                pendingRun += " " + more;
                if (pendingRun.endsWith("\\")) {
                    pendingRun = pendingRun.substring(0, pendingRun.length() - 1).strip();
                } else {
                    runs.add(run(source, pendingRunLine, pendingRun));
                    pendingRun = null;
                }
                continue;
            }
            if (m.matches()) {
                String kind = m.group(1);
                String body = m.group(2).strip();
                if (kind.equals("RUN")) {
                    if (body.endsWith("\\")) {
                        pendingRun = body.substring(0, body.length() - 1).strip();
                        pendingRunLine = lineNo;
                    } else {
                        runs.add(run(source, lineNo, body));
                    }
                } else {
                    Directive.Kind k = Directive.Kind.of(kind);
                    if (k != Directive.Kind.EMPTY && body.isEmpty()) {
                        throw new IllegalArgumentException(source.getFileName() + ":" + lineNo + ": empty " + kind + " pattern");
                    }
                    checks.add(new Directive(k, body, lineNo));
                }
            }
            expectations.addAll(ExpectedDiagnostics.parseLine(line, lineNo));
        }
        if (pendingRun != null) runs.add(run(source, pendingRunLine, pendingRun));
        if (runs.isEmpty()) {
            throw new IllegalArgumentException(source.getFileName() + ":" + (from + 1) + ": case " + index + " has no RUN line");
        }
        return new LitCase(source, index, cases, from + 1, text.toString(), description, runs, checks, expectations);
    }

    private static Run run(Path source, int lineNo, String body) {
        List<String> words = tokenize(body);
        boolean not = false;
        if (!words.isEmpty() && words.getFirst().equals("not")) {
            not = true;
            words.removeFirst();
        }
        // cat FILE: what a command wrote (--report-json, --map) can be checked like its output
        // ("not cat FILE": FILE must not exist, e.g. nothing half-written after an error)
        if (words.size() == 2 && words.getFirst().equals("cat")) return new Run(lineNo, not, "cat", List.of(words.get(1)));
        if (words.isEmpty() || !words.getFirst().equals("nmcc")) {
            throw new IllegalArgumentException(source.getFileName() + ":" + lineNo
                    + ": RUN lines run 'nmcc ...' (or 'not nmcc ...'), or 'cat FILE'");
        }
        words.removeFirst();
        return new Run(lineNo, not, List.copyOf(words));
    }

    /** Splits a command line at blanks; single and double quotes group words (no escapes inside single quotes). */
    static List<String> tokenize(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == quote) quote = 0;
                else if (c == '\\' && quote == '"' && i + 1 < s.length()) cur.append(s.charAt(++i));
                else cur.append(c);
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) out.add(cur.toString());
                cur.setLength(0);
                inWord = false;
            } else {
                cur.append(c);
                inWord = true;
            }
        }
        if (quote != 0) throw new IllegalArgumentException("unterminated quote in: " + s);
        if (inWord) out.add(cur.toString());
        return out;
    }
}

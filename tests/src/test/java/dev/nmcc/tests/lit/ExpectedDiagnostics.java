package dev.nmcc.tests.lit;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code expected-error} directives of a case, checked against the diagnostics the tool
 * printed (MLIR's {@code -verify-diagnostics}, clang's {@code -verify}).
 *
 * <pre>
 *   h = relu(nope);   // expected-error {{undefined}}          (this line)
 *   // expected-error@+1 {{unknown op}}                        (the next line; @-2: two above)
 *   // expected-error@above {{...}}  expected-error@below {{...}}
 *   // expected-error@12 {{...}}                               (line 12 of the file)
 *   // expected-error@* {{...}}                                (anywhere, or without a location)
 *   // expected-warning ...  expected-note ...                 (likewise)
 * </pre>
 *
 * The message is a substring of the reported one. Every reported error must be expected and
 * every expectation met; warnings and notes are checked only in cases that expect at least one
 * warning (resp. note), so that an added note does not break unrelated tests.
 */
public final class ExpectedDiagnostics {
    private ExpectedDiagnostics() {}

    /** One expectation; {@code line} is null for {@code @*}. */
    public record Expectation(String severity, Integer line, String message, int directiveLine) {
        @Override public String toString() {
            return "expected-" + severity + (line == null ? "@*" : " at line " + line) + " {{" + message + "}} (directive on line "
                    + directiveLine + ")";
        }
    }

    /** A diagnostic parsed from the output; {@code line} is 0 when it has no file position. */
    public record Reported(String file, int line, int column, String severity, String message) {
        @Override public String toString() {
            return (line == 0 ? file : file + ":" + line + ":" + column) + ": " + severity + ": " + message;
        }
    }

    private static final Pattern DIRECTIVE = Pattern.compile(
            "expected-(error|warning|note|remark)(?:@([+-]\\d+|above|below|\\*|\\d+))?\\s*\\{\\{(.*?)\\}\\}");
    private static final Pattern LOCATED = Pattern.compile("^(.+?):(\\d+):(\\d+): (error|warning|note|remark): (.*)$");
    private static final Pattern UNLOCATED = Pattern.compile("^([^\\s:][^:]*): (error|warning|note|remark): (.*)$");

    /** The expectations on one source line (1-based {@code lineNo}). */
    public static List<Expectation> parseLine(String line, int lineNo) {
        List<Expectation> out = new ArrayList<>();
        int comment = line.indexOf("//");
        if (comment < 0) return out;
        Matcher m = DIRECTIVE.matcher(line);
        m.region(comment, line.length());
        while (m.find()) {
            String at = m.group(2);
            Integer target;
            if (at == null) target = lineNo;
            else if (at.equals("*")) target = null;
            else if (at.equals("above")) target = lineNo - 1;
            else if (at.equals("below")) target = lineNo + 1;
            else if (at.startsWith("+") || at.startsWith("-")) target = lineNo + Integer.parseInt(at);
            else target = Integer.parseInt(at);
            out.add(new Expectation(m.group(1), target, m.group(3), lineNo));
        }
        return out;
    }

    /** Every diagnostic line of a tool's output (source excerpts and summaries are skipped). */
    public static List<Reported> parseOutput(String output) {
        List<Reported> out = new ArrayList<>();
        for (String line : output.split("\n", -1)) {
            Matcher m = LOCATED.matcher(line);
            if (m.matches()) {
                out.add(new Reported(m.group(1), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), m.group(4), m.group(5)));
                continue;
            }
            m = UNLOCATED.matcher(line);
            if (m.matches()) out.add(new Reported(m.group(1), 0, 0, m.group(2), m.group(3)));
        }
        return out;
    }

    /**
     * Matches reported diagnostics against expectations.
     *
     * @param file the case's file name as it appears in the output
     * @return one line per problem; empty when everything matched
     */
    public static List<String> verify(List<Expectation> expected, List<Reported> reported, String file) {
        Set<String> checked = new java.util.HashSet<>();
        checked.add("error");
        for (Expectation e : expected) checked.add(e.severity());
        List<Expectation> open = new ArrayList<>(expected);
        List<String> problems = new ArrayList<>();
        for (Reported r : reported) {
            if (!checked.contains(r.severity())) continue;
            boolean inFile = r.line() > 0 && (r.file().equals(file) || r.file().endsWith("/" + file));
            Expectation hit = null;
            for (Expectation e : open) { // a line-specific expectation first
                if (e.line() != null && inFile && e.line() == r.line() && e.severity().equals(r.severity())
                        && r.message().contains(e.message())) {
                    hit = e;
                    break;
                }
            }
            if (hit == null) {
                for (Expectation e : open) {
                    if (e.line() == null && e.severity().equals(r.severity()) && r.message().contains(e.message())) {
                        hit = e;
                        break;
                    }
                }
            }
            if (hit != null) open.remove(hit);
            else problems.add("unexpected " + r.severity() + ": " + r);
        }
        for (Expectation e : open) problems.add("not produced: " + e);
        return problems;
    }
}

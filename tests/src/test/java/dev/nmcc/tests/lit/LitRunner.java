package dev.nmcc.tests.lit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs one {@link LitCase}: writes it to a file (a split case goes to a temporary file next to
 * the original, padded so that line numbers stay the original's), runs its RUN lines in-process
 * through {@link Tool}, and checks exit codes, CHECK lines and expected diagnostics. A failure
 * is an {@link AssertionError} whose message holds the commands, their exit codes, the first
 * mismatch and the output around it.
 */
public final class LitRunner {
    /** The command under test, run in-process: {@code dev.nmcc.driver.Main::run}. */
    @FunctionalInterface
    public interface Tool {
        int run(String[] args, PrintStream out, PrintStream err);
    }

    private final Tool tool;

    public LitRunner(Tool tool) { this.tool = tool; }

    /** What the RUN lines printed: the combined output, and the commands with their exit codes. */
    public record Outcome(String output, String stderr, List<String> transcript) {}

    public void run(LitCase c) throws IOException {
        Path original = c.source().toAbsolutePath();
        String display = original.getFileName().toString();
        Path caseFile = original;
        Path temp = null;
        Path tmpDir = Files.createTempDirectory("nmcc-lit-");
        try {
            if (c.cases() > 1) {
                String name = display;
                int dot = name.lastIndexOf('.');
                String stem = dot < 0 ? name : name.substring(0, dot);
                String ext = dot < 0 ? "" : name.substring(dot);
                temp = original.resolveSibling("." + stem + ".case" + c.index() + ".lit-tmp" + ext);
                Files.writeString(temp, c.text() + "\n", StandardCharsets.UTF_8);
                caseFile = temp;
            }
            Outcome outcome = execute(c, caseFile, display, tmpDir);
            List<String> problems = new ArrayList<>();
            Optional<FileCheck.Failure> f = FileCheck.check(c.checks(), outcome.output());
            f.ifPresent(x -> problems.add(x.describe(display)));
            if (!c.expectations().isEmpty()) {
                List<String> diag = ExpectedDiagnostics.verify(c.expectations(), ExpectedDiagnostics.parseOutput(outcome.stderr()), display);
                if (!diag.isEmpty()) {
                    problems.add(display + ": error: diagnostics differ from the expected-* directives:\n  "
                            + String.join("\n  ", diag) + "\nstderr:\n" + outcome.stderr());
                }
            }
            if (!problems.isEmpty() || outcome.transcript().stream().anyMatch(s -> s.startsWith("!"))) {
                StringBuilder msg = new StringBuilder();
                msg.append(c.name()).append(": ").append(c.description()).append('\n');
                for (String t : outcome.transcript()) msg.append(t.startsWith("!") ? t.substring(1) : t).append('\n');
                for (String p : problems) msg.append(p).append('\n');
                if (f.isEmpty() && c.expectations().isEmpty()) msg.append("output:\n").append(outcome.output());
                throw new AssertionError(msg.toString());
            }
        } finally {
            if (temp != null) Files.deleteIfExists(temp);
            deleteTree(tmpDir);
        }
    }

    /** Runs every RUN line; transcript entries starting with '!' are exit code mismatches. */
    Outcome execute(LitCase c, Path caseFile, String display, Path tmpDir) {
        StringBuilder output = new StringBuilder();
        StringBuilder stderr = new StringBuilder();
        List<String> transcript = new ArrayList<>();
        int runNo = 0;
        for (LitCase.Run run : c.runs()) {
            runNo++;
            String tmp = tmpDir.resolve("t").toString(); // one %t per case, so that RUN lines can share files
            List<String> args = new ArrayList<>();
            for (String a : run.args()) {
                args.add(a.replace("%s", caseFile.toString()).replace("%S", caseFile.getParent().toString()).replace("%t", tmp));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code;
            if (run.isCat()) {
                code = cat(Path.of(args.getFirst()), out, err);
            } else {
                try (PrintStream po = new PrintStream(out, true, StandardCharsets.UTF_8);
                     PrintStream pe = new PrintStream(err, true, StandardCharsets.UTF_8)) {
                    code = tool.run(args.toArray(String[]::new), po, pe);
                }
            }
            String o = clean(out.toString(StandardCharsets.UTF_8), caseFile, display, tmpDir);
            String e = clean(err.toString(StandardCharsets.UTF_8), caseFile, display, tmpDir);
            output.append(o).append(e);
            stderr.append(e);
            int expected = run.expectFailure() || !c.expectations().stream().filter(x -> x.severity().equals("error")).toList().isEmpty() ? 1 : 0;
            String cmd = "RUN (line " + run.line() + "): " + run.program() + " " + String.join(" ", run.args()).replace("%s", display);
            if (code != expected) {
                transcript.add("!" + cmd + "\n  exit code " + code + ", expected " + expected
                        + (o.isEmpty() ? "" : "\n  stdout:\n" + indent(o)) + (e.isEmpty() ? "" : "\n  stderr:\n" + indent(e)));
            } else {
                transcript.add(cmd + "  -> exit " + code);
            }
        }
        return new Outcome(output.toString(), stderr.toString(), transcript);
    }

    /** The built-in {@code cat}: the file's text as output (exit 0), or a message (exit 1) when it cannot be read. */
    private static int cat(Path file, ByteArrayOutputStream out, ByteArrayOutputStream err) {
        try {
            out.writeBytes(Files.readAllBytes(file));
            return 0;
        } catch (IOException e) {
            err.writeBytes(("cat: " + file + ": cannot read (" + e.getClass().getSimpleName() + ")\n").getBytes(StandardCharsets.UTF_8));
            return 1;
        }
    }

    /** Replaces the (temporary) case file's path by the original file's name. */
    static String clean(String s, Path caseFile, String display, Path tmpDir) {
        return s.replace(caseFile.toString(), display)
                .replace(caseFile.getFileName().toString(), display)
                .replace(tmpDir.resolve("t").toString(), "%t");
    }

    private static String indent(String s) { return "    " + s.stripTrailing().replace("\n", "\n    "); }

    private static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}

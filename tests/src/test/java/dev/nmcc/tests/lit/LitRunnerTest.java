package dev.nmcc.tests.lit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner with a fake tool, so that the harness is tested without the compiler. */
class LitRunnerTest {
    @TempDir Path dir;

    /**
     * "echo W..." prints the words; "diag FILE" prints an error for every line of FILE containing
     * BAD (exit 1) or "ok" (exit 0); "write FILE W..." writes the words to FILE; "boom" exits with 2.
     */
    static int fake(String[] args, PrintStream out, PrintStream err) {
        switch (args[0]) {
            case "echo" -> {
                out.println(String.join(" ", Arrays.asList(args).subList(1, args.length)));
                return 0;
            }
            case "diag" -> {
                try {
                    List<String> lines = Files.readAllLines(Path.of(args[1]));
                    int errors = 0;
                    for (int i = 0; i < lines.size(); i++) {
                        int col = lines.get(i).indexOf("BAD");
                        if (col >= 0 && !lines.get(i).contains("//")) {
                            err.println(args[1] + ":" + (i + 1) + ":" + (col + 1) + ": error: BAD is not allowed");
                            err.println(lines.get(i));
                            errors++;
                        }
                    }
                    if (errors == 0) out.println("ok");
                    return errors == 0 ? 0 : 1;
                } catch (IOException e) {
                    err.println("nmcc: error: " + e);
                    return 1;
                }
            }
            case "write" -> {
                try {
                    Files.writeString(Path.of(args[1]), String.join(" ", Arrays.asList(args).subList(2, args.length)) + "\n");
                    return 0;
                } catch (IOException e) {
                    return 1;
                }
            }
            default -> {
                err.println("nmcc: internal error: boom");
                return 2;
            }
        }
    }

    private final LitRunner runner = new LitRunner(LitRunnerTest::fake);

    private List<LitCase> write(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return LitCase.parseFile(f, text);
    }

    @Test
    void passingCaseWithSubstitution() throws IOException {
        LitCase c = write("pass.nmd", "// Echo prints the file name.\n// RUN: nmcc echo hello %s\n// CHECK: hello pass.nmd\n").getFirst();
        runner.run(c);
    }

    @Test
    void failingCheckReportsCommandDirectiveAndOutput() throws IOException {
        LitCase c = write("fail.nmd", "// Echo prints something else.\n// RUN: nmcc echo hello\n// CHECK: goodbye\n").getFirst();
        assertThatThrownBy(() -> runner.run(c)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("RUN (line 2): nmcc echo hello")
                .hasMessageContaining("fail.nmd:3: error: CHECK: expected string not found in input")
                .hasMessageContaining(">    1| hello");
    }

    @Test
    void splitCasesKeepLineNumbersAndShowTheOriginalName() throws IOException {
        List<LitCase> cases = write("split.nmd", """
                // First: fine.
                // RUN: nmcc diag %s
                // CHECK: ok
                // -----
                // Second: an error on line 8, expected from the line above it.
                // RUN: nmcc diag %s
                // expected-error@+1 {{not allowed}}
                BAD
                // CHECK: split.nmd:8:1: error: BAD is not allowed
                """);
        runner.run(cases.get(0));
        runner.run(cases.get(1));
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("split.nmd"); // temp file removed
        }
    }

    @Test
    void unexpectedAndMissingDiagnosticsFail() throws IOException {
        LitCase c = write("diag.nmd", """
                // The error is on line 4 but expected on line 3.
                // RUN: nmcc diag %s
                // expected-error@+2 {{not allowed}}
                BAD
                """).getFirst();
        assertThatThrownBy(() -> runner.run(c)).hasMessageContaining("unexpected error: diag.nmd:4:1: error: BAD is not allowed")
                .hasMessageContaining("not produced: expected-error at line 5");
    }

    @Test
    void exitCodeMustMatch() throws IOException {
        LitCase errs = write("exit.nmd", "// An error without 'not' fails.\n// RUN: nmcc diag %s\nBAD\n").getFirst();
        assertThatThrownBy(() -> runner.run(errs)).hasMessageContaining("exit code 1, expected 0");
        LitCase not = write("not.nmd", "// 'not' expects exit code 1.\n// RUN: not nmcc diag %s\nBAD\n// CHECK: BAD is not allowed\n").getFirst();
        runner.run(not);
        LitCase crash = write("crash.nmd", "// An internal error never passes.\n// RUN: not nmcc boom\n").getFirst();
        assertThatThrownBy(() -> runner.run(crash)).hasMessageContaining("exit code 2, expected 1").hasMessageContaining("internal error: boom");
    }

    @Test
    void catChecksAFileAnEarlierRunLineWrote() throws IOException {
        LitCase ok = write("cat.nmd", "// A file written by one RUN line is printed by cat.\n// RUN: nmcc write %t.json '{\"a\": 1}'\n"
                + "// RUN: cat %t.json\n// CHECK: {\"a\": 1}\n").getFirst();
        runner.run(ok);
        LitCase missing = write("nocat.nmd", "// cat of a file nobody wrote fails the case.\n// RUN: cat %t.svg\n").getFirst();
        assertThatThrownBy(() -> runner.run(missing)).hasMessageContaining("RUN (line 2): cat %t.svg")
                .hasMessageContaining("exit code 1, expected 0").hasMessageContaining("cannot read");
        runner.run(write("notcat.nmd", "// not cat: the file must not exist.\n// RUN: not cat %t.svg\n").getFirst());
    }
}

package dev.nmcc.driver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MainTest {
    record Result(int code, String out, String err) {}

    static Result run(Map<String, String> env, String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Result run(String... args) { return run(Map.of(), args); }

    @Test
    void helpAndVersionExitZeroOnStdout() {
        Result h = run("--help");
        assertThat(h.code()).isZero();
        assertThat(h.out()).contains("Usage: nmcc", "check", "print-ir", "run-float");
        assertThat(h.err()).isEmpty();
        for (String cmd : new String[] {"check", "print-ir", "run-float"}) {
            assertThat(run(cmd, "--help").out()).contains("Usage: nmcc " + cmd);
        }
        assertThat(run("--version").out()).startsWith("nmcc ");
    }

    @Test
    void badOptionsAreUserErrorsWithAHint() {
        Result r = run("check", "--bogus", "x.nmd");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("nmcc: error: Unknown option: '--bogus'\nTry 'nmcc check --help' for more information.\n");
        assertThat(run("chek").err()).startsWith("nmcc: error: unknown command 'chek'\n").contains("Did you mean: nmcc check");
        assertThat(run().code()).isEqualTo(1);
        assertThat(run("run-float", "m.nmd", "--data", "x.npy", "--limit", "0").err()).contains("--limit must be positive");
    }

    @Test
    void missingFileIsAOneLineUserError() {
        Result r = run("check", "/no/such/model.nmd");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("nmcc: error: cannot load '/no/such/model.nmd': no such file\n");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void internalErrorsExitTwoWithTheTraceOnlyInDebugMode() {
        var err = new ByteArrayOutputStream();
        int code = Main.handle(new IllegalStateException("boom"), new PrintStream(err, true, StandardCharsets.UTF_8), false);
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("nmcc: internal error: java.lang.IllegalStateException: boom\n"
                + "nmcc: this is a bug in nmcc; rerun with --debug (or NMCC_DEBUG=1) for the stack trace\n");
        err.reset();
        Main.handle(new IllegalStateException("boom"), new PrintStream(err, true, StandardCharsets.UTF_8), true);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("\tat dev.nmcc.driver.MainTest");
        assertThat(Main.debugFlag(new String[] {"check", "--debug", "x"})).isTrue();
        assertThat(Main.debugFlag(new String[] {"check", "--", "--debug"})).isFalse();
    }
}

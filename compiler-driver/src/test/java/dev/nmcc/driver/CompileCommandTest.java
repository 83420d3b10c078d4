package dev.nmcc.driver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nmcc.driver.cli.CompileCommand;
import dev.nmcc.driver.cli.Context;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.op.Stage;
import dev.nmcc.passes.Pass;
import dev.nmcc.passes.PassContext;
import dev.nmcc.passes.PassInfo;
import dev.nmcc.passes.PassRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** nmcc compile with passes registered by the test: a crash, and the compile report. */
class CompileCommandTest {
    private static final String MODEL = """
            module @m stage ann {
              blob @w : tensor<2x3xf32> = [0.5, -0.25, 1.0, 0.0, 0.75, -1.0]
              %x = ann.input {name = "x"} : tensor<3xf32>
              %y = ann.dense(%x) {units = 2, weight = @w} : tensor<2xf32>
              ann.output(%y) {name = "y"}
            }
            """;

    private static PassInfo pass(String name, java.util.function.BiFunction<Module, PassContext, Pass.PassResult> body) {
        PassInfo[] self = new PassInfo[1];
        self[0] = new PassInfo(name, "test", Set.of(Stage.ANN), null, List.of(), o -> new Pass() {
            @Override public PassInfo info() { return self[0]; }

            @Override public PassResult run(Module m, PassContext c) { return body.apply(m, c); }
        });
        return self[0];
    }

    record Outcome(int code, String out, String err) {}

    private static Outcome run(PassRegistry registry, String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        CommandLine cl = new CommandLine(new CompileCommand(new Context(o, e, false), registry));
        cl.setExecutionExceptionHandler((ex, c, parsed) -> Main.handle(ex, e, false));
        int code = cl.execute(args);
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test void aCrashingPassIsAnInternalErrorWithACrashFile(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("m.nmir");
        Files.writeString(model, MODEL);
        PassRegistry reg = PassRegistry.standard().with(pass("boom", (m, c) -> {
            throw new ArrayIndexOutOfBoundsException("Index 3 out of bounds for length 2");
        }));
        Outcome r = run(reg, model.toString(), "--passes", "fold-batchnorm,boom", "--crash-dir", dir.toString(), "-o",
                dir.resolve("out.nmir").toString());
        assertThat(r.code()).isEqualTo(2);
        Path crash = dir.resolve("nmcc-crash-boom.nmir");
        assertThat(r.err()).startsWith("nmcc: internal error: dev.nmcc.passes.PassCrashException: pass 'boom' crashed: "
                + "java.lang.ArrayIndexOutOfBoundsException: Index 3 out of bounds for length 2; its input IR and the pipeline are in "
                + crash);
        assertThat(Files.readString(crash)).startsWith("// nmcc crash: pass 'boom' failed on this module (its input).\n"
                + "// pipeline: fold-batchnorm,boom\n").contains("module @m stage ann {");
        assertThat(dir.resolve("out.nmir")).doesNotExist();
        // The crash file is a valid model: the failure reproduces from it.
        Outcome again = run(reg, crash.toString(), "--passes", "boom", "--crash-dir", dir.resolve("2").toString(), "-o", "-");
        assertThat(again.code()).isEqualTo(2);
    }

    @Test void reportLinesGoToStdoutAfterTheRun(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("m.nmir");
        Files.writeString(model, MODEL);
        PassRegistry reg = PassRegistry.standard().with(pass("say", (m, c) -> {
            c.report("say: hello");
            return Pass.PassResult.unchanged(m);
        }));
        Outcome r = run(reg, model.toString(), "--passes", "say,fold-batchnorm", "-o", dir.resolve("out.nmir").toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("say: hello\nfold-batchnorm: folded 0 batchnorms, removed 0 dropout, 0 identity\n");
        assertThat(r.err()).isEmpty();
        assertThat(Files.readString(dir.resolve("out.nmir"))).startsWith("module @m stage ann {");
    }
}

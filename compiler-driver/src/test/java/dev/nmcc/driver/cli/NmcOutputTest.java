package dev.nmcc.driver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nmcc.driver.Main;
import dev.nmcc.nmc.io.NmcReader;
import dev.nmcc.nmc.model.NmcModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** nmcc compile's .nmc output (default at stage hw, atomic, deterministic) and nmcc inspect on bad files. */
class NmcOutputTest {
    static final String HW = """
            module @tiny stage hw {
              blob @w1 : tensor<3x4xi4> = [1, -2, 3, -4, 5, -6, 7, -8, 0, 1, 2, 3]
              blob @b1 : tensor<3xi32> = [10, -20, 30]
              blob @w2 : tensor<2x3xi8> = [127, -128, 5, -7, 9, 11]
              %x = snn.input {name = "x"} : tensor<4xf32>
              %0 = snn.encode(%x) {mode = direct, input_scale = 255} : tensor<4xi32>
              %1 = snn.dense(%0) {units = 3, weight = @w1, bias = @b1} : tensor<3xi32>
              %h = snn.if(%1) {threshold = 100, v_bits = 20} : spikes<3>
              hw.core_slice(%h) {id = 0, core = [0, 0, 0], neurons = [0, 3], synapse_bytes = 10}
              %2 = snn.dense(%h) {units = 2, weight = @w2} : tensor<2xi32>
              hw.route(%h) {src = 0, dst = [1], hops = 1}
              %y = snn.decode(%2) {mode = potential} : tensor<2xi32>
              hw.core_slice(%y) {id = 1, core = [0, 1, 0], neurons = [0, 2], synapse_bytes = 6}
              snn.output(%y) {name = "y"}
            }
            """;

    record Outcome(int code, String out, String err) {}

    static Outcome nmcc(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("NMCC_PROGRESS", "0"));
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test void atStageHwTheOutputIsTheBinaryAndItIsDeterministic(@TempDir Path dir) throws IOException {
        Path model = Files.writeString(dir.resolve("tiny.nmir"), HW);
        Path a = dir.resolve("a.nmc"), b = dir.resolve("b.nmc");
        assertThat(nmcc("compile", model.toString(), "-o", a.toString()).code()).isZero();
        assertThat(nmcc("compile", model.toString(), "-o", b.toString()).code()).isZero();
        assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
        NmcModel m = NmcReader.read(a);
        assertThat(m.header().moduleName()).isEqualTo("tiny");
        assertThat(m.header().producer()).isEqualTo("nmcc " + VersionProvider.version());
        assertThat(m.layers()).hasSize(6);
        // -o X.nmir keeps the IR text.
        Path ir = dir.resolve("out.nmir");
        assertThat(nmcc("compile", model.toString(), "-o", ir.toString()).code()).isZero();
        assertThat(Files.readString(ir)).startsWith("module @tiny stage hw {");
    }

    @Test void defaultOutputNames() {
        assertThat(CompileCommand.binaryOutput(Path.of("models/net.nmd"))).isEqualTo(Path.of("net.nmc"));
        assertThat(CompileCommand.defaultOutput(Path.of("models/net.nmd"))).isEqualTo(Path.of("net.nmir"));
    }

    @Test void aFailedCompileLeavesNoFileAndKeepsTheOldOne(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("model.nmc");
        Files.writeString(out, "the old file");
        // A model with an error.
        Path bad = Files.writeString(dir.resolve("bad.nmir"), HW.replace("units = 2,", "units = 5,"));
        Outcome r = nmcc("compile", bad.toString(), "-o", out.toString());
        assertThat(r.code()).isEqualTo(1);
        // An .nmc output from a pipeline that stops before stage hw.
        Path ann = Files.writeString(dir.resolve("ann.nmir"), """
                module @m stage ann {
                  blob @w : tensor<2x3xf32> = [0.5, -0.25, 1.0, 0.0, 0.75, -1.0]
                  %x = ann.input {name = "x"} : tensor<3xf32>
                  %y = ann.dense(%x) {units = 2, weight = @w} : tensor<2xf32>
                  ann.output(%y) {name = "y"}
                }
                """);
        r = nmcc("compile", ann.toString(), "--passes", "fold-batchnorm", "-o", out.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("nmcc: error: -o " + out + ": an .nmc binary needs stage hw, but the pipeline ended at stage ann "
                + "(allocate-cores maps to hw); give -o with another extension (e.g. .nmir) for the IR text\n");
        assertThat(Files.readString(out)).isEqualTo("the old file");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("ann.nmir", "bad.nmir", "model.nmc");
        }
    }

    @Test void inspectOfACorruptFileIsOneLineAndExitCode1(@TempDir Path dir) throws IOException {
        Path model = Files.writeString(dir.resolve("tiny.nmir"), HW);
        Path file = dir.resolve("m.nmc");
        assertThat(nmcc("compile", model.toString(), "-o", file.toString()).code()).isZero();
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 9] ^= 0x5a;
        Files.write(file, bytes);
        Outcome r = nmcc("inspect", file.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).matches("nmcc: error: m\\.nmc: checksum mismatch \\(stored [0-9a-f]{8}, computed [0-9a-f]{8}\\): the file is corrupt\n");
        Files.write(file, java.util.Arrays.copyOf(bytes, 100));
        r = nmcc("inspect", file.toString(), "--json");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("nmcc: error: m.nmc: ").doesNotContain("Exception").endsWith("\n").hasLineCount(1);
        r = nmcc("inspect", dir.resolve("none.nmc").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("nmcc: error: " + dir.resolve("none.nmc") + ": no such file\n");
    }
}

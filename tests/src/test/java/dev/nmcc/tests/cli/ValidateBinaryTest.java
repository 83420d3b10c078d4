package dev.nmcc.tests.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nmcc.driver.Main;
import dev.nmcc.frontend.numpy.Npy;
import dev.nmcc.frontend.numpy.NpyArray;
import dev.nmcc.nmc.io.FormatVersion;
import dev.nmcc.nmc.io.NmcReader;
import dev.nmcc.nmc.io.NmcWriter;
import dev.nmcc.nmc.model.NmcModel;
import dev.nmcc.tests.fixtures.FmnistFixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user's path end to end, through the command line: the Fashion-MNIST CNN compiled once to a
 * {@code .nmc} binary and once to its hw {@code .nmir}; {@code nmcc validate} and {@code nmcc run}
 * on the binary (simulator) must give what they give on the IR (SNN interpreter): the same
 * accuracy, firing rates, SOPs, decoded outputs and spike raster. Bad binaries are one-line errors.
 */
class ValidateBinaryTest {
    private static final int SAMPLES = 100;

    @TempDir static Path dir;
    static Path nmc, nmir;

    record Result(int code, String out, String err) {}

    static Result nmcc(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("NMCC_PROGRESS", "0"));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static String[] validate(Path model, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("validate", model.toString(), "--data", FmnistFixtures.file("test_images.npy").toString(),
                "--labels", FmnistFixtures.file("test_labels.npy").toString(), "--limit", Integer.toString(SAMPLES)));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @BeforeAll
    static void compile() {
        nmc = dir.resolve("cnn.nmc");
        nmir = dir.resolve("cnn.hw.nmir");
        for (Path out : List.of(nmc, nmir)) {
            Result r = nmcc("compile", FmnistFixtures.file("cnn.nmd").toString(), "--calib", FmnistFixtures.file("calib_images.npy").toString(),
                    "--target", "akd1500", "-o", out.toString());
            assertThat(r.code()).as(r.err()).isZero();
        }
    }

    /** The numbers validate prints for the binary, in both modes, are the interpreter's on the hw IR, and so are the JSON and the raster. */
    @Test
    void binaryValidatesLikeItsHwIr() throws IOException {
        Result ir = nmcc(validate(nmir, "--json", dir.resolve("ir.json").toString(), "--raster", dir.resolve("ir.svg").toString(),
                "--raster-sample", "7"));
        Result functional = nmcc(validate(nmc, "--mode", "functional"));
        Result cycle = nmcc(validate(nmc, "--json", dir.resolve("nmc.json").toString(), "--raster", dir.resolve("nmc.svg").toString(),
                "--raster-sample", "7"));
        for (Result r : List.of(ir, functional, cycle)) assertThat(r.code()).as(r.err()).isZero();
        List<String> irLines = ir.out().lines().toList();
        assertThat(irLines.getFirst()).startsWith("Accuracy: ").endsWith("% (" + SAMPLES + " samples, T=32)");
        List<String> functionalNumbers = functional.out().lines().limit(3).toList();
        assertThat(functionalNumbers).isEqualTo(irLines.subList(0, 3)); // accuracy, firing rates, SOPs
        assertThat(cycle.out().lines().limit(3).toList()).isEqualTo(functionalNumbers);
        assertThat(cycle.out()).containsPattern("\nEnergy/inference: mean [0-9.]+ µJ  \\(dynamic [0-9.]+, static [0-9.]+; wake-on-spike saved \\d+%\\)\n")
                .containsPattern("\nLatency: p50 [0-9.,]+ (µs|ms)  p99 [0-9.,]+ (µs|ms) at 300 MHz\n")
                .containsPattern("\nCores: 8 used, mean \\d+% asleep\n");

        String irJson = Files.readString(dir.resolve("ir.json")), nmcJson = Files.readString(dir.resolve("nmc.json"));
        // Everything from "correct" to "sops_per_inference" (accuracy, layers, SOP distribution) is the same text.
        assertThat(section(nmcJson, "\"correct\"", "\"pj_per_sop\"")).isEqualTo(section(irJson, "\"correct\"", "\"pj_per_sop\""));
        assertThat(nmcJson).contains("\"clock_mhz\" : 300.0");
        // The raster of sample 7 (bands and histograms) is the same picture; only the title names the file and engine.
        String irSvg = Files.readString(dir.resolve("ir.svg")), nmcSvg = Files.readString(dir.resolve("nmc.svg"));
        assertThat(section(nmcSvg, "<g class=\"band\"", "</svg>")).isEqualTo(section(irSvg, "<g class=\"band\"", "</svg>"));
        assertThat(nmcSvg).contains("id=\"band-c1\"", "id=\"band-c2\"", "id=\"band-h\"", "id=\"hist-h\"");
    }

    /** nmcc run writes the decoded potentials exactly (float64): the binary's file equals the IR's, byte for byte. */
    @Test
    void runWritesTheSameOutputsAsTheInterpreter() throws IOException {
        Path a = dir.resolve("nmc.npy"), b = dir.resolve("ir.npy");
        String images = FmnistFixtures.file("test_images.npy").toString();
        Result r1 = nmcc("run", nmc.toString(), "--input", images, "--limit", "20", "-o", a.toString());
        Result r2 = nmcc("run", nmir.toString(), "--input", images, "--limit", "20", "-o", b.toString());
        assertThat(r1.code()).as(r1.err()).isZero();
        assertThat(r2.code()).as(r2.err()).isZero();
        assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
        NpyArray out = Npy.read(a);
        assertThat(out.dtype()).isEqualTo("<f8");
        assertThat(out.shape()).containsExactly(20, 10);
        // The printed predictions are the argmax of the written potentials.
        float[] v = out.asFloats();
        StringBuilder expected = new StringBuilder("Predictions:");
        for (int s = 0; s < 20; s++) expected.append(' ').append(FmnistFixtures.argmax(v, s, 10));
        assertThat(r1.out()).contains(expected + "\n").contains("Outputs: " + a + " (20x10 float64, logits, decoded by potential)");
    }

    /** A binary from a newer nmcc, and one with a flipped byte: one line each naming the problem, exit 1, nothing on stdout. */
    @Test
    void newerOrCorruptBinariesAreOneLineErrors() throws Exception {
        NmcModel model = NmcReader.read(nmc);
        // NmcWriter writes other versions only for tests of its own package; reflection stands in for that package here.
        Method withVersion = NmcWriter.class.getDeclaredMethod("toBytes", NmcModel.class, int.class, int.class);
        withVersion.setAccessible(true);
        Path newer = dir.resolve("newer.nmc");
        Files.write(newer, (byte[]) withVersion.invoke(null, model, FormatVersion.MAJOR + 1, 0));
        Result r = nmcc(validate(newer));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("nmcc: error: newer.nmc: format version " + (FormatVersion.MAJOR + 1) + ".0 is newer than this nmcc reads")
                .endsWith("; use a newer nmcc\n").hasLineCount(1);

        byte[] bytes = Files.readAllBytes(nmc);
        bytes[bytes.length - 100] ^= 0x5a;
        Path corrupt = dir.resolve("corrupt.nmc");
        Files.write(corrupt, bytes);
        Result c = nmcc(validate(corrupt));
        assertThat(c.code()).isEqualTo(1);
        assertThat(c.out()).isEmpty();
        assertThat(c.err()).startsWith("nmcc: error: corrupt.nmc: ").doesNotContain("Exception").hasLineCount(1);
    }

    private static String section(String text, String from, String to) {
        int a = text.indexOf(from), b = text.indexOf(to, a);
        assertThat(a).as("'" + from + "' in the text").isNotNegative();
        assertThat(b).as("'" + to + "' after it").isPositive();
        return text.substring(a, b);
    }
}

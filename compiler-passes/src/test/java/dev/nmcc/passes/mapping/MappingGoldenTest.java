package dev.nmcc.passes.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nmcc.backend.target.Targets;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.text.IrPrinter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Text in, text out: a quantized snn module (resources/mapping/NAME.nmir) through allocate-cores and
 * annotate-wake-on-spike, printed with blob data elided, against NAME.hw.expected. On a
 * mismatch the actual output is written to target/mapping-golden/NAME.hw.actual; accepting a change
 * is copying it over the expected file.
 */
class MappingGoldenTest {
    static void check(String name, String targetName) throws IOException {
        Module snn = AllocateCoresTest.resource(name + ".nmir");
        var target = Targets.resolve(targetName);
        var a = AllocateCores.allocate(snn, target, AllocateCores.Settings.defaults());
        var w = AnnotateWakeOnSpike.annotate(a.module(), target, ActivityProfile.uniform(0.1), 32);
        String actual = IrPrinter.print(w.module(), IrPrinter.Options.ELIDED);
        String expected;
        try (InputStream in = MappingGoldenTest.class.getResourceAsStream("/mapping/" + name + ".hw.expected")) {
            expected = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!actual.equals(expected)) {
            Path out = Path.of("target", "mapping-golden", name + ".hw.actual");
            Files.createDirectories(out.getParent());
            Files.writeString(out, actual);
        }
        assertThat(actual).as("golden %s.hw.expected (actual written to target/mapping-golden)", name).isEqualTo(expected);
    }

    /** A tiny network: one node, every core awake (a timestep is shorter than a wake-up). */
    @Test void rateCodedMlp() throws IOException { check("rate_mlp", "akd1000"); }

    /** Two slices for h1 on akd1500, all-to-all routes, and the layers behind it asleep between events. */
    @Test void wideRateCodedMlp() throws IOException { check("rate_wide", "akd1500"); }
}

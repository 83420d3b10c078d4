package dev.nmcc.ir.text;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nmcc.ir.diag.CompilationException;
import dev.nmcc.ir.graph.Module;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The parser on damaged input: every outcome is a module or located diagnostics, never another exception. */
class IrParserRobustnessTest {
    private static final String NOISE = " \n\"@%#=,:(){}[]-<>x.0123456789aeinf/\\";

    @Test
    void randomEditsGiveAModuleOrDiagnosticsNeverACrash() {
        // Checks: 600 seeded random edits of printed modules of all stages parse or fail with diagnostics only.
        List<String> texts = List.of(IrPrinter.print(Examples.snn()), IrPrinter.print(Examples.hw()),
                IrPrinter.print(Examples.ann(), IrPrinter.Options.ELIDED));
        Random r = new Random(1234);
        List<String> crashes = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            String text = texts.get(i % texts.size());
            StringBuilder sb = new StringBuilder(text);
            int edits = 1 + r.nextInt(3);
            for (int e = 0; e < edits; e++) {
                int at = r.nextInt(sb.length());
                switch (r.nextInt(4)) {
                    case 0 -> sb.deleteCharAt(at);
                    case 1 -> sb.insert(at, NOISE.charAt(r.nextInt(NOISE.length())));
                    case 2 -> sb.setCharAt(at, NOISE.charAt(r.nextInt(NOISE.length())));
                    default -> {
                        int end = Math.min(sb.length(), at + r.nextInt(40));
                        sb.insert(r.nextInt(sb.length()), sb.substring(at, end));
                    }
                }
            }
            try {
                Module m = IrParser.parse(sb.toString(), "f.nmir");
                IrPrinter.print(m);
            } catch (CompilationException ce) {
                assertThat(ce.diagnostics()).isNotEmpty();
            } catch (RuntimeException | StackOverflowError ex) {
                if (crashes.size() < 5) crashes.add(ex + " at " + ex.getStackTrace()[0] + "\n---\n" + sb + "\n---");
            }
        }
        assertThat(crashes).isEmpty();
    }
}

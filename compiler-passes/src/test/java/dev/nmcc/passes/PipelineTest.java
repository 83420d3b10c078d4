package dev.nmcc.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nmcc.ir.op.Stage;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PipelineTest {
    private final PassRegistry reg = TestPasses.registry();

    private Pipeline parse(String s) { return Pipeline.parse(s, reg); }

    @Test void parsesPassesAndOptionsWithDefaults() {
        Pipeline p = parse("noop, opts{mode=percentile p=99.5 channel-wise per-channel target-rate=0.05..0.2},touch");
        assertEquals(List.of("noop", "opts", "touch"), p.steps().stream().map(Pipeline.Step::name).toList());
        PassOptions o = p.steps().get(1).options();
        assertEquals("percentile", o.string("mode"));
        assertEquals(99.5, o.number("p"));
        assertEquals(8, o.integer("bits")); // default
        assertEquals("per-channel", o.string("granularity"));
        assertTrue(o.flag("channel-wise"));
        assertEquals(0.2, o.range("target-rate")[1]);
        assertFalse(o.has("tag"));
        assertEquals(Map.of("mode", "percentile", "p", "99.5", "channel-wise", "true", "granularity", "per-channel",
                "target-rate", "0.05..0.2"), o.given());
        assertEquals(Set.of("channel-wise", "granularity"), p.steps().get(1).bare());
        assertEquals(6, p.steps().get(1).position());
    }

    @Test void textIsCanonicalAndReparsesEqual() {
        Pipeline p = parse("  noop ,opts{ per-channel,  bits=4 tag=\"a b\" channel-wise=false mode=max }, touch ");
        assertEquals("noop,opts{mode=max bits=4 per-channel channel-wise=false tag=\"a b\"},touch", p.text());
        Pipeline again = parse(p.text());
        assertEquals(p, again);
        assertEquals(p.text(), again.text());
        assertEquals("a b", p.steps().get(1).options().string("tag"));
    }

    @Test void theIssueExamplePrintsBackToItself() {
        String text = "opts{mode=percentile p=99.9 channel-wise},noop,opts{bits=4 per-channel}";
        assertEquals(text, parse(text).text());
    }

    @Test void emptyPipeline() {
        assertTrue(parse("").isEmpty());
        assertTrue(parse("   ").isEmpty());
        assertEquals("", parse("").text());
    }

    @Test void quotedStringWithEscapesRoundTrips() {
        Pipeline p = parse("opts{tag=\"x,{y}=\\\"z\\\\\"}");
        assertEquals("x,{y}=\"z\\", p.steps().getFirst().options().string("tag"));
        assertEquals(p, parse(p.text()));
    }

    @Test void differentOptionsAreDifferentPipelines() {
        assertFalse(parse("opts{bits=4}").equals(parse("opts{bits=8}")));
        assertFalse(parse("opts").equals(parse("opts{bits=8}"))); // given vs defaulted prints differently
    }

    /** Each error and the 0-based position it points at (the column of '^' under the pipeline). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "noop,fold-bn                  | 5  | unknown pass 'fold-bn'",
        "nop                           | 0  | unknown pass 'nop'; did you mean 'noop'?",
        "noop,,touch                   | 5  | empty pass name",
        "noop,                         | 5  | empty pass name after ','",
        "`,noop`                       | 0  | empty pass name",
        "noop{                         | 4  | unbalanced '{': no matching '}'",
        "noop}                         | 4  | unbalanced '}'",
        "opts{bits=4,touch             | 4  | unbalanced '{'",
        "opts{bits=4{x}}               | 4  | unbalanced '{'",
        "`opts{bits=4} touch`          | 13 | expected ',' or '{' after pass 'opts', got 't'",
        "opts{bitz=4}                  | 5  | unknown option 'bitz' of pass 'opts'; did you mean 'bits'?",
        "opts{per-chanel}              | 5  | unknown option 'per-chanel' of pass 'opts'; did you mean 'per-channel'?",
        "noop{x=1}                     | 5  | pass 'noop' has no options, got 'x'",
        "opts{bits=four}               | 10 | bad value 'four' for option 'bits' of pass 'opts': expected an integer",
        "opts{p=1e999}                 | 7  | bad value '1e999' for option 'p' of pass 'opts': expected a number",
        "opts{mode=median}             | 10 | bad value 'median' for option 'mode' of pass 'opts': expected one of max, percentile",
        "opts{target-rate=0.2}         | 17 | expected a range LO..HI",
        "opts{channel-wise=yes}        | 18 | expected true or false",
        "opts{bits=}                   | 10 | missing value for option 'bits' of pass 'opts' (an integer)",
        "opts{bits}                    | 5  | option 'bits' of pass 'opts' needs a value: bits=VALUE (an integer)",
        "opts{bits=4 bits=8}           | 12 | option 'bits' of pass 'opts' is given twice (first as 'bits=4')",
        "opts{per-tensor granularity=per-channel} | 16 | option 'granularity' of pass 'opts' is given twice (first as 'per-tensor')",
        "opts{both}                    | 5  | 'both' is a value of several options of pass 'opts' (left, right); write OPTION=both",
        "noop,opts{bits=3}             | 5  | pass 'opts': bits must be 1, 2, 4 or 8, got 3",
        "opts{=4}                      | 5  | expected an option of pass 'opts', got '='",
        "{bits=4}                      | 0  | empty pass name before '{'",
        "opts{tag=\"abc}               | 4  | unterminated string",
    })
    void errorsCarryTheirPosition(String text, int position, String message) {
        PipelineException e = assertThrows(PipelineException.class, () -> parse(text));
        assertTrue(e.getMessage().contains(message), () -> "message: " + e.getMessage());
        assertEquals(position, e.position(), () -> e.getMessage() + "\n" + e.excerpt());
        assertEquals(text, e.pipeline());
    }

    @Test void excerptPutsACaretUnderThePosition() {
        PipelineException e = assertThrows(PipelineException.class, () -> parse("noop,opts{bitz=4}"));
        assertEquals("  noop,opts{bitz=4}\n            ^\n", e.excerpt());
        assertEquals("nmcc: error: unknown option 'bitz' of pass 'opts'; did you mean 'bits'?\n" + e.excerpt(), e.render("nmcc: "));
    }

    @Test void unknownPassWithoutNearNameListsThePasses() {
        PipelineException e = assertThrows(PipelineException.class, () -> parse("quantize-weights"));
        assertTrue(e.getMessage().contains("known passes: noop, touch"), e.getMessage());
    }

    @Test void stageCheckNamesThePassTheStageAndTheFix() {
        Pipeline p = parse("noop,snn-only");
        PipelineException e = assertThrows(PipelineException.class, () -> p.checkStages(Stage.ANN, reg));
        assertEquals("pass 'snn-only' accepts a module of stage snn or hw, but gets one of stage ann; run to-snn before it",
                e.getMessage());
        assertEquals(5, e.position());
        assertEquals(Stage.SNN, parse("noop,to-snn,snn-only").checkStages(Stage.ANN, reg));
        PipelineException first = assertThrows(PipelineException.class, () -> parse("noop").checkStages(Stage.SNN, reg));
        assertTrue(first.getMessage().endsWith("gets one of stage snn (the input)"), first.getMessage());
    }

    @Test void startingAtDropsLeadingPassesOfEarlierStages() {
        Pipeline p = parse("noop,to-snn,snn-only");
        assertEquals("snn-only", p.startingAt(Stage.SNN).text());
        Pipeline q = parse("noop, opts{bits=4},  snn-only,noop").startingAt(Stage.SNN);
        assertEquals("snn-only,noop", q.source());
        assertEquals(9, q.steps().get(1).position()); // positions refer to the new source
        assertEquals(9, assertThrows(PipelineException.class, () -> q.checkStages(Stage.SNN, reg)).position());
        assertEquals(p, p.startingAt(Stage.ANN));
    }

    @ParameterizedTest
    @ValueSource(strings = {"noop", "opts{bits=4 per-channel}", "opts{tag=\"\"}", "noop,noop,touch"})
    void roundTrips(String text) {
        Pipeline p = parse(text);
        assertEquals(p, parse(p.text()));
    }

    /** Random strings over the pipeline's alphabet: a pipeline or a PipelineException in range, never another exception. */
    @Test void randomTextNeverCrashesTheParser() {
        String[] pieces = {"noop", "opts", "touch", "{", "}", ",", " ", "=", "\"", "\\", "bits", "4", "per-channel", "both",
            "p", "1.5", "..", "mode", "max", "x", "channel-wise", "true", "tag"};
        java.util.Random r = new java.util.Random(42);
        for (int n = 0; n < 20000; n++) {
            StringBuilder sb = new StringBuilder();
            for (int k = r.nextInt(12); k >= 0; k--) sb.append(pieces[r.nextInt(pieces.length)]);
            String text = sb.toString();
            try {
                Pipeline p = parse(text);
                assertEquals(p, parse(p.text()), text);
            } catch (PipelineException e) {
                assertTrue(e.position() >= 0 && e.position() <= text.length(), () -> text + " -> " + e.position());
                assertEquals(text, e.pipeline());
            }
        }
    }
}

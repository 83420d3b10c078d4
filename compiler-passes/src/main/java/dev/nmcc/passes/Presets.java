package dev.nmcc.passes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The optimisation levels {@code -O0}, {@code -O1}, {@code -O2} as data: one pipeline text per
 * level, written in full, including passes that are not built yet.
 *
 * <p>Passes a preset names but the registry does not hold are skipped, for presets only (a
 * pipeline the user writes must name registered passes). {@link #skipped} lists them so that the
 * driver can say so. A registered pass whose options the preset gets wrong is a bug of this table:
 * {@link #pipeline} throws {@link IllegalStateException} (and the preset tests catch it).
 */
public final class Presets {
    private Presets() {}

    public enum Level {
        O0, O1, O2;

        /** {@code -O0}, ... */
        public String flag() { return "-" + name(); }
    }

    /** The level used when neither {@code --passes} nor {@code -O} is given. */
    public static final Level DEFAULT = Level.O2;

    /**
     * The table. -O0: only what lowering needs. -O1: plus the cheap clean-ups. -O2: everything,
     * with the options that give the best accuracy: calibrate-thresholds' defaults are the measured
     * best (docs/accuracy.md); quantize-weights takes its bit width and membrane width from the
     * target unless the pipeline gives them.
     */
    private static final Map<Level, String> TABLE = Map.of(
            Level.O0, "calibrate-thresholds,quantize-weights,allocate-cores",
            Level.O1, "fold-batchnorm,calibrate-thresholds,eliminate-dead-neurons{mode=exact},quantize-weights,"
                    + "allocate-cores",
            Level.O2, "fold-batchnorm,calibrate-thresholds,eliminate-dead-neurons{mode=exact},quantize-weights{per-channel},"
                    + "allocate-cores,annotate-wake-on-spike");

    /** The full text of a level, unregistered passes included. */
    public static String text(Level level) { return TABLE.get(level); }

    /** The level's pipeline with the passes of {@code registry}; positions refer to its {@link Pipeline#source()}. */
    public static Pipeline pipeline(Level level, PassRegistry registry) {
        List<String> kept = new ArrayList<>();
        for (String element : elements(level)) {
            if (registry.contains(passName(element))) kept.add(element);
        }
        String text = String.join(",", kept);
        try {
            return Pipeline.parse(text, registry);
        } catch (PipelineException e) {
            throw new IllegalStateException("preset " + level.flag() + " does not parse (fix Presets.TABLE): "
                    + e.getMessage() + "\n" + e.excerpt(), e);
        }
    }

    /** The passes the level names that the registry does not hold (they are skipped). */
    public static List<String> skipped(Level level, PassRegistry registry) {
        return elements(level).stream().map(Presets::passName).filter(n -> !registry.contains(n)).toList();
    }

    /** The level's pass invocations as texts ({@code quantize-weights{bits=8}}). */
    static List<String> elements(Level level) {
        List<String> out = new ArrayList<>();
        String t = TABLE.get(level);
        int depth = 0, start = 0;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '{') depth++;
            else if (c == '}') depth--;
            else if (c == ',' && depth == 0) {
                out.add(t.substring(start, i));
                start = i + 1;
            }
        }
        out.add(t.substring(start));
        return out;
    }

    private static String passName(String element) {
        int brace = element.indexOf('{');
        return (brace < 0 ? element : element.substring(0, brace)).strip();
    }
}

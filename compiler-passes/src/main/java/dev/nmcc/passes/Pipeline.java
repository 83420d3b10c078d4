package dev.nmcc.passes;

import dev.nmcc.ir.op.Stage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An ordered list of pass invocations, parsed from text against a {@link PassRegistry}:
 *
 * <pre>
 * fold-batchnorm,calibrate-thresholds{mode=percentile p=99.9 channel-wise},quantize-weights{bits=4 per-channel}
 * </pre>
 *
 * <ul>
 *   <li>Passes are separated by commas; blanks around names and commas are ignored. The empty
 *       string (or only blanks) is the empty pipeline.
 *   <li>Options follow a pass in braces: {@code name=value} entries separated by blanks and/or
 *       commas ({@code {bits=4 per-channel}} and {@code {bits=4, per-channel}} are the same).
 *       A value runs to the next blank, comma or brace, or is double-quoted ({@code "a b"},
 *       with {@code \"} and {@code \\} escapes).
 *   <li>A bare word is a flag set to true ({@code channel-wise}), or, when no option has that
 *       name, the value of the only ENUM option that accepts it ({@code per-channel} means
 *       {@code granularity=per-channel}). A word that several ENUM options accept must be written
 *       {@code name=value}.
 *   <li>Values are checked against the option's type when the pipeline is parsed; then the pass's
 *       factory is called once, and an {@link IllegalArgumentException} it throws (an option
 *       combination the pass rejects) is reported at the pass's name.
 * </ul>
 *
 * Every mistake is a {@link PipelineException} with the 0-based position of the offending text.
 * {@link #text()} prints the pipeline canonically (given options only, in the pass's option order,
 * spelled as written: bare or {@code name=value}, separated by one blank), and parsing that text
 * gives an equal pipeline. Immutable.
 */
public final class Pipeline {
    /**
     * One pass invocation.
     *
     * @param options every option, given or defaulted
     * @param bare the given options that were written as a bare word (a flag, or an enum value)
     * @param position where the pass's name starts in the parsed text (-1 when built in code);
     *     not part of equality
     */
    public record Step(PassInfo info, PassOptions options, Set<String> bare, int position) {
        public Step {
            Objects.requireNonNull(info, "info");
            Objects.requireNonNull(options, "options");
            bare = Collections.unmodifiableSet(new LinkedHashSet<>(bare));
        }

        public String name() { return info.name(); }

        /** Builds the pass with these options. */
        public Pass create() { return info.factory().apply(options); }

        /** The canonical text of this step: {@code name} or {@code name{k=v flag}}. */
        public String text() {
            Map<String, String> given = options.given();
            if (given.isEmpty()) return info.name();
            List<String> parts = new ArrayList<>();
            for (OptionSpec o : info.options()) {
                String v = given.get(o.name());
                if (v == null) continue;
                if (bare.contains(o.name())) parts.add(o.type() == OptionSpec.Type.FLAG ? o.name() : v);
                else parts.add(o.name() + "=" + quoteIfNeeded(v));
            }
            return info.name() + "{" + String.join(" ", parts) + "}";
        }

        @Override public boolean equals(Object o) {
            return o instanceof Step s && info.name().equals(s.info.name()) && options.equals(s.options)
                    && options.given().equals(s.options.given()) && bare.equals(s.bare);
        }

        @Override public int hashCode() { return Objects.hash(info.name(), options, bare); }

        @Override public String toString() { return text(); }
    }

    private final List<Step> steps;
    private final String source;

    private Pipeline(List<Step> steps, String source) {
        this.steps = List.copyOf(steps);
        this.source = source;
    }

    /** A pipeline of these steps; its source text is its canonical text, and positions refer to it. */
    public static Pipeline of(List<Step> steps) {
        List<Step> placed = new ArrayList<>(steps.size());
        int pos = 0;
        for (Step s : steps) {
            placed.add(new Step(s.info(), s.options(), s.bare(), pos));
            pos += s.text().length() + 1;
        }
        Pipeline p = new Pipeline(placed, null);
        return new Pipeline(placed, p.text());
    }

    public static final Pipeline EMPTY = new Pipeline(List.of(), "");

    public List<Step> steps() { return steps; }

    public boolean isEmpty() { return steps.isEmpty(); }

    public int size() { return steps.size(); }

    /** The text this pipeline was parsed from (positions refer to it); the canonical text when built in code. */
    public String source() { return source; }

    /** The canonical text: steps joined by commas. */
    public String text() { return steps.stream().map(Step::text).collect(Collectors.joining(",")); }

    /** Whether some step runs the pass with this name. */
    public boolean contains(String passName) { return steps.stream().anyMatch(s -> s.name().equals(passName)); }

    /**
     * The pipeline without its leading steps that do not accept {@code stage}: a preset applied to
     * a module that is already past its first passes (an {@code snn} .nmir given to {@code -O2}).
     */
    public Pipeline startingAt(Stage stage) {
        int i = 0;
        while (i < steps.size() && !steps.get(i).info().accepts().contains(stage)) i++;
        return i == 0 ? this : Pipeline.of(steps.subList(i, steps.size()));
    }

    /**
     * Checks that every pass gets a module of a stage it accepts, when the pipeline starts at
     * {@code input}; returns the stage at the end. A mismatch is a {@link PipelineException} at the
     * pass, naming the stage it would get and the stages it accepts, and the registered passes
     * that could bring the module there.
     */
    public Stage checkStages(Stage input, PassRegistry registry) {
        Stage stage = input;
        for (Step s : steps) {
            if (!s.info().accepts().contains(stage)) {
                String accepts = stageList(s.info().accepts());
                String msg = "pass '" + s.name() + "' accepts a module of stage " + accepts + ", but gets one of stage "
                        + stage + (s == steps.getFirst() ? " (the input)" : "");
                Stage from = stage;
                List<String> bridges = registry == null ? List.of() : registry.all().stream()
                        .filter(p -> p.accepts().contains(from) && p.produces() != null && s.info().accepts().contains(p.produces()))
                        .map(PassInfo::name).toList();
                if (!bridges.isEmpty()) msg += "; run " + String.join(" or ", bridges) + " before it";
                throw new PipelineException(msg, source, s.position());
            }
            stage = s.info().resultStage(stage);
        }
        return stage;
    }

    static String stageList(Set<Stage> stages) {
        List<String> names = new ArrayList<>();
        for (Stage st : Stage.values()) if (stages.contains(st)) names.add(st.mnemonic());
        if (names.size() == 1) return names.getFirst();
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.getLast();
    }

    @Override public boolean equals(Object o) { return o instanceof Pipeline p && steps.equals(p.steps); }

    @Override public int hashCode() { return steps.hashCode(); }

    @Override public String toString() { return text(); }

    // ---- parsing --------------------------------------------------------------------------------

    /** Parses a pipeline; throws {@link PipelineException} at the first mistake. */
    public static Pipeline parse(String text, PassRegistry registry) {
        return new Parser(text, registry).pipeline();
    }

    static String quoteIfNeeded(String v) {
        if (!v.isEmpty() && v.chars().noneMatch(c -> Character.isWhitespace(c) || ",{}=\"\\".indexOf(c) >= 0)) return v;
        return '"' + v.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static final class Parser {
        private final String s;
        private final PassRegistry registry;
        private int i;

        Parser(String s, PassRegistry registry) {
            this.s = s;
            this.registry = registry;
        }

        PipelineException error(int pos, String message) { return new PipelineException(message, s, pos); }

        Pipeline pipeline() {
            List<Step> steps = new ArrayList<>();
            skipBlanks();
            if (i == s.length()) return new Pipeline(steps, s);
            while (true) {
                skipBlanks();
                steps.add(step());
                skipBlanks();
                if (i == s.length()) break;
                char c = s.charAt(i);
                if (c == ',') {
                    i++;
                    skipBlanks();
                    if (i == s.length()) throw error(i, "empty pass name after ','");
                    continue;
                }
                if (c == '}') throw error(i, "unbalanced '}': no '{' before it");
                throw error(i, "expected ',' or '{' after pass '" + steps.getLast().name() + "', got " + describe(i));
            }
            return new Pipeline(steps, s);
        }

        Step step() {
            int start = i;
            String name = word();
            if (name.isEmpty()) {
                if (i == s.length() || s.charAt(i) == ',') throw error(start, "empty pass name");
                if (s.charAt(i) == '}') throw error(i, "unbalanced '}': no '{' before it");
                if (s.charAt(i) == '{') throw error(i, "empty pass name before '{'");
                throw error(start, "expected a pass name, got " + describe(i));
            }
            PassInfo info = registry.get(name);
            if (info == null) {
                String near = registry.suggest(name);
                throw error(start, "unknown pass '" + name + "'"
                        + (near != null ? "; did you mean '" + near + "'?" : "; known passes: " + String.join(", ", registry.names())));
            }
            var given = new LinkedHashMap<String, String>();
            var bare = new LinkedHashSet<String>();
            var where = new LinkedHashMap<String, String>();
            skipBlanks();
            if (i < s.length() && s.charAt(i) == '{') options(info, given, bare, where);
            var values = new LinkedHashMap<String, String>();
            for (OptionSpec o : info.options()) {
                String v = given.containsKey(o.name()) ? given.get(o.name()) : o.defaultValue();
                if (v != null) values.put(o.name(), v);
            }
            PassOptions options = new PassOptions(values, given);
            try {
                info.factory().apply(options);
            } catch (IllegalArgumentException e) {
                throw error(start, "pass '" + name + "': " + e.getMessage());
            }
            return new Step(info, options, bare, start);
        }

        void options(PassInfo info, Map<String, String> given, Set<String> bare, Map<String, String> spelling) {
            int open = i;
            checkBalanced(open);
            i++;
            while (true) {
                skipSeparators();
                if (s.charAt(i) == '}') {
                    i++;
                    return;
                }
                int start = i;
                if (s.charAt(i) == '{' || s.charAt(i) == '=' || s.charAt(i) == '"') {
                    throw error(i, "expected an option of pass '" + info.name() + "', got " + describe(i));
                }
                String key = word();
                OptionSpec spec;
                String value;
                boolean isBare;
                if (i < s.length() && s.charAt(i) == '=') {
                    i++;
                    int vstart = i;
                    spec = info.option(key);
                    if (spec == null) throw unknownOption(info, key, start);
                    value = value();
                    if (value == null) throw error(vstart, "missing value for option '" + key + "' of pass '" + info.name()
                            + "' (" + spec.expected() + ")");
                    String why = spec.check(value);
                    if (why != null) {
                        throw error(vstart, "bad value '" + value + "' for option '" + key + "' of pass '" + info.name() + "': " + why);
                    }
                    isBare = false;
                } else {
                    spec = info.option(key);
                    if (spec != null) {
                        if (spec.type() != OptionSpec.Type.FLAG) {
                            throw error(start, "option '" + key + "' of pass '" + info.name() + "' needs a value: " + key + "=VALUE ("
                                    + spec.expected() + ")");
                        }
                        value = "true";
                    } else {
                        List<OptionSpec> enums = info.options().stream()
                                .filter(o -> o.type() == OptionSpec.Type.ENUM && o.choices().contains(key)).toList();
                        if (enums.size() > 1) {
                            throw error(start, "'" + key + "' is a value of several options of pass '" + info.name() + "' ("
                                    + enums.stream().map(OptionSpec::name).collect(Collectors.joining(", "))
                                    + "); write OPTION=" + key);
                        }
                        if (enums.isEmpty()) throw unknownOption(info, key, start);
                        spec = enums.getFirst();
                        value = key;
                    }
                    isBare = true;
                }
                if (given.containsKey(spec.name())) {
                    throw error(start, "option '" + spec.name() + "' of pass '" + info.name() + "' is given twice (first as '"
                            + spelling.get(spec.name()) + "')");
                }
                given.put(spec.name(), value);
                spelling.put(spec.name(), s.substring(start, i));
                if (isBare) bare.add(spec.name());
            }
        }

        PipelineException unknownOption(PassInfo info, String key, int pos) {
            if (info.options().isEmpty()) return error(pos, "pass '" + info.name() + "' has no options, got '" + key + "'");
            List<String> words = new ArrayList<>();
            for (OptionSpec o : info.options()) {
                words.add(o.name());
                if (o.type() == OptionSpec.Type.ENUM) words.addAll(o.choices());
            }
            String near = Suggest.closest(key, words);
            return error(pos, "unknown option '" + key + "' of pass '" + info.name() + "'"
                    + (near != null ? "; did you mean '" + near + "'?"
                    : "; its options: " + info.options().stream().map(OptionSpec::name).collect(Collectors.joining(", "))));
        }

        /** Finds the '}' that closes the '{' at {@code open}, skipping quoted values; reports an unbalanced '{'. */
        void checkBalanced(int open) {
            boolean quoted = false;
            for (int j = open + 1; j < s.length(); j++) {
                char c = s.charAt(j);
                if (quoted) {
                    if (c == '\\') j++;
                    else if (c == '"') quoted = false;
                } else if (c == '"') {
                    quoted = true;
                } else if (c == '}') {
                    return;
                } else if (c == '{') {
                    throw error(open, "unbalanced '{': a '{' follows at position " + j + " before this one is closed by '}'");
                }
            }
            throw error(open, quoted ? "unterminated string in the options" : "unbalanced '{': no matching '}'");
        }

        /** A value after '=': a word or a quoted string; null when empty. */
        String value() {
            if (i < s.length() && s.charAt(i) == '"') {
                StringBuilder sb = new StringBuilder();
                i++;
                while (s.charAt(i) != '"') {
                    char c = s.charAt(i++);
                    if (c == '\\') c = s.charAt(i++);
                    sb.append(c);
                }
                i++;
                return sb.toString();
            }
            String w = word();
            return w.isEmpty() ? null : w;
        }

        String word() {
            int start = i;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (Character.isWhitespace(c) || ",{}=\"".indexOf(c) >= 0) break;
                i++;
            }
            return s.substring(start, i);
        }

        void skipBlanks() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        }

        void skipSeparators() {
            while (i < s.length() && (Character.isWhitespace(s.charAt(i)) || s.charAt(i) == ',')) i++;
        }

        String describe(int pos) {
            return pos >= s.length() ? "the end" : "'" + s.charAt(pos) + "'";
        }
    }
}

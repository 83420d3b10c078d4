package dev.nmcc.backend.target;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The schema of a target file: its sections and fields, in file order, with type, range and
 * unit. The loader validates against it, the writer writes in its order, {@code nmcc targets}
 * prints it, and docs/targets.md describes the same table.
 */
public final class TargetFields {
    private TargetFields() {}

    /** What a field holds. */
    public enum Kind {
        /** A JSON string. */
        STRING,
        /** A JSON integer within [min, max]. */
        INTEGER,
        /** A JSON number (integer or decimal), positive ({@code min > 0}) or non-negative. */
        NUMBER,
        /** A non-empty list of distinct bit widths from {1, 2, 4, 8}. */
        BIT_WIDTHS,
        /** A non-empty list of distinct positive integers. */
        SIZES
    }

    /**
     * One field.
     *
     * @param section the enclosing object ({@code ""} for the top level)
     * @param name    its JSON key
     * @param kind    its type
     * @param min     smallest allowed value (INTEGER: inclusive; NUMBER: 0 means ≥ 0, 1 means > 0)
     * @param max     largest allowed value (INTEGER only)
     * @param unit    unit for people ({@code ""} when none)
     */
    public record Field(String section, String name, Kind kind, long min, long max, String unit) {
        /** "a positive integer", "a non-negative number", ... as in error messages. */
        public String expectation() {
            return switch (kind) {
                case STRING -> "a string";
                case INTEGER -> max < Integer.MAX_VALUE ? "an integer in [" + min + ", " + max + "]"
                        : min == 1 ? "a positive integer" : "a non-negative integer";
                case NUMBER -> min > 0 ? "a positive number" : "a non-negative number";
                case BIT_WIDTHS -> "a non-empty list of bit widths from [1, 2, 4, 8]";
                case SIZES -> "a non-empty list of positive integers";
            };
        }
    }

    /** The top-level sections (objects) in file order; {@code sources} is a map of strings. */
    public static final List<String> SECTIONS = List.of("geometry", "npu", "layers", "timing", "energy");

    public static final String SOURCES = "sources";

    private static final long INF = Long.MAX_VALUE;
    private static final List<Field> FIELDS = List.of(
            new Field("", "name", Kind.STRING, 0, 0, ""),
            new Field("", "description", Kind.STRING, 0, 0, ""),
            new Field("geometry", "chips", Kind.INTEGER, 1, INF, ""),
            new Field("geometry", "nodes_per_chip", Kind.INTEGER, 1, INF, ""),
            new Field("geometry", "npus_per_node", Kind.INTEGER, 1, INF, ""),
            new Field("geometry", "mesh_rows", Kind.INTEGER, 1, INF, ""),
            new Field("geometry", "mesh_cols", Kind.INTEGER, 1, INF, ""),
            new Field("npu", "neurons", Kind.INTEGER, 1, Integer.MAX_VALUE, ""),
            new Field("npu", "synapse_memory_bytes", Kind.INTEGER, 1, INF, "bytes"),
            new Field("npu", "weight_bits", Kind.BIT_WIDTHS, 0, 0, "bits"),
            new Field("npu", "activation_bits", Kind.BIT_WIDTHS, 0, 0, "bits"),
            new Field("npu", "max_fan_in", Kind.INTEGER, 1, Integer.MAX_VALUE, "synapses per neuron"),
            new Field("npu", "membrane_bits", Kind.INTEGER, 2, 64, "bits"),
            new Field("layers", "input_bits", Kind.INTEGER, 1, 32, "bits"),
            new Field("layers", "input_channels", Kind.SIZES, 0, 0, "channels"),
            new Field("layers", "input_max_width", Kind.INTEGER, 1, Integer.MAX_VALUE, "pixels"),
            new Field("layers", "input_conv_kernel_sizes", Kind.SIZES, 0, 0, "k (k x k)"),
            new Field("layers", "input_conv_strides", Kind.SIZES, 0, 0, ""),
            new Field("layers", "conv_kernel_sizes", Kind.SIZES, 0, 0, "k (k x k)"),
            new Field("layers", "conv_strides", Kind.SIZES, 0, 0, ""),
            new Field("layers", "max_pool_sizes", Kind.SIZES, 0, 0, "k (k x k)"),
            new Field("timing", "clock_mhz", Kind.NUMBER, 1, 0, "MHz"),
            new Field("timing", "sops_per_cycle_per_npu", Kind.INTEGER, 1, Integer.MAX_VALUE, "SOPs/cycle"),
            new Field("timing", "neuron_update_cycles", Kind.INTEGER, 1, Integer.MAX_VALUE, "cycles/neuron"),
            new Field("timing", "hop_latency_cycles", Kind.INTEGER, 0, Integer.MAX_VALUE, "cycles"),
            new Field("timing", "link_bandwidth_events_per_cycle", Kind.NUMBER, 1, 0, "events/cycle"),
            new Field("timing", "inter_chip_latency_cycles", Kind.INTEGER, 0, Integer.MAX_VALUE, "cycles"),
            new Field("timing", "inter_chip_bandwidth_events_per_cycle", Kind.NUMBER, 1, 0, "events/cycle"),
            new Field("timing", "wake_latency_cycles", Kind.INTEGER, 0, Integer.MAX_VALUE, "cycles"),
            new Field("energy", "pj_per_sop", Kind.NUMBER, 0, 0, "pJ"),
            new Field("energy", "pj_per_neuron_update", Kind.NUMBER, 0, 0, "pJ"),
            new Field("energy", "pj_per_hop", Kind.NUMBER, 0, 0, "pJ"),
            new Field("energy", "pj_per_inter_chip_hop", Kind.NUMBER, 0, 0, "pJ"),
            new Field("energy", "static_power_awake_uw", Kind.NUMBER, 0, 0, "µW per NPU"),
            new Field("energy", "static_power_asleep_uw", Kind.NUMBER, 0, 0, "µW per NPU"));

    private static final Map<String, Field> BY_NAME = new LinkedHashMap<>();

    static {
        for (Field f : FIELDS) BY_NAME.put(f.name(), f);
    }

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

    /** Every field in file order. */
    public static List<Field> all() { return FIELDS; }

    /** The fields of one section ({@code ""} for the top level) in file order. */
    public static List<Field> of(String section) {
        List<Field> out = new ArrayList<>();
        for (Field f : FIELDS) if (f.section().equals(section)) out.add(f);
        return out;
    }

    /** The field called {@code name}, in whichever section (field names are unique). */
    public static Optional<Field> field(String name) { return Optional.ofNullable(BY_NAME.get(name)); }

    /** Whether {@code name} is a field (the keys {@code sources} may use). */
    public static boolean isField(String name) { return BY_NAME.containsKey(name); }

    /** Whether {@code s} is a valid target name: a letter or digit, then letters, digits, '_', '.', '-'. */
    public static boolean isValidName(String s) { return s != null && NAME.matcher(s).matches(); }

    /** The closest of {@code candidates} to {@code s}, when close enough to be a likely typo. */
    public static Optional<String> closest(String s, Iterable<String> candidates) {
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(s.toLowerCase(java.util.Locale.ROOT), c.toLowerCase(java.util.Locale.ROOT));
            if (d < bestD) {
                bestD = d;
                best = c;
            }
        }
        if (best == null) return Optional.empty();
        int limit = Math.max(2, Math.min(s.length(), best.length()) / 3);
        return bestD <= limit ? Optional.of(best) : Optional.empty();
    }

    /** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}

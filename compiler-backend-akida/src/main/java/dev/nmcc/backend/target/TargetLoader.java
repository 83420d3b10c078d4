package dev.nmcc.backend.target;

import dev.nmcc.backend.target.Json.Arr;
import dev.nmcc.backend.target.Json.Member;
import dev.nmcc.backend.target.Json.Num;
import dev.nmcc.backend.target.Json.Obj;
import dev.nmcc.backend.target.Json.Str;
import dev.nmcc.backend.target.Json.Value;
import dev.nmcc.backend.target.TargetFields.Field;
import dev.nmcc.ir.diag.CompilationException;
import dev.nmcc.ir.diag.Diagnostic;
import dev.nmcc.ir.diag.DiagnosticSink;
import dev.nmcc.ir.loc.Location;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a target description (JSON, docs/targets.md) and validates it. Every problem is a located
 * diagnostic ({@code akd1000.json:12:5: error: field 'npus_per_node' must be a positive integer,
 * got -4}); all of them are collected before giving up, in file order.
 *
 * <p>Checks, in order: JSON syntax; duplicate keys; per object, unknown fields (with a
 * did-you-mean, or the section a misplaced field belongs in) and missing required fields (named);
 * per field, its type and range (bit widths in {1, 2, 4, 8}, positive clock, non-negative
 * energies, ...); then the relations between fields (the mesh holds the nodes; asleep power does
 * not exceed awake power).
 */
public final class TargetLoader {
    private TargetLoader() {}

    /** Reads and validates {@code file}; throws a {@link CompilationException} with every problem. */
    public static Target load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw unlocated("cannot read target '" + file + "': no such file");
        } catch (AccessDeniedException e) {
            throw unlocated("cannot read target '" + file + "': permission denied");
        } catch (CharacterCodingException e) {
            throw unlocated("cannot read target '" + file + "': not UTF-8 text");
        } catch (IOException e) {
            throw unlocated("cannot read target '" + file + "': " + (Files.isDirectory(file) ? "is a directory" : e.getMessage()));
        }
        return parse(text, file.toString());
    }

    /** Validates {@code text}, naming {@code file} in diagnostics; throws with every problem. */
    public static Target parse(String text, String file) {
        DiagnosticSink sink = new DiagnosticSink();
        Optional<Target> t = parse(text, file, sink);
        if (sink.hasErrors() || t.isEmpty()) throw new CompilationException(sink.diagnostics());
        return t.get();
    }

    /** Validates {@code text}, reporting into {@code sink}; empty when there were errors. */
    public static Optional<Target> parse(String text, String file, DiagnosticSink sink) {
        List<Diagnostic> duplicates = new ArrayList<>();
        Value root;
        try {
            root = Json.parse(text, file, duplicates);
        } catch (Json.SyntaxError e) {
            sink.report(e.diagnostic);
            return Optional.empty();
        }
        List<Diagnostic> ds = new ArrayList<>(duplicates);
        Target t = new Reader(ds).target(root);
        ds.sort(java.util.Comparator.comparingInt((Diagnostic d) -> ((Location.FileLineCol) d.location()).line())
                .thenComparingInt(d -> ((Location.FileLineCol) d.location()).column()));
        sink.addAll(ds);
        return ds.stream().anyMatch(d -> d.severity() == dev.nmcc.ir.diag.Severity.ERROR) ? Optional.empty() : Optional.ofNullable(t);
    }

    private static CompilationException unlocated(String message) {
        return new CompilationException(Diagnostic.error(Location.UNKNOWN, message));
    }

    /** One validation run; collects diagnostics and the values that passed. */
    private static final class Reader {
        private final List<Diagnostic> out;
        private final Map<String, Object> values = new HashMap<>();
        private final Map<String, Member> members = new HashMap<>();

        Reader(List<Diagnostic> out) { this.out = out; }

        private void error(Location loc, String message) { out.add(Diagnostic.error(loc, message)); }

        Target target(Value root) {
            if (!(root instanceof Obj obj)) {
                error(root.loc(), "a target file holds one JSON object, got " + root.describe());
                return null;
            }
            Set<String> topKeys = new HashSet<>();
            for (Field f : TargetFields.of("")) topKeys.add(f.name());
            topKeys.addAll(TargetFields.SECTIONS);
            topKeys.add(TargetFields.SOURCES);
            checkKeys(obj, "", topKeys);
            List<String> missing = new ArrayList<>();
            for (Field f : TargetFields.of("")) if (!obj.members().containsKey(f.name())) missing.add(f.name());
            for (String s : TargetFields.SECTIONS) if (!obj.members().containsKey(s)) missing.add(s);
            reportMissing(obj, "", missing);
            for (Field f : TargetFields.of("")) readField(obj, f);
            for (String section : TargetFields.SECTIONS) {
                Member m = obj.members().get(section);
                if (m == null) continue;
                if (!(m.value() instanceof Obj so)) {
                    error(m.keyLoc(), "field '" + section + "' must be an object, got " + m.value().describe());
                    continue;
                }
                Set<String> keys = new HashSet<>();
                for (Field f : TargetFields.of(section)) keys.add(f.name());
                checkKeys(so, section, keys);
                List<String> miss = new ArrayList<>();
                for (Field f : TargetFields.of(section)) if (!so.members().containsKey(f.name())) miss.add(f.name());
                reportMissing(so, section, miss);
                for (Field f : TargetFields.of(section)) readField(so, f);
            }
            Map<String, String> sources = sources(obj.members().get(TargetFields.SOURCES));
            crossChecks();
            if (!out.isEmpty() || values.size() != TargetFields.all().size()) return null;
            try {
                Geometry g = new Geometry(i("chips"), i("nodes_per_chip"), i("npus_per_node"), i("mesh_rows"), i("mesh_cols"));
                Npu n = new Npu(i("neurons"), l("synapse_memory_bytes"), list("weight_bits"), list("activation_bits"), i("max_fan_in"),
                        i("membrane_bits"));
                LayerLimits ly = new LayerLimits(i("input_bits"), list("input_channels"), i("input_max_width"), list("input_conv_kernel_sizes"), list("input_conv_strides"),
                        list("conv_kernel_sizes"), list("conv_strides"), list("max_pool_sizes"));
                Timing tm = new Timing(d("clock_mhz"), i("sops_per_cycle_per_npu"), i("neuron_update_cycles"), i("hop_latency_cycles"),
                        d("link_bandwidth_events_per_cycle"), i("inter_chip_latency_cycles"), d("inter_chip_bandwidth_events_per_cycle"),
                        i("wake_latency_cycles"));
                Energy e = new Energy(d("pj_per_sop"), d("pj_per_neuron_update"), d("pj_per_hop"), d("pj_per_inter_chip_hop"),
                        d("static_power_awake_uw"), d("static_power_asleep_uw"));
                return new Target((String) values.get("name"), (String) values.get("description"), g, n, ly, tm, e, sources);
            } catch (IllegalArgumentException ex) { // a check the loader missed: still the user's file
                error(root.loc(), "invalid target: " + ex.getMessage());
                return null;
            }
        }

        private int i(String k) { return ((Long) values.get(k)).intValue(); }

        private long l(String k) { return (Long) values.get(k); }

        private double d(String k) { return (Double) values.get(k); }

        @SuppressWarnings("unchecked")
        private List<Integer> list(String k) { return (List<Integer>) values.get(k); }

        private void checkKeys(Obj obj, String section, Set<String> known) {
            for (Member m : obj.members().values()) {
                if (known.contains(m.key())) continue;
                String where = section.isEmpty() ? "" : " in '" + section + "'";
                Optional<Field> elsewhere = TargetFields.field(m.key());
                if (elsewhere.isPresent()) {
                    String home = elsewhere.get().section();
                    error(m.keyLoc(), "field '" + m.key() + "' does not belong" + where + "; it belongs "
                            + (home.isEmpty() ? "at the top level" : "in '" + home + "'"));
                    continue;
                }
                Optional<String> guess = TargetFields.closest(m.key(), sortedKnown(known));
                error(m.keyLoc(), "unknown field '" + m.key() + "'" + where + guess.map(g -> "; did you mean '" + g + "'?").orElse(""));
            }
        }

        private static List<String> sortedKnown(Set<String> known) {
            List<String> order = new ArrayList<>();
            for (Field f : TargetFields.all()) if (known.contains(f.name())) order.add(f.name());
            for (String s : TargetFields.SECTIONS) if (known.contains(s)) order.add(s);
            if (known.contains(TargetFields.SOURCES)) order.add(TargetFields.SOURCES);
            return order;
        }

        private void reportMissing(Obj obj, String section, List<String> missing) {
            if (missing.isEmpty()) return;
            String names = String.join(", ", missing.stream().map(n -> "'" + n + "'").toList());
            String where = section.isEmpty() ? "" : " in '" + section + "'";
            error(obj.loc(), "missing required field" + (missing.size() == 1 ? " " : "s ") + names + where);
        }

        private void readField(Obj obj, Field f) {
            Member m = obj.members().get(f.name());
            if (m == null) return;
            members.put(f.name(), m);
            Object v = switch (f.kind()) {
                case STRING -> string(m, f);
                case INTEGER -> integer(m, f);
                case NUMBER -> number(m, f);
                case BIT_WIDTHS, SIZES -> sizes(m, f);
            };
            if (v != null) values.put(f.name(), v);
        }

        private String mustBe(Field f, Value got) { return "field '" + f.name() + "' must be " + f.expectation() + ", got " + got.describe(); }

        private Object string(Member m, Field f) {
            if (!(m.value() instanceof Str s)) {
                error(m.keyLoc(), mustBe(f, m.value()));
                return null;
            }
            if (f.name().equals("name") && !TargetFields.isValidName(s.value())) {
                error(m.keyLoc(), "field 'name' must be letters, digits, '_', '.' or '-', starting with a letter or digit, got "
                        + s.describe());
                return null;
            }
            return s.value();
        }

        private Object integer(Member m, Field f) {
            if (!(m.value() instanceof Num n) || !n.integral()) {
                error(m.keyLoc(), mustBe(f, m.value()));
                return null;
            }
            BigInteger v = new BigInteger(n.text());
            if (v.compareTo(BigInteger.valueOf(f.min())) < 0) {
                error(m.keyLoc(), mustBe(f, m.value()));
                return null;
            }
            if (v.compareTo(BigInteger.valueOf(f.max())) > 0) {
                error(m.keyLoc(), f.max() < Integer.MAX_VALUE ? mustBe(f, m.value())
                        : "field '" + f.name() + "' is too large: at most " + f.max() + ", got " + n.text());
                return null;
            }
            return v.longValue();
        }

        private Object number(Member m, Field f) {
            if (!(m.value() instanceof Num n)) {
                error(m.keyLoc(), mustBe(f, m.value()));
                return null;
            }
            double v = new BigDecimal(n.text()).doubleValue();
            boolean ok = Double.isFinite(v) && (f.min() > 0 ? v > 0 : v >= 0);
            if (!ok) {
                error(m.keyLoc(), mustBe(f, m.value()));
                return null;
            }
            return v;
        }

        private Object sizes(Member m, Field f) {
            if (!(m.value() instanceof Arr a) || a.items().isEmpty()) {
                error(m.keyLoc(), mustBe(f, m.value()));
                return null;
            }
            List<Integer> vs = new ArrayList<>();
            boolean ok = true;
            for (Value item : a.items()) {
                if (!(item instanceof Num n) || !n.integral() || new BigInteger(n.text()).compareTo(BigInteger.ONE) < 0
                        || new BigInteger(n.text()).compareTo(BigInteger.valueOf(Integer.MAX_VALUE)) > 0) {
                    error(item.loc(), "field '" + f.name() + "' must hold positive integers, got " + item.describe());
                    ok = false;
                    continue;
                }
                int v = Integer.parseInt(n.text());
                if (f.kind() == TargetFields.Kind.BIT_WIDTHS && !Checks.BIT_WIDTHS.contains(v)) {
                    error(item.loc(), "field '" + f.name() + "': " + v + " is not a supported bit width (1, 2, 4 or 8)");
                    ok = false;
                    continue;
                }
                if (vs.contains(v)) {
                    error(item.loc(), "field '" + f.name() + "' lists " + v + " twice");
                    ok = false;
                    continue;
                }
                vs.add(v);
            }
            return ok ? vs.stream().sorted().toList() : null;
        }

        private Map<String, String> sources(Member m) {
            Map<String, String> out = new LinkedHashMap<>();
            if (m == null) return out;
            if (!(m.value() instanceof Obj o)) {
                error(m.keyLoc(), "field 'sources' must be an object mapping field names to text, got " + m.value().describe());
                return out;
            }
            List<String> names = TargetFields.all().stream().map(Field::name).toList();
            for (Member s : o.members().values()) {
                if (!TargetFields.isField(s.key())) {
                    Optional<String> guess = TargetFields.closest(s.key(), names);
                    error(s.keyLoc(), "source for unknown field '" + s.key() + "'" + guess.map(g -> "; did you mean '" + g + "'?").orElse(""));
                } else if (!(s.value() instanceof Str str)) {
                    error(s.keyLoc(), "source of '" + s.key() + "' must be a string, got " + s.value().describe());
                } else {
                    out.put(s.key(), str.value());
                }
            }
            return out;
        }

        private void crossChecks() {
            Long rows = (Long) values.get("mesh_rows");
            Long cols = (Long) values.get("mesh_cols");
            Long nodes = (Long) values.get("nodes_per_chip");
            if (rows != null && cols != null && nodes != null && rows * cols < nodes) {
                error(members.get("mesh_rows").keyLoc(), "a " + rows + " x " + cols + " mesh has " + rows * cols
                        + " positions, too few for nodes_per_chip = " + nodes);
            }
            Long chips = (Long) values.get("chips");
            Long npus = (Long) values.get("npus_per_node");
            if (chips != null && nodes != null && npus != null
                    && BigInteger.valueOf(chips).multiply(BigInteger.valueOf(nodes)).multiply(BigInteger.valueOf(npus))
                            .compareTo(BigInteger.valueOf(Integer.MAX_VALUE)) > 0) {
                error(members.get("chips").keyLoc(), "chips x nodes_per_chip x npus_per_node exceeds " + Integer.MAX_VALUE + " NPUs");
            }
            Double awake = (Double) values.get("static_power_awake_uw");
            Double asleep = (Double) values.get("static_power_asleep_uw");
            if (awake != null && asleep != null && asleep > awake) {
                error(members.get("static_power_asleep_uw").keyLoc(), "static_power_asleep_uw (" + Numbers.text(asleep)
                        + ") exceeds static_power_awake_uw (" + Numbers.text(awake) + "): a sleeping NPU cannot draw more than an awake one");
            }
        }
    }
}

package dev.nmcc.passes;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The options of one pass invocation after parsing: every option of the pass's spec, given or
 * defaulted, as validated text. Immutable. Typed getters convert; the pipeline parser has
 * already checked that each value converts.
 */
public final class PassOptions {
    private final Map<String, String> values;
    /** The options that were written in the pipeline (printed back by {@code Pipeline.text()}). */
    private final Map<String, String> given;

    public PassOptions(Map<String, String> values, Map<String, String> given) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.given = Collections.unmodifiableMap(new LinkedHashMap<>(given));
    }

    /** The defaults of a pass, nothing given. */
    public static PassOptions defaults(PassInfo info) {
        var v = new LinkedHashMap<String, String>();
        for (OptionSpec o : info.options()) if (o.defaultValue() != null) v.put(o.name(), o.defaultValue());
        return new PassOptions(v, Map.of());
    }

    public boolean has(String name) { return values.containsKey(name); }

    public String string(String name) { return values.get(name); }

    public boolean flag(String name) { return Boolean.parseBoolean(values.get(name)); }

    public int integer(String name) { return Integer.parseInt(values.get(name)); }

    public double number(String name) { return Double.parseDouble(values.get(name)); }

    /** A RANGE option as {lo, hi}, or null when absent. */
    public double[] range(String name) {
        String v = values.get(name);
        if (v == null) return null;
        int dots = v.indexOf("..");
        return new double[] {Double.parseDouble(v.substring(0, dots)), Double.parseDouble(v.substring(dots + 2))};
    }

    public Map<String, String> values() { return values; }

    public Map<String, String> given() { return given; }

    @Override public boolean equals(Object o) { return o instanceof PassOptions p && values.equals(p.values); }

    @Override public int hashCode() { return values.hashCode(); }

    @Override public String toString() { return values.toString(); }
}

package dev.nmcc.ir.attr;

import dev.nmcc.ir.blob.BlobLookup;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The attributes of one op: an immutable map from name to value that keeps the order in
 * which the entries were given (the printer prints them in that order, so the builder puts
 * them in schema order). Equality ignores order.
 */
public final class Attributes {
    public static final Attributes EMPTY = new Attributes(new LinkedHashMap<>());

    private final Map<String, Attribute> entries;

    private Attributes(LinkedHashMap<String, Attribute> entries) {
        this.entries = Collections.unmodifiableMap(entries);
    }

    public static Attributes of(Map<String, ? extends Attribute> entries) {
        return new Attributes(new LinkedHashMap<>(entries));
    }

    public static Builder builder() { return new Builder(); }

    public Optional<Attribute> get(String name) { return Optional.ofNullable(entries.get(name)); }

    public Attribute getOrNull(String name) { return entries.get(name); }

    public boolean has(String name) { return entries.containsKey(name); }

    public Set<String> names() { return entries.keySet(); }

    public Map<String, Attribute> asMap() { return entries; }

    public int size() { return entries.size(); }

    /** Typed accessors: each returns the default when the attribute is absent. */
    public long getInt(String name, long dflt) {
        return entries.get(name) instanceof Attribute.Int(long v) ? v : dflt;
    }

    public double getNumber(String name, double dflt) {
        return switch (entries.get(name)) {
            case Attribute.Int(long v) -> v;
            case Attribute.Float(double v) -> v;
            case null, default -> dflt;
        };
    }

    /**
     * A per-element parameter (a threshold, v0, a bias): element {@code index} of the blob when the
     * attribute refers to one, else the scalar number, else {@code dflt}.
     */
    public double getNumberAt(String name, int index, BlobLookup blobs, double dflt) {
        String b = getBlob(name);
        return b != null ? blobs.get(b).get(index) : getNumber(name, dflt);
    }

    public boolean getBool(String name, boolean dflt) {
        return entries.get(name) instanceof Attribute.Bool(boolean v) ? v : dflt;
    }

    public String getString(String name, String dflt) {
        return switch (entries.get(name)) {
            case Attribute.Str(String v) -> v;
            case Attribute.Symbol(String v) -> v;
            case null, default -> dflt;
        };
    }

    /** The referenced blob's name, or null when absent or not a blob reference. */
    public String getBlob(String name) {
        return entries.get(name) instanceof Attribute.BlobRef(String v) ? v : null;
    }

    /** An int array attribute, or the default when absent or not an int array. */
    public int[] getInts(String name, int[] dflt) {
        if (entries.get(name) instanceof Attribute.Array a) {
            int[] v = a.intsOrNull();
            if (v != null) return v;
        }
        return dflt;
    }

    /** A copy with one entry added or replaced (a replaced entry keeps its position). */
    public Attributes with(String name, Attribute value) {
        var copy = new LinkedHashMap<>(entries);
        copy.put(name, value);
        return new Attributes(copy);
    }

    public Attributes without(String name) {
        var copy = new LinkedHashMap<>(entries);
        copy.remove(name);
        return new Attributes(copy);
    }

    @Override public boolean equals(Object o) { return o instanceof Attributes a && entries.equals(a.entries); }
    @Override public int hashCode() { return entries.hashCode(); }

    /** The text form: {@code {kernel = [3, 3], weight = @w}}, or empty when there are none. */
    public String text() {
        if (entries.isEmpty()) return "";
        StringBuilder sb = new StringBuilder("{");
        boolean first = true;
        for (var e : entries.entrySet()) {
            if (!first) sb.append(", ");
            first = false;
            sb.append(e.getKey()).append(" = ").append(e.getValue().text());
        }
        return sb.append('}').toString();
    }

    @Override public String toString() { return text(); }

    public static final class Builder {
        private final LinkedHashMap<String, Attribute> entries = new LinkedHashMap<>();

        public Builder put(String name, Attribute value) { entries.put(name, value); return this; }
        public Builder putInt(String name, long v) { return put(name, new Attribute.Int(v)); }
        public Builder putFloat(String name, double v) { return put(name, new Attribute.Float(v)); }
        public Builder putBool(String name, boolean v) { return put(name, new Attribute.Bool(v)); }
        public Builder putString(String name, String v) { return put(name, new Attribute.Str(v)); }
        public Builder putSymbol(String name, String v) { return put(name, new Attribute.Symbol(v)); }
        public Builder putBlob(String name, String blobName) { return put(name, new Attribute.BlobRef(blobName)); }
        public Builder putInts(String name, int... v) { return put(name, Attribute.Array.ofInts(v)); }
        public Builder putFloats(String name, double... v) { return put(name, Attribute.Array.ofFloats(v)); }

        public Attributes build() { return new Attributes(new LinkedHashMap<>(entries)); }
    }
}

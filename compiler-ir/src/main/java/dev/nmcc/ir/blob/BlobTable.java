package dev.nmcc.ir.blob;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The module's constants, by name, in insertion order (which is the printed order). Immutable;
 * {@link Builder} makes new tables.
 */
public final class BlobTable implements BlobLookup {
    public static final BlobTable EMPTY = new BlobTable(new LinkedHashMap<>());

    private final Map<String, Blob> blobs;

    private BlobTable(LinkedHashMap<String, Blob> blobs) { this.blobs = Collections.unmodifiableMap(blobs); }

    @Override public Blob get(String name) { return blobs.get(name); }

    public boolean contains(String name) { return blobs.containsKey(name); }

    public Collection<Blob> all() { return blobs.values(); }

    public int size() { return blobs.size(); }

    /** Total number of stored values over all blobs. */
    public long totalElements() {
        long n = 0;
        for (Blob b : blobs.values()) n += b.size();
        return n;
    }

    public Builder toBuilder() { return new Builder(blobs); }

    public static Builder builder() { return new Builder(Map.of()); }

    @Override public boolean equals(Object o) { return o instanceof BlobTable t && blobs.equals(t.blobs); }
    @Override public int hashCode() { return blobs.hashCode(); }

    public static final class Builder implements BlobLookup {
        private final LinkedHashMap<String, Blob> blobs;

        private Builder(Map<String, Blob> start) { blobs = new LinkedHashMap<>(start); }

        /** Adds a blob; a name that is already taken is an error. */
        public Builder add(Blob blob) {
            if (blobs.putIfAbsent(blob.name(), blob) != null) {
                throw new IllegalArgumentException("duplicate blob @" + blob.name());
            }
            return this;
        }

        /** Adds or replaces a blob (replacing keeps its position). */
        public Builder put(Blob blob) { blobs.put(blob.name(), blob); return this; }

        public Builder remove(String name) { blobs.remove(name); return this; }

        public boolean contains(String name) { return blobs.containsKey(name); }

        @Override public Blob get(String name) { return blobs.get(name); }

        /** A name not yet taken: {@code base}, else {@code base.1}, {@code base.2}, ... */
        public String freshName(String base) {
            if (!blobs.containsKey(base)) return base;
            for (int i = 1; ; i++) {
                String n = base + "." + i;
                if (!blobs.containsKey(n)) return n;
            }
        }

        public BlobTable build() { return new BlobTable(new LinkedHashMap<>(blobs)); }
    }
}

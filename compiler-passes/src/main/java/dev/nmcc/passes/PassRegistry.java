package dev.nmcc.passes;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The passes a pipeline can name: pipeline name → {@link PassInfo}, in registration order.
 * Immutable and built fresh by whoever needs one ({@link #standard()} for the compiler, a
 * hand-made one in tests); there is no global registry.
 */
public final class PassRegistry {
    private final Map<String, PassInfo> passes;

    private PassRegistry(Map<String, PassInfo> passes) { this.passes = passes; }

    /** A registry of these passes; two passes with one name are an error. */
    public static PassRegistry of(Collection<PassInfo> infos) {
        var map = new LinkedHashMap<String, PassInfo>();
        for (PassInfo info : infos) {
            if (map.putIfAbsent(info.name(), info) != null) {
                throw new IllegalArgumentException("pass '" + info.name() + "' is registered twice");
            }
        }
        return new PassRegistry(java.util.Collections.unmodifiableMap(map));
    }

    public static PassRegistry of(PassInfo... infos) { return of(List.of(infos)); }

    /** Every pass of the compiler ({@link StandardPasses}). */
    public static PassRegistry standard() { return of(StandardPasses.all()); }

    /** This registry plus more passes (tests register their own this way). */
    public PassRegistry with(PassInfo... more) {
        var all = new java.util.ArrayList<>(passes.values());
        all.addAll(List.of(more));
        return of(all);
    }

    /** The pass with this name, or null. */
    public PassInfo get(String name) { return passes.get(name); }

    public boolean contains(String name) { return passes.containsKey(name); }

    /** Every pass, in registration order (the order of {@code --list-passes}). */
    public List<PassInfo> all() { return List.copyOf(passes.values()); }

    public List<String> names() { return List.copyOf(passes.keySet()); }

    /** The registered name closest to {@code name} (a typo), or null. */
    public String suggest(String name) { return Suggest.closest(name, passes.keySet()); }
}

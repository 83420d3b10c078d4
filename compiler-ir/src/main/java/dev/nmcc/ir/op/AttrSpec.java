package dev.nmcc.ir.op;

import dev.nmcc.ir.attr.AttrKind;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * One attribute of an op's schema: its name, the kinds it may take, whether it is required,
 * and, for symbols, the closed set of keywords allowed. Value ranges are checked by the
 * verifier (see {@code AttributeRules}), which knows the semantics.
 */
public record AttrSpec(String name, Set<AttrKind> kinds, boolean required, List<String> symbols, String doc) {
    public AttrSpec {
        kinds = Set.copyOf(kinds);
        symbols = List.copyOf(symbols);
    }

    public static AttrSpec required(String name, AttrKind kind, String doc) {
        return new AttrSpec(name, EnumSet.of(kind), true, List.of(), doc);
    }

    public static AttrSpec optional(String name, AttrKind kind, String doc) {
        return new AttrSpec(name, EnumSet.of(kind), false, List.of(), doc);
    }

    /** A number: an integer or a float (thresholds are floats in snn and integers in hw). */
    public static AttrSpec number(String name, boolean required, String doc) {
        return new AttrSpec(name, EnumSet.of(AttrKind.INT, AttrKind.FLOAT), required, List.of(), doc);
    }

    /**
     * A per-neuron number: an integer or a float for the whole population, or a blob reference
     * with one value per channel (dimension 0 of the population), as quantization with
     * per-channel scales needs for thresholds and initial potentials.
     */
    public static AttrSpec numberOrBlob(String name, boolean required, String doc) {
        return new AttrSpec(name, EnumSet.of(AttrKind.INT, AttrKind.FLOAT, AttrKind.BLOB), required, List.of(), doc);
    }

    /** A scale: a float (per tensor) or a blob reference (per output channel). */
    public static AttrSpec scale(String name, boolean required, String doc) {
        return new AttrSpec(name, EnumSet.of(AttrKind.FLOAT, AttrKind.BLOB), required, List.of(), doc);
    }

    public static AttrSpec symbol(String name, boolean required, List<String> allowed, String doc) {
        return new AttrSpec(name, EnumSet.of(AttrKind.SYMBOL), required, allowed, doc);
    }
}

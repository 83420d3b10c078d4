package dev.nmcc.ir.attr;

import dev.nmcc.ir.loc.Location;
import java.util.List;
import java.util.Objects;

/**
 * A compile-time constant attached to an op. Values compare structurally. Text forms:
 * {@code 3}, {@code 1.0e-05}, {@code true}, {@code "name"}, {@code subtract} (a symbol from a
 * closed set), {@code @conv1.weight} (a blob reference), {@code [3, 3]} (an array).
 */
public sealed interface Attribute
        permits Attribute.Int, Attribute.Float, Attribute.Bool, Attribute.Str, Attribute.Symbol,
                Attribute.BlobRef, Attribute.Array {

    /** The kind of this attribute, as checked against an op's schema. */
    AttrKind kind();

    /** The text form used by the IR printer. */
    String text();

    record Int(long value) implements Attribute {
        @Override public AttrKind kind() { return AttrKind.INT; }
        @Override public String text() { return Long.toString(value); }
    }

    /** A floating-point value; printed so that parsing it back gives the same double. */
    record Float(double value) implements Attribute {
        public Float {
            if (!Double.isFinite(value)) throw new IllegalArgumentException("float attributes are finite: " + value);
        }

        @Override public AttrKind kind() { return AttrKind.FLOAT; }
        @Override public String text() { return formatDouble(value); }
    }

    record Bool(boolean value) implements Attribute {
        @Override public AttrKind kind() { return AttrKind.BOOL; }
        @Override public String text() { return Boolean.toString(value); }
    }

    record Str(String value) implements Attribute {
        public Str { Objects.requireNonNull(value, "value"); }
        @Override public AttrKind kind() { return AttrKind.STRING; }
        @Override public String text() { return Location.quote(value); }
    }

    /** A keyword from a closed set that the op's schema names (reset modes, encodings, ...). */
    record Symbol(String value) implements Attribute {
        public Symbol {
            if (!value.matches("[A-Za-z_][A-Za-z0-9_]*")) throw new IllegalArgumentException("bad symbol: " + value);
        }
        @Override public AttrKind kind() { return AttrKind.SYMBOL; }
        @Override public String text() { return value; }
    }

    /** A reference to a blob of the module's blob table. */
    record BlobRef(String name) implements Attribute {
        public BlobRef { Objects.requireNonNull(name, "name"); }
        @Override public AttrKind kind() { return AttrKind.BLOB; }
        @Override public String text() { return "@" + symbolName(name); }
    }

    record Array(List<Attribute> elements) implements Attribute {
        public Array { elements = List.copyOf(elements); }

        public static Array ofInts(int... values) {
            var list = new java.util.ArrayList<Attribute>(values.length);
            for (int v : values) list.add(new Int(v));
            return new Array(list);
        }

        public static Array ofFloats(double... values) {
            var list = new java.util.ArrayList<Attribute>(values.length);
            for (double v : values) list.add(new Float(v));
            return new Array(list);
        }

        /** The elements as ints, or null if any element is not an integer within int range. */
        public int[] intsOrNull() {
            int[] out = new int[elements.size()];
            for (int i = 0; i < out.length; i++) {
                if (!(elements.get(i) instanceof Int(long v)) || v != (int) v) return null;
                out[i] = (int) v;
            }
            return out;
        }

        /** The elements as doubles (integers widen), or null if any element is not a number. */
        public double[] numbersOrNull() {
            double[] out = new double[elements.size()];
            for (int i = 0; i < out.length; i++) {
                switch (elements.get(i)) {
                    case Int(long v) -> out[i] = v;
                    case Float(double v) -> out[i] = v;
                    default -> { return null; }
                }
            }
            return out;
        }

        @Override public AttrKind kind() { return AttrKind.ARRAY; }

        @Override public String text() {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < elements.size(); i++) {
                if (i > 0) sb.append(", ");
                sb.append(elements.get(i).text());
            }
            return sb.append(']').toString();
        }
    }

    /**
     * Formats a double so that it reads back exactly and always looks like a float:
     * {@code 1.0}, {@code 0.9}, {@code 1.0e-05}, {@code 3.4028234663852886e+38}.
     */
    static String formatDouble(double v) {
        String s = Double.toString(v);
        int e = s.indexOf('E');
        if (e < 0) return s;
        String mantissa = s.substring(0, e);
        int exp = Integer.parseInt(s.substring(e + 1));
        return mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }

    /** A blob or value name as printed: bare when it is an identifier path, quoted otherwise. */
    static String symbolName(String name) {
        return name.matches("[A-Za-z_][A-Za-z0-9_.$]*") && !name.endsWith(".") ? name : Location.quote(name);
    }
}

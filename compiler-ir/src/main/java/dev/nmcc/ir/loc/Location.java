package dev.nmcc.ir.loc;

import java.util.Objects;

/**
 * Where an op came from. Not part of op equality. Text forms:
 * {@code loc("net.nmd":5:3)}, {@code loc("Conv_0")}, {@code loc(unknown)}.
 */
public sealed interface Location permits Location.FileLineCol, Location.Named, Location.Unknown {

    /** A position in a source file; line and column are 1-based. */
    record FileLineCol(String file, int line, int column) implements Location {
        public FileLineCol {
            Objects.requireNonNull(file, "file");
            if (line < 1 || column < 1) throw new IllegalArgumentException("line and column are 1-based");
        }

        @Override public String text() { return "loc(" + quote(file) + ":" + line + ":" + column + ")"; }
        @Override public String describe() { return file + ":" + line + ":" + column; }
    }

    /** A name from a serialized graph, such as an ONNX node name. */
    record Named(String name) implements Location {
        public Named { Objects.requireNonNull(name, "name"); }

        @Override public String text() { return "loc(" + quote(name) + ")"; }
        @Override public String describe() { return name; }
    }

    /** No known origin (ops built by hand in tests). */
    record Unknown() implements Location {
        @Override public String text() { return "loc(unknown)"; }
        @Override public String describe() { return "<unknown>"; }
    }

    Location UNKNOWN = new Unknown();

    static Location file(String file, int line, int column) { return new FileLineCol(file, line, column); }

    static Location named(String name) { return new Named(name); }

    /** The text form used by the IR printer. */
    String text();

    /** The prefix of a diagnostic: {@code file:line:col}, a node name, or {@code <unknown>}. */
    String describe();

    /** A double-quoted string literal with backslash escapes, as in the IR text form. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }
}

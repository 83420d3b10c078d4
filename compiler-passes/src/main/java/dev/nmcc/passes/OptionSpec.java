package dev.nmcc.passes;

import java.util.List;

/**
 * One option of a pass, as written in a pipeline: {@code name=value}, or a bare {@code name}
 * for a flag (and for an enum value that names its option, e.g. {@code per-channel} for
 * {@code granularity=per-channel}). Values are checked when the pipeline is parsed.
 *
 * @param defaultValue the value when the option is not given, in pipeline syntax (null: none)
 * @param choices the allowed values of an ENUM option
 */
public record OptionSpec(String name, Type type, String defaultValue, List<String> choices, String doc) {
    public enum Type {
        /** true/false; a bare name means true. */
        FLAG,
        INT,
        FLOAT,
        /** One of {@link #choices()}. */
        ENUM,
        /** {@code LO..HI} with floats, e.g. a target firing-rate range {@code 0.05..0.2}. */
        RANGE,
        STRING
    }

    public OptionSpec {
        choices = List.copyOf(choices);
    }

    public static OptionSpec flag(String name, boolean dflt, String doc) {
        return new OptionSpec(name, Type.FLAG, Boolean.toString(dflt), List.of(), doc);
    }

    public static OptionSpec integer(String name, Integer dflt, String doc) {
        return new OptionSpec(name, Type.INT, dflt == null ? null : dflt.toString(), List.of(), doc);
    }

    public static OptionSpec number(String name, Double dflt, String doc) {
        return new OptionSpec(name, Type.FLOAT, dflt == null ? null : dflt.toString(), List.of(), doc);
    }

    public static OptionSpec choice(String name, String dflt, List<String> choices, String doc) {
        return new OptionSpec(name, Type.ENUM, dflt, choices, doc);
    }

    public static OptionSpec range(String name, String dflt, String doc) {
        return new OptionSpec(name, Type.RANGE, dflt, List.of(), doc);
    }

    public static OptionSpec string(String name, String dflt, String doc) {
        return new OptionSpec(name, Type.STRING, dflt, List.of(), doc);
    }

    /** What a value of this option looks like, for error messages and {@code --list-passes}. */
    public String expected() {
        return switch (type) {
            case FLAG -> "true or false";
            case INT -> "an integer";
            case FLOAT -> "a number";
            case ENUM -> "one of " + String.join(", ", choices);
            case RANGE -> "a range LO..HI of numbers (e.g. 0.05..0.2)";
            case STRING -> "a string";
        };
    }

    /** A short type name for {@code --list-passes}: {@code flag}, {@code int}, {@code a|b|c}, ... */
    public String typeName() {
        return switch (type) {
            case FLAG -> "flag";
            case INT -> "int";
            case FLOAT -> "float";
            case ENUM -> String.join("|", choices);
            case RANGE -> "LO..HI";
            case STRING -> "string";
        };
    }

    /** Null when {@code value} is a valid value of this option, else why not (for an error message). */
    public String check(String value) {
        boolean ok = switch (type) {
            case FLAG -> value.equals("true") || value.equals("false");
            case INT -> value.matches("[-+]?[0-9]{1,10}") && fitsInt(value);
            case FLOAT -> isNumber(value);
            case ENUM -> choices.contains(value);
            case RANGE -> {
                int dots = value.indexOf("..");
                yield dots > 0 && isNumber(value.substring(0, dots)) && isNumber(value.substring(dots + 2))
                        && Double.parseDouble(value.substring(0, dots)) <= Double.parseDouble(value.substring(dots + 2));
            }
            case STRING -> true;
        };
        return ok ? null : "expected " + expected();
    }

    private static boolean fitsInt(String s) {
        long v = Long.parseLong(s);
        return v == (int) v;
    }

    private static boolean isNumber(String s) {
        return s.matches("[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?") && Double.isFinite(Double.parseDouble(s));
    }
}

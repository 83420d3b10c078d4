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
}

package dev.nmcc.frontend.dsl;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ops of the DSL and their arguments: the data that argument binding and the "did you
 * mean" suggestions read. Positional arguments bind to the leading {@code positional}
 * arguments in order; every argument can also be given as {@code key = value}. docs/dsl.md
 * lists the same table.
 */
final class DslOps {
    private DslOps() {}

    /** What an argument accepts. */
    enum Kind {
        /** a tensor value: a name or a nested call */
        VALUE,
        /** an integer */
        INT,
        /** an integer or a list of integers (kernel, stride, pad) */
        INTS,
        /** an integer or a float */
        NUMBER,
        /** a keyword from a closed set */
        SYMBOL,
        /** true or false */
        BOOL,
        /** a parameter: a params key, random(seed = N), zeros or ones */
        PARAM
    }

    record Arg(String name, Kind kind, boolean required) {}

    /**
     * @param positional how many leading arguments may be given by position
     * @param variadic the first argument repeats (concat's operands)
     */
    record Spec(String name, int positional, boolean variadic, List<Arg> args) {
        Arg arg(String n) {
            for (Arg a : args) if (a.name().equals(n)) return a;
            return null;
        }

        List<String> argNames() { return args.stream().map(Arg::name).toList(); }

        String positionalText() {
            return String.join(", ", argNames().subList(0, positional)) + (variadic ? ", ..." : "");
        }
    }

    private static Arg req(String n, Kind k) { return new Arg(n, k, true); }

    private static Arg opt(String n, Kind k) { return new Arg(n, k, false); }

    /** The ops by name, in documentation order (which also breaks ties between suggestions). */
    static final Map<String, Spec> OPS;

    private static void def(Map<String, Spec> ops, String name, int positional, boolean variadic, Arg... args) {
        ops.put(name, new Spec(name, positional, variadic, List.of(args)));
    }

    static {
        Map<String, Spec> ops = new LinkedHashMap<>();
        def(ops, "dense", 2, false, req("x", Kind.VALUE), req("units", Kind.INT), req("weight", Kind.PARAM), opt("bias", Kind.PARAM));
        def(ops, "conv2d", 3, false, req("x", Kind.VALUE), req("out_channels", Kind.INT), req("kernel", Kind.INTS),
                opt("stride", Kind.INTS), opt("pad", Kind.INTS), opt("groups", Kind.INT),
                req("weight", Kind.PARAM), opt("bias", Kind.PARAM));
        def(ops, "batchnorm", 1, false, req("x", Kind.VALUE), req("gamma", Kind.PARAM), req("beta", Kind.PARAM),
                req("mean", Kind.PARAM), req("var", Kind.PARAM), opt("epsilon", Kind.NUMBER));
        def(ops, "relu", 1, false, req("x", Kind.VALUE));
        def(ops, "avgpool", 2, false, req("x", Kind.VALUE), req("kernel", Kind.INTS), opt("stride", Kind.INTS),
                opt("pad", Kind.INTS), opt("count_include_pad", Kind.BOOL));
        def(ops, "maxpool", 2, false, req("x", Kind.VALUE), req("kernel", Kind.INTS), opt("stride", Kind.INTS), opt("pad", Kind.INTS));
        def(ops, "global_avgpool", 1, false, req("x", Kind.VALUE));
        def(ops, "flatten", 1, false, req("x", Kind.VALUE));
        def(ops, "reshape", 2, false, req("x", Kind.VALUE), req("shape", Kind.INTS));
        def(ops, "add", 2, false, req("a", Kind.VALUE), req("b", Kind.VALUE));
        def(ops, "concat", 1, true, req("x", Kind.VALUE), opt("axis", Kind.INT));
        def(ops, "dropout", 1, false, req("x", Kind.VALUE), opt("rate", Kind.NUMBER));
        def(ops, "identity", 1, false, req("x", Kind.VALUE));
        def(ops, "iaf", 1, false, req("current", Kind.VALUE), opt("threshold", Kind.NUMBER), opt("v0", Kind.NUMBER),
                opt("reset", Kind.SYMBOL));
        def(ops, "lif", 1, false, req("current", Kind.VALUE), opt("threshold", Kind.NUMBER), req("leak", Kind.NUMBER),
                opt("reset", Kind.SYMBOL), opt("v0", Kind.NUMBER));
        OPS = Collections.unmodifiableMap(ops);
    }

    /** The initialisers, valid only as a PARAM argument. */
    static final List<String> INITIALISERS = List.of("random", "zeros", "ones");

    /** Ops that exist only in ANN networks. */
    static final List<String> ANN_ONLY = List.of("relu", "batchnorm", "global_avgpool", "concat", "identity");

    static boolean isNeuron(String op) { return op.equals("iaf") || op.equals("lif"); }
}

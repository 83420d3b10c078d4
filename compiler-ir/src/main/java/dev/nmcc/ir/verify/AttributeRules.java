package dev.nmcc.ir.verify;

import static dev.nmcc.ir.op.OpKind.ANN_CONCAT;
import static dev.nmcc.ir.op.OpKind.ANN_DROPOUT;
import static dev.nmcc.ir.op.OpKind.HW_CORE_SLICE;
import static dev.nmcc.ir.op.OpKind.HW_ROUTE;

import dev.nmcc.ir.attr.Attribute;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.ir.type.Type;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Value ranges of attributes, as a table: which attribute (of which ops) must hold what. The
 * op schema ({@link dev.nmcc.ir.op.AttrSpec}) fixes names, kinds, presence and symbol sets; these
 * rules add what the semantics need (a kernel of 0 has the right kind but means nothing).
 *
 * <p>A rule runs only when the attribute has a kind its schema admits, so each check may assume
 * the kind. It answers with what the value must be ("a positive integer"), or null when the value
 * is fine; the verifier turns that into
 * {@code attribute 'units' of 'ann.dense' must be a positive integer, got 0}.
 *
 * <p>Rules that depend on another value (a concat axis on the operand's rank, a core slice's
 * neuron range on the population's size) read it from the {@link Context}; when that value is
 * unknown (the operand is itself broken) they accept, so that one error is not reported twice.
 * Cross-op references (core slice ids used by routes) are checked by the verifier itself.
 */
final class AttributeRules {
    private AttributeRules() {}

    /** What a rule may look at besides the attribute: the op's kind and its operand types (null when unknown). */
    record Context(OpKind kind, List<Type> operands) {
        /** The type of operand i, or null when it does not exist or is not known. */
        Type operand(int i) { return i < operands.size() ? operands.get(i) : null; }
    }

    /** Checks one attribute value; returns what the value must be when it is wrong, or null when it is fine. */
    @FunctionalInterface
    interface Check {
        String requirement(Attribute value, Context ctx);
    }

    /** One row of the table. {@code ops} empty means every op that has the attribute. */
    record Rule(String attribute, Set<OpKind> ops, Check check) {
        boolean appliesTo(OpKind kind, String name) {
            return attribute.equals(name) && (ops.isEmpty() || ops.contains(kind));
        }
    }

    // ---- the table ----------------------------------------------------------------------------------
    static final List<Rule> RULES = List.of(
            rule("units", positiveInt()),                                     // dense layers
            rule("out_channels", positiveInt()),                              // convolutions
            rule("kernel", positivePair("[kh, kw]")),                         // conv and pooling windows
            rule("stride", positivePair("[sh, sw]")),
            rule("pad", nonNegativeInts(4, "[top, left, bottom, right] of non-negative integers")),
            rule("shape", positiveList()),                                    // reshape
            rule("epsilon", positiveNumber()),                                // batchnorm
            rule("rate", EnumSet.of(ANN_DROPOUT), numberIn(0, true, 1, false)), // [0, 1)
            rule("axis", EnumSet.of(ANN_CONCAT), axisInRange()),
            rule("range", increasingPair()),                                  // inputs: [lo, hi], lo < hi
            rule("input_scale", positiveInt()),                               // snn.encode (hw)
            rule("weight_scale", positiveScale()),                            // quantized projections
            rule("threshold", positiveScale()),                               // neurons: a number, or a per-channel blob
            rule("leak", numberIn(0, false, 1, true)),                        // (0, 1]
            rule("leak_shift", intIn(0, 31)),
            rule("v_bits", intIn(2, 32)),
            rule("id", EnumSet.of(HW_CORE_SLICE), intIn(0, Integer.MAX_VALUE)),
            rule("core", EnumSet.of(HW_CORE_SLICE), nonNegativeInts(3, "[chip, node, npu] of non-negative integers")),
            rule("neurons", EnumSet.of(HW_CORE_SLICE), neuronRange()),
            rule("synapse_bytes", intIn(0, Long.MAX_VALUE)),
            rule("wake_sources", idList(false)),
            rule("idle_timeout", intIn(0, Long.MAX_VALUE)),
            rule("src", EnumSet.of(HW_ROUTE), intIn(0, Integer.MAX_VALUE)),
            rule("dst", EnumSet.of(HW_ROUTE), idList(true)),
            rule("hops", intIn(0, Long.MAX_VALUE)));

    /** The first requirement the value violates, or null. */
    static String check(OpKind kind, String name, Attribute value, Context ctx) {
        for (Rule r : RULES) {
            if (r.appliesTo(kind, name)) {
                String req = r.check().requirement(value, ctx);
                if (req != null) return req;
            }
        }
        return null;
    }

    // ---- the checks ---------------------------------------------------------------------------------
    private static Rule rule(String name, Check check) { return new Rule(name, Set.of(), check); }

    private static Rule rule(String name, Set<OpKind> ops, Check check) { return new Rule(name, ops, check); }

    private static Check positiveInt() { return intIn(1, Integer.MAX_VALUE); }

    /** An integer in [lo, hi]; described as "a positive integer", "a non-negative integer" or "an integer in [lo, hi]". */
    private static Check intIn(long lo, long hi) {
        String what = lo == 1 && hi == Integer.MAX_VALUE ? "a positive integer"
                : lo == 0 && (hi == Integer.MAX_VALUE || hi == Long.MAX_VALUE) ? "a non-negative integer"
                : "an integer in [" + lo + ", " + hi + "]";
        return (v, ctx) -> v instanceof Attribute.Int(long x) && x >= lo && x <= hi ? null : what;
    }

    private static double number(Attribute v) {
        return switch (v) {
            case Attribute.Int(long x) -> x;
            case Attribute.Float(double x) -> x;
            default -> Double.NaN;
        };
    }

    private static Check positiveNumber() {
        return (v, ctx) -> number(v) > 0 ? null : "a positive number";
    }

    /** A float scale (or threshold) must be positive; a per-channel blob is checked by TypeInference (shape, values > 0). */
    private static Check positiveScale() {
        return (v, ctx) -> v instanceof Attribute.BlobRef || number(v) > 0 ? null : "a positive number";
    }

    private static Check numberIn(double lo, boolean loIncluded, double hi, boolean hiIncluded) {
        String what = "a number in " + (loIncluded ? "[" : "(") + fmt(lo) + ", " + fmt(hi) + (hiIncluded ? "]" : ")");
        return (v, ctx) -> {
            double x = number(v);
            boolean ok = (loIncluded ? x >= lo : x > lo) && (hiIncluded ? x <= hi : x < hi);
            return ok ? null : what;
        };
    }

    private static String fmt(double d) { return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d); }

    private static int[] ints(Attribute v) { return v instanceof Attribute.Array a ? a.intsOrNull() : null; }

    private static Check positivePair(String form) {
        String what = form + ", a pair of positive integers";
        return (v, ctx) -> {
            int[] p = ints(v);
            return p != null && p.length == 2 && p[0] > 0 && p[1] > 0 ? null : what;
        };
    }

    private static Check nonNegativeInts(int n, String what) {
        return (v, ctx) -> {
            int[] p = ints(v);
            if (p == null || p.length != n) return what;
            for (int x : p) if (x < 0) return what;
            return null;
        };
    }

    private static Check positiveList() {
        return (v, ctx) -> {
            int[] p = ints(v);
            if (p == null || p.length == 0) return "a non-empty list of positive integers";
            for (int x : p) if (x <= 0) return "a non-empty list of positive integers";
            return null;
        };
    }

    private static Check idList(boolean nonEmpty) {
        String what = (nonEmpty ? "a non-empty" : "a") + " list of core slice ids (non-negative integers)";
        return (v, ctx) -> {
            int[] p = ints(v);
            if (p == null || (nonEmpty && p.length == 0)) return what;
            for (int x : p) if (x < 0) return what;
            return null;
        };
    }

    private static Check increasingPair() {
        return (v, ctx) -> {
            double[] p = v instanceof Attribute.Array a ? a.numbersOrNull() : null;
            return p != null && p.length == 2 && p[0] < p[1] ? null : "[lo, hi] with lo < hi";
        };
    }

    /** A concat axis indexes a dimension of the operands: 0 <= axis < rank. */
    private static Check axisInRange() {
        return (v, ctx) -> {
            if (!(v instanceof Attribute.Int(long axis))) return "an integer";
            Type t = ctx.operand(0);
            if (t == null) return axis >= 0 ? null : "a non-negative integer";
            int rank = t.shape().rank();
            return axis >= 0 && axis < rank ? null : "in [0, " + rank + ") for operands of rank " + rank;
        };
    }

    /** Neurons [start, end) of the population (the operand): 0 <= start < end <= its element count. */
    private static Check neuronRange() {
        return (v, ctx) -> {
            int[] p = ints(v);
            Type t = ctx.operand(0);
            long size = t != null && t.shape().isAllocatable() ? t.shape().elementCountExact() : Long.MAX_VALUE;
            String what = size == Long.MAX_VALUE ? "[start, end) with 0 <= start < end"
                    : "[start, end) with 0 <= start < end <= " + size + " (the population size)";
            return p != null && p.length == 2 && p[0] >= 0 && p[0] < p[1] && p[1] <= size ? null : what;
        };
    }
}

package dev.nmcc.frontend.dsl;

import dev.nmcc.frontend.dsl.DslOps.Kind;
import dev.nmcc.grammar.NmdParser.ArgContext;
import dev.nmcc.grammar.NmdParser.CallExprContext;
import dev.nmcc.grammar.NmdParser.ExprContext;
import dev.nmcc.grammar.NmdParser.ListExprContext;
import dev.nmcc.grammar.NmdParser.NumberExprContext;
import dev.nmcc.grammar.NmdParser.RefExprContext;
import dev.nmcc.grammar.NmdParser.StringExprContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.antlr.v4.runtime.Token;

/**
 * The arguments of one op call in the DSL, bound to the op's argument names (positional, then
 * {@code key = value}), and read as the types the op wants: integers, window lists, numbers,
 * keywords, booleans and parameter tensors. Every mistake is reported at its token and marks the
 * call {@link #failed}, so that lowering can go on and report the next one.
 */
final class CallArgs {
    /** Where diagnostics go. */
    @FunctionalInterface
    interface Reporter {
        void error(Token at, String message);
    }

    private final Reporter reporter;
    private final ParameterStore store;
    final DslOps.Spec spec;
    final Token opTok;
    final String bindName;
    final Map<String, ArgContext> args = new HashMap<>();
    final List<ExprContext> variadic = new ArrayList<>();
    boolean failed;

    CallArgs(DslOps.Spec spec, CallExprContext c, String bindName, Reporter reporter, ParameterStore store) {
        this.reporter = reporter;
        this.store = store;
        this.spec = spec;
        this.opTok = c.callee.getStart();
        this.bindName = bindName;
        int pos = 0;
        boolean keyed = false;
        for (ArgContext a : c.arg()) {
            if (a.key == null) {
                if (keyed) {
                    fail(a.getStart(), "positional argument after keyword arguments");
                } else if (spec.variadic()) {
                    variadic.add(a.expr());
                } else if (pos < spec.positional()) {
                    args.put(spec.args().get(pos).name(), a);
                } else {
                    fail(a.getStart(), "'" + spec.name() + "' takes " + spec.positional() + " positional argument"
                            + (spec.positional() == 1 ? "" : "s") + " (" + spec.positionalText()
                            + "); give the others as key = value");
                }
                pos++;
            } else {
                keyed = true;
                String k = a.key.getText();
                DslOps.Arg arg = spec.arg(k);
                if (arg == null || (spec.variadic() && arg.kind() == Kind.VALUE)) {
                    fail(a.key.getStart(), "unknown argument '" + k + "' of " + spec.name()
                            + Suggestions.didYouMean(k, spec.argNames()));
                } else if (args.containsKey(k)) {
                    fail(a.key.getStart(), "argument '" + k + "' is given twice");
                } else {
                    args.put(k, a);
                }
            }
        }
        if (spec.variadic()) {
            if (variadic.size() < 2) fail(opTok, "'" + spec.name() + "' needs at least 2 operands");
        }
        for (DslOps.Arg a : spec.args()) {
            if (a.required() && !(spec.variadic() && a.kind() == Kind.VALUE) && !args.containsKey(a.name())) {
                fail(opTok, "missing argument '" + a.name() + "' of " + spec.name());
            }
        }
    }

    void fail(Token t, String message) {
        reporter.error(t, message);
        failed = true;
    }

    ExprContext expr(String name) {
        ArgContext a = args.get(name);
        return a == null ? null : a.expr();
    }

    String what(String name) { return "'" + name + "' of " + spec.name(); }

    /** An integer literal, at least {@code min}; the default when absent; null after an error. */
    Long integer(String name, long min, Long dflt) {
        ExprContext e = expr(name);
        if (e == null) return dflt;
        Long v = Lowering.intLiteral(e);
        if (v == null) {
            fail(e.getStart(), what(name) + " must be an integer, got " + Lowering.describe(e));
            return null;
        }
        if (v < min) {
            fail(e.getStart(), what(name) + " must be " + (min == 1 ? "positive" : "at least " + min) + ", got " + v);
            return null;
        }
        if (v > Integer.MAX_VALUE) {
            fail(e.getStart(), what(name) + " is too large: " + v);
            return null;
        }
        return v;
    }

    /**
     * An integer or a list of integers, each at least {@code min}, expanded to {@code width}
     * values: one integer is repeated; for width 4 (padding) a pair [h, w] means [h, w, h, w].
     * Width 0 accepts a list of any length. The default when absent; null after an error.
     */
    int[] ints(String name, int width, long min, int[] dflt) {
        ExprContext e = expr(name);
        if (e == null) return dflt;
        List<ExprContext> items = e instanceof ListExprContext l ? l.expr() : List.of(e);
        String shapeWords = width == 2 ? "an integer or [h, w]" : width == 4 ? "an integer, [h, w] or [top, left, bottom, right]"
                : "a list of integers";
        if (items.isEmpty() || (width == 2 && items.size() != 1 && items.size() != 2)
                || (width == 4 && items.size() != 1 && items.size() != 2 && items.size() != 4)) {
            fail(e.getStart(), what(name) + " must be " + shapeWords + ", got " + Lowering.describe(e));
            return null;
        }
        int[] v = new int[items.size()];
        for (int i = 0; i < v.length; i++) {
            Long x = Lowering.intLiteral(items.get(i));
            if (x == null) {
                fail(items.get(i).getStart(), what(name) + " must be " + shapeWords + ", got " + Lowering.describe(items.get(i)));
                return null;
            }
            if (x < min) {
                fail(items.get(i).getStart(), what(name) + (min == 0 ? " must not be negative" : " must be positive") + ", got " + x);
                return null;
            }
            if (x > Integer.MAX_VALUE) {
                fail(items.get(i).getStart(), what(name) + " is too large: " + x);
                return null;
            }
            v[i] = (int) (long) x;
        }
        if (width == 2 && v.length == 1) return new int[] {v[0], v[0]};
        if (width == 4 && v.length == 1) return new int[] {v[0], v[0], v[0], v[0]};
        if (width == 4 && v.length == 2) return new int[] {v[0], v[1], v[0], v[1]};
        return v;
    }

    /** A number literal; the default when absent; null after an error. */
    Double number(String name, Double dflt) {
        ExprContext e = expr(name);
        if (e == null) return dflt;
        if (!(e instanceof NumberExprContext n)) {
            fail(e.getStart(), what(name) + " must be a number, got " + Lowering.describe(e));
            return null;
        }
        double v = Lowering.number(n.number());
        if (!Double.isFinite(v)) {
            fail(e.getStart(), what(name) + " is out of range: " + n.getText());
            return null;
        }
        return v;
    }

    /** A keyword from {@code allowed}; the default when absent; null after an error. */
    String symbol(String name, List<String> allowed, String dflt) {
        ExprContext e = expr(name);
        if (e == null) return dflt;
        String text = e.getText();
        if (!(e instanceof RefExprContext) || !allowed.contains(text)) {
            fail(e.getStart(), what(name) + " must be one of " + String.join(", ", allowed) + ", got " + Lowering.describe(e));
            return null;
        }
        return text;
    }

    /** true or false; the default when absent; null after an error. */
    Boolean bool(String name, Boolean dflt) {
        ExprContext e = expr(name);
        if (e == null) return dflt;
        String text = e.getText();
        if (!(e instanceof RefExprContext) || !(text.equals("true") || text.equals("false"))) {
            fail(e.getStart(), what(name) + " must be true or false, got " + Lowering.describe(e));
            return null;
        }
        return text.equals("true");
    }

    /**
     * A parameter tensor of the given shape: a params key, {@code random(seed = N)},
     * {@code zeros} or {@code ones}. Returns the blob name, or null when absent or after an
     * error (then {@link #failed} is set).
     */
    String param(String name, int[] shape, long fanIn, boolean allowRandom) {
        ExprContext e = expr(name);
        if (e == null) return null;
        Token at = e.getStart();
        String generated = bindName + "." + name;
        switch (e) {
            case CallExprContext c -> {
                String init = c.callee.getText();
                if (init.equals("random")) {
                    if (!allowRandom) {
                        fail(at, what(name) + " cannot be random; use a params array, zeros or ones");
                        return null;
                    }
                    Long seed = seed(c);
                    if (seed == null) {
                        failed = true;
                        return null;
                    }
                    return store.random(generated, shape, seed, fanIn);
                }
                if ((init.equals("zeros") || init.equals("ones")) && c.arg().isEmpty()) return store.constant(generated, shape, init.equals("ones"));
                fail(at, what(name) + " must be a parameter (a params key, random(seed = N), zeros or ones), got "
                        + Lowering.describe(e));
                return null;
            }
            case RefExprContext r -> {
                String key = r.getText();
                if (key.equals("zeros") || key.equals("ones")) return store.constant(generated, shape, key.equals("ones"));
                if (key.equals("random")) {
                    fail(at, "random needs a seed: random(seed = N)");
                    return null;
                }
                return resolved(store.resolve(name, key, shape, at));
            }
            case StringExprContext s -> { return resolved(store.resolve(name, Lowering.unquote(s.STRING().getText()), shape, at)); }
            default -> {
                fail(at, what(name) + " must be a parameter (a params key, random(seed = N), zeros or ones), got "
                        + Lowering.describe(e));
                return null;
            }
        }
    }

    /** The seed of {@code random(seed = N)}; null after an error. */
    private Long seed(CallExprContext c) {
        ExprContext seed = null;
        for (ArgContext a : c.arg()) {
            if (a.key != null && !a.key.getText().equals("seed")) {
                reporter.error(a.key.getStart(), "unknown argument '" + a.key.getText() + "' of random"
                        + Suggestions.didYouMean(a.key.getText(), List.of("seed")));
                return null;
            }
            if (seed != null) {
                reporter.error(a.getStart(), "random takes one argument, the seed");
                return null;
            }
            seed = a.expr();
        }
        if (seed == null) {
            reporter.error(c.callee.getStart(), "random needs a seed: random(seed = N)");
            return null;
        }
        Long v = Lowering.intLiteral(seed);
        if (v == null || v < 0) {
            reporter.error(seed.getStart(), "the seed of random must be a non-negative integer, got " + Lowering.describe(seed));
            return null;
        }
        return v;
    }

    /** A resolved parameter blob, or null after an error, which fails the call. */
    private String resolved(String blob) {
        if (blob == null) failed = true;
        return blob;
    }
}

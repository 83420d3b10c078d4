package dev.nmcc.frontend.dsl;

import dev.nmcc.frontend.dsl.DslOps.Kind;
import dev.nmcc.frontend.dsl.Lowering.Val;
import dev.nmcc.grammar.NmdParser.CallExprContext;
import dev.nmcc.grammar.NmdParser.ExprContext;
import dev.nmcc.ir.attr.Attributes;
import dev.nmcc.ir.blob.BlobTable;
import dev.nmcc.ir.graph.GraphBuilder;
import dev.nmcc.ir.graph.Value;
import dev.nmcc.ir.loc.Location;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.ir.op.TypeInference;
import dev.nmcc.ir.type.Shape;
import dev.nmcc.ir.type.SpikeType;
import dev.nmcc.ir.type.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.antlr.v4.runtime.Token;

/**
 * Lowers one op call of the DSL ({@code dense(...)}, {@code conv2d(...)}, {@code iaf(...)}, ...)
 * to an IR op: binds and checks its arguments ({@link CallArgs}), lowers its operands through
 * {@link Lowering}, applies the builtin's own rules (ANN or spiking form, projection inputs,
 * parameter shapes) and types the op. Mistakes are reported at their tokens; a failed call
 * yields null.
 */
final class CallLowering {
    private final Lowering network;
    private final GraphBuilder gb;
    private final BlobTable.Builder blobs;
    private final ParameterStore parameters;
    private final boolean spiking;
    private final String spikingReason;

    /** {@code spiking} and its reason are the network's, known before any call is lowered. */
    CallLowering(Lowering network, GraphBuilder gb, BlobTable.Builder blobs, ParameterStore parameters,
            boolean spiking, String spikingReason) {
        this.network = network;
        this.gb = gb;
        this.blobs = blobs;
        this.parameters = parameters;
        this.spiking = spiking;
        this.spikingReason = spikingReason;
    }

    // ---- the network's helpers ----------------------------------------------------------------

    private Val value(ExprContext e, String bindName) { return network.value(e, bindName); }

    private Location loc(Token t) { return network.loc(t); }

    private void error(Token t, String message) { network.error(t, message); }

    private boolean fits(Token at, String what, long... shape) { return network.fits(at, what, shape); }


    private static String dims(Shape s) { return Arrays.toString(s.dims()); }

    // ---- ops ----------------------------------------------------------------------------------

    Val call(CallExprContext c, String bindName) {
        String op = c.callee.getText();
        Token opTok = c.callee.getStart();
        DslOps.Spec spec = DslOps.OPS.get(op);
        if (spec == null) {
            if (DslOps.INITIALISERS.contains(op)) {
                error(opTok, "'" + op + "' is an initialiser; it can only be given as a parameter, e.g. weight = "
                        + (op.equals("random") ? "random(seed = 1)" : op));
            } else {
                error(opTok, "unknown op '" + op + "'" + Suggestions.didYouMean(op, DslOps.OPS.keySet()));
            }
            return null;
        }
        CallArgs call = new CallArgs(spec, c, bindName, this::error, parameters);
        List<Val> operands = new ArrayList<>();
        boolean ok = !call.failed;
        List<ExprContext> operandExprs = new ArrayList<>(call.variadic);
        for (DslOps.Arg a : spec.args()) {
            if (a.kind() == Kind.VALUE && !spec.variadic()) {
                ExprContext e = call.expr(a.name());
                if (e != null) operandExprs.add(e);
            }
        }
        for (ExprContext e : operandExprs) {
            Val v = value(e, bindName);
            if (v == null) ok = false;
            operands.add(v);
        }
        if (spiking && DslOps.ANN_ONLY.contains(op)) {
            error(opTok, "'" + op + "' is an ANN op and this network is spiking (" + spikingReason
                    + "); spiking networks use iaf/lif neurons");
            return null;
        }
        if (!ok) return null;
        Val result = switch (op) {
            case "dense" -> dense(call, operands.getFirst());
            case "conv2d" -> conv2d(call, operands.getFirst());
            case "batchnorm" -> batchnorm(call, operands.getFirst());
            case "relu" -> build(call, OpKind.ANN_RELU, operands, Attributes.EMPTY);
            case "identity" -> build(call, OpKind.ANN_IDENTITY, operands, Attributes.EMPTY);
            case "global_avgpool" -> rank3(call, operands.getFirst())
                    ? build(call, OpKind.ANN_GLOBAL_AVGPOOL, operands, Attributes.EMPTY) : null;
            case "avgpool", "maxpool" -> pool(call, operands.getFirst(), op.equals("avgpool"));
            case "flatten" -> build(call, spiking ? OpKind.SNN_FLATTEN : OpKind.ANN_FLATTEN, operands, Attributes.EMPTY);
            case "reshape" -> {
                int[] shape = call.ints("shape", 0, 1, null);
                if (shape == null) yield null;
                yield build(call, spiking ? OpKind.SNN_RESHAPE : OpKind.ANN_RESHAPE, operands,
                        Attributes.builder().putInts("shape", shape).build());
            }
            case "add" -> add(call, operands);
            case "concat" -> {
                Long axis = call.integer("axis", 0, null);
                if (call.failed) yield null;
                var a = Attributes.builder();
                if (axis != null) a.putInt("axis", axis);
                yield build(call, OpKind.ANN_CONCAT, operands, a.build());
            }
            case "dropout" -> dropout(call, operands.getFirst());
            case "iaf", "lif" -> neuron(call, operands.getFirst(), op.equals("lif"));
            default -> throw new IllegalStateException("no lowering for " + op);
        };
        if (call.failed) return null;
        return result;
    }

    /** Types the op and adds it; a type-rule failure becomes a diagnostic at the call. */
    private Val build(CallArgs c, OpKind kind, List<Val> operands, Attributes attrs) {
        if (c.failed) return null;
        List<Value> vs = operands.stream().map(Val::value).toList();
        TypeInference.Result r = gb.infer(kind, vs, attrs);
        if (!r.isOk()) {
            c.fail(c.opTok, c.spec.name() + ": " + r.error());
            return null;
        }
        if (r.type() != null) {
            int[] d = r.type().shape().dims();
            long[] ld = new long[d.length];
            for (int i = 0; i < d.length; i++) ld[i] = d[i];
            if (!fits(c.opTok, c.spec.name() + " result", ld)) {
                c.failed = true;
                return null;
            }
        }
        // Reshaping a directly encoded input keeps it one (the reshape is free: no hardware).
        boolean direct = (kind == OpKind.SNN_FLATTEN || kind == OpKind.SNN_RESHAPE) && operands.getFirst().direct();
        return new Val(gb.add(kind, vs, attrs, loc(c.opTok)), direct);
    }

    private boolean rank3(CallArgs c, Val x) {
        Shape s = gb.type(x.value()).shape();
        if (s.rank() != 3) {
            c.fail(c.opTok, c.spec.name() + " needs a [C, H, W] input, got " + dims(s));
            return false;
        }
        return true;
    }

    /** In a spiking network, a projection reads spikes or a directly encoded input. */
    private boolean projectionInput(CallArgs c, Val x) {
        if (!spiking || gb.type(x.value()) instanceof SpikeType || x.direct()) return true;
        c.fail(c.opTok, c.spec.name() + " in a spiking network reads spikes (the output of iaf or lif) or a directly "
                + "encoded input, but its input is a current; put iaf or lif before it");
        return false;
    }

    private Val dense(CallArgs c, Val x) {
        Long units = c.integer("units", 1, null);
        Shape s = gb.type(x.value()).shape();
        if (s.rank() != 1) c.fail(c.opTok, "dense needs a rank-1 input, got " + dims(s) + "; flatten it first");
        projectionInput(c, x);
        if (c.failed || units == null) return null;
        int in = s.dim(0);
        if (!fits(c.opTok, "dense weight", units, in)) return null;
        int[] w = {(int) (long) units, in};
        String weight = c.param("weight", w, in, true);
        String bias = c.param("bias", new int[] {w[0]}, in, true);
        if (c.failed) return null;
        var a = Attributes.builder().putInt("units", units).putBlob("weight", weight);
        if (bias != null) a.putBlob("bias", bias);
        return build(c, spiking ? OpKind.SNN_DENSE : OpKind.ANN_DENSE, List.of(x), a.build());
    }

    private Val conv2d(CallArgs c, Val x) {
        Long oc = c.integer("out_channels", 1, null);
        int[] kernel = c.ints("kernel", 2, 1, null);
        int[] stride = c.ints("stride", 2, 1, null);
        int[] pad = c.ints("pad", 4, 0, null);
        Long groups = c.integer("groups", 1, 1L);
        if (groups != null && groups != 1) {
            c.fail(c.expr("groups").getStart(), "grouped convolution (groups = " + groups
                    + ") is not supported; only groups = 1");
        }
        boolean r3 = rank3(c, x);
        projectionInput(c, x);
        if (c.failed || oc == null || kernel == null || !r3) return null;
        int in = gb.type(x.value()).shape().dim(0);
        if (!fits(c.opTok, "conv2d weight", oc, in, kernel[0], kernel[1])) return null;
        int[] w = {(int) (long) oc, in, kernel[0], kernel[1]};
        long fanIn = (long) in * kernel[0] * kernel[1];
        String weight = c.param("weight", w, fanIn, true);
        String bias = c.param("bias", new int[] {w[0]}, fanIn, true);
        if (c.failed) return null;
        var a = Attributes.builder().putInt("out_channels", oc).putInts("kernel", kernel);
        if (stride != null) a.putInts("stride", stride);
        if (pad != null) a.putInts("pad", pad);
        a.putBlob("weight", weight);
        if (bias != null) a.putBlob("bias", bias);
        return build(c, spiking ? OpKind.SNN_CONV2D : OpKind.ANN_CONV2D, List.of(x), a.build());
    }

    private Val batchnorm(CallArgs c, Val x) {
        Shape s = gb.type(x.value()).shape();
        Double eps = c.number("epsilon", null);
        if (eps != null && !(eps > 0)) c.fail(c.expr("epsilon").getStart(), "'epsilon' of batchnorm must be positive, got " + eps);
        if (s.rank() < 1) c.fail(c.opTok, "batchnorm needs an input of rank >= 1");
        if (c.failed) return null;
        int[] ch = {s.dim(0)};
        var a = Attributes.builder();
        for (String p : List.of("gamma", "beta", "mean", "var")) {
            String blob = c.param(p, ch, 1, false);
            if (blob != null) a.putBlob(p, blob);
            if (blob != null && p.equals("var")) {
                float[] v = blobs.get(blob).floats();
                for (int i = 0; i < v.length; i++) {
                    if (v[i] < 0) {
                        c.fail(c.expr("var").getStart(), "var " + blob + " holds " + v[i] + " at index " + i
                                + "; a variance cannot be negative");
                        break;
                    }
                }
            }
        }
        if (c.failed) return null;
        if (eps != null) a.putFloat("epsilon", eps);
        return build(c, OpKind.ANN_BATCHNORM, List.of(x), a.build());
    }

    private Val pool(CallArgs c, Val x, boolean avg) {
        int[] kernel = c.ints("kernel", 2, 1, null);
        int[] stride = c.ints("stride", 2, 1, null);
        int[] pad = c.ints("pad", 4, 0, null);
        Boolean cip = avg ? c.bool("count_include_pad", null) : null;
        boolean r3 = rank3(c, x);
        if (spiking && cip != null) {
            c.fail(c.expr("count_include_pad").getStart(), "count_include_pad is not available in a spiking network");
        }
        if (spiking) {
            if (avg) projectionInput(c, x);
            else if (!(gb.type(x.value()) instanceof SpikeType)) {
                c.fail(c.opTok, "maxpool in a spiking network reads spikes (the output of iaf or lif)");
            }
        }
        if (c.failed || kernel == null || !r3) return null;
        var a = Attributes.builder().putInts("kernel", kernel);
        if (stride != null) a.putInts("stride", stride);
        if (pad != null) a.putInts("pad", pad);
        if (cip != null) a.putBool("count_include_pad", cip);
        OpKind kind = avg ? (spiking ? OpKind.SNN_AVGPOOL : OpKind.ANN_AVGPOOL) : (spiking ? OpKind.SNN_MAXPOOL : OpKind.ANN_MAXPOOL);
        return build(c, kind, List.of(x), a.build());
    }

    private Val add(CallArgs c, List<Val> operands) {
        Type a = gb.type(operands.get(0).value());
        Type b = gb.type(operands.get(1).value());
        if (!a.shape().equals(b.shape())) {
            c.fail(c.opTok, "add needs operands of the same shape, got " + dims(a.shape()) + " and " + dims(b.shape()));
            return null;
        }
        if (spiking && (a instanceof SpikeType || b instanceof SpikeType)) {
            c.fail(c.opTok, "add in a spiking network sums currents (outputs of dense, conv2d or avgpool), not spikes");
            return null;
        }
        return build(c, spiking ? OpKind.SNN_MERGE : OpKind.ANN_ADD, operands, Attributes.EMPTY);
    }

    private Val dropout(CallArgs c, Val x) {
        Double rate = c.number("rate", null);
        if (rate != null && !(rate >= 0 && rate < 1)) {
            c.fail(c.expr("rate").getStart(), "'rate' of dropout must be in [0, 1), got " + rate);
        }
        if (c.failed) return null;
        if (spiking) return x; // identity at inference; spiking stages have no dropout op
        var a = Attributes.builder();
        if (rate != null) a.putFloat("rate", rate);
        return build(c, OpKind.ANN_DROPOUT, List.of(x), a.build());
    }

    private Val neuron(CallArgs c, Val x, boolean lif) {
        Double threshold = c.number("threshold", 1.0);
        if (threshold != null && !(threshold > 0)) {
            c.fail(c.expr("threshold").getStart(), "'threshold' of " + c.spec.name() + " must be positive, got " + threshold);
        }
        Double leak = lif ? c.number("leak", null) : null;
        if (leak != null && !(leak > 0 && leak <= 1)) {
            c.fail(c.expr("leak").getStart(), "'leak' of lif must be in (0, 1], got " + leak);
        }
        Double v0 = c.number("v0", null);
        String reset = c.symbol("reset", List.of("subtract", "zero"), null);
        if (gb.type(x.value()) instanceof SpikeType) {
            c.fail(c.opTok, c.spec.name() + " integrates a current (the output of dense, conv2d, avgpool or add), "
                    + "but its input is spikes");
        }
        if (c.failed) return null;
        var a = Attributes.builder().putFloat("threshold", threshold);
        if (lif) a.putFloat("leak", leak);
        if (v0 != null) a.putFloat("v0", v0);
        if (reset != null) a.putSymbol("reset", reset);
        return build(c, lif ? OpKind.SNN_LIF : OpKind.SNN_IF, List.of(x), a.build());
    }
}

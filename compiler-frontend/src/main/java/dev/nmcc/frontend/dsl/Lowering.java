package dev.nmcc.frontend.dsl;

import dev.nmcc.frontend.dsl.DslOps.Kind;
import dev.nmcc.frontend.numpy.Npy;
import dev.nmcc.frontend.numpy.NpyFormatException;
import dev.nmcc.grammar.NmdParser;
import dev.nmcc.grammar.NmdParser.ArgContext;
import dev.nmcc.grammar.NmdParser.CallExprContext;
import dev.nmcc.grammar.NmdParser.ExprContext;
import dev.nmcc.grammar.NmdParser.ListExprContext;
import dev.nmcc.grammar.NmdParser.NumberContext;
import dev.nmcc.grammar.NmdParser.NumberExprContext;
import dev.nmcc.grammar.NmdParser.RefExprContext;
import dev.nmcc.grammar.NmdParser.StringExprContext;
import dev.nmcc.ir.attr.Attributes;
import dev.nmcc.ir.blob.BlobTable;
import dev.nmcc.ir.diag.CompilationException;
import dev.nmcc.ir.diag.Diagnostic;
import dev.nmcc.ir.diag.DiagnosticSink;
import dev.nmcc.ir.graph.GraphBuilder;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.graph.Value;
import dev.nmcc.ir.loc.Location;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.ir.op.Stage;
import dev.nmcc.ir.op.TypeInference;
import dev.nmcc.ir.type.ElementType;
import dev.nmcc.ir.type.Shape;
import dev.nmcc.ir.type.SpikeType;
import dev.nmcc.ir.type.TensorType;
import dev.nmcc.ir.type.Type;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.antlr.v4.runtime.Token;

/**
 * Semantic analysis and lowering of one parsed network to IR. Statements are lowered in
 * program order; every mistake is reported as a located diagnostic and lowering goes on, with
 * the failed value "poisoned" (null) so that one mistake does not cascade into many. At the
 * end, any error throws a {@link CompilationException} carrying all of them.
 *
 * <p>Stage: {@code snn} when the network uses {@code iaf}/{@code lif}, {@code encode} or
 * {@code decode}; {@code ann} otherwise.
 */
final class Lowering {
    /**
     * Largest element count of any one tensor the DSL may declare or create: 2^28 (1 GiB of
     * float32). Checked before anything is allocated.
     */
    static final long MAX_TENSOR_ELEMENTS = 1L << 28;

    /** A DSL value: an SSA value, and whether it is a directly encoded input (a current that is not a projection's). */
    private record Val(Value value, boolean direct) {}

    /** A name bound by input or assignment; {@code val} is null when its definition failed. */
    private record Binding(Val val, Token token) {}

    private final String file;
    private final Path baseDir;
    private final DiagnosticSink sink = new DiagnosticSink();
    private final BlobTable.Builder blobs = BlobTable.builder();
    private final GraphBuilder gb = new GraphBuilder(blobs);
    private final Map<String, Binding> names = new LinkedHashMap<>();
    private final Map<String, Token> outputs = new HashMap<>();
    private final Set<Value> named = new HashSet<>();
    private final ParameterStore parameters = new ParameterStore(blobs, this::error);
    private boolean spiking;
    private String spikingReason;

    Lowering(String file, Path baseDir) {
        this.file = file;
        this.baseDir = baseDir;
    }

    Module lower(NmdParser.ProgramContext program) {
        NmdParser.NetworkContext net = program.network();
        prescan(net);
        for (var s : net.statement()) {
            if (s instanceof NmdParser.ParamsStmtContext p) loadParams(p);
        }
        boolean anyInput = false;
        boolean anyOutput = false;
        for (var s : net.statement()) {
            switch (s) {
                case NmdParser.ParamsStmtContext p -> { }
                case NmdParser.InputStmtContext in -> { input(in); anyInput = true; }
                case NmdParser.AssignStmtContext a -> assign(a);
                case NmdParser.OutputStmtContext o -> { output(o); anyOutput = true; }
                default -> throw new IllegalStateException("unexpected statement " + s.getClass());
            }
        }
        Token netTok = net.name.getStart();
        if (!anyInput) error(netTok, "network '" + netTok.getText() + "' has no input");
        if (!anyOutput) error(netTok, "network '" + netTok.getText() + "' has no output");
        if (sink.hasErrors()) throw new CompilationException(sink.diagnostics());
        return new Module(netTok.getText(), spiking ? Stage.SNN : Stage.ANN, blobs.build(), gb.build());
    }

    // ---- helpers ------------------------------------------------------------------------------

    private Location loc(Token t) { return Location.file(file, t.getLine(), t.getCharPositionInLine() + 1); }

    private void error(Token t, String message) { sink.report(Diagnostic.error(loc(t), message)); }

    private static String dims(int[] shape) { return Arrays.toString(shape); }

    private static String dims(Shape s) { return Arrays.toString(s.dims()); }

    /** True when a tensor of this shape is small enough to create; reports the element count otherwise. */
    private boolean fits(Token at, String what, long... shape) {
        BigInteger n = BigInteger.ONE;
        for (long d : shape) n = n.multiply(BigInteger.valueOf(d));
        if (n.compareTo(BigInteger.valueOf(MAX_TENSOR_ELEMENTS)) > 0) {
            error(at, what + " would need " + n + " elements (" + Arrays.toString(shape) + "); the limit is "
                    + MAX_TENSOR_ELEMENTS + " elements per tensor");
            return false;
        }
        return true;
    }

    /** Finds whether the network spikes, and the params keys it names (random blobs avoid them). */
    private void prescan(NmdParser.NetworkContext net) {
        for (var s : net.statement()) {
            switch (s) {
                case NmdParser.InputStmtContext in when in.encoding != null ->
                        markSpiking(in.ENCODE().getSymbol(), "encode");
                case NmdParser.OutputStmtContext o when o.decoding != null ->
                        markSpiking(o.DECODE().getSymbol(), "decode");
                case NmdParser.AssignStmtContext a -> scan(a.expr());
                default -> { }
            }
        }
    }

    private void scan(ExprContext e) {
        switch (e) {
            case CallExprContext c -> {
                String op = c.callee.getText();
                if (DslOps.isNeuron(op)) markSpiking(c.callee.getStart(), op);
                for (ArgContext a : c.arg()) scan(a.expr());
            }
            case RefExprContext r when !r.ref().segment().isEmpty() -> parameters.reserve(r.ref().getText());
            case StringExprContext s -> parameters.reserve(unquote(s.STRING().getText()));
            case ListExprContext l -> l.expr().forEach(this::scan);
            default -> { }
        }
    }

    private void markSpiking(Token t, String what) {
        if (!spiking) spikingReason = "it uses " + what + " at " + t.getLine() + ":" + (t.getCharPositionInLine() + 1);
        spiking = true;
    }

    static String unquote(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i < s.length() - 1; i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length() - 1) {
                char n = s.charAt(++i);
                sb.append(switch (n) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    default -> n;
                });
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    // ---- statements ---------------------------------------------------------------------------

    private void loadParams(NmdParser.ParamsStmtContext p) {
        parameters.declared();
        Token tok = p.path;
        String written = unquote(tok.getText());
        Path path = baseDir.resolve(written);
        if (!written.endsWith(".npz")) {
            error(tok, "params file '" + written + "' must be an .npz archive (np.savez)");
            parameters.failedToLoad();
            return;
        }
        if (!Files.isRegularFile(path)) {
            error(tok, "params file '" + written + "' not found (looked for " + path.toAbsolutePath().normalize() + ")");
            parameters.failedToLoad();
            return;
        }
        try {
            parameters.add(new Params(written, Npy.readNpz(path)));
        } catch (NpyFormatException e) {
            error(tok, "cannot read params file '" + written + "': " + e.getMessage());
            parameters.failedToLoad();
        } catch (IOException e) {
            error(tok, "cannot read params file '" + written + "': " + e);
            parameters.failedToLoad();
        }
    }

    /** Binds a name; a second definition is an error with a note at the first. */
    private boolean declare(String name, Token tok, Val val) {
        Binding first = names.get(name);
        if (first != null) {
            sink.report(Diagnostic.error(loc(tok), "'" + name + "' is already defined")
                    .withNote(loc(first.token()), "first defined here"));
            return false;
        }
        names.put(name, new Binding(val, tok));
        return true;
    }

    private void input(NmdParser.InputStmtContext s) {
        Token nameTok = s.name.getStart();
        String name = nameTok.getText();
        boolean ok = true;
        String elem = s.elem.getText();
        if (!elem.equals("f32")) {
            error(s.elem.getStart(), "unsupported input element type '" + elem + "'; inputs are f32");
            ok = false;
        }
        long[] dims = new long[s.dims.size()];
        for (int i = 0; i < dims.length; i++) {
            Token d = s.dims.get(i);
            try {
                dims[i] = Long.parseLong(d.getText());
            } catch (NumberFormatException e) {
                dims[i] = Long.MAX_VALUE;
            }
            if (dims[i] <= 0) {
                error(d, "input dimensions must be positive, got " + d.getText());
                ok = false;
            }
        }
        if (ok && !fits(nameTok, "input '" + name + "'", dims)) ok = false;
        double lo = 0;
        double hi = 1;
        if (s.lo != null) {
            lo = number(s.lo);
            hi = number(s.hi);
            if (!Double.isFinite(lo) || !Double.isFinite(hi)) {
                error(s.lo.getStart(), "input range [" + s.lo.getText() + ", " + s.hi.getText() + "] is out of range");
                ok = false;
            } else if (!(lo < hi)) {
                error(s.lo.getStart(), "input range [" + s.lo.getText() + ", " + s.hi.getText()
                        + "] is empty: the low end must be less than the high end");
                ok = false;
            }
        }
        String encoding = null;
        if (s.encoding != null) {
            encoding = s.encoding.getText();
            if (!encoding.equals("rate") && !encoding.equals("direct")) {
                error(s.encoding.getStart(), "unknown encoding '" + encoding + "'; expected direct or rate");
                ok = false;
            }
        }
        if (!ok) {
            declare(name, nameTok, null);
            return;
        }
        int[] shape = new int[dims.length];
        for (int i = 0; i < dims.length; i++) shape[i] = (int) dims[i];
        var attrs = Attributes.builder().putString("name", name);
        if (s.lo != null) attrs.putFloats("range", lo, hi);
        Value v = gb.input(spiking ? OpKind.SNN_INPUT : OpKind.ANN_INPUT, new TensorType(Shape.of(shape), ElementType.F32),
                attrs.build(), loc(nameTok));
        Val val = new Val(v, false);
        if (spiking) {
            String mode = encoding == null ? "direct" : encoding;
            Token at = s.encoding != null ? s.ENCODE().getSymbol() : nameTok;
            Value e = gb.add(OpKind.SNN_ENCODE, List.of(v), Attributes.builder().putSymbol("mode", mode).build(), loc(at));
            gb.setName(e, name + ".encoded");
            named.add(e);
            val = new Val(e, mode.equals("direct"));
        }
        if (declare(name, nameTok, val)) {
            gb.setName(v, name);
            named.add(v);
        }
    }

    private void assign(NmdParser.AssignStmtContext s) {
        Token nameTok = s.name.getStart();
        String name = nameTok.getText();
        Val v = value(s.expr(), name);
        boolean fresh = declare(name, nameTok, v);
        if (fresh && v != null && named.add(v.value())) gb.setName(v.value(), name);
    }

    private void output(NmdParser.OutputStmtContext s) {
        Token nameTok = s.name.getStart();
        String name = nameTok.getText();
        Binding b = names.get(name);
        if (b == null) {
            error(nameTok, "output '" + name + "' is not defined" + Suggestions.didYouMean(name, names.keySet()));
            return;
        }
        Token first = outputs.putIfAbsent(name, nameTok);
        if (first != null) {
            sink.report(Diagnostic.error(loc(nameTok), "'" + name + "' is already an output")
                    .withNote(loc(first), "first output here"));
            return;
        }
        if (b.val() == null) return;
        Value v = b.val().value();
        if (!spiking) {
            gb.add(OpKind.ANN_OUTPUT, List.of(v), Attributes.builder().putString("name", name).build(), loc(nameTok));
            return;
        }
        Type t = gb.type(v);
        String mode = t instanceof SpikeType ? "count" : "potential";
        Token at = nameTok;
        if (s.decoding != null) {
            at = s.DECODE().getSymbol();
            String asked = s.decoding.getText();
            if (!asked.equals("count") && !asked.equals("potential")) {
                error(s.decoding.getStart(), "unknown decoding '" + asked + "'; expected count or potential");
                return;
            }
            if (asked.equals("count") && !(t instanceof SpikeType)) {
                error(s.decoding.getStart(), "decode count needs spikes, but '" + name + "' is a current; "
                        + "use decode potential, or put iaf/lif after it");
                return;
            }
            if (asked.equals("potential") && t instanceof SpikeType) {
                error(s.decoding.getStart(), "decode potential needs a current, but '" + name
                        + "' is spikes; use decode count, or output the projection before the neurons");
                return;
            }
            mode = asked;
        }
        Value d = gb.add(OpKind.SNN_DECODE, List.of(v), Attributes.builder().putSymbol("mode", mode).build(), loc(at));
        gb.add(OpKind.SNN_OUTPUT, List.of(d), Attributes.builder().putString("name", name).build(), loc(nameTok));
    }

    // ---- expressions --------------------------------------------------------------------------

    static String describe(ExprContext e) {
        return switch (e) {
            case CallExprContext c -> "a call to '" + c.callee.getText() + "'";
            case RefExprContext r -> "'" + r.getText() + "'";
            case StringExprContext s -> "the string " + s.getText();
            case NumberExprContext n -> "the number " + n.getText();
            case ListExprContext l -> "a list";
            default -> "'" + e.getText() + "'";
        };
    }

    /** A tensor value: a bound name or an op call. Null after an error (already reported). */
    private Val value(ExprContext e, String bindName) {
        switch (e) {
            case CallExprContext c -> { return call(c, bindName); }
            case RefExprContext r -> {
                Token t = r.getStart();
                String text = r.getText();
                if (!r.ref().segment().isEmpty()) {
                    error(t, "'" + text + "' is not a value; parameters are given as arguments such as weight = " + text);
                    return null;
                }
                Binding b = names.get(text);
                if (b != null) return b.val();
                if (DslOps.OPS.containsKey(text)) {
                    error(t, "'" + text + "' is an op; call it: " + text + "(...)");
                } else {
                    error(t, "undefined name '" + text + "'" + Suggestions.didYouMean(text, names.keySet()));
                }
                return null;
            }
            default -> {
                error(e.getStart(), "expected a tensor value (a name or an op call), found " + describe(e));
                return null;
            }
        }
    }



    static Long intLiteral(ExprContext e) {
        if (!(e instanceof NumberExprContext n) || n.number().INT() == null) return null;
        try {
            long v = Long.parseLong(n.number().INT().getText());
            return n.number().MINUS() != null ? -v : v;
        } catch (NumberFormatException ex) {
            return Long.MAX_VALUE;
        }
    }

    static double number(NumberContext n) {
        double v = Double.parseDouble(n.INT() != null ? n.INT().getText() : n.FLOAT().getText());
        return n.MINUS() != null ? -v : v;
    }

    // ---- ops ----------------------------------------------------------------------------------

    private Val call(CallExprContext c, String bindName) {
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

package dev.nmcc.frontend.dsl;

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
import dev.nmcc.ir.type.ElementType;
import dev.nmcc.ir.type.Shape;
import dev.nmcc.ir.type.SpikeType;
import dev.nmcc.ir.type.TensorType;
import dev.nmcc.ir.type.Type;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * end, any error throws a {@link CompilationException} carrying all of them. Op calls are
 * lowered by {@link CallLowering}.
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
    record Val(Value value, boolean direct) {}

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
    /** Lowers op calls; made once {@link #prescan} has decided whether the network spikes. */
    private CallLowering calls;

    Lowering(String file, Path baseDir) {
        this.file = file;
        this.baseDir = baseDir;
    }

    Module lower(NmdParser.ProgramContext program) {
        NmdParser.NetworkContext net = program.network();
        prescan(net);
        calls = new CallLowering(this, gb, blobs, parameters, spiking, spikingReason);
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

    Location loc(Token t) { return Location.file(file, t.getLine(), t.getCharPositionInLine() + 1); }

    void error(Token t, String message) { sink.report(Diagnostic.error(loc(t), message)); }

    /** True when a tensor of this shape is small enough to create; reports the element count otherwise. */
    boolean fits(Token at, String what, long... shape) {
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
    Val value(ExprContext e, String bindName) {
        switch (e) {
            case CallExprContext c -> { return calls.call(c, bindName); }
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
}

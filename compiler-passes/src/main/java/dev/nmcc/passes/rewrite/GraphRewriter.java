package dev.nmcc.passes.rewrite;

import dev.nmcc.ir.attr.Attribute;
import dev.nmcc.ir.attr.Attributes;
import dev.nmcc.ir.blob.Blob;
import dev.nmcc.ir.blob.BlobTable;
import dev.nmcc.ir.graph.Graph;
import dev.nmcc.ir.graph.GraphBuilder;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.graph.Op;
import dev.nmcc.ir.graph.Value;
import dev.nmcc.ir.loc.Location;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.ir.op.Stage;
import dev.nmcc.ir.type.Type;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds a new module from an old one, op by op, so that a pass writes only what it changes.
 *
 * <p>The rewriter walks the source graph in program order and asks a {@link Rule} about each op.
 * The rule either returns {@code false} — the op is copied unchanged, its operands mapped to the
 * new values — or handles the op itself and returns {@code true}: it may
 * <ul>
 *   <li><b>replace</b> it: {@link #add} new ops (operands from {@link #map}) and
 *       {@link #replace}{@code (oldResult, newValue)} so that later uses read the new value;
 *   <li><b>drop</b> it: {@code replace(op.result(), map(op.operand(0)))} (a no-op like dropout), or
 *       nothing at all when no one uses its results;
 *   <li><b>insert</b> before or after it: {@link #add} ops, then {@link #copy} the op.
 * </ul>
 * Every old value must be mapped before a later op reads it (copying maps results automatically);
 * reading an unmapped value is an {@link IllegalStateException}, which catches a rule that drops an
 * op whose result is still used.
 *
 * <p>Blobs: the new module starts with the old blob table; {@link #blobs()} adds or replaces
 * blobs ({@code blobs().freshName("conv1.weight.bn")} gives an unused name). When the rewrite
 * finishes, blobs that the old graph referenced and the new graph does not are removed; blobs
 * that nothing referenced before are kept.
 *
 * <p>Name hints of copied results are kept; {@link #add} results get none unless given with
 * {@link #name}, which keeps hints unique.
 *
 * <pre>{@code
 * GraphRewriter.Result r = GraphRewriter.rewrite(module, (op, rw) -> {
 *     if (op.kind() != OpKind.ANN_DROPOUT) return false;       // copied as is
 *     rw.replace(op.result(), rw.map(op.operand(0)));          // uses of the dropout read its input
 *     return true;
 * });
 * return r.changed() ? PassResult.changed(r.module()) : PassResult.unchanged(module);
 * }</pre>
 */
public final class GraphRewriter {
    /** Decides what becomes of one op of the source graph. */
    @FunctionalInterface
    public interface Rule {
        /** Returns false to copy {@code op} unchanged; true when the rule has handled it. */
        boolean apply(Op op, GraphRewriter rw);
    }

    /** The new module, and whether any rule handled an op (or the stage changed). */
    public record Result(Module module, boolean changed) {}

    private final Module source;
    private final BlobTable.Builder blobs;
    private final GraphBuilder builder;
    private final Value[] map;
    private final Set<String> names = new HashSet<>();

    /** A rewriter of {@code source}; {@link #rewrite(Rule)} runs it once. */
    public GraphRewriter(Module source) {
        this.source = source;
        this.blobs = source.blobs().toBuilder();
        this.builder = new GraphBuilder(blobs);
        this.map = new Value[source.graph().valueCount()];
    }

    /** Rewrites {@code module} with {@code rule}, keeping its stage. */
    public static Result rewrite(Module module, Rule rule) { return new GraphRewriter(module).rewrite(rule); }

    /** Runs the rule over every op of the source graph in program order and builds the module, at the source's stage. */
    public Result rewrite(Rule rule) { return rewrite(rule, source.stage()); }

    /** As {@link #rewrite(Rule)}, producing a module of {@code stage} (for stage conversions). */
    public Result rewrite(Rule rule, Stage stage) {
        boolean changed = stage != source.stage();
        for (Op op : source.graph().ops()) {
            if (rule.apply(op, this)) changed = true;
            else copy(op);
        }
        return new Result(finish(stage), changed);
    }

    /** The module being rewritten. */
    public Module source() { return source; }

    /** The source graph (for use counts, defining ops, types of old values). */
    public Graph sourceGraph() { return source.graph(); }

    /** The blob table of the new module, being built: add, replace, {@code freshName}. */
    public BlobTable.Builder blobs() { return blobs; }

    /** The builder of the new graph, for what the helpers here do not cover. */
    public GraphBuilder builder() { return builder; }

    /** The new value that stands for {@code old}; fails when {@code old} has not been mapped yet. */
    public Value map(Value old) {
        Value v = map[old.id()];
        if (v == null) {
            throw new IllegalStateException("value " + old + " (" + source.graph().definingOp(old).kind().mnemonic()
                    + ") is used but was dropped by the rewrite, or is not defined yet");
        }
        return v;
    }

    /** The new values for {@code olds}, in order. */
    public List<Value> map(List<Value> olds) {
        List<Value> out = new ArrayList<>(olds.size());
        for (Value v : olds) out.add(map(v));
        return out;
    }

    /** Whether {@code old} has a new value. */
    public boolean isMapped(Value old) { return map[old.id()] != null; }

    /** From now on, uses of {@code old} read {@code replacement} (a value of the new graph). */
    public void replace(Value old, Value replacement) { map[old.id()] = replacement; }

    /** The type of a value of the new graph. */
    public Type type(Value newValue) { return builder.type(newValue); }

    /**
     * Copies {@code op} with its operands mapped, its attributes, location and result name hint;
     * maps its result. Returns the result, or null for ops without one. The result type is
     * inferred again, so a copy adapts to operands whose type the rewrite changed.
     */
    public Value copy(Op op) { return copy(op, op.attributes()); }

    /** As {@link #copy(Op)}, with other attributes. Result types are inferred from the new operands (inputs keep theirs). */
    public Value copy(Op op, Attributes attributes) {
        Value result;
        if (op.kind().isInput()) {
            result = builder.input(op.kind(), source.graph().type(op.result()), attributes, op.location());
        } else {
            result = builder.add(op.kind(), map(op.operands()), attributes, op.location());
        }
        if (result != null) {
            Value old = op.result();
            map[old.id()] = result;
            source.graph().name(old).ifPresent(n -> name(result, n));
        }
        return result;
    }

    /**
     * Adds a new op (operands are values of the new graph); its result type is inferred. Returns
     * its result, or null for ops without results.
     */
    public Value add(OpKind kind, List<Value> newOperands, Attributes attributes, Location location) {
        return builder.add(kind, newOperands, attributes, location);
    }

    /**
     * Gives a value of the new graph a name hint: {@code name}, or {@code name.1}, {@code name.2}, ...
     * when taken. Returns the name given.
     */
    public String name(Value newValue, String name) {
        String n = name;
        for (int k = 1; !names.add(n); k++) n = name + "." + k;
        builder.setName(newValue, n);
        return n;
    }

    private Module finish(Stage stage) {
        var graph = builder.build();
        Set<String> before = referencedBlobs(source.graph().ops());
        Set<String> after = referencedBlobs(graph.ops());
        for (String b : before) if (!after.contains(b)) blobs.remove(b);
        return new Module(source.name(), stage, blobs.build(), graph);
    }

    /** The blob names referenced by attributes of these ops (also inside arrays). */
    public static Set<String> referencedBlobs(List<Op> ops) {
        Set<String> out = new HashSet<>();
        for (Op op : ops) for (Attribute a : op.attributes().asMap().values()) collect(a, out);
        return out;
    }

    private static void collect(Attribute a, Set<String> out) {
        switch (a) {
            case Attribute.BlobRef(String n) -> out.add(n);
            case Attribute.Array(List<Attribute> elements) -> elements.forEach(e -> collect(e, out));
            default -> { }
        }
    }

    /** Adds a float blob of {@code shape}-typed data under a fresh name based on {@code base}; returns its name. */
    public String addFloatBlob(String base, dev.nmcc.ir.type.TensorType type, float[] data) {
        String n = blobs.freshName(base);
        blobs.add(Blob.ofFloats(n, type, data));
        return n;
    }
}

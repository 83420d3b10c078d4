package dev.nmcc.ir.graph;

import dev.nmcc.ir.attr.Attribute;
import dev.nmcc.ir.attr.Attributes;
import dev.nmcc.ir.blob.BlobLookup;
import dev.nmcc.ir.loc.Location;
import dev.nmcc.ir.op.AttrSpec;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.ir.op.TypeInference;
import dev.nmcc.ir.type.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Appends ops to a new graph in program order. Result types come from {@link TypeInference}
 * ({@link #add}) or are given by the caller ({@link #addTyped}, for the parser; the verifier
 * then checks them). Attributes are put in schema order so that equal ops print alike.
 */
public final class GraphBuilder {
    private final BlobLookup blobs;
    private final List<Op> ops = new ArrayList<>();
    private final List<Graph.ValueInfo> values = new ArrayList<>();

    /** @param blobs where blob references are resolved for type inference */
    public GraphBuilder(BlobLookup blobs) { this.blobs = blobs; }

    /** Thrown when an op cannot be typed; frontends call {@link #infer} first to report it nicely. */
    public static final class IllTypedOpException extends IllegalArgumentException {
        public IllTypedOpException(String message) { super(message); }
    }

    /** The type of a value built so far. */
    public Type type(Value v) { return values.get(v.id()).type(); }

    public int opCount() { return ops.size(); }

    /** Infers the result type an op would get, without adding it. */
    public TypeInference.Result infer(OpKind kind, List<Value> operands, Attributes attrs) {
        return TypeInference.infer(kind, operands.stream().map(this::type).toList(), attrs, blobs);
    }

    /** Adds an input op with its declared type. */
    public Value input(OpKind kind, Type type, Attributes attrs, Location loc) {
        if (!kind.isInput()) throw new IllegalArgumentException(kind.mnemonic() + " is not an input");
        return addTyped(kind, List.of(), attrs, List.of(type), loc).getFirst();
    }

    /**
     * Adds an op whose result type is inferred. Returns its result, or null for ops without
     * results. Throws {@link IllTypedOpException} when the type rules reject it.
     */
    public Value add(OpKind kind, List<Value> operands, Attributes attrs, Location loc) {
        TypeInference.Result r = infer(kind, operands, attrs);
        if (!r.isOk()) throw new IllTypedOpException(kind.mnemonic() + ": " + r.error());
        List<Value> res = addTyped(kind, operands, attrs, r.type() == null ? List.of() : List.of(r.type()), loc);
        return res.isEmpty() ? null : res.getFirst();
    }

    /** Adds an op with the given result types, unchecked (the verifier checks them). */
    public List<Value> addTyped(OpKind kind, List<Value> operands, Attributes attrs, List<Type> resultTypes, Location loc) {
        for (Value v : operands) {
            if (v.id() >= values.size()) throw new IllegalArgumentException("operand " + v + " is not defined yet");
        }
        int opIndex = ops.size();
        List<Value> results = new ArrayList<>(resultTypes.size());
        for (int i = 0; i < resultTypes.size(); i++) {
            Value v = new Value(values.size());
            values.add(new Graph.ValueInfo(resultTypes.get(i), null, opIndex, i));
            results.add(v);
        }
        ops.add(new Op(kind, operands, results, inSchemaOrder(kind, attrs), loc));
        return results;
    }

    /** Gives a value a name for printing ({@code %h1}); names must be unique in the graph. */
    public void setName(Value v, String name) {
        Graph.ValueInfo info = values.get(v.id());
        values.set(v.id(), new Graph.ValueInfo(info.type(), name, info.definingOp(), info.resultIndex()));
    }

    public Graph build() { return new Graph(ops, values); }

    /**
     * {@code g} again with new attributes per op ({@code attrs.get(i)} for op i), every result type
     * inferred anew (a pass that changes weights or units changes types) and the names and
     * locations kept. Throws {@link IllTypedOpException} when the new attributes do not type.
     */
    public static Graph withAttributes(Graph g, List<Attributes> attrs, BlobLookup blobs) {
        GraphBuilder b = new GraphBuilder(blobs);
        Value[] map = new Value[g.valueCount()];
        List<Op> ops = g.ops();
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            List<Value> operands = op.operands().stream().map(v -> map[v.id()]).toList();
            Value r;
            if (op.kind().isInput()) r = b.input(op.kind(), g.type(op.result()), attrs.get(i), op.location());
            else r = b.add(op.kind(), operands, attrs.get(i), op.location());
            if (r != null) {
                map[op.result().id()] = r;
                g.name(op.result()).ifPresent(nm -> b.setName(r, nm));
            }
        }
        return b.build();
    }

    /** Attributes in the order of the op's schema; unknown names (a verifier error) go last. */
    static Attributes inSchemaOrder(OpKind kind, Attributes attrs) {
        if (attrs.size() <= 1) return attrs;
        var ordered = new LinkedHashMap<String, Attribute>();
        for (AttrSpec spec : kind.attributes()) {
            Attribute a = attrs.getOrNull(spec.name());
            if (a != null) ordered.put(spec.name(), a);
        }
        attrs.asMap().forEach(ordered::putIfAbsent);
        return Attributes.of(ordered);
    }
}

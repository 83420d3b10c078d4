package dev.nmcc.ir.verify;

import dev.nmcc.ir.attr.AttrKind;
import dev.nmcc.ir.attr.Attribute;
import dev.nmcc.ir.blob.Blob;
import dev.nmcc.ir.diag.CompilationException;
import dev.nmcc.ir.diag.Diagnostic;
import dev.nmcc.ir.graph.Graph;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.graph.Op;
import dev.nmcc.ir.graph.Value;
import dev.nmcc.ir.loc.Location;
import dev.nmcc.ir.op.AttrSpec;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.ir.op.Stage;
import dev.nmcc.ir.op.TypeInference;
import dev.nmcc.ir.type.ElementType;
import dev.nmcc.ir.type.Shape;
import dev.nmcc.ir.type.SpikeType;
import dev.nmcc.ir.type.TensorType;
import dev.nmcc.ir.type.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks the invariants of a module and reports every violation, located at the offending op.
 *
 * <p>The invariants (docs/ir-verifier.md gives an example message for each):
 * <ol>
 *   <li><b>Stage.</b> The module's stage admits every op ({@link OpKind#admittedIn}).</li>
 *   <li><b>Arity.</b> Operand and result counts match the op's schema.</li>
 *   <li><b>SSA.</b> Every operand is a value of the graph, defined by an earlier op (dominance is
 *       program order: graphs are a single block); the value table agrees with the ops (each
 *       result's entry names its defining op and result index); no value is defined twice; no
 *       table entry is left without a defining op.</li>
 *   <li><b>Attributes.</b> Required ones are present, unknown ones absent, kinds are those of the
 *       schema, symbols come from the schema's set, and values are in range
 *       ({@link AttributeRules}). Core slice ids are unique; routes and wake sources name
 *       existing core slices; core slices of one population do not overlap.</li>
 *   <li><b>Blobs and parameters.</b> Blob references resolve in the module's blob table. In
 *       stage {@code ann} every blob is f32. In stage {@code hw} parameters are integers only:
 *       blobs (except a per-channel {@code weight_scale}) are integer-typed, thresholds, initial
 *       potentials and pooling weights are {@code Attribute.Int}, {@code snn.lif} uses
 *       {@code leak_shift} (not {@code leak}; without either it does not leak) and direct encoding has an
 *       {@code input_scale}.</li>
 *   <li><b>Types.</b> Inputs declare f32 tensors; every other result type equals what
 *       {@link TypeInference} derives from the operands and attributes. This check runs only on
 *       ops without any other error, so that one mistake is not reported twice.</li>
 *   <li><b>Values and names.</b> Every value has a type whose shape is allocatable (at most
 *       {@link Shape#MAX_ELEMENTS} elements); value name hints are unique; input names are
 *       unique, and so are output names; the module has at least one input and one output.
 *       Unused values are allowed.</li>
 *   <li><b>Spiking dataflow</b> (stages {@code snn} and {@code hw}). {@code snn.encode} reads an
 *       {@code snn.input}; {@code snn.decode mode=count} reads spikes and
 *       {@code mode=potential} reads a current (a tensor); an {@code snn.lif} has {@code leak} or
 *       {@code leak_shift}, not both.</li>
 * </ol>
 *
 * <p>Diagnostics are errors in program order. For each op the checks run as: stage, arity,
 * operands, results (definition, table entry, type, name hint), attributes (in schema order,
 * then unknown ones), stage parameters, names and core slice references, spiking dataflow,
 * result type. Module-wide facts (orphan value table entries, a missing input or output) come
 * last, at an unknown location. Duplicates are
 * reported at the second occurrence with a note pointing at the first. The verifier never
 * throws on a malformed module.
 */
public final class Verifier {
    private Verifier() {}

    /** Every violation, in program order; empty when the module is valid. */
    public static List<Diagnostic> verify(Module module) {
        return new Run(module).run();
    }

    /**
     * Verifies and throws when anything is wrong, each message prefixed with the context, as in
     * {@code after pass 'fold-batchnorm': op 'ann.relu' is not allowed in stage snn}. The pass
     * manager calls this after every pass so that a violation names the pass that caused it.
     *
     * @param context what just happened to the module; null or empty for no prefix
     * @throws CompilationException with every violation
     */
    public static void verifyOrThrow(Module module, String context) {
        List<Diagnostic> found = verify(module);
        if (found.isEmpty()) return;
        String prefix = context == null || context.isEmpty() ? "" : context + ": ";
        throw new CompilationException(found.stream()
                .map(d -> new Diagnostic(d.severity(), d.location(), prefix + d.message(), d.notes()))
                .toList());
    }

    /** The state of one verification; thrown away afterwards. */
    private static final class Run {
        private final Module module;
        private final Graph graph;
        private final Stage stage;
        private final List<Op> ops;
        private final List<Diagnostic> out = new ArrayList<>();

        /** For each value id, the index of the first op that lists it as a result, or -1. */
        private final int[] definedBy;
        /** Values whose (first) definition has been checked, to find second definitions. */
        private final boolean[] defined;
        /** Every core slice id in the module, for references from routes and wake sources. */
        private final Set<Long> sliceIds;

        private final Map<String, Op> inputNames = new HashMap<>();
        private final Map<String, Op> outputNames = new HashMap<>();
        private final Map<String, Value> valueNames = new HashMap<>();
        private final Map<Long, Op> slicesSeen = new HashMap<>();
        /** Placed neuron ranges per population value: {slice id, start, end}. */
        private final Map<Integer, List<long[]>> placed = new HashMap<>();

        /** Errors reported for the op being checked. */
        private int opErrors;
        private Op current;

        Run(Module module) {
            this.module = module;
            this.graph = module.graph();
            this.stage = module.stage();
            this.ops = graph.ops();
            this.definedBy = new int[graph.valueCount()];
            Arrays.fill(definedBy, -1);
            this.defined = new boolean[graph.valueCount()];
            for (int i = 0; i < ops.size(); i++) {
                for (Value r : ops.get(i).results()) {
                    if (r.id() < definedBy.length && definedBy[r.id()] < 0) definedBy[r.id()] = i;
                }
            }
            this.sliceIds = ops.stream()
                    .filter(op -> op.kind() == OpKind.HW_CORE_SLICE)
                    .map(op -> op.attributes().getOrNull("id"))
                    .filter(a -> a instanceof Attribute.Int)
                    .map(a -> ((Attribute.Int) a).value())
                    .collect(Collectors.toSet());
        }

        List<Diagnostic> run() {
            for (int i = 0; i < ops.size(); i++) checkOp(i, ops.get(i));
            checkModule();
            return List.copyOf(out);
        }

        // ---- reporting --------------------------------------------------------------------------

        private void error(String message) {
            out.add(Diagnostic.error(current.location(), message));
            opErrors++;
        }

        private void error(String message, Location first, String note) {
            out.add(Diagnostic.error(current.location(), message).withNote(first, note));
            opErrors++;
        }

        private String show(Value v) {
            if (v.id() < graph.valueCount()) {
                String name = graph.info(v).name();
                if (name != null) return "%" + name;
            }
            return v.toString();
        }

        private String name(Op op) { return "'" + op.kind().mnemonic() + "'"; }

        // ---- per op -----------------------------------------------------------------------------

        private void checkOp(int index, Op op) {
            current = op;
            opErrors = 0;
            OpKind kind = op.kind();
            boolean admitted = kind.admittedIn(stage);
            if (!admitted) error("op " + name(op) + " is not allowed in stage " + stage);
            checkCounts(op);
            List<Type> operandTypes = checkOperands(index, op);
            checkResults(index, op);
            checkAttributes(op, operandTypes);
            if (admitted) checkStageParameters(op);
            checkReferences(op, operandTypes);
            if (admitted && stage != Stage.ANN) checkSpikingDataflow(op, operandTypes);
            if (opErrors == 0) checkResultType(op, operandTypes);
        }

        private void checkCounts(Op op) {
            OpKind k = op.kind();
            int n = op.operands().size();
            if (n < k.minOperands() || (k.maxOperands() >= 0 && n > k.maxOperands())) {
                error("op " + name(op) + " takes " + arity(k) + ", got " + n);
            }
            if (op.results().size() != k.resultCount()) {
                error("op " + name(op) + " has " + plural(k.resultCount(), "result") + ", got " + op.results().size());
            }
        }

        private static String arity(OpKind k) {
            if (k.maxOperands() < 0) return "at least " + plural(k.minOperands(), "operand");
            if (k.minOperands() == k.maxOperands()) return plural(k.minOperands(), "operand");
            return k.minOperands() + " to " + k.maxOperands() + " operands";
        }

        private static String plural(int n, String word) { return n + " " + word + (n == 1 ? "" : "s"); }

        /** SSA checks on operands; returns their types, null where unknown (broken value or type). */
        private List<Type> checkOperands(int index, Op op) {
            List<Type> types = new ArrayList<>(op.operands().size());
            for (int i = 0; i < op.operands().size(); i++) {
                Value v = op.operand(i);
                String which = "operand #" + i + " of " + name(op);
                if (v.id() >= graph.valueCount()) {
                    error(which + " is " + v + ", which is not in the value table");
                    types.add(null);
                    continue;
                }
                int def = definedBy[v.id()];
                if (def < 0) {
                    error(which + " is " + show(v) + ", which no op defines");
                } else if (def >= index) {
                    Op definer = ops.get(def);
                    error(which + " uses " + show(v) + " before its definition by " + name(definer),
                            definer.location(), "defined here");
                }
                Type t = graph.info(v).type();
                types.add(def >= 0 && def < index && t != null && t.shape().isAllocatable() ? t : null);
            }
            return Collections.unmodifiableList(types);
        }

        private void checkResults(int index, Op op) {
            for (int j = 0; j < op.results().size(); j++) {
                Value r = op.results().get(j);
                String which = "result #" + j + " of " + name(op);
                if (r.id() >= graph.valueCount()) {
                    error(which + " is " + r + ", which is not in the value table");
                    continue;
                }
                if (defined[r.id()]) {
                    Op firstOp = ops.get(definedBy[r.id()]);
                    error("value " + show(r) + " is defined twice: by " + name(firstOp) + " and by " + name(op),
                            firstOp.location(), "first defined here");
                    continue;
                }
                defined[r.id()] = true;
                Graph.ValueInfo info = graph.info(r);
                if (info.definingOp() != index || info.resultIndex() != j) {
                    error("the value table says " + show(r) + " is result #" + info.resultIndex() + " of op #"
                            + info.definingOp() + ", but it is result #" + j + " of op #" + index + " " + name(op));
                }
                Type t = info.type();
                if (t == null) {
                    error("value " + show(r) + " has no type");
                } else if (!t.shape().isAllocatable()) {
                    error("value " + show(r) + " has type " + t.text() + " with " + elementCountText(t.shape())
                            + " elements, more than " + Shape.MAX_ELEMENTS);
                }
                if (info.name() != null) {
                    Value other = valueNames.putIfAbsent(info.name(), r);
                    if (other != null) {
                        Op otherOp = ops.get(definedBy[other.id()]);
                        error("value name %" + info.name() + " is used twice: " + other + " and " + r,
                                otherOp.location(), "first used here");
                    }
                }
            }
        }

        private static String elementCountText(Shape s) {
            java.math.BigInteger n = java.math.BigInteger.ONE;
            for (int d : s.dims()) n = n.multiply(java.math.BigInteger.valueOf(d));
            return n.toString();
        }

        private void checkAttributes(Op op, List<Type> operandTypes) {
            OpKind kind = op.kind();
            var ctx = new AttributeRules.Context(kind, operandTypes);
            for (AttrSpec spec : kind.attributes()) {
                Attribute a = op.attributes().getOrNull(spec.name());
                String which = "attribute '" + spec.name() + "' of " + name(op);
                if (a == null) {
                    if (spec.required()) error("op " + name(op) + " is missing required attribute '" + spec.name() + "'");
                    continue;
                }
                if (!spec.kinds().contains(a.kind())) {
                    error(which + " must be " + describeKinds(spec.kinds()) + ", got " + a.kind().describe()
                            + " (" + a.text() + ")");
                    continue;
                }
                if (a instanceof Attribute.Symbol(String s) && !spec.symbols().isEmpty() && !spec.symbols().contains(s)) {
                    error(which + " must be one of " + String.join(", ", spec.symbols()) + "; got " + s);
                    continue;
                }
                if (a instanceof Attribute.BlobRef(String blob) && module.blobs().get(blob) == null) {
                    error(which + " refers to unknown blob " + a.text());
                    continue;
                }
                String requirement = AttributeRules.check(kind, spec.name(), a, ctx);
                if (requirement != null) error(which + " must be " + requirement + ", got " + a.text());
            }
            for (String n : op.attributes().names()) {
                if (kind.attribute(n) == null) error("op " + name(op) + " has unknown attribute '" + n + "'");
            }
        }

        private static String describeKinds(Set<AttrKind> kinds) {
            return kinds.stream().sorted().map(AttrKind::describe).collect(Collectors.joining(" or "));
        }

        /** Invariant 5 for admitted ops: f32 blobs in ann, integer parameters in hw. */
        private void checkStageParameters(Op op) {
            if (stage == Stage.SNN) return;
            for (var e : op.attributes().asMap().entrySet()) {
                if (!(e.getValue() instanceof Attribute.BlobRef(String blobName))) continue;
                Blob b = module.blobs().get(blobName);
                if (b == null) continue; // reported with the attributes
                String which = "attribute '" + e.getKey() + "' of " + name(op);
                ElementType et = b.type().elementType();
                if (stage == Stage.ANN && et != ElementType.F32) {
                    error(which + " refers to blob @" + blobName + " of type " + b.type().text()
                            + "; stage ann holds f32 blobs only");
                } else if (stage == Stage.HW && !et.isInteger() && !e.getKey().equals("weight_scale")) {
                    error(HW_INTEGER + which + " refers to f32 blob @" + blobName);
                }
            }
            if (stage != Stage.HW) return;
            List<String> integerNumbers = switch (op.kind()) {
                case SNN_IF, SNN_LIF -> List.of("threshold", "v0");
                case SNN_AVGPOOL -> List.of("weight");
                default -> List.of();
            };
            for (String n : integerNumbers) {
                if (op.attributes().getOrNull(n) instanceof Attribute.Float f) {
                    error(HW_INTEGER + "attribute '" + n + "' of " + name(op) + " is a float (" + f.text() + ")");
                }
            }
            if (op.kind() == OpKind.SNN_LIF) {
                // without leak_shift it does not leak (a float leak of 1, dropped by quantize-weights)
                if (op.attributes().has("leak")) error(HW_INTEGER + name(op) + " has 'leak'; use 'leak_shift'");
            }
            if (op.kind() == OpKind.SNN_AVGPOOL && !op.attributes().has("weight")) {
                error(HW_INTEGER + name(op) + " needs an integer 'weight'");
            }
            if (op.kind() == OpKind.SNN_ENCODE && op.attributes().getString("mode", "").equals("direct")
                    && !op.attributes().has("input_scale")) {
                error(HW_INTEGER + name(op) + " mode=direct needs 'input_scale'");
            }
        }

        private static final String HW_INTEGER = "hw stage holds integer parameters only: ";

        /** Uniqueness of names and core slice ids, references between core slices and routes. */
        private void checkReferences(Op op, List<Type> operandTypes) {
            var attrs = op.attributes();
            if (op.kind().isInput() || op.kind().isOutput()) {
                String n = attrs.getOrNull("name") instanceof Attribute.Str(String s) ? s : null;
                var seen = op.kind().isInput() ? inputNames : outputNames;
                if (n != null) {
                    Op first = seen.putIfAbsent(n, op);
                    if (first != null) {
                        error("duplicate " + (op.kind().isInput() ? "input" : "output") + " name \"" + n + "\"",
                                first.location(), "first used here");
                    }
                }
            }
            switch (op.kind()) {
                case HW_CORE_SLICE -> {
                    long id = attrs.getOrNull("id") instanceof Attribute.Int(long v) ? v : -1;
                    if (id >= 0) {
                        Op first = slicesSeen.putIfAbsent(id, op);
                        if (first != null) error("core slice id " + id + " is used twice", first.location(), "first used here");
                    }
                    checkSliceRefs(op, "wake_sources");
                    checkOverlap(op, id, operandTypes);
                }
                case HW_ROUTE -> {
                    if (attrs.getOrNull("src") instanceof Attribute.Int(long src) && src >= 0 && !sliceIds.contains(src)) {
                        error("attribute 'src' of " + name(op) + " refers to core slice " + src + ", which does not exist");
                    }
                    checkSliceRefs(op, "dst");
                }
                default -> { }
            }
        }

        private void checkSliceRefs(Op op, String attr) {
            int[] ids = op.attributes().getInts(attr, new int[0]);
            for (int id : ids) {
                if (id >= 0 && !sliceIds.contains((long) id)) {
                    error("attribute '" + attr + "' of " + name(op) + " refers to core slice " + id + ", which does not exist");
                }
            }
        }

        private void checkOverlap(Op op, long id, List<Type> operandTypes) {
            int[] nr = op.attributes().getInts("neurons", null);
            if (op.operands().size() != 1 || operandTypes.getFirst() == null || nr == null || nr.length != 2
                    || nr[0] < 0 || nr[0] >= nr[1]) {
                return;
            }
            var list = placed.computeIfAbsent(op.operand(0).id(), k -> new ArrayList<>());
            for (long[] p : list) {
                if (nr[0] < p[2] && p[1] < nr[1]) {
                    error("core slice " + id + " places neurons [" + nr[0] + ", " + nr[1] + ") of " + show(op.operand(0))
                            + ", which overlap core slice " + p[0] + " [" + p[1] + ", " + p[2] + ")");
                    return;
                }
            }
            list.add(new long[] {id, nr[0], nr[1]});
        }

        /** Invariant 8: encode reads an input; decode reads spikes (count) or a current (potential). */
        private void checkSpikingDataflow(Op op, List<Type> operandTypes) {
            if (op.operands().size() != 1 || operandTypes.getFirst() == null) return;
            Value v = op.operand(0);
            Type t = operandTypes.getFirst();
            switch (op.kind()) {
                case SNN_ENCODE -> {
                    Op src = ops.get(definedBy[v.id()]);
                    if (src.kind() != OpKind.SNN_INPUT) {
                        error(name(op) + " must read an 'snn.input', but " + show(v) + " comes from " + name(src));
                    }
                }
                case SNN_DECODE -> {
                    String mode = op.attributes().getString("mode", "");
                    if (mode.equals("count") && !(t instanceof SpikeType)) {
                        error(name(op) + " mode=count reads spikes, got " + t.text());
                    } else if (mode.equals("potential") && !(t instanceof TensorType)) {
                        error(name(op) + " mode=potential reads a current (a tensor), got " + t.text());
                    }
                }
                case SNN_LIF -> {
                    if (op.attributes().has("leak") && op.attributes().has("leak_shift")) {
                        error(name(op) + " has both 'leak' and 'leak_shift'; give one");
                    }
                }
                default -> { }
            }
        }

        /** Invariant 6, on ops without other errors. */
        private void checkResultType(Op op, List<Type> operandTypes) {
            OpKind kind = op.kind();
            if (kind.declaresResultType()) {
                Type t = graph.info(op.result()).type();
                if (!(t instanceof TensorType tt) || tt.elementType() != ElementType.F32) {
                    error(name(op) + " must declare an f32 tensor type, got " + t.text());
                }
                return;
            }
            if (operandTypes.contains(null)) return;
            TypeInference.Result r;
            try {
                r = TypeInference.infer(kind, operandTypes, op.attributes(), module.blobs());
            } catch (IllegalArgumentException | ArithmeticException | IllegalStateException e) {
                r = new TypeInference.Result(null, String.valueOf(e.getMessage()));
            }
            if (!r.isOk()) {
                error("op " + name(op) + " is ill-typed: " + r.error());
                return;
            }
            if (r.type() == null || op.results().isEmpty()) return;
            Value res = op.result();
            Type declared = graph.info(res).type();
            if (!r.type().equals(declared)) {
                error("op " + name(op) + " declared type " + declared.text() + " for " + show(res)
                        + " but operands give " + r.type().text());
            }
        }

        // ---- module-wide ------------------------------------------------------------------------

        private void checkModule() {
            for (int id = 0; id < definedBy.length; id++) {
                if (definedBy[id] < 0) {
                    out.add(Diagnostic.error(Location.UNKNOWN,
                            "value " + show(new Value(id)) + " is in the value table but no op defines it"));
                }
            }
            boolean hasInput = ops.stream().anyMatch(op -> op.kind().isInput());
            boolean hasOutput = ops.stream().anyMatch(op -> op.kind().isOutput());
            if (!hasInput) out.add(Diagnostic.error(Location.UNKNOWN, "module '" + module.name() + "' has no input"));
            if (!hasOutput) out.add(Diagnostic.error(Location.UNKNOWN, "module '" + module.name() + "' has no output"));
        }
    }
}

package dev.nmcc.frontend.onnx;

import dev.nmcc.frontend.onnx.proto.OnnxProto.GraphProto;
import dev.nmcc.frontend.onnx.proto.OnnxProto.ModelProto;
import dev.nmcc.frontend.onnx.proto.OnnxProto.NodeProto;
import dev.nmcc.frontend.onnx.proto.OnnxProto.OperatorSetIdProto;
import dev.nmcc.frontend.onnx.proto.OnnxProto.TensorProto;
import dev.nmcc.frontend.onnx.proto.OnnxProto.TensorShapeProto;
import dev.nmcc.frontend.onnx.proto.OnnxProto.ValueInfoProto;
import dev.nmcc.ir.attr.Attributes;
import dev.nmcc.ir.blob.Blob;
import dev.nmcc.ir.blob.BlobTable;
import dev.nmcc.ir.diag.Diagnostic;
import dev.nmcc.ir.diag.DiagnosticSink;
import dev.nmcc.ir.graph.GraphBuilder;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.graph.Value;
import dev.nmcc.ir.loc.Location;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.ir.op.Stage;
import dev.nmcc.ir.op.TypeInference;
import dev.nmcc.ir.type.Shape;
import dev.nmcc.ir.type.TensorType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Walks one ONNX graph and builds the {@code ann} module. Holds the state of a single import:
 * which ONNX names are run-time values and which are known constants, Pad nodes waiting to be
 * folded into their consumer, and MatMul/Conv nodes whose following Add is their bias.
 *
 * <p>IR shapes have no batch dimension: an ONNX tensor {@code [N, C, H, W]} is
 * {@code tensor<CxHxWxf32>}, and ONNX axes are shifted by one.
 */
final class OnnxImporter {
    static final int MIN_OPSET = 11;
    static final int MAX_OPSET = 18;

    final String fileName;
    final Path modelDir;
    final DiagnosticSink diags;
    final Location fileLoc;
    final BlobTable.Builder blobs = BlobTable.builder();
    final GraphBuilder graph = new GraphBuilder(blobs);
    final Map<String, Value> values = new HashMap<>();
    final Map<String, ConstTensor> consts = new HashMap<>();
    /** Pad nodes folded into their consumer: output name -> [top, left, bottom, right]. */
    final Map<String, int[]> pendingPads = new HashMap<>();
    /** Add nodes that are the bias of the MatMul/Conv before them: Add node index -> true. */
    final Set<Integer> biasAdds = new HashSet<>();
    /** MatMul/Conv output name -> (bias constant name, the Add's output name). */
    final Map<String, String[]> biasOf = new HashMap<>();
    /** Names whose producer failed: consumers are skipped without another error. */
    final Set<String> poisoned = new HashSet<>();
    final Map<String, Integer> useCounts = new HashMap<>();
    final Set<String> graphOutputs = new HashSet<>();
    /** One line per unsupported node: {@code node '/act/Sigmoid' (Sigmoid): reason}. */
    final List<String> unsupported = new ArrayList<>();
    int opset;

    OnnxImporter(String fileName, Path modelDir, DiagnosticSink diags) {
        this.fileName = fileName;
        this.modelDir = modelDir;
        this.diags = diags;
        this.fileLoc = Location.named(fileName);
    }

    /** Reports an error about a node. */
    void error(NodeProto node, String message) {
        diags.report(Diagnostic.error(fileLoc, "node '" + nodeName(node) + "' (" + node.getOpType() + "): " + message));
        for (String out : node.getOutputList()) poisoned.add(out);
    }

    void warning(NodeProto node, String message) {
        diags.report(Diagnostic.warning(fileLoc, "node '" + nodeName(node) + "' (" + node.getOpType() + "): " + message));
    }

    void note(NodeProto node, String message) {
        diags.report(Diagnostic.note(fileLoc, "node '" + nodeName(node) + "' (" + node.getOpType() + "): " + message));
    }

    static String nodeName(NodeProto node) {
        return node.getName().isEmpty() ? node.getOpType() + "(" + String.join(",", node.getOutputList()) + ")" : node.getName();
    }

    Module importModel(ModelProto model, String moduleName) {
        if (!model.hasGraph()) {
            diags.report(Diagnostic.error(fileLoc, "the file holds no graph (is it an ONNX model?)"));
            return null;
        }
        opset = opsetOf(model);
        if (opset < 0) return null;
        GraphProto g = model.getGraph();
        readInitializers(g);
        if (diags.hasErrors()) return null;
        countUses(g);
        readInputs(g);
        if (diags.hasErrors()) return null;
        findBiasAdds(g);
        List<NodeProto> nodes = g.getNodeList();
        for (int i = 0; i < nodes.size(); i++) {
            NodeProto node = nodes.get(i);
            if (biasAdds.contains(i)) continue;
            if (node.getInputList().stream().anyMatch(poisoned::contains)) {
                // Not lowered (its input failed), but an unknown operator is still listed.
                NodeLowering.reportIfUnknown(this, node);
                poisoned.addAll(node.getOutputList());
                continue;
            }
            new NodeLowering(this, node).lower();
        }
        if (!unsupported.isEmpty()) {
            Diagnostic d = Diagnostic.error(fileLoc, unsupported.size() + " unsupported operator"
                    + (unsupported.size() == 1 ? "" : "s") + " (every one is listed below)");
            for (String u : unsupported) d = d.withNote(fileLoc, u);
            diags.report(d);
        }
        if (diags.hasErrors()) return null;
        writeOutputs(g);
        if (diags.hasErrors()) return null;
        return new Module(moduleName, Stage.ANN, blobs.build(), graph.build());
    }

    private int opsetOf(ModelProto model) {
        int found = -1;
        for (OperatorSetIdProto o : model.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) found = (int) o.getVersion();
        }
        if (found < 0) {
            diags.report(Diagnostic.error(fileLoc, "the model imports no standard ONNX operator set"));
        } else if (found < MIN_OPSET || found > MAX_OPSET) {
            diags.report(Diagnostic.error(fileLoc, "opset " + found + " is not supported (nmcc reads opsets "
                    + MIN_OPSET + " to " + MAX_OPSET + "); re-export with torch.onnx.export(..., opset_version=13)"));
            return -1;
        }
        return found;
    }

    private void readInitializers(GraphProto g) {
        for (TensorProto t : g.getInitializerList()) {
            List<String> notes = new ArrayList<>();
            try {
                consts.put(t.getName(), OnnxTensors.decode(t, modelDir, notes));
                for (String n : notes) diags.report(Diagnostic.note(fileLoc, "initializer '" + t.getName() + "': " + n));
            } catch (OnnxTensors.BadTensor e) {
                diags.report(Diagnostic.error(fileLoc, "initializer '" + t.getName() + "' " + e.getMessage()));
            }
        }
    }

    private void countUses(GraphProto g) {
        for (NodeProto n : g.getNodeList()) for (String in : n.getInputList()) useCounts.merge(in, 1, Integer::sum);
        for (ValueInfoProto o : g.getOutputList()) {
            useCounts.merge(o.getName(), 1, Integer::sum);
            graphOutputs.add(o.getName());
        }
    }

    private void readInputs(GraphProto g) {
        for (ValueInfoProto in : g.getInputList()) {
            if (consts.containsKey(in.getName())) continue; // an initializer listed as input (IR version < 4)
            String name = in.getName();
            if (!in.getType().hasTensorType()) {
                diags.report(Diagnostic.error(fileLoc, "input '" + name + "' is not a tensor"));
                continue;
            }
            var tt = in.getType().getTensorType();
            if (tt.getElemType() != TensorProto.DataType.FLOAT_VALUE) {
                diags.report(Diagnostic.error(fileLoc, "input '" + name + "' has element type "
                        + TensorProto.DataType.forNumber(tt.getElemType()) + "; nmcc reads float32 inputs"));
                continue;
            }
            List<TensorShapeProto.Dimension> dims = tt.getShape().getDimList();
            if (dims.size() < 2) {
                diags.report(Diagnostic.error(fileLoc, "input '" + name + "' has rank " + dims.size()
                        + "; nmcc expects a batch dimension followed by the sample's dimensions"));
                continue;
            }
            int[] shape = new int[dims.size() - 1];
            boolean ok = true;
            for (int d = 1; d < dims.size(); d++) {
                var dim = dims.get(d);
                if (!dim.hasDimValue() || dim.getDimValue() <= 0 || dim.getDimValue() > Integer.MAX_VALUE) {
                    String what = dim.hasDimParam() ? "'" + dim.getDimParam() + "'" : "unknown";
                    diags.report(Diagnostic.error(fileLoc, "input '" + name + "' has a dynamic dimension " + d + " (" + what
                            + "); only the batch dimension (0) may be dynamic: export with a fixed input size"));
                    ok = false;
                    break;
                }
                shape[d - 1] = (int) dim.getDimValue();
            }
            if (!ok) continue;
            Shape s = Shape.of(shape);
            if (!s.isAllocatable()) {
                diags.report(Diagnostic.error(fileLoc, "input '" + name + "' has " + s.elementCountExact() + " elements per sample; too large"));
                continue;
            }
            Value v = graph.input(OpKind.ANN_INPUT, new TensorType(s, dev.nmcc.ir.type.ElementType.F32),
                    Attributes.builder().putString("name", name).putFloats("range", 0.0, 1.0).build(), Location.named(name));
            if (name.matches("[A-Za-z_][A-Za-z0-9_]*")) graph.setName(v, name);
            values.put(name, v);
        }
        if (values.isEmpty() && !diags.hasErrors()) diags.report(Diagnostic.error(fileLoc, "the graph has no inputs"));
    }

    /** MatMul (or Conv without bias) followed by an Add of a constant, and nothing else reading it: one layer. */
    private void findBiasAdds(GraphProto g) {
        Map<String, Integer> producer = new HashMap<>();
        List<NodeProto> nodes = g.getNodeList();
        for (int i = 0; i < nodes.size(); i++) for (String o : nodes.get(i).getOutputList()) producer.put(o, i);
        for (int i = 0; i < nodes.size(); i++) {
            NodeProto add = nodes.get(i);
            if (!add.getOpType().equals("Add") || add.getInputCount() != 2) continue;
            for (int side = 0; side < 2; side++) {
                String x = add.getInput(side);
                String c = add.getInput(1 - side);
                Integer p = producer.get(x);
                if (p == null || !consts.containsKey(c) || useCounts.getOrDefault(x, 0) != 1) continue;
                NodeProto prod = nodes.get(p);
                boolean convNoBias = prod.getOpType().equals("Conv") && prod.getInputCount() == 2;
                if (prod.getOpType().equals("MatMul") || convNoBias) {
                    biasAdds.add(i);
                    biasOf.put(x, new String[] {c, add.getOutput(0)});
                    break;
                }
            }
        }
    }

    private void writeOutputs(GraphProto g) {
        for (ValueInfoProto out : g.getOutputList()) {
            Value v = values.get(out.getName());
            if (v == null) {
                diags.report(Diagnostic.error(fileLoc, "graph output '" + out.getName() + "' is not computed from the input"
                        + (consts.containsKey(out.getName()) ? " (it is a constant)" : "")));
                continue;
            }
            graph.add(OpKind.ANN_OUTPUT, List.of(v), Attributes.builder().putString("name", out.getName()).build(),
                    Location.named(out.getName()));
        }
    }

    // ---- helpers for the node lowerings (NodeLowering and its op families) 

    /** Adds a blob with a fresh name based on {@code base}; returns its name. */
    String addBlob(String base, int[] dims, float[] data) {
        String name = blobs.freshName(base);
        blobs.add(Blob.ofFloats(name, new TensorType(Shape.of(dims), dev.nmcc.ir.type.ElementType.F32), data));
        return name;
    }

    /** Adds an op, turning a type-rule failure into an error on the node. Returns null on failure. */
    Value emit(NodeProto node, OpKind kind, List<Value> operands, Attributes attrs) {
        TypeInference.Result r = graph.infer(kind, operands, attrs);
        if (!r.isOk()) {
            error(node, r.error());
            return null;
        }
        return graph.add(kind, operands, attrs, Location.named(nodeName(node)));
    }

    static Map<String, String> reasons() {
        var m = new LinkedHashMap<String, String>();
        for (String op : List.of("Sigmoid", "Tanh", "Elu", "Selu", "LeakyRelu", "PRelu", "Gelu", "Softplus", "HardSigmoid", "HardSwish")) {
            m.put(op, "activations other than ReLU have no integrate-and-fire equivalent");
        }
        for (String op : List.of("LSTM", "GRU", "RNN", "Loop", "Scan", "If")) m.put(op, "control flow and recurrence are not supported");
        for (String op : List.of("Mul", "Div", "Sub", "Pow", "Sqrt", "Exp", "Log")) m.put(op, "arithmetic on activations is not supported (only on constants)");
        m.put("ConvTranspose", "transposed convolutions are not supported");
        m.put("Softmax", "Softmax is supported only at a graph output (where it is dropped)");
        m.put("LogSoftmax", "LogSoftmax is supported only at a graph output (where it is dropped)");
        return m;
    }
}

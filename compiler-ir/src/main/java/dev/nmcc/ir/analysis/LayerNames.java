package dev.nmcc.ir.analysis;

import dev.nmcc.ir.graph.Graph;
import dev.nmcc.ir.graph.Op;
import dev.nmcc.ir.loc.Location;
import dev.nmcc.ir.op.OpKind;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Names of the neuron layers (populations: {@code snn.if}, {@code snn.lif}, {@code snn.decode})
 * that people recognise, shared by the compile report, the chip map, mapping errors and the
 * {@code .nmc} file. A population is named, in order of preference:
 *
 * <ol>
 *   <li>its IR value's name: the DSL's names, or an ONNX value whose name is an identifier;</li>
 *   <li>its own source name (the ONNX node, or the graph output it became, e.g. {@code logits})
 *       unless an exporter made it up from the op type: {@code /Relu_1}, {@code /block/Relu},
 *       {@code Relu_3}, {@code sequential/dense/Relu} (a last path component {@code OpType} or
 *       {@code OpType_N});</li>
 *   <li>the module that computes its input current, since exporters name the activation node
 *       after the function, not the layer: the parameter path of the projection's weights
 *       ({@code conv1.weight.bn} → {@code conv1}, {@code features.0.weight} → {@code features.0}),
 *       else the scope of the ONNX node that feeds it ({@code /block/Add} → {@code block},
 *       {@code sequential/dense/MatMul} → {@code sequential/dense});</li>
 *   <li>its own made-up node name ({@code /Relu_1}).</li>
 * </ol>
 *
 * A decoder without a name of its own takes its output's; the population a count decoder reads
 * takes the decoder's (it is the layer that makes that output).
 *
 * A name from rule 3 that another layer already has is not used (two branches of one module),
 * so that the names stay unique whenever the model's own names are. Layers no rule names get
 * {@code null}; callers print their op number.
 */
public final class LayerNames {
    /** An exporter's node name ends in the op type, maybe numbered: Relu, Relu_1, LeakyRelu_12. */
    private static final Pattern MADE_UP = Pattern.compile("[A-Z][A-Za-z0-9]*(_[0-9]+)?");

    private final String[] names;

    private LayerNames(String[] names) { this.names = names; }

    /** Whether op {@code kind} is a population, a layer of neurons that lives on cores. */
    public static boolean isPopulation(OpKind kind) {
        return kind == OpKind.SNN_IF || kind == OpKind.SNN_LIF || kind == OpKind.SNN_DECODE;
    }

    /** The names of every population of {@code g}. */
    public static LayerNames of(Graph g) {
        List<Op> ops = g.ops();
        String[] names = new String[ops.size()];
        Set<String> taken = new HashSet<>();
        for (int i = 0; i < ops.size(); i++) { // rules 1 and 2 first, so that a derived name never takes a model's own
            Op op = ops.get(i);
            if (!isPopulation(op.kind())) continue;
            String own = nodeName(op);
            names[i] = g.name(op.result()).orElse(own != null && !madeUp(own) ? own : outputName(g, op));
            if (names[i] != null) taken.add(names[i]);
        }
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            if (!isPopulation(op.kind()) || names[i] != null) continue;
            String counted = countedBy(g, op, names);
            if (counted != null) { // the output population of count decoding: named as the output it makes
                names[i] = counted;
                continue;
            }
            String module = moduleOf(g.definingOp(op.operand(0)));
            names[i] = module != null && taken.add(module) ? module : nodeName(op);
        }
        return new LayerNames(names);
    }

    /** The name of the population computed by op {@code opIndex}, or null (not a population, or no name). */
    public String get(int opIndex) {
        return opIndex >= 0 && opIndex < names.length ? names[opIndex] : null;
    }

    /** A decoder's output name ({@code snn.output {name = "y"}}), or null. */
    private static String outputName(Graph g, Op op) {
        if (op.kind() != OpKind.SNN_DECODE) return null;
        for (Op u : g.users(op.result())) {
            if (u.kind() == OpKind.SNN_OUTPUT) return u.attributes().getString("name", null);
        }
        return null;
    }

    /** The name of the count decoder that reads a population's spikes, or null. */
    private static String countedBy(Graph g, Op op, String[] names) {
        for (Op u : g.users(op.result())) {
            if (u.kind() == OpKind.SNN_DECODE && "count".equals(u.attributes().getString("mode", ""))) {
                String n = names[g.definingOpIndex(u.result())];
                if (n != null) return n;
            }
        }
        return null;
    }

    private static String nodeName(Op op) {
        return op.location() instanceof Location.Named(String node) && !node.isEmpty() ? node : null;
    }

    /** Whether a node name is an exporter's: its last path component is an op type, maybe numbered. */
    static boolean madeUp(String node) {
        return MADE_UP.matcher(node.substring(node.lastIndexOf('/') + 1)).matches();
    }

    /** Rule 3: the module of the op that computes a population's input current, or null. */
    static String moduleOf(Op source) {
        switch (source.kind()) {
            case SNN_DENSE, SNN_CONV2D, SNN_AVGPOOL, SNN_MERGE -> { }
            default -> { return null; } // spikes read out directly (count decoding): not a module's current
        }
        String weight = source.attributes().getBlob("weight");
        int w = weight == null ? -1 : weight.indexOf(".weight");
        if (w > 0) return weight.substring(0, w);
        if (!(source.location() instanceof Location.Named(String node))) return null;
        boolean torch = node.startsWith("/"); // PyTorch's exporter: /module/submodule/OpType_N
        String path = torch ? node.substring(1) : node;
        int last = path.lastIndexOf('/');
        if (last <= 0) return null; // an op at the top level has no module to name
        String scope = path.substring(0, last);
        return torch ? modulePath(scope.split("/")) : scope;
    }

    /**
     * PyTorch scope components as one module path: {@code block/conv1} → {@code block.conv1}; a
     * component that already holds the path so far ({@code stem/stem.0}, as some exports write
     * children of a Sequential) replaces it: {@code stem.0}.
     */
    static String modulePath(String[] components) {
        String path = "";
        for (String c : components) {
            if (c.isEmpty()) continue;
            path = path.isEmpty() || c.startsWith(path + ".") ? c : path + "." + c;
        }
        return path;
    }
}

package dev.nmcc.passes.mapping;

import dev.nmcc.ir.analysis.LayerNames;
import dev.nmcc.ir.attr.Attributes;
import dev.nmcc.ir.blob.Blob;
import dev.nmcc.ir.diag.CompilationException;
import dev.nmcc.ir.diag.Diagnostic;
import dev.nmcc.ir.graph.Graph;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.graph.Op;
import dev.nmcc.ir.graph.Value;
import dev.nmcc.ir.loc.Location;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.ir.type.ElementType;
import dev.nmcc.ir.type.Shape;
import dev.nmcc.ir.type.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The layers of a spiking network as the mapper sees them. A <b>layer</b> is a group of neurons
 * that lives on cores: an {@code snn.if} or {@code snn.lif} population, or the non-firing
 * integrator of {@code snn.decode {mode = potential}}. Each layer has <b>inputs</b>: paths back
 * from its operand through merges, projections ({@code snn.dense}, {@code snn.conv2d},
 * {@code snn.avgpool}) and free views ({@code snn.flatten}, {@code snn.reshape},
 * {@code snn.maxpool}) to a <i>source</i>: another layer's spikes, or the network input
 * ({@code snn.encode}). The spike value the first projection of the path reads is the operand of
 * the path's {@code hw.route} ops.
 *
 * <p>Built in one pass over the graph; linear in the number of ops (projections shared by two
 * paths are visited once per path).
 */
public final class NetworkLayers {
    /** How a layer's neurons behave. */
    public enum Kind { IF, LIF, INTEGRATOR }

    /**
     * One projection on a path, in source-to-layer order, with what the mapper needs of it.
     *
     * @param op      the projection or view op
     * @param inShape the shape of its operand ([C, H, W], or [n] after a flatten)
     */
    public record Step(Op op, Shape inShape, Shape outShape) {}

    /**
     * One input of a layer: a path from a source to the layer.
     *
     * @param source      the source layer's index, or -1 for the network input
     * @param encoding    for the network input: "direct" or "rate"; null otherwise
     * @param routeValue  the spike value the first projection reads (operand of hw.route); null for the input
     * @param steps       projections and views from the source to the layer, source side first
     */
    public record Input(int source, String encoding, Value routeValue, List<Step> steps) {
        public Input { steps = List.copyOf(steps); }

        /** The last weighted projection (dense or conv) of the path, or null for a pooling-only path. */
        public Op weighted() {
            for (int i = steps.size() - 1; i >= 0; i--) {
                OpKind k = steps.get(i).op().kind();
                if (k == OpKind.SNN_DENSE || k == OpKind.SNN_CONV2D) return steps.get(i).op();
            }
            return null;
        }

        public boolean fromNetworkInput() { return source < 0; }
    }

    /**
     * One layer.
     *
     * @param index   its position among the layers (topological)
     * @param opIndex the index of its op in the graph
     * @param value   the op's result (the operand of its hw.core_slice ops)
     * @param name    the result's name hint, else the op's named location (an ONNX node name), else {@code %opIndex}
     * @param shape   the neuron shape (C-order flattening gives neuron indices)
     */
    public record Layer(int index, int opIndex, Op op, Value value, String name, Location location, Kind kind, Shape shape,
                        List<Input> inputs) {
        public Layer { inputs = List.copyOf(inputs); }

        public int neurons() { return shape.elementCount(); }
    }

    private final Module module;
    private final List<Layer> layers;

    private NetworkLayers(Module module, List<Layer> layers) {
        this.module = module;
        this.layers = List.copyOf(layers);
    }

    public Module module() { return module; }

    public List<Layer> layers() { return layers; }

    public Layer layer(int i) { return layers.get(i); }

    /** Extracts the layers of an snn or hw module. Unsupported structure is a located error. */
    public static NetworkLayers of(Module module) {
        Graph g = module.graph();
        Map<Integer, Integer> layerOfOp = new HashMap<>();
        List<Layer> layers = new ArrayList<>();
        List<Op> ops = g.ops();
        LayerNames names = LayerNames.of(g);
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            Kind kind = switch (op.kind()) {
                case SNN_IF -> Kind.IF;
                case SNN_LIF -> Kind.LIF;
                case SNN_DECODE -> "potential".equals(op.attributes().getString("mode", "")) ? Kind.INTEGRATOR : null;
                default -> null;
            };
            if (kind == null) continue;
            Value v = op.result();
            // the names of LayerNames (shared with the .nmc file), else the op number
            String name = names.get(i) != null ? names.get(i) : "%" + i;
            Shape shape = g.type(v).shape();
            List<Input> inputs = new ArrayList<>();
            collect(g, op.operand(0), new ArrayList<>(), layerOfOp, inputs, op, name);
            layerOfOp.put(i, layers.size());
            layers.add(new Layer(layers.size(), i, op, v, name, op.location(), kind, shape, inputs));
        }
        return new NetworkLayers(module, layers);
    }

    /** Walks back from {@code v}; {@code steps} holds the ops between v and the layer, layer side first. */
    private static void collect(Graph g, Value v, List<Step> steps, Map<Integer, Integer> layerOfOp, List<Input> out,
                                Op layerOp, String layerName) {
        int defIndex = g.definingOpIndex(v);
        Op def = g.definingOp(v);
        switch (def.kind()) {
            case SNN_MERGE -> {
                for (Value o : def.operands()) collect(g, o, steps, layerOfOp, out, layerOp, layerName);
            }
            case SNN_DENSE, SNN_CONV2D, SNN_AVGPOOL, SNN_FLATTEN, SNN_RESHAPE, SNN_MAXPOOL -> {
                List<Step> more = new ArrayList<>(steps);
                more.add(new Step(def, g.type(def.operand(0)).shape(), g.type(v).shape()));
                collect(g, def.operand(0), more, layerOfOp, out, layerOp, layerName);
            }
            case SNN_IF, SNN_LIF -> {
                Integer src = layerOfOp.get(defIndex);
                if (src == null) throw error(layerOp, "layer '" + layerName + "' reads a population that is not a layer");
                out.add(new Input(src, null, routeValue(g, v, steps), reversed(steps)));
            }
            case SNN_ENCODE -> out.add(new Input(-1, def.attributes().getString("mode", "direct"), null, reversed(steps)));
            default -> throw error(layerOp, "allocate-cores cannot map the input of layer '" + layerName + "': it comes from '"
                    + def.kind().mnemonic() + "'");
        }
    }

    /** The spike value read by the projection nearest the source: the operand of the path's routes. */
    private static Value routeValue(Graph g, Value sourceSpikes, List<Step> layerSideFirst) {
        // The first projection (dense/conv/avgpool) from the source side reads spikes; views before
        // it (flatten, maxpool) are done on the source's cores.
        for (int i = layerSideFirst.size() - 1; i >= 0; i--) {
            Op op = layerSideFirst.get(i).op();
            OpKind k = op.kind();
            if (k == OpKind.SNN_DENSE || k == OpKind.SNN_CONV2D || k == OpKind.SNN_AVGPOOL) return op.operand(0);
        }
        return sourceSpikes;
    }

    private static List<Step> reversed(List<Step> s) {
        List<Step> r = new ArrayList<>(s);
        java.util.Collections.reverse(r);
        return r;
    }

    static CompilationException error(Op at, String message) {
        return new CompilationException(Diagnostic.error(at.location(), message));
    }

    // ---- facts about projections ------------------------------------------------------------

    /** The weight blob of a dense or conv projection. */
    public Blob weight(Op projection) {
        String name = projection.attributes().getBlob("weight");
        return name == null ? null : module.blobs().get(name);
    }

    /**
     * Weight bits of a dense or conv projection (its weight blob's element width); a float
     * weight is an error naming the layer.
     */
    public int weightBits(Layer layer, Op projection) {
        Blob w = weight(projection);
        ElementType et = w.type().elementType();
        if (!et.isInteger()) {
            throw error(projection, "allocate-cores needs integer weights, but layer '" + layer.name() + "' has f32 weights @"
                    + w.name() + " (run quantize-weights first)");
        }
        return et.bits();
    }

    /**
     * Synapses into one neuron of {@code layer} along one input: a dense row's length (its input
     * size), {@code in_channels × kh × kw} for a convolution, {@code kh × kw} for a pooling-only
     * path.
     */
    public static long fanIn(Input in) {
        Op w = in.weighted();
        if (w != null) {
            Step s = stepOf(in, w);
            if (w.kind() == OpKind.SNN_DENSE) return s.inShape().elementCount();
            int[] k = w.attributes().getInts("kernel", new int[] {1, 1});
            return (long) s.inShape().dim(0) * k[0] * k[1];
        }
        long f = 1;
        for (Step s : in.steps()) {
            if (s.op().kind() == OpKind.SNN_AVGPOOL) {
                int[] k = s.op().attributes().getInts("kernel", new int[] {1, 1});
                f *= (long) k[0] * k[1];
            }
        }
        return f;
    }

    /** Weight entries (synapses) of the input's weighted projection; 0 for a pooling-only path. */
    public long synapses(Input in) {
        Op w = in.weighted();
        return w == null ? 0 : weight(w).type().shape().elementCountExact();
    }

    static Step stepOf(Input in, Op op) {
        for (Step s : in.steps()) if (s.op() == op) return s;
        throw new IllegalStateException();
    }

    /** Attributes as used by window ops, with defaults: kernel, stride (default: kernel for pools, 1 for conv), pad. */
    static int[] window(Op op) {
        Attributes a = op.attributes();
        int[] k = a.getInts("kernel", new int[] {1, 1});
        int[] dfltStride = op.kind() == OpKind.SNN_CONV2D ? new int[] {1, 1} : k;
        int[] s = a.getInts("stride", dfltStride);
        int[] p = a.getInts("pad", new int[] {0, 0, 0, 0});
        return new int[] {k[0], k[1], s[0], s[1], p[0], p[1]};
    }
}

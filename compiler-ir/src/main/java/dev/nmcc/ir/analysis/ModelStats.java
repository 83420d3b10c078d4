package dev.nmcc.ir.analysis;

import dev.nmcc.ir.attr.Attribute;
import dev.nmcc.ir.blob.Blob;
import dev.nmcc.ir.graph.Graph;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.graph.Op;
import dev.nmcc.ir.graph.Value;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.ir.op.Stage;
import dev.nmcc.ir.type.Shape;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Size of a network: its layers, neurons, synapses and parameters. Counts are exact in
 * {@code long} and linear in the size of the graph.
 *
 * <p>Definitions (docs/cli.md repeats them):
 * <ul>
 *   <li><b>Layers</b> are the ops with synapses: {@code dense}, {@code conv2d}, {@code avgpool},
 *       {@code maxpool} and {@code global_avgpool} ({@code ann}), and the projections
 *       {@code snn.dense}, {@code snn.conv2d}, {@code snn.avgpool}, {@code snn.maxpool}
 *       ({@code snn}, {@code hw}). Activations, batchnorm, reshapes, add and concat are not
 *       layers: conversion folds them into the neurons of a layer.
 *   <li><b>Neurons</b>: in {@code ann}, the output elements of every layer (each becomes a
 *       spiking population); in {@code snn}/{@code hw}, the elements of the IF/LIF populations.
 *   <li><b>Synapses</b>: dense {@code in * out}; conv2d {@code out_channels * out_h * out_w *
 *       in_channels * kh * kw} (taps on the zero padding are counted); pooling
 *       {@code out_elements * kh * kw}; global average pooling {@code C * H * W}.
 *   <li><b>Parameters</b>: the values of every distinct blob that an op references (weights,
 *       biases, batchnorm statistics, constants), each blob counted once.
 * </ul>
 */
public record ModelStats(List<LayerStats> layers, long neurons, long synapses, long parameters) {
    public ModelStats { layers = List.copyOf(layers); }

    public int layerCount() { return layers.size(); }

    /** Counts the layers, neurons, synapses and parameters of a module at any stage. */
    public static ModelStats of(Module module) {
        Graph g = module.graph();
        List<LayerStats> layers = new ArrayList<>();
        Set<String> seenBlobs = new HashSet<>();
        long params = 0;
        long populationNeurons = 0;
        List<Op> ops = g.ops();
        int[] soleUser = soleUsers(g);
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            long opParams = 0;
            for (Attribute a : op.attributes().asMap().values()) {
                for (String blobName : blobRefs(a)) {
                    Blob b = module.blobs().get(blobName);
                    if (b == null) continue;
                    opParams += b.size();
                    if (seenBlobs.add(blobName)) params += b.size();
                }
            }
            if (op.kind() == OpKind.SNN_IF || op.kind() == OpKind.SNN_LIF) {
                populationNeurons += g.type(op.result()).shape().elementCountExact();
            }
            if (!isLayer(op.kind())) continue;
            Shape in = g.type(op.operand(0)).shape();
            Shape out = g.type(op.result()).shape();
            long neurons = out.elementCountExact();
            layers.add(new LayerStats(i, op.kind(), layerName(g, op, soleUser), g.type(op.result()),
                    neurons, synapses(op, in, out), opParams));
        }
        long neurons = module.stage() == Stage.ANN ? layers.stream().mapToLong(LayerStats::neurons).sum() : populationNeurons;
        long synapses = layers.stream().mapToLong(LayerStats::synapses).sum();
        return new ModelStats(layers, neurons, synapses, params);
    }

    /**
     * The name of a layer's result or, when it has none, of the value it feeds through a chain
     * of sole-use activations ({@code c1 = relu(batchnorm(conv2d(...)))} names the conv2d
     * {@code c1}); null when there is none.
     */
    static String layerName(Graph g, Op op, int[] soleUser) {
        Value v = op.result();
        for (int hops = 0; hops < 8; hops++) {
            var name = g.name(v);
            if (name.isPresent()) return name.get();
            int u = soleUser[v.id()];
            if (u < 0) return null;
            Op user = g.ops().get(u);
            if (!isActivation(user.kind()) || user.results().size() != 1) return null;
            v = user.result();
        }
        return null;
    }

    private static boolean isActivation(OpKind kind) {
        return switch (kind) {
            case ANN_RELU, ANN_BATCHNORM, ANN_DROPOUT, ANN_IDENTITY, SNN_IF, SNN_LIF -> true;
            default -> false;
        };
    }

    /** For every value, the index of the only op reading it, or -1 (none or several). */
    private static int[] soleUsers(Graph g) {
        int[] sole = new int[g.valueCount()];
        java.util.Arrays.fill(sole, -1);
        int[] uses = new int[g.valueCount()];
        List<Op> ops = g.ops();
        for (int i = 0; i < ops.size(); i++) {
            for (Value v : ops.get(i).operands()) {
                if (uses[v.id()]++ == 0) sole[v.id()] = i;
                else sole[v.id()] = -1;
            }
        }
        return sole;
    }

    /** Whether ops of this kind are layers (have synapses). */
    public static boolean isLayer(OpKind kind) {
        return switch (kind) {
            case ANN_DENSE, ANN_CONV2D, ANN_AVGPOOL, ANN_MAXPOOL, ANN_GLOBAL_AVGPOOL,
                 SNN_DENSE, SNN_CONV2D, SNN_AVGPOOL, SNN_MAXPOOL -> true;
            default -> false;
        };
    }

    /** The connections into a layer's outputs, given its input and output shapes. */
    static long synapses(Op op, Shape in, Shape out) {
        long outs = out.elementCountExact();
        return switch (op.kind()) {
            case ANN_DENSE, SNN_DENSE -> Math.multiplyExact(in.elementCountExact(), outs);
            case ANN_CONV2D, SNN_CONV2D -> {
                int[] k = op.attributes().getInts("kernel", new int[] {1, 1});
                yield Math.multiplyExact(outs, (long) in.dim(0) * k[0] * k[1]);
            }
            case ANN_AVGPOOL, ANN_MAXPOOL, SNN_AVGPOOL, SNN_MAXPOOL -> {
                int[] k = op.attributes().getInts("kernel", new int[] {1, 1});
                yield Math.multiplyExact(outs, (long) k[0] * k[1]);
            }
            case ANN_GLOBAL_AVGPOOL -> in.elementCountExact();
            default -> 0;
        };
    }

    private static List<String> blobRefs(Attribute a) {
        return switch (a) {
            case Attribute.BlobRef(String name) -> List.of(name);
            case Attribute.Array(List<Attribute> elements) -> elements.stream().flatMap(e -> blobRefs(e).stream()).toList();
            default -> List.of();
        };
    }
}

package dev.nmcc.frontend.onnx;

import dev.nmcc.frontend.onnx.proto.OnnxProto.NodeProto;
import dev.nmcc.ir.attr.Attributes;
import dev.nmcc.ir.graph.Value;
import dev.nmcc.ir.op.OpKind;
import java.util.List;

/**
 * The ONNX node being lowered, with the bookkeeping every operator's lowering shares: reading
 * its operands (run-time values or constants), defining its output, naming its blobs and
 * recording it as unsupported. The per-family lowerings extend it; {@link NodeLowering} picks one.
 */
abstract class NodeLoweringSupport {
    final OnnxImporter im;
    final NodeProto node;
    final NodeAttributes attrs;

    NodeLoweringSupport(OnnxImporter importer, NodeProto node) {
        this.im = importer;
        this.node = node;
        this.attrs = new NodeAttributes(node);
    }

    /** The same node as {@code from}, for a lowering of another operator family. */
    NodeLoweringSupport(NodeLoweringSupport from) {
        this.im = from.im;
        this.node = from.node;
        this.attrs = from.attrs;
    }

    // ---- bookkeeping --------------------------------------------------------------------------

    void unsupported(String reason) {
        im.unsupported.add("node '" + OnnxImporter.nodeName(node) + "' (" + node.getOpType() + "): " + reason);
        im.poisoned.addAll(node.getOutputList());
    }

    String in(int i) { return i < node.getInputCount() ? node.getInput(i) : ""; }

    boolean hasInput(int i) { return !in(i).isEmpty(); }

    /** A run-time operand; reports an error and returns null when it is missing or constant. */
    Value value(int i) {
        String name = in(i);
        if (im.pendingPads.containsKey(name)) {
            im.error(node, "reads the output of a Pad node; nmcc folds Pad only into a following Conv or AveragePool");
            return null;
        }
        Value v = im.values.get(name);
        if (v == null) {
            im.error(node, im.consts.containsKey(name)
                    ? "input " + i + " ('" + name + "') is a constant; nmcc expects the network's activations here"
                    : "input " + i + " ('" + name + "') is not defined");
        }
        return v;
    }

    /** A constant operand; reports an error and returns null when it is not known at import time. */
    ConstTensor constant(int i) {
        ConstTensor c = im.consts.get(in(i));
        if (c == null) im.error(node, "input " + i + " ('" + in(i) + "') must be a constant (an initializer or Constant node)");
        return c;
    }

    void define(Value v) { if (v != null) im.values.put(node.getOutput(0), v); }

    void defineConst(ConstTensor c) { im.consts.put(node.getOutput(0), c); }

    String blobBase(String suffix) {
        String n = node.getName().isEmpty() ? node.getOpType() : node.getName();
        return n.replaceAll("^/", "").replace('/', '.') + "." + suffix;
    }

    /** Uses an initializer as a blob under its own name when its layout already fits. */
    String blobFor(String onnxName, String suffix, int[] dims, float[] data) {
        if (!im.blobs.contains(onnxName) && !onnxName.isEmpty()) {
            return im.addBlob(onnxName, dims, data);
        }
        return im.addBlob(blobBase(suffix), dims, data);
    }

    void unary(OpKind kind, Attributes a) {
        Value x = value(0);
        if (x != null) define(im.emit(node, kind, List.of(x), a));
    }
}

package dev.nmcc.frontend.onnx;

import dev.nmcc.frontend.onnx.proto.OnnxProto.NodeProto;
import dev.nmcc.ir.attr.Attributes;
import dev.nmcc.ir.op.OpKind;

/**
 * Lowers one ONNX node: run-time operators become {@code ann} ops; operators on constants
 * (the Shape/Gather/Unsqueeze/Concat chains PyTorch emits around Flatten and Reshape) are
 * evaluated at import time. Operator semantics follow the ONNX operator specification.
 *
 * <p>This class picks the lowering of the node's operator family: {@link ShapeOpLowering},
 * {@link DenseLowering}, {@link WindowLowering} or {@link ElementwiseLowering}.
 */
final class NodeLowering extends NodeLoweringSupport {
    NodeLowering(OnnxImporter importer, NodeProto node) {
        super(importer, node);
    }

    /** The operator types this lowering knows (standard domain). */
    static final java.util.Set<String> SUPPORTED = java.util.Set.of("Constant", "Shape", "Gather", "Unsqueeze", "Squeeze",
            "Cast", "Concat", "Gemm", "MatMul", "Add", "Conv", "BatchNormalization", "Relu", "Clip", "AveragePool", "MaxPool",
            "GlobalAveragePool", "Flatten", "Reshape", "Pad", "Dropout", "Identity", "Softmax", "LogSoftmax");

    /** Records the node as unsupported when its operator is unknown; true when it was. */
    static boolean reportIfUnknown(OnnxImporter im, NodeProto node) {
        boolean standard = node.getDomain().isEmpty() || node.getDomain().equals("ai.onnx");
        if (standard && SUPPORTED.contains(node.getOpType())) return false;
        new NodeLowering(im, node).lower();
        return true;
    }

    void lower() {
        if (!node.getDomain().isEmpty() && !node.getDomain().equals("ai.onnx")) {
            unsupported("operators of domain '" + node.getDomain() + "' are not supported");
            return;
        }
        switch (node.getOpType()) {
            case "Constant" -> new ShapeOpLowering(this).constant();
            case "Shape" -> new ShapeOpLowering(this).shape();
            case "Gather" -> new ShapeOpLowering(this).gather();
            case "Unsqueeze", "Squeeze" -> new ShapeOpLowering(this).squeeze(node.getOpType().equals("Unsqueeze"));
            case "Cast" -> new ShapeOpLowering(this).cast();
            case "Concat" -> new ShapeOpLowering(this).concat();
            case "Gemm" -> new DenseLowering(this).gemm();
            case "MatMul" -> new DenseLowering(this).matmul();
            case "Add" -> new ElementwiseLowering(this).add();
            case "Conv" -> new WindowLowering(this).conv();
            case "BatchNormalization" -> new ElementwiseLowering(this).batchnorm();
            case "Relu" -> unary(OpKind.ANN_RELU, Attributes.EMPTY);
            case "Clip" -> new ElementwiseLowering(this).clip();
            case "AveragePool" -> new WindowLowering(this).pool(OpKind.ANN_AVGPOOL);
            case "MaxPool" -> new WindowLowering(this).pool(OpKind.ANN_MAXPOOL);
            case "GlobalAveragePool" -> unary(OpKind.ANN_GLOBAL_AVGPOOL, Attributes.EMPTY);
            case "Flatten" -> new ShapeOpLowering(this).flatten();
            case "Reshape" -> new ShapeOpLowering(this).reshape();
            case "Pad" -> new WindowLowering(this).pad();
            case "Dropout" -> new ElementwiseLowering(this).dropout();
            case "Identity" -> new ElementwiseLowering(this).identity();
            case "Softmax", "LogSoftmax" -> new ElementwiseLowering(this).softmax();
            default -> unsupported(OnnxImporter.reasons().getOrDefault(node.getOpType(), "operator not supported by nmcc"));
        }
    }
}

package dev.nmcc.frontend.onnx;

import dev.nmcc.ir.attr.Attributes;
import dev.nmcc.ir.graph.Value;
import dev.nmcc.ir.op.OpKind;
import java.util.List;

/**
 * Operators applied value by value or channel by channel: Add, BatchNormalization, Clip (as
 * ReLU), Dropout, Identity, and Softmax/LogSoftmax at a graph output (dropped). Relu and
 * GlobalAveragePool need no checks and are emitted by {@link NodeLowering} directly.
 */
final class ElementwiseLowering extends NodeLoweringSupport {
    ElementwiseLowering(NodeLoweringSupport from) {
        super(from);
    }

    void add() {
        boolean c0 = im.consts.containsKey(in(0));
        boolean c1 = im.consts.containsKey(in(1));
        if (c0 && c1) {
            unsupported("Add of two constants is not folded");
            return;
        }
        if (c0 || c1) {
            ConstTensor c = im.consts.get(in(c0 ? 0 : 1));
            boolean zero = true;
            for (int i = 0; i < c.size(); i++) zero &= c.doubleAt(i) == 0;
            if (zero) {
                define(value(c0 ? 1 : 0));
                return;
            }
            im.error(node, "adds a constant to activations; nmcc supports constants only as the bias of a MatMul, Gemm or Conv");
            return;
        }
        Value a = value(0);
        Value b = value(1);
        if (a == null || b == null) return;
        define(im.emit(node, OpKind.ANN_ADD, List.of(a, b), Attributes.EMPTY));
    }

    void batchnorm() {
        Value x = value(0);
        if (x == null) return;
        if (attrs.i("training_mode", 0) != 0 || node.getOutputList().stream().skip(1).anyMatch(o -> !o.isEmpty())) {
            im.error(node, "training-mode batch normalization is not supported; export the model in eval() mode");
            return;
        }
        String[] keys = {"gamma", "beta", "mean", "var"};
        var a = Attributes.builder();
        int c = im.graph.type(x).shape().dim(0);
        for (int i = 0; i < 4; i++) {
            ConstTensor t = constant(i + 1);
            if (t == null) return;
            a.putBlob(keys[i], blobFor(in(i + 1), keys[i], new int[] {t.size()}, t.asFloats()));
            if (t.size() != c) {
                im.error(node, keys[i] + " has " + t.size() + " values for " + c + " channels");
                return;
            }
        }
        a.putFloat("epsilon", (double) attrs.f("epsilon", 1e-5f));
        define(im.emit(node, OpKind.ANN_BATCHNORM, List.of(x), a.build()));
    }

    void clip() {
        float min = attrs.f("min", Float.NEGATIVE_INFINITY);
        float max = attrs.f("max", Float.POSITIVE_INFINITY);
        if (hasInput(1)) {
            ConstTensor c = constant(1);
            if (c == null) return;
            min = (float) c.doubleAt(0);
        }
        if (hasInput(2)) {
            ConstTensor c = constant(2);
            if (c == null) return;
            max = (float) c.doubleAt(0);
        }
        if (min != 0f) {
            unsupported("Clip is supported only with min = 0 (as ReLU), got min = " + min);
            return;
        }
        if (max != Float.POSITIVE_INFINITY) {
            // A warning, not a note: the model nmcc runs (run-float too) differs wherever an activation exceeds the bound.
            im.warning(node, "Clip(0, " + max + ") (ReLU6, Hardtanh(0, " + max + ")) imported as ReLU: the upper bound " + max
                    + " is not kept, so run-float and the converted network differ from the exported model wherever an activation "
                    + "exceeds it (calibration bounds activations instead); train with ReLU for an exact conversion");
        }
        unary(OpKind.ANN_RELU, Attributes.EMPTY);
    }

    void dropout() {
        double ratio = attrs.f("ratio", 0.5f);
        if (hasInput(1) && im.consts.containsKey(in(1))) ratio = im.consts.get(in(1)).doubleAt(0);
        if (ratio < 0 || ratio >= 1) ratio = 0.5;
        unary(OpKind.ANN_DROPOUT, Attributes.builder().putFloat("rate", ratio).build());
    }

    void identity() {
        ConstTensor c = im.consts.get(in(0));
        if (c != null) {
            defineConst(c);
            return;
        }
        unary(OpKind.ANN_IDENTITY, Attributes.EMPTY);
    }

    void softmax() {
        if (!im.graphOutputs.contains(node.getOutput(0))) {
            unsupported(OnnxImporter.reasons().get(node.getOpType()));
            return;
        }
        Value x = value(0);
        if (x == null) return;
        define(x);
        im.note(node, node.getOpType() + " at the output dropped: it does not change the predicted class, "
                + "and the spiking network's output is decoded from potentials or spike counts");
    }
}

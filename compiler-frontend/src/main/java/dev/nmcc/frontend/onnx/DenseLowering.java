package dev.nmcc.frontend.onnx;

import dev.nmcc.ir.attr.Attributes;
import dev.nmcc.ir.graph.Value;
import dev.nmcc.ir.op.OpKind;
import java.util.Arrays;
import java.util.List;

/**
 * Gemm and MatMul with a constant weight operand, lowered to {@code ann.dense}; a bias is the
 * Gemm's C operand or a following Add the importer paired with the node.
 */
final class DenseLowering extends NodeLoweringSupport {
    DenseLowering(NodeLoweringSupport from) {
        super(from);
    }

    void gemm() {
        Value x = value(0);
        ConstTensor b = constant(1);
        if (x == null || b == null) return;
        if (attrs.i("transA", 0) != 0) {
            im.error(node, "transA = 1 is not supported (the batch must be the first dimension of A)");
            return;
        }
        if (b.rank() != 2) {
            im.error(node, "B must be a 2-D constant, got " + Arrays.toString(b.dims()));
            return;
        }
        boolean transB = attrs.i("transB", 0) != 0;
        float alpha = attrs.f("alpha", 1f);
        float beta = attrs.f("beta", 1f);
        int units = (int) (transB ? b.dims()[0] : b.dims()[1]);
        int inputs = (int) (transB ? b.dims()[1] : b.dims()[0]);
        float[] w = weightRows(b.asFloats(), transB, inputs, units, alpha);
        String wName = transB && alpha == 1f ? blobFor(in(1), "weight", new int[] {units, inputs}, w)
                : im.addBlob(blobBase("weight"), new int[] {units, inputs}, w);
        var a = Attributes.builder().putInt("units", units).putBlob("weight", wName);
        if (hasInput(2)) {
            ConstTensor c = constant(2);
            if (c == null) return;
            float[] bias = broadcastBias(c, units, beta);
            if (bias == null) return;
            a.putBlob("bias", beta == 1f && c.size() == units ? blobFor(in(2), "bias", new int[] {units}, bias)
                    : im.addBlob(blobBase("bias"), new int[] {units}, bias));
        }
        define(im.emit(node, OpKind.ANN_DENSE, List.of(x), a.build()));
    }

    /** Weights as [units, inputs] rows from B ([units, inputs] when transposed, else [inputs, units]). */
    private static float[] weightRows(float[] b, boolean transB, int inputs, int units, float alpha) {
        float[] w = new float[units * inputs];
        for (int u = 0; u < units; u++) {
            for (int k = 0; k < inputs; k++) {
                w[u * inputs + k] = alpha * (transB ? b[u * inputs + k] : b[k * units + u]);
            }
        }
        return w;
    }

    private float[] broadcastBias(ConstTensor c, int units, float beta) {
        float[] src = c.asFloats();
        float[] bias = new float[units];
        if (src.length == units) {
            for (int i = 0; i < units; i++) bias[i] = beta * src[i];
        } else if (src.length == 1) {
            Arrays.fill(bias, beta * src[0]);
        } else {
            im.error(node, "bias of shape " + Arrays.toString(c.dims()) + " does not broadcast to [" + units + "]");
            return null;
        }
        return bias;
    }

    void matmul() {
        Value x = value(0);
        ConstTensor b = constant(1);
        if (x == null || b == null) return;
        if (b.rank() != 2) {
            im.error(node, "the second operand must be a 2-D constant, got " + Arrays.toString(b.dims()));
            return;
        }
        int inputs = (int) b.dims()[0];
        int units = (int) b.dims()[1];
        var a = Attributes.builder().putInt("units", units)
                .putBlob("weight", im.addBlob(blobBase("weight"), new int[] {units, inputs}, weightRows(b.asFloats(), false, inputs, units, 1f)));
        String[] bias = im.biasOf.get(node.getOutput(0));
        if (bias != null) {
            float[] bv = broadcastBias(im.consts.get(bias[0]), units, 1f);
            if (bv == null) return;
            a.putBlob("bias", im.addBlob(blobBase("bias"), new int[] {units}, bv));
        }
        Value y = im.emit(node, OpKind.ANN_DENSE, List.of(x), a.build());
        define(y);
        if (bias != null && y != null) im.values.put(bias[1], y);
    }
}

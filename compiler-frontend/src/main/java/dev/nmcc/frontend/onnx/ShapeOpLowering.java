package dev.nmcc.frontend.onnx;

import dev.nmcc.frontend.onnx.proto.OnnxProto.AttributeProto;
import dev.nmcc.ir.attr.Attributes;
import dev.nmcc.ir.graph.Value;
import dev.nmcc.ir.op.OpKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Shape operators. On constants (the Shape/Gather/Unsqueeze/Concat chains PyTorch emits around
 * Flatten and Reshape) they are evaluated at import time: Constant, Shape, Gather, Squeeze,
 * Unsqueeze, Cast and Concat. On activations, Cast (to float), Concat, Flatten and Reshape
 * become {@code ann} ops.
 */
final class ShapeOpLowering extends NodeLoweringSupport {
    ShapeOpLowering(NodeLoweringSupport from) {
        super(from);
    }

    // ---- constants and shape computations -----------------------------------------------------

    /** The run-time shape of a value as ONNX sees it: batch 1 in front. */
    private long[] onnxShape(Value v) {
        int[] d = im.graph.type(v).shape().dims();
        long[] out = new long[d.length + 1];
        out[0] = 1;
        for (int i = 0; i < d.length; i++) out[i + 1] = d[i];
        return out;
    }

    void constant() {
        for (String key : List.of("value", "value_float", "value_floats", "value_int", "value_ints")) {
            AttributeProto a = attrs.raw(key);
            if (a == null) continue;
            switch (key) {
                case "value" -> {
                    List<String> notes = new ArrayList<>();
                    try {
                        defineConst(OnnxTensors.decode(a.getT(), im.modelDir, notes));
                    } catch (OnnxTensors.BadTensor e) {
                        im.error(node, "its value " + e.getMessage());
                    }
                }
                case "value_float" -> defineConst(ConstTensor.ofFloats(new long[0], new float[] {a.getF()}));
                case "value_floats" -> defineConst(ConstTensor.ofFloats(new long[] {a.getFloatsCount()}, attrs.floats(key)));
                case "value_int" -> defineConst(ConstTensor.ofLongs(new long[0], new long[] {a.getI()}));
                default -> defineConst(ConstTensor.ofLongs(new long[] {a.getIntsCount()}, attrs.ints(key)));
            }
            return;
        }
        unsupported("Constant without a numeric value");
    }

    void shape() {
        Value v = im.values.get(in(0));
        long[] s = v != null ? onnxShape(v) : (im.consts.containsKey(in(0)) ? im.consts.get(in(0)).dims() : null);
        if (s == null) {
            value(0);
            return;
        }
        int start = (int) normAxis(attrs.i("start", 0), s.length, true);
        int end = (int) normAxis(attrs.i("end", s.length), s.length, true);
        defineConst(ConstTensor.vector(Arrays.copyOfRange(s, start, Math.max(start, end))));
    }

    private static long normAxis(long axis, int rank, boolean clamp) {
        long a = axis < 0 ? axis + rank : axis;
        return clamp ? Math.max(0, Math.min(rank, a)) : a;
    }

    void gather() {
        ConstTensor data = im.consts.get(in(0));
        ConstTensor idx = im.consts.get(in(1));
        if (data == null || idx == null || data.rank() != 1 || idx.rank() > 1) {
            unsupported("Gather is supported only on constant 1-D data (shape computations)");
            return;
        }
        long[] out = new long[idx.size()];
        for (int i = 0; i < out.length; i++) {
            long k = idx.longAt(i);
            if (k < 0) k += data.size();
            if (k < 0 || k >= data.size()) {
                im.error(node, "index " + idx.longAt(i) + " is out of range for " + data.size() + " elements");
                return;
            }
            out[i] = data.longAt((int) k);
        }
        long[] dims = idx.rank() == 0 ? new long[0] : new long[] {out.length};
        defineConst(data.isFloat() ? ConstTensor.ofFloats(dims, toFloats(out)) : ConstTensor.ofLongs(dims, out));
    }

    private static float[] toFloats(long[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = v[i];
        return f;
    }

    void squeeze(boolean unsqueeze) {
        ConstTensor c = im.consts.get(in(0));
        if (c == null) {
            unsupported((unsqueeze ? "Unsqueeze" : "Squeeze") + " is supported only on constants (shape computations)");
            return;
        }
        long[] axes = attrs.ints("axes");
        if (axes == null && hasInput(1)) {
            ConstTensor a = constant(1);
            if (a == null) return;
            axes = a.asLongs();
        }
        List<Long> dims = new ArrayList<>();
        for (long d : c.dims()) dims.add(d);
        if (unsqueeze) {
            int rank = dims.size() + (axes == null ? 0 : axes.length);
            long[] sorted = axes == null ? new long[0] : axes.clone();
            for (int i = 0; i < sorted.length; i++) sorted[i] = normAxis(sorted[i], rank, false);
            Arrays.sort(sorted);
            for (long a : sorted) dims.add((int) a, 1L);
        } else {
            if (axes == null) {
                dims.removeIf(d -> d == 1);
            } else {
                long[] sorted = axes.clone();
                for (int i = 0; i < sorted.length; i++) sorted[i] = normAxis(sorted[i], dims.size(), false);
                Arrays.sort(sorted);
                for (int i = sorted.length - 1; i >= 0; i--) dims.remove((int) sorted[i]);
            }
        }
        long[] nd = dims.stream().mapToLong(Long::longValue).toArray();
        defineConst(new ConstTensor(nd, c.floats(), c.longs()));
    }

    void cast() {
        ConstTensor c = im.consts.get(in(0));
        if (c == null) {
            Value v = value(0);
            define(v); // a cast of the float activations to float is a no-op; other casts are refused below
            if (v != null && attrs.i("to", 1) != 1) im.error(node, "casts activations to a non-float type");
            return;
        }
        long to = attrs.i("to", 1);
        boolean toFloat = to == 1 || to == 10 || to == 11;
        defineConst(toFloat ? ConstTensor.ofFloats(c.dims(), c.asFloats()) : ConstTensor.ofLongs(c.dims(), c.asLongs()));
    }

    void concat() {
        boolean allConst = node.getInputList().stream().allMatch(im.consts::containsKey);
        long axis = attrs.i("axis", 0);
        if (allConst) {
            List<Long> out = new ArrayList<>();
            for (String n : node.getInputList()) {
                ConstTensor c = im.consts.get(n);
                if (c.rank() > 1) {
                    unsupported("Concat of constants is supported for 1-D shape vectors only");
                    return;
                }
                for (int i = 0; i < c.size(); i++) out.add(c.longAt(i));
            }
            defineConst(ConstTensor.vector(out.stream().mapToLong(Long::longValue).toArray()));
            return;
        }
        List<Value> operands = new ArrayList<>();
        for (int i = 0; i < node.getInputCount(); i++) {
            Value v = value(i);
            if (v == null) return;
            operands.add(v);
        }
        int rank = im.graph.type(operands.getFirst()).shape().rank() + 1;
        long a = normAxis(axis, rank, false);
        if (a == 0) {
            im.error(node, "concatenates along the batch dimension");
            return;
        }
        define(im.emit(node, OpKind.ANN_CONCAT, operands, Attributes.builder().putInt("axis", a - 1).build()));
    }

    // ---- on activations -----------------------------------------------------------------------

    void flatten() {
        long axis = attrs.i("axis", 1);
        ConstTensor c = im.consts.get(in(0));
        if (c != null) {
            unsupported("Flatten of a constant is not folded");
            return;
        }
        Value x = value(0);
        if (x == null) return;
        int rank = im.graph.type(x).shape().rank() + 1;
        if (normAxis(axis, rank, false) != 1) {
            im.error(node, "Flatten with axis " + axis + " is not supported (only axis 1: keep the batch, flatten the rest)");
            return;
        }
        define(im.emit(node, OpKind.ANN_FLATTEN, List.of(x), Attributes.EMPTY));
    }

    void reshape() {
        Value x = value(0);
        ConstTensor s = constant(1);
        if (x == null || s == null) return;
        long[] target = s.asLongs();
        long[] current = onnxShape(x);
        if (target.length < 2) {
            im.error(node, "reshape to " + Arrays.toString(target) + " drops the batch dimension");
            return;
        }
        long total = 1;
        for (int i = 1; i < current.length; i++) total *= current[i];
        int[] dims = new int[target.length - 1];
        int infer = -1;
        long known = 1;
        for (int i = 1; i < target.length; i++) {
            long t = target[i];
            if (t == 0) t = i < current.length ? current[i] : 0;
            if (t == -1) {
                if (infer >= 0) {
                    im.error(node, "reshape target " + Arrays.toString(target) + " has more than one -1");
                    return;
                }
                infer = i - 1;
                continue;
            }
            if (t <= 0) {
                im.error(node, "reshape target " + Arrays.toString(target) + " is not valid");
                return;
            }
            dims[i - 1] = (int) t;
            known *= t;
        }
        if (target[0] != -1 && target[0] != 1 && target[0] != 0) {
            im.error(node, "reshape target " + Arrays.toString(target) + " changes the batch dimension");
            return;
        }
        if (infer >= 0) {
            if (known == 0 || total % known != 0) {
                im.error(node, "cannot reshape " + Arrays.toString(current) + " to " + Arrays.toString(target));
                return;
            }
            dims[infer] = (int) (total / known);
        }
        define(im.emit(node, OpKind.ANN_RESHAPE, List.of(x), Attributes.builder().putInts("shape", dims).build()));
    }
}

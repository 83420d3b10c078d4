package dev.nmcc.frontend.onnx;

import dev.nmcc.frontend.onnx.proto.OnnxProto.AttributeProto;
import dev.nmcc.frontend.onnx.proto.OnnxProto.NodeProto;
import dev.nmcc.ir.attr.Attributes;
import dev.nmcc.ir.graph.Value;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.ir.type.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Lowers one ONNX node: run-time operators become {@code ann} ops; operators on constants
 * (the Shape/Gather/Unsqueeze/Concat chains PyTorch emits around Flatten and Reshape) are
 * evaluated at import time. Operator semantics follow the ONNX operator specification.
 */
final class NodeLowering {
    private final OnnxImporter im;
    private final NodeProto node;
    private final NodeAttributes attrs;

    NodeLowering(OnnxImporter importer, NodeProto node) {
        this.im = importer;
        this.node = node;
        this.attrs = new NodeAttributes(node);
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
            case "Constant" -> constant();
            case "Shape" -> shape();
            case "Gather" -> gather();
            case "Unsqueeze", "Squeeze" -> squeeze(node.getOpType().equals("Unsqueeze"));
            case "Cast" -> cast();
            case "Concat" -> concat();
            case "Gemm" -> gemm();
            case "MatMul" -> matmul();
            case "Add" -> add();
            case "Conv" -> conv();
            case "BatchNormalization" -> batchnorm();
            case "Relu" -> unary(OpKind.ANN_RELU, Attributes.EMPTY);
            case "Clip" -> clip();
            case "AveragePool" -> pool(OpKind.ANN_AVGPOOL);
            case "MaxPool" -> pool(OpKind.ANN_MAXPOOL);
            case "GlobalAveragePool" -> unary(OpKind.ANN_GLOBAL_AVGPOOL, Attributes.EMPTY);
            case "Flatten" -> flatten();
            case "Reshape" -> reshape();
            case "Pad" -> pad();
            case "Dropout" -> dropout();
            case "Identity" -> identity();
            case "Softmax", "LogSoftmax" -> softmax();
            default -> unsupported(OnnxImporter.reasons().getOrDefault(node.getOpType(), "operator not supported by nmcc"));
        }
    }

    // ---- bookkeeping --------------------------------------------------------------------------

    private void unsupported(String reason) {
        im.unsupported.add("node '" + OnnxImporter.nodeName(node) + "' (" + node.getOpType() + "): " + reason);
        im.poisoned.addAll(node.getOutputList());
    }

    private String in(int i) { return i < node.getInputCount() ? node.getInput(i) : ""; }

    private boolean hasInput(int i) { return !in(i).isEmpty(); }

    /** A run-time operand; reports an error and returns null when it is missing or constant. */
    private Value value(int i) {
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
    private ConstTensor constant(int i) {
        ConstTensor c = im.consts.get(in(i));
        if (c == null) im.error(node, "input " + i + " ('" + in(i) + "') must be a constant (an initializer or Constant node)");
        return c;
    }

    private void define(Value v) { if (v != null) im.values.put(node.getOutput(0), v); }

    private void defineConst(ConstTensor c) { im.consts.put(node.getOutput(0), c); }

    private String blobBase(String suffix) {
        String n = node.getName().isEmpty() ? node.getOpType() : node.getName();
        return n.replaceAll("^/", "").replace('/', '.') + "." + suffix;
    }

    /** Uses an initializer as a blob under its own name when its layout already fits. */
    private String blobFor(String onnxName, String suffix, int[] dims, float[] data) {
        if (!im.blobs.contains(onnxName) && !onnxName.isEmpty()) {
            return im.addBlob(onnxName, dims, data);
        }
        return im.addBlob(blobBase(suffix), dims, data);
    }

    private static int[] toInts(long[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) out[i] = Math.toIntExact(v[i]);
        return out;
    }

    /** The run-time shape of a value as ONNX sees it: batch 1 in front. */
    private long[] onnxShape(Value v) {
        int[] d = im.graph.type(v).shape().dims();
        long[] out = new long[d.length + 1];
        out[0] = 1;
        for (int i = 0; i < d.length; i++) out[i + 1] = d[i];
        return out;
    }

    // ---- constants and shape computations -----------------------------------------------------

    private void constant() {
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

    private void shape() {
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

    private void gather() {
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

    private void squeeze(boolean unsqueeze) {
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

    private void cast() {
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

    private void concat() {
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

    // ---- layers -------------------------------------------------------------------------------

    private void gemm() {
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

    private void matmul() {
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

    private void add() {
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

    /** Pads [top, left, bottom, right] from ONNX pads [h_begin, w_begin, h_end, w_end] plus any folded Pad. */
    private int[] windowPads(String consumedName) {
        long[] p = attrs.ints("pads");
        int[] pads = p == null ? new int[4] : toInts(p);
        int[] extra = im.pendingPads.get(consumedName);
        if (extra != null) for (int i = 0; i < 4; i++) pads[i] += extra[i];
        return pads;
    }

    private boolean checkAutoPad() {
        String autoPad = attrs.s("auto_pad", "NOTSET");
        if (!autoPad.equals("NOTSET") && !autoPad.equals("VALID")) {
            im.error(node, "auto_pad = " + autoPad + " is not supported; export with explicit pads");
            return false;
        }
        return true;
    }

    private boolean unitDilations() {
        long[] d = attrs.ints("dilations");
        if (d != null) for (long x : d) if (x != 1) {
            im.error(node, "dilation " + Arrays.toString(d) + " is not supported");
            return false;
        }
        return true;
    }

    /** The run-time input of a window op, looking through a folded Pad. */
    private Value windowInput() {
        String name = in(0);
        if (im.pendingPads.containsKey(name)) return im.values.get(name);
        return value(0);
    }

    private void conv() {
        Value x = windowInput();
        ConstTensor w = constant(1);
        if (x == null || w == null || !checkAutoPad() || !unitDilations()) return;
        if (attrs.i("group", 1) != 1) {
            im.error(node, "grouped convolution (group = " + attrs.i("group", 1) + ") is not supported");
            return;
        }
        if (w.rank() != 4) {
            im.error(node, "only 2-D convolutions are supported (weight dims " + Arrays.toString(w.dims()) + ")");
            return;
        }
        int[] wd = toInts(w.dims());
        long[] strides = attrs.ints("strides");
        var a = Attributes.builder().putInt("out_channels", wd[0]).putInts("kernel", wd[2], wd[3])
                .putInts("stride", strides == null ? new int[] {1, 1} : toInts(strides))
                .putInts("pad", windowPads(in(0)))
                .putBlob("weight", blobFor(in(1), "weight", wd, w.asFloats()));
        String[] bias = im.biasOf.get(node.getOutput(0));
        if (hasInput(2)) {
            ConstTensor b = constant(2);
            if (b == null) return;
            a.putBlob("bias", blobFor(in(2), "bias", new int[] {wd[0]}, b.asFloats()));
        } else if (bias != null) {
            ConstTensor b = im.consts.get(bias[0]);
            if (b.size() != wd[0]) {
                im.error(node, "the following Add's constant " + Arrays.toString(b.dims()) + " is not a per-channel bias");
                return;
            }
            a.putBlob("bias", im.addBlob(blobBase("bias"), new int[] {wd[0]}, b.asFloats()));
        }
        Value y = im.emit(node, OpKind.ANN_CONV2D, List.of(x), a.build());
        define(y);
        if (bias != null && y != null) im.values.put(bias[1], y);
    }

    private void batchnorm() {
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

    private void unary(OpKind kind, Attributes a) {
        Value x = value(0);
        if (x != null) define(im.emit(node, kind, List.of(x), a));
    }

    private void clip() {
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
            im.note(node, "Clip(0, " + max + ") imported as ReLU; the upper bound " + max
                    + " is not kept (calibration bounds activations instead)");
        }
        unary(OpKind.ANN_RELU, Attributes.EMPTY);
    }

    private void pool(OpKind kind) {
        Value x = windowInput();
        if (x == null || !checkAutoPad() || !unitDilations()) return;
        if (attrs.i("ceil_mode", 0) != 0) {
            im.error(node, "ceil_mode = 1 is not supported; use floor rounding (ceil_mode=False)");
            return;
        }
        if (kind == OpKind.ANN_MAXPOOL && node.getOutputCount() > 1 && !node.getOutput(1).isEmpty()) {
            im.error(node, "the Indices output of MaxPool is not supported");
            return;
        }
        long[] k = attrs.ints("kernel_shape");
        if (k == null || k.length != 2) {
            im.error(node, "only 2-D pooling is supported (kernel_shape " + Arrays.toString(k) + ")");
            return;
        }
        long[] strides = attrs.ints("strides");
        var a = Attributes.builder().putInts("kernel", toInts(k))
                .putInts("stride", strides == null ? new int[] {1, 1} : toInts(strides))
                .putInts("pad", windowPads(in(0)));
        boolean folded = im.pendingPads.containsKey(in(0));
        if (kind == OpKind.ANN_AVGPOOL) {
            boolean include = attrs.i("count_include_pad", 0) != 0;
            if (folded && !include && attrs.ints("pads") != null && Arrays.stream(attrs.ints("pads")).anyMatch(p -> p != 0)) {
                im.error(node, "a folded Pad and pads with count_include_pad = 0 cannot be combined");
                return;
            }
            a.putBool("count_include_pad", include || folded);
        } else if (folded) {
            im.error(node, "a zero Pad before MaxPool is not the same as MaxPool's own padding; pad inside MaxPool instead");
            return;
        }
        define(im.emit(node, kind, List.of(x), a.build()));
    }

    private void flatten() {
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

    private void reshape() {
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

    private void pad() {
        String mode = attrs.s("mode", "constant");
        long[] pads = attrs.ints("pads");
        if (pads == null && hasInput(1)) {
            ConstTensor p = constant(1);
            if (p == null) return;
            pads = p.asLongs();
        }
        if (hasInput(2)) {
            ConstTensor v = constant(2);
            if (v == null) return;
            if (v.size() > 0 && v.doubleAt(0) != 0) {
                unsupported("Pad with a non-zero value is not supported");
                return;
            }
        }
        if (!mode.equals("constant") || pads == null || pads.length != 8 || pads[0] != 0 || pads[1] != 0 || pads[4] != 0 || pads[5] != 0) {
            unsupported("only zero padding of the spatial dimensions of [N, C, H, W] is supported");
            return;
        }
        for (long p : pads) if (p < 0) {
            unsupported("negative padding (cropping) is not supported");
            return;
        }
        Value x = value(0);
        if (x == null) return;
        im.values.put(node.getOutput(0), x);
        im.pendingPads.put(node.getOutput(0), new int[] {(int) pads[2], (int) pads[3], (int) pads[6], (int) pads[7]});
    }

    private void dropout() {
        double ratio = attrs.f("ratio", 0.5f);
        if (hasInput(1) && im.consts.containsKey(in(1))) ratio = im.consts.get(in(1)).doubleAt(0);
        if (ratio < 0 || ratio >= 1) ratio = 0.5;
        unary(OpKind.ANN_DROPOUT, Attributes.builder().putFloat("rate", ratio).build());
    }

    private void identity() {
        ConstTensor c = im.consts.get(in(0));
        if (c != null) {
            defineConst(c);
            return;
        }
        unary(OpKind.ANN_IDENTITY, Attributes.EMPTY);
    }

    private void softmax() {
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

package dev.nmcc.frontend.onnx;

import dev.nmcc.ir.attr.Attributes;
import dev.nmcc.ir.graph.Value;
import dev.nmcc.ir.op.OpKind;
import java.util.Arrays;
import java.util.List;

/**
 * Sliding-window operators: Conv, AveragePool and MaxPool, and the zero Pad nmcc folds into
 * the window op that reads it.
 */
final class WindowLowering extends NodeLoweringSupport {
    WindowLowering(NodeLoweringSupport from) {
        super(from);
    }

    private static int[] toInts(long[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) out[i] = Math.toIntExact(v[i]);
        return out;
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

    void conv() {
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

    void pool(OpKind kind) {
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

    void pad() {
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
}

package dev.nmcc.ir.op;

import dev.nmcc.ir.attr.Attribute;
import dev.nmcc.ir.attr.Attributes;
import dev.nmcc.ir.blob.Blob;
import dev.nmcc.ir.blob.BlobLookup;
import dev.nmcc.ir.type.ElementType;
import dev.nmcc.ir.type.Shape;
import dev.nmcc.ir.type.SpikeType;
import dev.nmcc.ir.type.TensorType;
import dev.nmcc.ir.type.Type;
import java.util.Arrays;
import java.util.List;

/**
 * Result types from operand types and attributes: the shape rules of every op, written once.
 * The builder uses them to type new ops; the verifier re-derives them to check stored types;
 * frontends call them first so that a mismatch becomes a located diagnostic.
 *
 * <p>Window arithmetic (conv and pooling), with padding {@code [top, left, bottom, right]}:
 * {@code out = floor((in + pad_before + pad_after - kernel) / stride) + 1}, which must be >= 1.
 */
public final class TypeInference {
    private TypeInference() {}

    /** The inferred result type (null for ops without results), or why there is none. */
    public record Result(Type type, String error) {
        static Result ok(Type t) { return new Result(t, null); }
        static Result fail(String msg) { return new Result(null, msg); }
        public boolean isOk() { return error == null; }
    }

    /** Thrown internally to abort one inference with a message; never escapes this class. */
    private static final class Fail extends RuntimeException {
        Fail(String m) { super(m, null, false, false); }
    }

    public static Result infer(OpKind kind, List<Type> operands, Attributes attrs, BlobLookup blobs) {
        try {
            return Result.ok(compute(kind, operands, attrs, blobs));
        } catch (Fail f) {
            return Result.fail(f.getMessage());
        }
    }

    private static Type compute(OpKind kind, List<Type> in, Attributes a, BlobLookup blobs) {
        if (in.size() < kind.minOperands() || (kind.maxOperands() >= 0 && in.size() > kind.maxOperands())) {
            throw new Fail(kind.mnemonic() + " takes " + arity(kind) + ", got " + in.size());
        }
        return switch (kind) {
            case ANN_INPUT, SNN_INPUT -> throw new Fail(kind.mnemonic() + " declares its type");
            case ANN_CONST -> blob(blobs, a, "value").type();
            case ANN_DENSE -> dense(tensor(in, 0, kind), a, blobs, ElementType.F32);
            case ANN_CONV2D -> conv(kind, tensor(in, 0, kind), a, blobs, ElementType.F32);
            case ANN_BATCHNORM -> {
                TensorType t = tensor(in, 0, kind);
                if (t.shape().rank() < 1) throw new Fail("batchnorm needs rank >= 1");
                int c = t.shape().dim(0);
                for (String p : List.of("gamma", "beta", "mean", "var")) expectShape(blob(blobs, a, p), p, c);
                yield t;
            }
            case ANN_RELU, ANN_DROPOUT, ANN_IDENTITY -> tensor(in, 0, kind);
            case ANN_AVGPOOL, ANN_MAXPOOL -> new TensorType(pool(rank3(tensor(in, 0, kind), kind), a), ElementType.F32);
            case ANN_GLOBAL_AVGPOOL -> {
                Shape s = rank3(tensor(in, 0, kind), kind);
                yield new TensorType(Shape.of(s.dim(0), 1, 1), ElementType.F32);
            }
            case ANN_FLATTEN, SNN_FLATTEN -> reshaped(in.getFirst(), Shape.of(in.getFirst().shape().elementCount()));
            case ANN_RESHAPE, SNN_RESHAPE -> reshaped(in.getFirst(), shapeAttr(a, "shape"));
            case ANN_ADD, SNN_MERGE -> {
                TensorType first = tensor(in, 0, kind);
                for (int i = 1; i < in.size(); i++) {
                    if (!in.get(i).equals(first)) {
                        throw new Fail(kind.mnemonic() + " operands differ: " + first.text() + " and " + in.get(i).text());
                    }
                }
                yield first;
            }
            case ANN_CONCAT -> concat(in, a, kind);
            case ANN_OUTPUT, SNN_OUTPUT, HW_CORE_SLICE, HW_ROUTE -> null;
            case SNN_ENCODE -> {
                TensorType t = tensor(in, 0, kind);
                String mode = a.getString("mode", "");
                if (mode.equals("rate")) yield new SpikeType(t.shape());
                yield new TensorType(t.shape(), a.has("input_scale") ? ElementType.I32 : ElementType.F32);
            }
            case SNN_DENSE -> dense(in.getFirst(), a, blobs, currentElement(in.getFirst(), blob(blobs, a, "weight")));
            case SNN_CONV2D -> conv(kind, in.getFirst(), a, blobs, currentElement(in.getFirst(), blob(blobs, a, "weight")));
            case SNN_AVGPOOL -> {
                boolean integer = a.getOrNull("weight") instanceof Attribute.Int && !isFloatTensor(in.getFirst());
                yield new TensorType(pool(rank3(in.getFirst(), kind), a), integer ? ElementType.I32 : ElementType.F32);
            }
            case SNN_MAXPOOL -> new SpikeType(pool(rank3(spikes(in, 0, kind), kind), a));
            case SNN_IF, SNN_LIF -> {
                TensorType t = tensor(in, 0, kind);
                perChannel(t, a, blobs, "threshold", true);
                perChannel(t, a, blobs, "v0", false);
                yield new SpikeType(t.shape());
            }
            case SNN_DECODE -> {
                if (a.getString("mode", "").equals("count")) {
                    yield new TensorType(spikes(in, 0, kind).shape(), ElementType.I32);
                }
                yield tensor(in, 0, kind);
            }
        };
    }

    /**
     * A per-channel neuron parameter given as a blob: shape [C], C = dimension 0 of the
     * population; a threshold's values must be positive. Numbers are checked by AttributeRules.
     */
    private static void perChannel(TensorType population, Attributes a, BlobLookup blobs, String attr, boolean positive) {
        if (a.getBlob(attr) == null) return;
        if (population.shape().rank() < 1) throw new Fail("a per-channel '" + attr + "' needs a population of rank >= 1");
        Blob b = blob(blobs, a, attr);
        expectShape(b, attr, population.shape().dim(0));
        if (positive) {
            for (int i = 0; i < b.size(); i++) {
                if (!(b.get(i) > 0)) throw new Fail(attr + " @" + b.name() + " must be positive, element " + i + " is " + b.get(i));
            }
        }
    }

    private static String arity(OpKind k) {
        if (k.maxOperands() < 0) return "at least " + k.minOperands() + " operands";
        if (k.minOperands() == k.maxOperands()) return k.minOperands() + (k.minOperands() == 1 ? " operand" : " operands");
        return k.minOperands() + " to " + k.maxOperands() + " operands";
    }

    private static TensorType tensor(List<Type> in, int i, OpKind k) {
        if (in.get(i) instanceof TensorType t) return t;
        throw new Fail(k.mnemonic() + " expects a tensor, got " + in.get(i).text());
    }

    private static SpikeType spikes(List<Type> in, int i, OpKind k) {
        if (in.get(i) instanceof SpikeType t) return t;
        throw new Fail(k.mnemonic() + " expects spikes, got " + in.get(i).text());
    }

    private static boolean isFloatTensor(Type t) {
        return t instanceof TensorType tt && tt.elementType() == ElementType.F32;
    }

    /** Integer weights on spikes or integer currents give integer currents; anything float gives f32. */
    private static ElementType currentElement(Type input, Blob weight) {
        return weight.type().elementType().isInteger() && !isFloatTensor(input) ? ElementType.I32 : ElementType.F32;
    }

    private static Shape rank3(Type t, OpKind k) {
        if (t.shape().rank() != 3) throw new Fail(k.mnemonic() + " expects [C, H, W], got " + t.text());
        return t.shape();
    }

    private static Blob blob(BlobLookup blobs, Attributes a, String attr) {
        String name = a.getBlob(attr);
        if (name == null) throw new Fail("missing blob attribute '" + attr + "'");
        Blob b = blobs.get(name);
        if (b == null) throw new Fail("unknown blob @" + name);
        return b;
    }

    private static void expectShape(Blob b, String what, int... dims) {
        if (!b.type().shape().equals(Shape.of(dims))) {
            throw new Fail(what + " @" + b.name() + " has shape " + Arrays.toString(b.type().shape().dims()) + ", expected " + Arrays.toString(dims));
        }
    }

    private static int positiveInt(Attributes a, String name) {
        long v = a.getInt(name, -1);
        if (v <= 0 || v > Integer.MAX_VALUE) throw new Fail("'" + name + "' must be a positive integer");
        return (int) v;
    }

    private static Type dense(Type input, Attributes a, BlobLookup blobs, ElementType out) {
        if (input.shape().rank() != 1) {
            throw new Fail("dense expects a rank-1 input, got " + input.text() + " (flatten it first)");
        }
        int units = positiveInt(a, "units");
        expectShape(blob(blobs, a, "weight"), "weight", units, input.shape().dim(0));
        if (a.has("bias")) expectShape(blob(blobs, a, "bias"), "bias", units);
        return new TensorType(Shape.of(units), out);
    }

    private static Type conv(OpKind kind, Type input, Attributes a, BlobLookup blobs, ElementType out) {
        Shape s = rank3(input, kind);
        int oc = positiveInt(a, "out_channels");
        int[] k = pair(a, "kernel", null);
        int[] st = pair(a, "stride", new int[] {1, 1});
        int[] p = pads(a);
        expectShape(blob(blobs, a, "weight"), "weight", oc, s.dim(0), k[0], k[1]);
        if (a.has("bias")) expectShape(blob(blobs, a, "bias"), "bias", oc);
        return new TensorType(Shape.of(oc, window(s.dim(1), k[0], st[0], p[0], p[2]), window(s.dim(2), k[1], st[1], p[1], p[3])), out);
    }

    private static Shape pool(Shape s, Attributes a) {
        int[] k = pair(a, "kernel", null);
        int[] st = pair(a, "stride", k);
        int[] p = pads(a);
        return Shape.of(s.dim(0), window(s.dim(1), k[0], st[0], p[0], p[2]), window(s.dim(2), k[1], st[1], p[1], p[3]));
    }

    /** Output extent of a sliding window; see the class comment (saturates at Integer.MAX_VALUE). */
    public static int windowOutput(int in, int kernel, int stride, int padBefore, int padAfter) {
        long span = (long) in + padBefore + padAfter - kernel;
        return span < 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, span / stride + 1);
    }

    private static int window(int in, int kernel, int stride, int padBefore, int padAfter) {
        int out = windowOutput(in, kernel, stride, padBefore, padAfter);
        if (out == Integer.MAX_VALUE) {
            throw new Fail("padding " + padBefore + "+" + padAfter + " makes the output of a window of " + kernel + " over an input of "
                    + in + " too large");
        }
        if (out < 1) throw new Fail("window of " + kernel + " does not fit an input of " + in + " with padding " + padBefore + "+" + padAfter);
        return out;
    }

    private static int[] pair(Attributes a, String name, int[] dflt) {
        int[] v = a.getInts(name, null);
        if (v == null) {
            if (dflt != null && !a.has(name)) return dflt;
            throw new Fail("'" + name + "' must be a pair of positive integers");
        }
        if (v.length != 2 || v[0] <= 0 || v[1] <= 0) throw new Fail("'" + name + "' must be a pair of positive integers");
        return v;
    }

    private static int[] pads(Attributes a) {
        int[] v = a.getInts("pad", null);
        if (v == null) {
            if (!a.has("pad")) return new int[4];
            throw new Fail("'pad' must be [top, left, bottom, right]");
        }
        if (v.length != 4) throw new Fail("'pad' must be [top, left, bottom, right]");
        for (int x : v) if (x < 0) throw new Fail("'pad' must not be negative");
        return v;
    }

    private static Shape shapeAttr(Attributes a, String name) {
        int[] v = a.getInts(name, null);
        if (v == null || v.length == 0) throw new Fail("'" + name + "' must be a list of positive integers");
        for (int x : v) if (x <= 0) throw new Fail("'" + name + "' must be a list of positive integers");
        Shape s = Shape.of(v);
        if (!s.isAllocatable()) throw new Fail("shape " + s + " is too large");
        return s;
    }

    private static Type reshaped(Type t, Shape s) {
        if (s.elementCountExact() != t.shape().elementCountExact()) {
            throw new Fail("cannot reshape " + t.text() + " to " + s + ": element counts differ");
        }
        return switch (t) {
            case TensorType tt -> new TensorType(s, tt.elementType());
            case SpikeType st -> new SpikeType(s);
        };
    }

    private static Type concat(List<Type> in, Attributes a, OpKind k) {
        TensorType first = tensor(in, 0, k);
        int rank = first.shape().rank();
        long axisL = a.getInt("axis", 0);
        if (axisL < 0 || axisL >= rank) throw new Fail("concat axis " + axisL + " is out of range for rank " + rank);
        int axis = (int) axisL;
        int[] dims = first.shape().dims();
        long total = dims[axis];
        for (int i = 1; i < in.size(); i++) {
            TensorType t = tensor(in, i, k);
            if (t.shape().rank() != rank || t.elementType() != first.elementType()) {
                throw new Fail("concat operands differ: " + first.text() + " and " + t.text());
            }
            for (int d = 0; d < rank; d++) {
                if (d != axis && t.shape().dim(d) != dims[d]) {
                    throw new Fail("concat operands differ outside axis " + axis + ": " + first.text() + " and " + t.text());
                }
            }
            total += t.shape().dim(axis);
        }
        if (total > Integer.MAX_VALUE) throw new Fail("concat result is too large");
        dims[axis] = (int) total;
        return new TensorType(Shape.of(dims), first.elementType());
    }
}

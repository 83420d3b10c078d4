package dev.nmcc.passes.calibrate;

import dev.nmcc.ir.attr.Attribute;
import dev.nmcc.ir.attr.Attributes;
import dev.nmcc.ir.blob.Blob;
import dev.nmcc.ir.blob.BlobTable;
import dev.nmcc.ir.diag.CompilationException;
import dev.nmcc.ir.diag.Diagnostic;
import dev.nmcc.ir.graph.Graph;
import dev.nmcc.ir.graph.GraphBuilder;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.graph.Op;
import dev.nmcc.ir.graph.Value;
import dev.nmcc.ir.loc.Location;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.ir.op.Stage;
import dev.nmcc.ir.type.Shape;
import dev.nmcc.ir.type.TensorType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.function.IntFunction;

/**
 * The ann → snn conversion of {@link CalibrateThresholds}, given the activation scale λ of every
 * value that becomes a population (DESIGN §3). Every ANN value gets a <em>representation</em>:
 * an SNN value (spikes, or a current tensor) and a per-element scale {@code s} such that the ANN
 * activation ≈ {@code s · rate} (spikes) or {@code s · current} (currents). Relu outputs become
 * {@code snn.if} populations with threshold 1 and {@code s = λ}; the input is scale 1.
 *
 * <p>The current that feeds a population of scale λ is built by {@link #current}: a dense or
 * conv layer reading a representation of scale {@code s} becomes a projection with
 * {@code W' = W · s_in / λ_out} (per input element, so per input channel for conv and per
 * flattened element for dense after flatten) and {@code b' = b / λ_out}; {@code ann.add}
 * becomes an {@code snn.merge} of the currents of both branches, each normalised to the same
 * λ_out; a branch that is already a population (a residual skip) gets a diagonal projection
 * (1×1 conv or dense) with weights {@code s / λ_out}. Average pooling is linear and, by default,
 * <em>folded</em>: an {@code snn.avgpool} projection (weight 1/(kh·kw)) whose current feeds the
 * next projection directly, with no population of its own, so it adds no quantisation error;
 * with {@code pool-population} it gets an IF population of scale λ = that of its input.
 * Linear layers without a relu between them chain their currents the same way. The last layer
 * (no relu) feeds {@code snn.decode}: with potential decoding its current, normalised to scale 1,
 * is accumulated (the logit × T); with count decoding it gets a population of its own λ.
 */
final class SnnLowering {
    record Options(String encoding, String decoding, boolean halfV0, boolean poolPopulation) {}

    /** One population of the result, for the calibration report. */
    record Layer(int index, String description, Value population, double[] lambda, int annValue, Location location) {}

    record Result(Module module, List<Layer> layers, List<Diagnostic> warnings) {}

    /** A representation: the SNN value and the per-element scale; {@code spikes} tells spikes from current. */
    private record Rep(Value value, float[] scale, boolean spikes) {}

    private final Module ann;
    private final Graph g;
    private final IntFunction<double[]> lambdaOf;
    private final Options options;
    private final BlobTable.Builder blobs = BlobTable.builder();
    private final GraphBuilder b;
    private final Map<Integer, Rep> reps = new HashMap<>();
    private final List<Layer> layers = new ArrayList<>();
    private final List<Diagnostic> warnings = new ArrayList<>();
    private final Set<String> usedNames = new HashSet<>();
    private final Set<Op> warnedMaxpool = new HashSet<>();

    /**
     * @param lambdaOf the per-channel scales (length = dimension 0, or 1 for a scalar) of an ANN
     *                 value id, for the values that become populations
     */
    SnnLowering(Module ann, IntFunction<double[]> lambdaOf, Options options) {
        this.ann = ann;
        this.g = ann.graph();
        this.lambdaOf = lambdaOf;
        this.options = options;
        this.b = new GraphBuilder(blobs);
    }

    /** The ANN values whose λ the lowering will ask for (the statistics to gather). */
    static List<Value> scaledValues(Module ann, Options options) {
        Graph g = ann.graph();
        Set<Value> out = new java.util.LinkedHashSet<>();
        for (Op op : g.ops()) {
            switch (op.kind()) {
                case ANN_RELU -> out.add(op.result());
                case ANN_OUTPUT, ANN_MAXPOOL -> {
                    Value v = op.operand(0);
                    while (isPassThrough(g.definingOp(v).kind())) v = g.definingOp(v).operand(0);
                    OpKind k = g.definingOp(v).kind();
                    if (k == OpKind.ANN_DENSE || k == OpKind.ANN_CONV2D || k == OpKind.ANN_ADD
                            || k == OpKind.ANN_AVGPOOL || k == OpKind.ANN_GLOBAL_AVGPOOL) out.add(v);
                }
                default -> {}
            }
        }
        return List.copyOf(out);
    }

    /** The ids of the ANN values that outputs read (through flatten, reshape, dropout, identity). */
    static Set<Integer> outputValues(Module ann) {
        Graph g = ann.graph();
        Set<Integer> out = new HashSet<>();
        for (Op op : g.ops()) {
            if (op.kind() != OpKind.ANN_OUTPUT) continue;
            Value v = op.operand(0);
            while (isPassThrough(g.definingOp(v).kind())) v = g.definingOp(v).operand(0);
            out.add(v.id());
        }
        return out;
    }

    private static boolean isPassThrough(OpKind k) {
        return k == OpKind.ANN_FLATTEN || k == OpKind.ANN_RESHAPE || k == OpKind.ANN_DROPOUT || k == OpKind.ANN_IDENTITY;
    }

    Result lower() {
        for (Op op : g.ops()) {
            switch (op.kind()) {
                case ANN_INPUT -> rep(op.result());
                case ANN_OUTPUT -> output(op);
                default -> {}
            }
        }
        Module m = new Module(ann.name(), Stage.SNN, blobs.build(), b.build());
        return new Result(m, List.copyOf(layers), List.copyOf(warnings));
    }

    // ---- outputs ---------------------------------------------------------------------------

    private void output(Op op) {
        Value x = op.operand(0);
        Value decoded;
        Attributes potential = Attributes.builder().putSymbol("mode", "potential").build();
        Attributes count = Attributes.builder().putSymbol("mode", "count").build();
        if (options.decoding().equals("count")) {
            Rep r = reps.get(x.id());
            Value spikes;
            if (r != null && r.spikes()) spikes = r.value();
            else spikes = population(x, lambdaOrOnes(x), op.location(), describe(x)).value();
            decoded = b.add(OpKind.SNN_DECODE, List.of(spikes), count, op.location());
        } else {
            Value cur = current(x, ones(size(x)), false);
            decoded = b.add(OpKind.SNN_DECODE, List.of(cur), potential, op.location());
        }
        name(decoded, x);
        b.add(OpKind.SNN_OUTPUT, List.of(decoded), op.attributes(), op.location());
    }

    // ---- representations -------------------------------------------------------------------

    private Rep rep(Value v) {
        Rep r = reps.get(v.id());
        if (r != null) return r;
        Op op = g.definingOp(v);
        r = switch (op.kind()) {
            case ANN_INPUT -> {
                Value in = b.input(OpKind.SNN_INPUT, g.type(v), op.attributes(), op.location());
                name(in, v);
                String mode = options.encoding();
                Value enc = b.add(OpKind.SNN_ENCODE, List.of(in), Attributes.builder().putSymbol("mode", mode).build(), op.location());
                yield new Rep(enc, ones(size(v)), mode.equals("rate"));
            }
            case ANN_RELU -> {
                Value x = op.operand(0);
                Rep p = population(x, expand(v, lambdaOf.apply(v.id())), op.location(), describe(x));
                name(p.value(), v);
                yield p;
            }
            case ANN_FLATTEN, ANN_RESHAPE -> {
                Rep in = rep(op.operand(0));
                OpKind k = op.kind() == OpKind.ANN_FLATTEN ? OpKind.SNN_FLATTEN : OpKind.SNN_RESHAPE;
                yield new Rep(b.add(k, List.of(in.value()), op.attributes(), op.location()), in.scale(), in.spikes());
            }
            case ANN_DROPOUT, ANN_IDENTITY -> rep(op.operand(0));
            case ANN_MAXPOOL -> {
                Rep in = rep(op.operand(0));
                if (!in.spikes()) {
                    Rep pop = population(op.operand(0), lambdaOrOnes(op.operand(0)), op.location(), describe(op.operand(0)));
                    in = pop;
                }
                if (warnedMaxpool.add(op)) {
                    warnings.add(Diagnostic.warning(op.location(), "ann.maxpool is approximated by snn.maxpool (a window spikes "
                            + "when any of its inputs spikes); this over-estimates the maximum's rate; use average pooling "
                            + "in the model for an exact conversion"));
                }
                Attributes a = poolAttrs(op.attributes(), null);
                Value out = b.add(OpKind.SNN_MAXPOOL, List.of(in.value()), a, op.location());
                yield new Rep(out, pooledScale(in.scale(), g.type(op.operand(0)).shape(), g.type(v).shape()), true);
            }
            case ANN_AVGPOOL, ANN_GLOBAL_AVGPOOL -> {
                Value x = op.operand(0);
                if (options.poolPopulation()) {
                    // Its own population at the input's scale: the pool weight stays 1/(kh·kw).
                    Rep in = rep(x);
                    float[] target = pooledScale(in.scale(), g.type(x).shape(), g.type(v).shape());
                    Value cur = pool(op, in.value());
                    Rep p = fire(cur, target, channels(v), op.location(), "avgpool " + shapeText(x) + "→" + shapeText(v), v);
                    name(p.value(), v);
                    yield p;
                }
                // Folded: the pooled current of the input's representation (or of a linear value at scale 1).
                Rep in = reps.get(x.id());
                float[] target = in != null ? pooledScale(in.scale(), g.type(x).shape(), g.type(v).shape())
                        : isLinear(x) ? ones(size(v)) : pooledScale(rep(x).scale(), g.type(x).shape(), g.type(v).shape());
                yield new Rep(current(v, target, false), target, false);
            }
            case ANN_DENSE, ANN_CONV2D, ANN_ADD -> {
                // A linear value read by something other than a projection: give it a population.
                Rep p = population(v, lambdaOrOnes(v), op.location(), describe(v));
                yield p;
            }
            case ANN_BATCHNORM -> throw error(op, "calibrate-thresholds needs batch normalisation folded first: "
                    + "run fold-batchnorm before calibrate-thresholds");
            default -> throw error(op, "calibrate-thresholds cannot convert '" + op.kind().mnemonic() + "' to the snn stage");
        };
        reps.put(v.id(), r);
        return r;
    }

    /** An IF population whose input current is {@code x} normalised to {@code lambda} (per element). */
    private Rep population(Value x, float[] lambda, Location loc, String description) {
        return fire(current(x, lambda, false), lambda, channels(x), loc, description, x);
    }

    /** An IF population (threshold 1) fed by the current {@code cur}, which carries values / lambda. */
    private Rep fire(Value cur, float[] lambda, int channels, Location loc, String description, Value x) {
        Attributes a = Attributes.builder()
                .putFloat("threshold", 1.0)
                .putFloat("v0", options.halfV0() ? 0.5 : 0.0)
                .build();
        Value pop = b.add(OpKind.SNN_IF, List.of(cur), a, loc);
        double[] lam = new double[channels];
        int per = lambda.length / channels;
        for (int c = 0; c < channels; c++) lam[c] = lambda[c * per];
        layers.add(new Layer(layers.size(), description, pop, lam, x.id(), loc));
        return new Rep(pop, lambda, true);
    }

    // ---- currents --------------------------------------------------------------------------

    /**
     * An SNN current (or, when {@code allowSpikes}, possibly spikes) carrying the ANN value
     * {@code v} divided by {@code target} (per element).
     */
    private Value current(Value v, float[] target, boolean allowSpikes) {
        Op op = g.definingOp(v);
        if (!reps.containsKey(v.id())) {
            switch (op.kind()) {
                case ANN_DENSE -> { return dense(op, target); }
                case ANN_CONV2D -> { return conv(op, target); }
                case ANN_ADD -> {
                    Value l = current(op.operand(0), target, false);
                    Value r = current(op.operand(1), target, false);
                    return b.add(OpKind.SNN_MERGE, List.of(l, r), Attributes.EMPTY, op.location());
                }
                case ANN_AVGPOOL, ANN_GLOBAL_AVGPOOL -> {
                    if (!options.poolPopulation()) {
                        Value x = op.operand(0);
                        float[] inTarget = unpooledScale(target, g.type(x).shape(), g.type(v).shape());
                        return pool(op, current(x, inTarget, true));
                    }
                }
                case ANN_FLATTEN, ANN_RESHAPE -> {
                    if (isLinear(op.operand(0))) {
                        Value in = current(op.operand(0), target, false);
                        OpKind k = op.kind() == OpKind.ANN_FLATTEN ? OpKind.SNN_FLATTEN : OpKind.SNN_RESHAPE;
                        return b.add(k, List.of(in), op.attributes(), op.location());
                    }
                }
                case ANN_DROPOUT, ANN_IDENTITY -> {
                    if (isLinear(op.operand(0))) return current(op.operand(0), target, allowSpikes);
                }
                default -> {}
            }
        }
        Rep r = rep(v);
        float[] ratio = new float[target.length];
        boolean unit = true;
        for (int i = 0; i < ratio.length; i++) {
            ratio[i] = r.scale()[i] / target[i];
            if (ratio[i] != 1f) unit = false;
        }
        if (unit && (!r.spikes() || allowSpikes)) return r.value();
        return diagonal(op, r.value(), ratio);
    }

    /** True when v is a linear ANN value without a representation yet (its current is built lazily). */
    private boolean isLinear(Value v) {
        if (reps.containsKey(v.id())) return false;
        Op op = g.definingOp(v);
        return switch (op.kind()) {
            case ANN_DENSE, ANN_CONV2D, ANN_ADD -> true;
            case ANN_AVGPOOL, ANN_GLOBAL_AVGPOOL -> !options.poolPopulation() && isLinear(op.operand(0));
            case ANN_FLATTEN, ANN_RESHAPE, ANN_DROPOUT, ANN_IDENTITY -> isLinear(op.operand(0));
            default -> false;
        };
    }

    /** The representation of a projection's input: a materialised one, or a chained linear current at scale 1. */
    private Rep projectionInput(Value x) {
        if (isLinear(x)) return new Rep(current(x, ones(size(x)), false), ones(size(x)), false);
        return rep(x);
    }

    private Value dense(Op op, float[] target) {
        Rep in = projectionInput(op.operand(0));
        Blob w = ann.blobs().get(op.attributes().getBlob("weight"));
        int units = (int) op.attributes().getInt("units", 0);
        int n = in.scale().length;
        float[] src = w.floats(), dst = new float[src.length];
        float[] inScale = in.scale();
        // Rows in parallel, in a method of their own (a small compile unit: it runs once, on 2 M weights in the KWS MLP).
        IntStream.range(0, units).parallel().forEach(j -> scaleRow(src, dst, j * n, n, inScale, target[j]));
        Attributes.Builder a = Attributes.builder().putInt("units", units);
        a.putBlob("weight", addBlob(w.name(), w.type(), dst));
        String biasName = op.attributes().getBlob("bias");
        if (biasName != null) a.putBlob("bias", scaledBias(ann.blobs().get(biasName), target, 1));
        return b.add(OpKind.SNN_DENSE, List.of(in.value()), a.build(), op.location());
    }

    /** {@code dst[off + i] = src[off + i] · inScale[i] / target}, in double, rounded once to float. */
    private static void scaleRow(float[] src, float[] dst, int off, int n, float[] inScale, float target) {
        for (int i = 0; i < n; i++) dst[off + i] = (float) ((double) src[off + i] * inScale[i] / target);
    }

    private Value conv(Op op, float[] target) {
        Rep in = projectionInput(op.operand(0));
        Shape inShape = g.type(op.operand(0)).shape();
        int cin = inShape.dim(0), inPer = inShape.dim(1) * inShape.dim(2);
        Blob w = ann.blobs().get(op.attributes().getBlob("weight"));
        int cout = (int) op.attributes().getInt("out_channels", 0);
        int outPer = target.length / cout;
        int k = w.size() / (cout * cin);
        float[] src = w.floats(), dst = new float[src.length];
        for (int o = 0; o < cout; o++) {
            double lo = target[o * outPer];
            for (int c = 0; c < cin; c++) {
                double s = in.scale()[c * inPer];
                int base = (o * cin + c) * k;
                for (int i = 0; i < k; i++) dst[base + i] = (float) ((double) src[base + i] * s / lo);
            }
        }
        Attributes.Builder a = Attributes.builder();
        for (var e : op.attributes().asMap().entrySet()) a.put(e.getKey(), e.getValue());
        a.putBlob("weight", addBlob(w.name(), w.type(), dst));
        String biasName = op.attributes().getBlob("bias");
        if (biasName != null) a.putBlob("bias", scaledBias(ann.blobs().get(biasName), target, outPer));
        return b.add(OpKind.SNN_CONV2D, List.of(in.value()), a.build(), op.location());
    }

    private String scaledBias(Blob bias, float[] target, int per) {
        float[] src = bias.floats(), dst = new float[src.length];
        for (int j = 0; j < src.length; j++) dst[j] = (float) ((double) src[j] / target[j * per]);
        return addBlob(bias.name(), bias.type(), dst);
    }

    /** A projection multiplying each element (channel) by {@code ratio}: a 1×1 conv or a diagonal dense. */
    private Value diagonal(Op at, Value in, float[] ratio) {
        Shape s = b.type(in).shape();
        String base = (at.kind() == OpKind.ANN_INPUT ? "input" : "skip") + ".weight";
        if (s.rank() == 3) {
            int c = s.dim(0), per = s.dim(1) * s.dim(2);
            float[] w = new float[c * c];
            for (int i = 0; i < c; i++) w[i * c + i] = ratio[i * per];
            Attributes a = Attributes.builder().putInt("out_channels", c).putInts("kernel", 1, 1)
                    .putBlob("weight", addBlob(base, TensorType.f32(c, c, 1, 1), w)).build();
            return b.add(OpKind.SNN_CONV2D, List.of(in), a, at.location());
        }
        Value flat = s.rank() == 1 ? in : b.add(OpKind.SNN_FLATTEN, List.of(in), Attributes.EMPTY, at.location());
        int n = s.elementCount();
        float[] w = new float[n * n];
        for (int i = 0; i < n; i++) w[i * n + i] = ratio[i];
        Attributes a = Attributes.builder().putInt("units", n).putBlob("weight", addBlob(base, TensorType.f32(n, n), w)).build();
        Value out = b.add(OpKind.SNN_DENSE, List.of(flat), a, at.location());
        return s.rank() == 1 ? out : b.add(OpKind.SNN_RESHAPE, List.of(out), Attributes.builder().putInts("shape", s.dims()).build(), at.location());
    }

    /** snn.avgpool with the default weight 1/(kh·kw) over {@code in}. */
    private Value pool(Op op, Value in) {
        Attributes a = poolAttrs(op.attributes(), op.kind() == OpKind.ANN_GLOBAL_AVGPOOL ? g.type(op.operand(0)).shape() : null);
        checkPadding(op);
        return b.add(OpKind.SNN_AVGPOOL, List.of(in), a, op.location());
    }

    // ---- helpers ---------------------------------------------------------------------------

    private Attributes poolAttrs(Attributes src, Shape global) {
        Attributes.Builder a = Attributes.builder();
        if (global != null) {
            a.putInts("kernel", global.dim(1), global.dim(2));
        } else {
            for (String k : List.of("kernel", "stride", "pad")) {
                Attribute x = src.getOrNull(k);
                if (x != null) a.put(k, x);
            }
        }
        return a.build();
    }

    private void checkPadding(Op op) {
        int[] pad = op.attributes().getInts("pad", new int[4]);
        boolean padded = Arrays.stream(pad).anyMatch(p -> p > 0);
        if (padded && !op.attributes().getBool("count_include_pad", false)) {
            warnings.add(Diagnostic.warning(op.location(), "padded ann.avgpool with count_include_pad = false becomes "
                    + "snn.avgpool with one weight 1/(kh·kw): windows at the border are divided by the whole window"));
        }
    }

    private float[] expand(Value v, double[] lambda) {
        int n = size(v), c = lambda.length, per = n / c;
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = (float) lambda[i / per];
        return out;
    }

    private float[] lambdaOrOnes(Value v) {
        double[] l = lambdaOf.apply(v.id());
        return l == null ? ones(size(v)) : expand(v, l);
    }

    /** The per-element scale of a pooled value from its input's (per channel; pooling keeps channels). */
    private static float[] pooledScale(float[] in, Shape inShape, Shape outShape) {
        int c = outShape.dim(0), inPer = inShape.elementCount() / c, outPer = outShape.elementCount() / c;
        float[] out = new float[outShape.elementCount()];
        for (int i = 0; i < out.length; i++) out[i] = in[(i / outPer) * inPer];
        return out;
    }

    private static float[] unpooledScale(float[] out, Shape inShape, Shape outShape) {
        int c = outShape.dim(0), inPer = inShape.elementCount() / c, outPer = outShape.elementCount() / c;
        float[] in = new float[inShape.elementCount()];
        for (int i = 0; i < in.length; i++) in[i] = out[(i / inPer) * outPer];
        return in;
    }

    private String addBlob(String base, TensorType type, float[] data) {
        String n = blobs.freshName(base);
        blobs.add(Blob.ofFloats(n, type, data));
        return n;
    }

    private void name(Value snn, Value annValue) {
        g.name(annValue).ifPresent(n -> {
            if (usedNames.add(n)) b.setName(snn, n);
        });
    }

    private int size(Value v) { return g.type(v).shape().elementCount(); }

    private int channels(Value v) {
        Shape s = g.type(v).shape();
        return s.rank() == 0 ? 1 : s.dim(0);
    }

    private static float[] ones(int n) {
        float[] o = new float[n];
        Arrays.fill(o, 1f);
        return o;
    }

    private String shapeText(Value v) { return g.type(v).shape().text(); }

    /** "dense 784→512", "conv2d 1x28x28→16x28x28", "add 16x28x28" for the value feeding a population. */
    private String describe(Value x) {
        Op op = g.definingOp(x);
        return switch (op.kind()) {
            case ANN_DENSE -> "dense " + size(op.operand(0)) + "→" + size(x);
            case ANN_CONV2D -> "conv2d " + shapeText(op.operand(0)) + "→" + shapeText(x);
            case ANN_ADD -> "add " + shapeText(x);
            case ANN_AVGPOOL, ANN_GLOBAL_AVGPOOL -> "avgpool " + shapeText(op.operand(0)) + "→" + shapeText(x);
            default -> op.kind().mnemonic().substring(4) + " " + shapeText(x);
        };
    }

    private static CompilationException error(Op op, String message) {
        return new CompilationException(Diagnostic.error(op.location(), message));
    }
}

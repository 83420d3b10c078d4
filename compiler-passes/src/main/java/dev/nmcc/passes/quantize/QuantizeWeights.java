package dev.nmcc.passes.quantize;

import dev.nmcc.ir.analysis.LayerNames;
import dev.nmcc.ir.attr.Attribute;
import dev.nmcc.ir.attr.Attributes;
import dev.nmcc.ir.blob.Blob;
import dev.nmcc.ir.blob.BlobTable;
import dev.nmcc.ir.diag.Diagnostic;
import dev.nmcc.ir.graph.Graph;
import dev.nmcc.ir.graph.GraphBuilder;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.graph.Op;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.ir.op.Stage;
import dev.nmcc.ir.type.ElementType;
import dev.nmcc.ir.type.Shape;
import dev.nmcc.ir.type.TensorType;
import dev.nmcc.passes.OptionSpec;
import dev.nmcc.passes.Pass;
import dev.nmcc.passes.PassContext;
import dev.nmcc.passes.PassInfo;
import dev.nmcc.passes.PassOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * {@code quantize-weights}: turns a float {@code snn} module into integer form (DESIGN §3,
 * docs/snn-semantics.md "Float form and integer form").
 *
 * <p><b>Units.</b> Every population integrates the currents of one or more projections (through
 * {@code snn.merge}); its threshold, initial potential and biases must be in the same units as all
 * of them. The pass therefore groups each population (or potential decoder) with the projections
 * that feed it and picks the scales per group: per tensor {@code s = max|W| / q_max} over all of
 * the group's weights, per channel {@code s_j = max|W_j| / q_max} over row (output channel) j of
 * every projection of the group. Then {@code w_q = round(W / s_j)}, {@code b_q = round(b / s_j)},
 * {@code θ_q[j] = max(1, round(θ / s_j))}, {@code v0_q[j] = round(v0 / s_j)}. With per-channel
 * scales the integer thresholds differ per channel, so {@code threshold} and {@code v0} become
 * blobs of shape [C] (the IR admits a per-channel blob there for this reason).
 *
 * <p>A group falls back to one scale per tensor when per-channel units cannot be expressed: an
 * {@code snn.avgpool} in it (one scalar weight), a reshape between projection and population, or
 * an output — a potential decoder as its sink, or a population read by a count decoder (the argmax
 * over classes, and count ties broken by membrane potential, need common units across classes).
 *
 * <p><b>Direct input.</b> {@code snn.encode {mode = direct}} gets {@code input_scale = 255}, so the
 * first projections read {@code x_q = 255 x}; their effective weight is {@code W / 255} and is
 * quantized as such. {@code weight_scale} always records the unit of the projection's integer
 * current: {@code current = current_q · weight_scale}.
 *
 * <p><b>Neurons.</b> Every population gets {@code v_bits} (saturation width). A LIF leak factor
 * {@code leak} becomes {@code leak_shift = round(-log2(1 - leak))} (the integer leak subtracts
 * {@code v >> leak_shift}); an inexact conversion is warned about. A leak of 1 (none) gives no
 * {@code leak_shift}: the integer LIF then does not leak.
 *
 * <p>{@code ScaleGroup} finds the groups, {@code ScaleChooser} picks their scales and
 * {@code InputUnits} knows the units of a projection's input; this class rewrites the ops and reports.
 */
public final class QuantizeWeights implements Pass {
    public static final String NAME = "quantize-weights";
    /** The direct-input scale: 8-bit inputs. */
    public static final int INPUT_SCALE = 255;

    public static final PassInfo INFO = new PassInfo(NAME,
            "Integer weights (8/4/2/1 bit) with symmetric per-channel or per-tensor scales; integer thresholds, "
                    + "biases and 8-bit direct input",
            Set.of(Stage.SNN), null,
            List.of(OptionSpec.choice("bits", "8", List.of("8", "4", "2", "1"), "weight width in bits (1 means ±1)"),
                    OptionSpec.choice("granularity", "per-channel", List.of("per-channel", "per-tensor"),
                            "one scale per output channel, or one per layer"),
                    OptionSpec.integer("v-bits", 32, "membrane potential width in bits (2..32); potentials saturate"),
                    OptionSpec.choice("clip", "mse", List.of("mse", "max"),
                            "scale from max|W| (max), or the fraction of it that minimises the squared weight error (mse)")),
            QuantizeWeights::new);

    /**
     * Accuracy of a module on the evaluation data of the compile settings, in [0, 1], or NaN when it
     * cannot be measured. The default runs the SNN interpreter.
     */
    @FunctionalInterface
    public interface Evaluator {
        double accuracy(Module module, PassContext context);
    }

    private final int bits;
    private final boolean perChannel;
    private final int vBits;
    private final boolean mseClip;
    private final Evaluator evaluator;
    /** Whether bits / v-bits were written in the pipeline; when not, the target chooses them at run time. */
    private boolean bitsFromTarget;
    private boolean vBitsFromTarget;

    /**
     * From pipeline options. {@code bits} and {@code v-bits} that the pipeline does not give come
     * from the compile's target: its widest supported weight width (at most 8) and its membrane
     * width (at most 32), so that {@code --target akd1500} gets 4-bit weights without more flags.
     */
    public QuantizeWeights(PassOptions options) {
        this(options.has("bits") ? options.integer("bits") : 8,
                !"per-tensor".equals(options.string("granularity")),
                options.has("v-bits") ? options.integer("v-bits") : 32,
                !"max".equals(options.string("clip")), null);
        this.bitsFromTarget = !options.given().containsKey("bits");
        this.vBitsFromTarget = !options.given().containsKey("v-bits");
    }

    /** With {@code clip=max}: the DESIGN §3 formula {@code s = max|W| / q_max} as is. */
    public QuantizeWeights(int bits, boolean perChannel, int vBits) {
        this(bits, perChannel, vBits, false, null);
    }

    /** @param evaluator measures accuracy before and after when evaluation data is given (null: the SNN interpreter) */
    public QuantizeWeights(int bits, boolean perChannel, int vBits, Evaluator evaluator) {
        this(bits, perChannel, vBits, false, evaluator);
    }

    /**
     * @param mseClip {@code clip=mse}: shrink each scale to the fraction of {@code max|W| / q_max} that
     *     minimises the squared weight error (b >= 2)
     */
    public QuantizeWeights(int bits, boolean perChannel, int vBits, boolean mseClip, Evaluator evaluator) {
        Quantization.elementType(bits); // validates
        if (vBits < 2 || vBits > 32) throw new IllegalArgumentException("v-bits must be in [2, 32], got " + vBits);
        this.bits = bits;
        this.perChannel = perChannel;
        this.vBits = vBits;
        this.mseClip = mseClip;
        this.evaluator = evaluator;
    }

    @Override public PassInfo info() { return INFO; }

    @Override
    public PassResult run(Module module, PassContext context) {
        if (bitsFromTarget || vBitsFromTarget) {
            var npu = context.settings().targetOrDefault().npu();
            int b = bitsFromTarget ? npu.weightBits().stream().filter(x -> x <= 8).max(Integer::compare).orElse(bits) : bits;
            int v = vBitsFromTarget ? Math.min(32, npu.membraneBits()) : vBits;
            return new QuantizeWeights(b, perChannel, v, mseClip, evaluator).run(module, context);
        }
        Graph g = module.graph();
        List<Op> ops = g.ops();
        for (Op op : ops) {
            if ((op.kind() == OpKind.SNN_DENSE || op.kind() == OpKind.SNN_CONV2D)
                    && !module.blobs().get(op.attributes().getBlob("weight")).isFloat()) {
                context.diagnostics().report(Diagnostic.error(op.location(),
                        NAME + ": '" + op.kind().mnemonic() + "' already has integer weights; the module is quantized"));
                return PassResult.unchanged(module);
            }
        }
        int n = ops.size();
        ScaleGroup.Grouping grouping = ScaleGroup.collect(g);
        InputUnits units = new InputUnits(g, grouping.ofOp());

        // ---- scales per group --------------------------------------------------------------------
        ScaleChooser chooser = new ScaleChooser(bits, perChannel, mseClip);
        Map<Integer, ScaleGroup> groupOf = new HashMap<>();
        for (ScaleGroup grp : grouping.groups()) { // a group after the groups whose current it reads
            for (int i : grp.projections) groupOf.put(i, grp);
            for (int i : grp.sinks) groupOf.put(i, grp);
            chooser.chooseScales(grp, g, ops, module.blobs(), units);
            double raised = chooser.fitThresholds(grp, g, ops, module.blobs(), vBits);
            if (raised > 1) warnRaised(grp, raised, g, context);
        }

        // ---- the new module ----------------------------------------------------------------------
        BlobTable.Builder blobs = module.blobs().toBuilder();
        Map<String, Integer> blobUses = new HashMap<>();
        for (Op op : ops) {
            for (Attribute a : op.attributes().asMap().values()) {
                if (a instanceof Attribute.BlobRef(String b)) blobUses.merge(b, 1, Integer::sum);
            }
        }
        List<Attributes> newAttrs = new ArrayList<>(n);
        List<String> report = new ArrayList<>();
        int layer = 0;
        boolean changed = false;
        for (int i = 0; i < n; i++) {
            Op op = ops.get(i);
            Attributes a = op.attributes();
            ScaleGroup grp = groupOf.get(i);
            switch (op.kind()) {
                case SNN_ENCODE -> {
                    if (a.getString("mode", "").equals("direct") && !a.has("input_scale")) {
                        a = a.with("input_scale", new Attribute.Int(INPUT_SCALE));
                        checkInputRange(g, op, context);
                        changed = true;
                    }
                }
                case SNN_DENSE, SNN_CONV2D -> {
                    a = quantizeProjection(op, grp, g, units, blobs, blobUses, report, layer++);
                    changed = true;
                }
                case SNN_AVGPOOL -> {
                    if (grp == null) { // pooled input of the next projections: sum pooling, the average folded into them
                        a = a.with("weight", new Attribute.Int(1));
                        report.add(String.format(Locale.ROOT, "Layer %d (avgpool %s): sum pooling (weight 1); its weight %s is "
                                + "folded into the projections that read it", layer++, kernelText(a), fmt(InputUnits.avgpoolWeight(op))));
                        changed = true;
                        break;
                    }
                    double s = grp.scales[0];
                    double w = InputUnits.avgpoolWeight(op) / units.inputScale(op.operand(0));
                    long wq = Math.max(1, Quantization.round(w / s));
                    a = a.with("weight", new Attribute.Int(wq));
                    report.add(String.format(Locale.ROOT, "Layer %d (avgpool %s): weight %s -> %d, scale %s, |error| %s",
                            layer++, kernelText(a), fmt(w), wq, fmt(s), fmt(Math.abs(w - wq * s))));
                    changed = true;
                }
                case SNN_IF, SNN_LIF -> {
                    a = quantizeNeurons(op, grp, g, blobs, context);
                    changed = true;
                }
                default -> { }
            }
            newAttrs.add(a);
        }
        if (!changed) return PassResult.unchanged(module);
        Module out = rebuild(module, blobs, newAttrs);
        context.report(String.format(Locale.ROOT, "Quantized weights: %d %s, %s scales, v_bits=%d",
                bits, bits == 1 ? "bit (±1)" : "bits", perChannel ? "per-channel" : "per-tensor", vBits));
        report.forEach(context::report);
        reportAccuracy(module, out, context);
        return PassResult.changed(out);
    }

    /** With evaluation data: accuracy before and after, as {@code Accuracy: 91.20% -> 90.85% (-0.35 points)}. */
    private void reportAccuracy(Module before, Module after, PassContext context) {
        var s = context.settings();
        if (s.evalData() == null) return;
        Evaluator e = evaluator != null ? evaluator : QuantizeWeights::interpreterAccuracy;
        double a = e.accuracy(before, context), b = e.accuracy(after, context);
        if (Double.isNaN(a) || Double.isNaN(b)) {
            context.report("Accuracy: not measured");
            return;
        }
        context.report(String.format(Locale.ROOT, "Accuracy: %.2f%% -> %.2f%% (%+.2f points) on %d samples, T=%d",
                100 * a, 100 * b, 100 * (b - a), s.evalData().samples(), s.timesteps()));
    }

    /** The SNN interpreter's accuracy on the evaluation data (with the settings' timesteps and seed). */
    private static double interpreterAccuracy(Module module, PassContext context) {
        var s = context.settings();
        return new dev.nmcc.ir.interp.SnnInterpreter(module).run(s.evalData(), s.timesteps(), s.seed(), 0)
                .accuracy(s.evalLabels());
    }

    private Attributes quantizeProjection(Op op, ScaleGroup grp, Graph g, InputUnits units, BlobTable.Builder blobs, Map<String, Integer> uses,
                                          List<String> report, int layer) {
        Attributes a = op.attributes();
        double inS = units.inputScale(op.operand(0));
        Blob w = blobs.get(a.getBlob("weight"));
        int rows = w.type().shape().dim(0);
        int rowLen = w.size() / rows;
        float[] d = w.floats();
        int[] q = new int[d.length];
        // Rows in parallel; the maxima do not depend on the order they are taken in.
        double[] rowMaxErr = new double[rows], rowMaxSteps = new double[rows];
        IntStream.range(0, rows).parallel().forEach(r -> {
            double s = grp.scale(r), me = 0, ms = 0;
            for (int e = r * rowLen; e < (r + 1) * rowLen; e++) {
                double real = d[e] / inS;
                q[e] = Quantization.quantize(real, s, bits);
                double err = Math.abs(real - q[e] * s);
                me = Math.max(me, err * inS);
                ms = Math.max(ms, err / s);
            }
            rowMaxErr[r] = me;
            rowMaxSteps[r] = ms;
        });
        double maxErr = 0, maxErrSteps = 0;
        for (int r = 0; r < rows; r++) {
            maxErr = Math.max(maxErr, rowMaxErr[r]);
            maxErrSteps = Math.max(maxErrSteps, rowMaxSteps[r]);
        }
        String wName = replacementName(blobs, uses, w.name());
        blobs.put(Blob.ofInts(wName, new TensorType(w.type().shape(), Quantization.elementType(bits)), q));
        a = a.with("weight", new Attribute.BlobRef(wName));
        String bName = a.getBlob("bias");
        if (bName != null) {
            Blob b = blobs.get(bName);
            int[] bq = new int[b.size()];
            for (int j = 0; j < bq.length; j++) bq[j] = (int) Quantization.toI32(b.get(j) / grp.scale(j));
            String nb = replacementName(blobs, uses, bName);
            blobs.put(Blob.ofInts(nb, new TensorType(b.type().shape(), ElementType.I32), bq));
            a = a.with("bias", new Attribute.BlobRef(nb));
        }
        double sMin = Double.MAX_VALUE, sMax = 0;
        if (grp.channelwise) {
            float[] sc = new float[rows];
            for (int r = 0; r < rows; r++) {
                sc[r] = (float) grp.scales[r];
                sMin = Math.min(sMin, grp.scales[r]);
                sMax = Math.max(sMax, grp.scales[r]);
            }
            String sName = blobs.freshName(wName + ".scale");
            blobs.add(Blob.ofFloats(sName, new TensorType(Shape.of(rows), ElementType.F32), sc));
            a = a.with("weight_scale", new Attribute.BlobRef(sName));
        } else {
            sMin = sMax = grp.scales[0];
            a = a.with("weight_scale", new Attribute.Float(grp.scales[0]));
        }
        int in = w.type().shape().dim(1);
        String shape = op.kind() == OpKind.SNN_DENSE ? "dense " + in + "→" + rows
                : "conv2d " + in + "→" + rows + " " + kernelText(a);
        String scaleText = sMin == sMax ? fmt(sMin) : fmt(sMin) + ".." + fmt(sMax);
        report.add(String.format(Locale.ROOT, "Layer %d (%s): %s %s, scale %s%s, max |error| %s (%.2f of a step)",
                layer, shape, Quantization.elementType(bits), grp.channelwise ? "per-channel" : "per-tensor", scaleText,
                inS == INPUT_SCALE ? " (8-bit input: weight = w_q·scale·255)"
                        : units.readsCurrent(op.operand(0)) ? " (input: the integer current of the projection before, weight = w_q·scale·"
                                + fmt(inS) + ")"
                        : inS != 1 ? " (pooled input: weight = w_q·scale·" + fmt(inS) + ")" : "", fmt(maxErr), maxErrSteps));
        return a;
    }

    /** One warning per layer whose scale {@link ScaleChooser#fitThresholds} raised, with the weight bits left. */
    private void warnRaised(ScaleGroup grp, double factor, Graph g, PassContext context) {
        Op sink = g.ops().get(grp.sinks.getFirst());
        String name = LayerNames.of(g).get(grp.sinks.getFirst());
        double left = bits - Math.log(factor) / Math.log(2);
        String what = left >= 1
                ? String.format(Locale.ROOT, "its weight scale is raised to fit, so its weights use about %.1f of %d bits", left, bits)
                : "its weights then round to zero: give a wider membrane (v-bits) or fewer weight bits";
        context.diagnostics().report(Diagnostic.warning(sink.location(), String.format(Locale.ROOT,
                "%s: at full weight precision the thresholds of layer '%s' exceed the %d-bit membrane range (up to %.1fx); %s",
                NAME, name == null ? "%" + grp.sinks.getFirst() : name, vBits, factor, what)));
    }

    /** The blob's own name when this op is its only user, else a fresh one (the original stays for the others). */
    private static String replacementName(BlobTable.Builder blobs, Map<String, Integer> uses, String name) {
        if (uses.getOrDefault(name, 0) <= 1) return name;
        return blobs.freshName(name + ".q");
    }

    private Attributes quantizeNeurons(Op op, ScaleGroup grp, Graph g, BlobTable.Builder blobs, PassContext ctx) {
        Attributes a = op.attributes();
        int c = ScaleGroup.channels(g.type(op.operand(0)));
        long vmax = (1L << (vBits - 1)) - 1, vmin = -(1L << (vBits - 1));
        long[] th = new long[c];
        long[] v0 = new long[c];
        int clamped = 0;
        long worst = 0;
        for (int j = 0; j < c; j++) {
            double s = grp == null ? 1.0 : grp.scale(j);
            th[j] = Math.max(1, Quantization.toI32(a.getNumberAt("threshold", j, blobs, 1.0) / s));
            v0[j] = Math.max(vmin, Math.min(vmax, Quantization.toI32(a.getNumberAt("v0", j, blobs, 0.0) / s)));
            if (th[j] > vmax) { // only with ±1 weights: other scales were raised to fit (ScaleChooser.fitThresholds)
                clamped++;
                worst = Math.max(worst, th[j]);
                th[j] = vmax;
            }
        }
        if (clamped > 0) { // one warning per population, not one per channel
            ctx.diagnostics().report(Diagnostic.warning(op.location(), String.format(Locale.ROOT,
                    "%s: the integer thresholds of %d of %d channels (up to %d) exceed the %d-bit membrane range and are "
                            + "clamped to %d: those neurons fire more often than calibrated", NAME, clamped, c, worst, vBits, vmax)));
        }
        a = a.with("threshold", perChannelOrScalar(op, g, blobs, "threshold", th));
        if (a.has("v0") || v0[0] != 0) a = a.with("v0", perChannelOrScalar(op, g, blobs, "v0", v0));
        a = a.with("v_bits", new Attribute.Int(vBits));
        if (op.kind() == OpKind.SNN_LIF && a.getNumber("leak", 0.0) >= 1.0) {
            a = a.without("leak"); // no leak: an integer LIF without leak_shift does not leak (a shift of 31 would, below zero)
        } else if (op.kind() == OpKind.SNN_LIF && a.getOrNull("leak") instanceof Attribute.Float(double leak)) {
            int k = leakShift(leak);
            double exact = 1 - Math.pow(2, -k);
            if (Math.abs(exact - leak) > 1e-9) {
                ctx.diagnostics().report(Diagnostic.warning(op.location(), String.format(Locale.ROOT,
                        "%s: leak %s becomes leak_shift %d (an effective leak of %s)", NAME, fmt(leak), k, fmt(exact))));
            }
            a = a.without("leak").with("leak_shift", new Attribute.Int(k));
        }
        return a;
    }

    /** leak = 1 - 2^-k, so k = round(-log2(1 - leak)), in [0, 31]; no leak (1.0) is k = 31. */
    static int leakShift(double leak) {
        if (leak >= 1) return 31;
        long k = Math.round(-Math.log(1 - leak) / Math.log(2));
        return (int) Math.max(0, Math.min(31, k));
    }

    /** Per-channel value j of a number-or-blob neuron parameter. */

    private static Attribute perChannelOrScalar(Op op, Graph g, BlobTable.Builder blobs, String what, long[] v) {
        boolean same = true;
        for (long x : v) same &= x == v[0];
        if (same) return new Attribute.Int(v[0]);
        int[] data = new int[v.length];
        for (int j = 0; j < v.length; j++) data[j] = (int) v[j];
        String base = g.name(op.result()).orElse("pop" + op.result().id());
        String name = blobs.freshName(base + "." + what);
        blobs.add(Blob.ofInts(name, new TensorType(Shape.of(v.length), ElementType.I32), data));
        return new Attribute.BlobRef(name);
    }

    private static void checkInputRange(Graph g, Op encode, PassContext ctx) {
        Op input = g.definingOp(encode.operand(0));
        if (input.attributes().getOrNull("range") instanceof Attribute.Array arr) {
            double[] r = arr.numbersOrNull();
            if (r != null && r.length == 2 && (r[0] < 0 || r[1] > 1)) {
                ctx.diagnostics().report(Diagnostic.warning(encode.location(), String.format(Locale.ROOT,
                        "%s: direct input range [%s, %s] is not within [0, 1]; 8-bit input x_q = round(255 x) "
                                + "clips to [0, 255]", NAME, fmt(r[0]), fmt(r[1]))));
            }
        }
    }

    private static String kernelText(Attributes a) {
        int[] k = a.getInts("kernel", new int[] {1, 1});
        return k[0] + "x" + k[1];
    }

    static String fmt(double v) {
        if (v == 0) return "0";
        double av = Math.abs(v);
        return av >= 1e-3 && av < 1e4 ? String.format(Locale.ROOT, "%.4g", v) : String.format(Locale.ROOT, "%.3e", v);
    }

    /** Copies the graph with new attributes per op, re-deriving every result type (currents become i32). */
    static Module rebuild(Module module, BlobTable.Builder blobs, List<Attributes> attrs) {
        Graph g = GraphBuilder.withAttributes(module.graph(), attrs, blobs);
        return new Module(module.name(), module.stage(), blobs.build(), g);
    }
}

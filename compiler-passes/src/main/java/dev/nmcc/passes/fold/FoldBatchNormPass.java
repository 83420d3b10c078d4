package dev.nmcc.passes.fold;

import dev.nmcc.ir.attr.Attribute;
import dev.nmcc.ir.attr.Attributes;
import dev.nmcc.ir.blob.Blob;
import dev.nmcc.ir.blob.BlobTable;
import dev.nmcc.ir.diag.CompilationException;
import dev.nmcc.ir.diag.Diagnostic;
import dev.nmcc.ir.diag.Severity;
import dev.nmcc.ir.graph.Graph;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.graph.Op;
import dev.nmcc.ir.graph.Value;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.ir.op.Stage;
import dev.nmcc.ir.type.TensorType;
import dev.nmcc.passes.OptionSpec;
import dev.nmcc.passes.Pass;
import dev.nmcc.passes.PassContext;
import dev.nmcc.passes.PassInfo;
import dev.nmcc.passes.PassOptions;
import dev.nmcc.passes.rewrite.GraphRewriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code fold-batchnorm} (ann → ann): folds every {@code ann.batchnorm} into the
 * {@code ann.conv2d} or {@code ann.dense} that computes its operand, and removes
 * {@code ann.dropout} and {@code ann.identity} (their uses read their operand).
 *
 * <p>Per output channel c, with {@code σ_c = sqrt(var_c + ε)} (all in double, stored as f32):
 * <pre>
 *   W̄[c, ...] = γ_c / σ_c · W[c, ...]
 *   b̄_c       = γ_c / σ_c · (b_c − μ_c) + β_c      (b = 0 when the layer has no bias)
 * </pre>
 * so that {@code BN(W x + b) = W̄ x + b̄} exactly in real arithmetic. The folded weights and bias
 * are new blobs named after the old ones ({@code conv1.weight.bn}, {@code conv1.bias.bn}); the
 * old blobs and the statistics leave the blob table when nothing else uses them.
 *
 * <p>A batchnorm is folded only when the layer's output has no other user (else the unnormalised
 * output is still needed). Any batchnorm that cannot be folded is an error at the batchnorm's
 * location, with a note at the op that computes its input and the ways out; all of them are
 * reported together. With {@code unfoldable=warn} they are warnings instead, and those batchnorms
 * stay (a later stage conversion will then refuse them).
 */
public final class FoldBatchNormPass implements Pass {
    public static final PassInfo INFO = new PassInfo("fold-batchnorm",
            "Fold batchnorm into the preceding conv2d/dense; remove dropout and identity.",
            Set.of(Stage.ANN), null,
            List.of(OptionSpec.choice("unfoldable", "error", List.of("error", "warn"),
                    "a batchnorm that cannot be folded is an error, or a warning and left in place")),
            FoldBatchNormPass::new);

    private final boolean warnOnly;

    public FoldBatchNormPass(PassOptions options) { warnOnly = "warn".equals(options.string("unfoldable")); }

    @Override public PassInfo info() { return INFO; }

    @Override public PassResult run(Module module, PassContext context) {
        Graph g = module.graph();
        int[] uses = g.useCounts();
        // The layers to fold: defining op of a foldable BN's operand -> the BN. By identity: ops
        // compare structurally, and two identical layers are still two layers.
        Map<Op, Op> foldInto = new IdentityHashMap<>();
        Set<Op> folded = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Diagnostic> errors = new ArrayList<>();
        for (Op bn : g.opsOf(OpKind.ANN_BATCHNORM)) {
            Value in = bn.operand(0);
            Op layer = g.definingOp(in);
            boolean isLayer = layer.kind() == OpKind.ANN_CONV2D || layer.kind() == OpKind.ANN_DENSE;
            if (isLayer && uses[in.id()] == 1) {
                foldInto.put(layer, bn);
                folded.add(bn);
            } else {
                errors.add(cannotFold(bn, layer, isLayer, g));
            }
        }
        if (!errors.isEmpty()) {
            if (!warnOnly) throw new CompilationException(errors);
            for (Diagnostic d : errors) {
                context.diagnostics().report(new Diagnostic(Severity.WARNING, d.location(), d.message(), d.notes()));
            }
        }

        int[] counts = new int[3]; // folded, dropout, identity
        GraphRewriter.Result r = GraphRewriter.rewrite(module, (op, rw) -> {
            switch (op.kind()) {
                case ANN_CONV2D, ANN_DENSE -> {
                    Op bn = foldInto.get(op);
                    if (bn == null) return false;
                    rw.copy(op, folded(op, bn, rw.blobs(), module.blobs()));
                    return true;
                }
                case ANN_BATCHNORM -> {
                    if (!folded.contains(op)) return false; // unfoldable, kept (unfoldable=warn)
                    bypass(op, rw);
                    counts[0]++;
                    return true;
                }
                case ANN_DROPOUT, ANN_IDENTITY -> {
                    bypass(op, rw);
                    counts[op.kind() == OpKind.ANN_DROPOUT ? 1 : 2]++;
                    return true;
                }
                default -> {
                    return false;
                }
            }
        });
        context.report("fold-batchnorm: folded " + counts[0] + " batchnorm" + (counts[0] == 1 ? "" : "s") + ", removed "
                + counts[1] + " dropout, " + counts[2] + " identity");
        return r.changed() ? PassResult.changed(r.module()) : PassResult.unchanged(module);
    }

    /**
     * Drops a one-operand op: its uses read its operand. The op's name hint ({@code %h}) moves to
     * the operand when that has none, so the printed IR keeps the user's names.
     */
    private static void bypass(Op op, GraphRewriter rw) {
        Value in = rw.map(op.operand(0));
        rw.replace(op.result(), in);
        var name = rw.sourceGraph().name(op.result());
        if (name.isPresent() && rw.sourceGraph().name(op.operand(0)).isEmpty()) rw.name(in, name.get());
    }

    /** The layer's attributes with the folded weight and bias blobs (added to {@code blobs}). */
    static Attributes folded(Op layer, Op bn, BlobTable.Builder blobs, BlobTable old) {
        Attributes la = layer.attributes();
        Attributes ba = bn.attributes();
        Blob w = old.get(la.getBlob("weight"));
        String biasName = la.getBlob("bias");
        Blob b = biasName == null ? null : old.get(biasName);
        float[] gamma = old.get(ba.getBlob("gamma")).floats();
        float[] beta = old.get(ba.getBlob("beta")).floats();
        float[] mean = old.get(ba.getBlob("mean")).floats();
        float[] var = old.get(ba.getBlob("var")).floats();
        double eps = ba.getNumber("epsilon", 1e-5);

        int channels = w.type().shape().dims()[0];
        int per = w.size() / channels;
        float[] wv = w.floats();
        float[] nw = new float[wv.length];
        float[] nb = new float[channels];
        for (int c = 0; c < channels; c++) {
            double k = gamma[c] / Math.sqrt((double) var[c] + eps);
            for (int j = c * per, end = j + per; j < end; j++) nw[j] = (float) (k * wv[j]);
            double bias = b == null ? 0.0 : b.floats()[c];
            nb[c] = (float) (k * (bias - mean[c]) + beta[c]);
        }
        String wName = blobs.freshName(w.name() + ".bn");
        blobs.add(Blob.ofFloats(wName, w.type(), nw));
        String bBase = b != null ? b.name()
                : w.name().endsWith(".weight") ? w.name().substring(0, w.name().length() - ".weight".length()) + ".bias"
                : w.name() + ".bias";
        String bName = blobs.freshName(bBase + ".bn");
        blobs.add(Blob.ofFloats(bName, TensorType.f32(channels), nb));
        return la.with("weight", new Attribute.BlobRef(wName)).with("bias", new Attribute.BlobRef(bName));
    }

    private static Diagnostic cannotFold(Op bn, Op producer, boolean isLayer, Graph g) {
        String from = producer.kind().mnemonic();
        if (isLayer) {
            List<String> others = g.users(bn.operand(0)).stream().filter(u -> u != bn).map(u -> u.kind().mnemonic()).toList();
            return Diagnostic.error(bn.location(), "cannot fold this batchnorm into the " + from
                    + " before it: that layer's output is also read by " + String.join(", ", others)
                    + ", which needs it without normalisation")
                    .withNote(producer.location(), "the " + from + " is here")
                    .withNote(bn.location(), "give the batchnorm a layer of its own (duplicate the " + from
                            + " with the same weights, one copy per reader), or fold the batchnorm into the weights when training");
        }
        return Diagnostic.error(bn.location(), "cannot fold this batchnorm: its input comes from " + from
                        + ", not from an ann.conv2d or ann.dense (a batchnorm after an activation or pooling has no spiking form)")
                .withNote(producer.location(), "the input of the batchnorm is computed here")
                .withNote(bn.location(), "move the batchnorm before the activation (conv2d -> batchnorm -> relu) and retrain; "
                        + "or, when only flatten or unpadded avgpool sit between it and the next conv2d/dense and that layer has no "
                        + "zero padding, fold it into that layer by hand: with s = gamma/sqrt(var + eps) and t = beta - s mean "
                        + "per channel, W' = W diag(s) (per input channel) and b' = b + W t");
    }
}

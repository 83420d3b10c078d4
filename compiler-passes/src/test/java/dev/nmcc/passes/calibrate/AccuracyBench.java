package dev.nmcc.passes.calibrate;

import dev.nmcc.frontend.numpy.Npy;
import dev.nmcc.frontend.numpy.NpyArray;
import dev.nmcc.frontend.onnx.OnnxFrontend;
import dev.nmcc.ir.diag.DiagnosticSink;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.interp.AnnInterpreter;
import dev.nmcc.ir.interp.Batch;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.ir.type.Shape;
import dev.nmcc.ir.verify.Verifier;
import dev.nmcc.passes.CompileSettings;
import dev.nmcc.passes.PassContext;
import dev.nmcc.passes.PassOptions;
import dev.nmcc.passes.fold.FoldBatchNormPass;
import dev.nmcc.passes.quantize.QuantizeWeights;
import dev.nmcc.ir.interp.SnnInterpreter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The accuracy table of docs/accuracy.md: each Fashion-MNIST fixture through fold-batchnorm and
 * calibrate-thresholds, then the SNN on the test images at T = 4 … 64, for the default options
 * and for the plain recipe (per-layer scales, v0 = 0). Run by {@code bench/accuracy}; not a test.
 *
 * <p>Arguments: {@code [models=cnn,mlp,resnet] [test samples=2000] [recipes=default,plain] [extra pass options...]}.
 * One SNN run of 64 steps per (model, recipe) gives every T: the dynamics are causal and do not
 * depend on T, so the network run for T steps is the first T steps of the 64-step run.
 */
public final class AccuracyBench {
    private AccuracyBench() {}

    static final int[] TS = {4, 8, 16, 32, 64};

    public static void main(String[] args) throws Exception {
        String[] models = (args.length > 0 ? args[0] : "cnn,mlp,resnet").split(",");
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        String[] recipes = (args.length > 2 ? args[2] : "default,mode=percentile,plain").split(",");
        String encoding = System.getenv().getOrDefault("NMCC_BENCH_ENCODING", "direct");
        String decoding = System.getenv().getOrDefault("NMCC_BENCH_DECODING", "potential");
        Path dir = Path.of("tests/fixtures/fmnist");
        Batch calib = images(dir.resolve("calib_images.npy"), Integer.MAX_VALUE);
        Batch test = images(dir.resolve("test_images.npy"), n);
        long[] lab = Npy.read(dir.resolve("test_labels.npy")).asLongs();
        int[] labels = new int[test.samples()];
        for (int i = 0; i < labels.length; i++) labels[i] = (int) lab[i];

        System.out.printf(Locale.ROOT, "Fashion-MNIST fixtures, %d test images, %d calibration images; %s encoding, %s decoding%n",
                test.samples(), calib.samples(), encoding, decoding);
        boolean quant = System.getenv("NMCC_BENCH_QUANT") != null;
        System.out.printf(Locale.ROOT, "%-7s %-28s %7s %4s %8s %8s %16s %16s %9s%n",
                "model", "recipe", "float", "T", "SNN", "Δ", "8-bit", "4-bit", "rate");
        for (String model : models) {
            DiagnosticSink sink = new DiagnosticSink();
            Module ann = OnnxFrontend.compile(dir.resolve(model + ".onnx"), sink);
            boolean bn = !ann.graph().opsOf(OpKind.ANN_BATCHNORM).isEmpty();
            ann = new FoldBatchNormPass(PassOptions.defaults(FoldBatchNormPass.INFO))
                    .run(ann, new PassContext(CompileSettings.defaults(), new DiagnosticSink(), null)).module();
            Verifier.verifyOrThrow(ann, "after fold-batchnorm");
            double floatAcc = floatAccuracy(ann, test, labels);
            for (String recipe : recipes) {
                Map<String, String> opts = recipeOptions(recipe);
                for (int i = 3; i < args.length; i++) {
                    String[] kv = args[i].split("=", 2);
                    opts.put(kv[0], kv.length > 1 ? kv[1] : "true");
                }
                PassOptions po = options(opts);
                // λ of mode=mse depends on T: convert once per T; the other modes once for all T.
                boolean perT = "mse".equals(po.string("mode"));
                int[][] runs = perT ? new int[][] {{4}, {8}, {16}, {32}, {64}} : new int[][] {TS};
                String label = recipe + (opts.isEmpty() ? "" : " " + compact(opts));
                PassContext ctx = null;
                double convS = 0, simS = 0;
                for (int[] ts : runs) {
                    int tMax = ts[ts.length - 1];
                    CompileSettings settings = new CompileSettings(tMax, encoding, decoding, 0, calib, null, null);
                    ctx = new PassContext(settings, new DiagnosticSink(), null);
                    long t0 = System.nanoTime();
                    var conv = new CalibrateThresholds(po).convert(ann, ctx);
                    Verifier.verifyOrThrow(conv.module(), "after calibrate-thresholds");
                    convS += (System.nanoTime() - t0) / 1e9;
                    t0 = System.nanoTime();
                    SpikeSim.Result r = new SpikeSim(conv.module()).run(test, tMax, ts, 0, false);
                    simS += (System.nanoTime() - t0) / 1e9;
                    for (int c = 0; c < ts.length; c++) {
                        double acc = r.accuracy(c, labels);
                        String q8 = quant ? pct(quantized(conv.module(), 8, ts[c], test, labels, ctx), floatAcc) : "n/a";
                        String q4 = quant ? pct(quantized(conv.module(), 4, ts[c], test, labels, ctx), floatAcc) : "n/a";
                        System.out.printf(Locale.ROOT, "%-7s %-28s %6.2f%% %4d %7.2f%% %+7.2f %16s %16s %8.2f%%%n",
                                model + (bn ? "+bn" : ""), label, 100 * floatAcc, ts[c], 100 * acc, 100 * (acc - floatAcc), q8, q4,
                                100 * r.meanRateAt(c));
                    }
                }
                if (System.getenv("NMCC_BENCH_LAYERS") != null) layerErrors(ann, po, calib, test);
                if (System.getenv("NMCC_BENCH_VERBOSE") != null) {
                    ctx.reportLines().forEach(l -> System.out.println("    " + l));
                    System.out.printf(Locale.ROOT, "    (conversion %.1f s, SNN %.1f s)%n", convS, simS);
                }
            }
        }
    }

    /**
     * Per-layer error analysis on the first 200 test images: for every population, the mean
     * |rate·λ − a| over neurons and samples relative to the mean ANN activation a (of the relu
     * the population replaces), at each T; and the fraction of activations above λ (clipped).
     */
    static void layerErrors(Module ann, PassOptions po, Batch calib, Batch test) {
        Batch sub = CalibrateThresholds.head(test, Math.min(200, test.samples()));
        var rec = dev.nmcc.ir.interp.ActivationRecorder.all(ann.graph(), sub.samples());
        new AnnInterpreter(ann).run(sub, rec);
        for (int t : TS) {
            PassContext ctx = new PassContext(new CompileSettings(t, "direct", "potential", 0, calib, null, null), new DiagnosticSink(), null);
            var conv = new CalibrateThresholds(po).convert(ann, ctx);
            SpikeSim.Result r = new SpikeSim(conv.module()).run(sub, t, new int[] {t}, 0, true);
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "    T=%-3d rel. error |rate·λ − a| / mean a per layer:", t));
            for (SnnLowering.Layer l : conv.layers()) {
                var users = ann.graph().users(new dev.nmcc.ir.graph.Value(l.annValue()));
                var relu = users.stream().filter(op -> op.kind() == OpKind.ANN_RELU).findFirst();
                if (relu.isEmpty()) { line.append(" n/a"); continue; }
                Batch a = rec.get(relu.get().result());
                int per = a.sampleSize() / l.lambda().length;
                double err = 0, sum = 0;
                long clipped = 0, n = 0;
                for (int s = 0; s < sub.samples(); s++) {
                    for (int i = 0; i < a.sampleSize(); i++) {
                        double lam = l.lambda()[i / per], x = a.get(s, i);
                        err += Math.abs((double) r.perSample()[s][l.index()][i] / t * lam - x);
                        sum += x;
                        if (x > lam) clipped++;
                        n++;
                    }
                }
                line.append(String.format(Locale.ROOT, " L%d %.3f (clip %.2f%%)", l.index(), err / sum, 100.0 * clipped / n));
            }
            System.out.println(line);
        }
    }

    /** Accuracy after quantize-weights{bits=B} (its defaults: per-channel, clip=mse), run by the SNN interpreter. */
    static double quantized(Module snn, int bits, int t, Batch test, int[] labels, PassContext ctx) {
        Map<String, String> o = new LinkedHashMap<>(PassOptions.defaults(QuantizeWeights.INFO).values());
        o.put("bits", Integer.toString(bits));
        Module q = new QuantizeWeights(new PassOptions(o, Map.of("bits", Integer.toString(bits)))).run(snn, ctx).module();
        Verifier.verifyOrThrow(q, "after quantize-weights");
        return new SnnInterpreter(q).run(test, t, 0, 0).accuracy(labels);
    }

    static String pct(double acc, double floatAcc) {
        return String.format(Locale.ROOT, "%.2f%% (%+.2f)", 100 * acc, 100 * (acc - floatAcc));
    }

    static Map<String, String> recipeOptions(String recipe) {
        Map<String, String> o = new LinkedHashMap<>();
        switch (recipe) {
            case "default" -> {}
            case "plain" -> { o.put("mode", "percentile"); o.put("channel-wise", "false"); o.put("v0", "zero"); }
                        default -> {
                for (String kv : recipe.split("\\+")) {
                    String[] p = kv.split("=", 2);
                    o.put(p[0], p.length > 1 ? p[1] : "true");
                }
            }
        }
        return o;
    }

    static String compact(Map<String, String> o) {
        List<String> parts = new ArrayList<>();
        o.forEach((k, v) -> parts.add(k + "=" + v));
        return "{" + String.join(" ", parts) + "}";
    }

    static PassOptions options(Map<String, String> given) {
        Map<String, String> v = new LinkedHashMap<>(PassOptions.defaults(CalibrateThresholds.INFO).values());
        v.putAll(given);
        return new PassOptions(v, given);
    }

    static Batch images(Path p, int limit) throws Exception {
        NpyArray a = Npy.read(p);
        int[] s = a.shape();
        int n = Math.min(s[0], limit);
        float[] all = a.asFloats();
        int size = s[1] * s[2] * s[3];
        float[] x = new float[n * size];
        for (int i = 0; i < x.length; i++) x[i] = all[i] / 255f;
        return new Batch(n, Shape.of(s[1], s[2], s[3]), x);
    }

    static double floatAccuracy(Module ann, Batch test, int[] labels) {
        Batch out = new AnnInterpreter(ann).run(test);
        int ok = 0, k = out.sampleSize();
        for (int s = 0; s < test.samples(); s++) {
            int best = 0;
            for (int i = 1; i < k; i++) if (out.get(s, i) > out.get(s, best)) best = i;
            if (best == labels[s]) ok++;
        }
        return (double) ok / test.samples();
    }
}

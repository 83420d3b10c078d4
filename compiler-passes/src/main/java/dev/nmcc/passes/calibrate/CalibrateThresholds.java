package dev.nmcc.passes.calibrate;

import dev.nmcc.ir.diag.CompilationException;
import dev.nmcc.ir.diag.Diagnostic;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.graph.Op;
import dev.nmcc.ir.graph.Value;
import dev.nmcc.ir.interp.AnnInterpreter;
import dev.nmcc.ir.interp.Batch;
import dev.nmcc.ir.interp.SnnInterpreter;
import dev.nmcc.ir.interp.SnnStats;
import dev.nmcc.ir.loc.Location;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.ir.op.Stage;
import dev.nmcc.passes.CompileSettings;
import dev.nmcc.passes.OptionSpec;
import dev.nmcc.passes.Pass;
import dev.nmcc.passes.PassContext;
import dev.nmcc.passes.mapping.CalibrationActivity;
import dev.nmcc.passes.PassInfo;
import dev.nmcc.passes.PassOptions;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code calibrate-thresholds}: converts an ann module (after fold-batchnorm) into an snn module
 * by rate-coded normalisation (DESIGN §3). Runs the float interpreter on the calibration data,
 * picks the activation scale λ of every layer (or output channel) from the statistics, lowers
 * each relu to an IF population of threshold 1 fed by projections normalised with
 * {@code W' = W·λ_in/λ_out}, {@code b' = b/λ_out} (see {@link SnnLowering}), and reports per
 * layer the scale and the firing rates measured by running the SNN on the calibration set.
 * docs/passes.md ("calibrate-thresholds") describes the options and method.
 */
public final class CalibrateThresholds implements Pass {
    public static final String NAME = "calibrate-thresholds";
    /** Calibration samples the SNN runs for the report and target-rate (the first ones of the set). */
    public static final int REPORT_SAMPLES = 250;

    public static final PassInfo INFO = new PassInfo(NAME,
            "picks activation scales from calibration data and converts relu layers to IF populations (ann → snn)",
            Set.of(Stage.ANN), Stage.SNN,
            List.of(
                    OptionSpec.choice("mode", "mse", List.of("max", "percentile", "scale", "mse"),
                            "how λ is read from the activations: their maximum, a percentile of the positive values, a fraction of the maximum, "
                                    + "or the λ minimising clipping + rate-quantisation error at the compile's T"),
                    OptionSpec.number("p", 99.9, "the percentile for mode=percentile (0 < p <= 100)"),
                    OptionSpec.number("scale", 1.0, "the fraction of the maximum for mode=scale (0 < scale <= 1)"),
                    OptionSpec.flag("channel-wise", true, "one λ per output channel (per neuron for dense layers) instead of one per layer"),
                    OptionSpec.choice("v0", "half", List.of("zero", "half"), "initial membrane potential: 0 or θ/2"),
                    OptionSpec.range("target-rate", null, "adjust the scales until the mean firing rate on the calibration set is in LO..HI (fractions, e.g. 0.05..0.2)"),
                    OptionSpec.integer("samples", 1000, "the largest number of calibration samples used for the statistics"),
                    OptionSpec.flag("pool-population", false, "give each average pooling its own IF population instead of folding it into the next projection")),
            CalibrateThresholds::new);

    private final PassOptions options;

    /** @throws IllegalArgumentException for an option out of range (reported at the pass in the pipeline text) */
    public CalibrateThresholds(PassOptions options) {
        this.options = options;
        if (options.has("samples") && options.integer("samples") < 1) {
            throw new IllegalArgumentException("samples must be positive, got " + options.integer("samples"));
        }
        double p = options.number("p"), frac = options.number("scale");
        if (!(p > 0 && p <= 100)) throw new IllegalArgumentException("p must be in (0, 100], got " + options.string("p"));
        if (!(frac > 0 && frac <= 1)) throw new IllegalArgumentException("scale must be in (0, 1], got " + options.string("scale"));
        double[] range = options.range("target-rate");
        if (range != null && !(range[0] >= 0 && range[0] <= range[1] && range[1] <= 1)) {
            throw new IllegalArgumentException("target-rate must be LO..HI with 0 <= LO <= HI <= 1 (fractions), got "
                    + options.string("target-rate"));
        }
    }

    /** The pass with its default options. */
    public static CalibrateThresholds withDefaults() { return new CalibrateThresholds(PassOptions.defaults(INFO)); }

    @Override public PassInfo info() { return INFO; }

    /** The result of a conversion with what calibration found (for tests and the accuracy bench). */
    public record Conversion(Module module, List<SnnLowering.Layer> layers, double globalFactor) {}

    @Override public PassResult run(Module module, PassContext context) {
        Conversion c = convert(module, context);
        return PassResult.changed(c.module());
    }

    /** Runs the conversion and reports; {@link #run} without the extras. */
    public Conversion convert(Module module, PassContext context) {
        if (module.stage() != Stage.ANN) {
            throw new CompilationException(Diagnostic.error(Location.UNKNOWN, NAME + " needs an ann-stage module, got stage " + module.stage()));
        }
        checkInput(module);
        CompileSettings settings = context.settings();
        Batch calib = settings.calibration();
        if (calib == null || calib.samples() == 0) {
            throw new CompilationException(Diagnostic.error(Location.UNKNOWN,
                    NAME + " needs calibration data (--calib X.npy)"));
        }
        int limit = options.has("samples") ? options.integer("samples") : 1000; // options checked by the constructor
        Batch used = head(calib, Math.min(limit, calib.samples()));

        SnnLowering.Options lo = new SnnLowering.Options(settings.encoding(), settings.decoding(),
                !"zero".equals(options.string("v0")), options.flag("pool-population"));
        List<Value> scaled = SnnLowering.scaledValues(module, lo);
        ActivationStats stats = new ActivationStats(module.graph(), scaled, used.samples());
        AnnInterpreter interp = new AnnInterpreter(module);
        progress(context, "calibrate-thresholds: running the float network on " + used.samples() + " calibration samples");
        var inputs = interp.inputShapes().keySet();
        if (inputs.size() != 1) {
            throw new CompilationException(Diagnostic.error(Location.UNKNOWN, NAME + " calibrates models with one input; this one has "
                    + inputs.size() + " (" + String.join(", ", inputs) + ")"));
        }
        interp.run(Map.of(inputs.iterator().next(), used), stats); // any number of outputs

        Map<Integer, ActivationStats.ChannelStats> st = stats.result();
        Map<Integer, double[]> lambda = new HashMap<>();
        // A count-decoded output compares spike counts across its neurons: one λ for all of them.
        Set<Integer> decoded = SnnLowering.outputValues(module);
        st.forEach((id, s) -> lambda.put(id, scales(s, settings.timesteps(), options.flag("channel-wise") && !decoded.contains(id))));

        double factor = 1.0;
        SnnLowering.Result r = lower(module, lambda, 1.0, lo);
        Batch reportSet = head(calib, Math.min(REPORT_SAMPLES, calib.samples()));
        double[] target = options.range("target-rate");
        SnnStats measured;
        if (target != null) {
            double[] out = new double[1];
            r = targetRate(module, lambda, lo, reportSet, settings, target, context, out);
            factor = out[0];
        }
        progress(context, "calibrate-thresholds: running the SNN on " + reportSet.samples() + " calibration samples for the report");
        measured = new SnnInterpreter(r.module()).run(reportSet, settings.timesteps(), settings.seed(), 0).stats();
        // allocate-cores places and estimates by these rates instead of running the network again
        context.put(CalibrationActivity.class, CalibrationActivity.of(r.module(), measured, reportSet, 0.1));
        for (Diagnostic w : r.warnings()) context.diagnostics().report(w);
        report(context, r, measured, reportSet.samples(), settings.timesteps());
        return new Conversion(r.module(), r.layers(), factor);
    }

    private static SnnLowering.Result lower(Module module, Map<Integer, double[]> lambda, double factor, SnnLowering.Options lo) {
        return new SnnLowering(module, id -> {
            double[] l = lambda.get(id);
            if (l == null) return null;
            double[] s = new double[l.length];
            for (int i = 0; i < l.length; i++) s[i] = l[i] * factor;
            return s;
        }, lo).lower();
    }

    /**
     * Multiplies every λ by one factor, found by bisection in log space, until the mean firing
     * rate (all populations, the report samples) is in [lo, hi]. The rate falls as the factor
     * grows; when even the extreme factors cannot reach the range, says why.
     */
    private SnnLowering.Result targetRate(Module module, Map<Integer, double[]> lambda, SnnLowering.Options lo, Batch set,
                                          CompileSettings settings, double[] range, PassContext context, double[] factorOut) {
        int t = settings.timesteps();
        double loF = 1.0 / 64, hiF = 64; // factor range searched
        double f = 1.0;
        SnnLowering.Result r = null;
        double rate = 0;
        for (int it = 0; it < 24; it++) {
            r = lower(module, lambda, f, lo);
            rate = new SnnInterpreter(r.module()).run(set, t, settings.seed(), 0).stats().firingRate();
            if (rate >= range[0] && rate <= range[1]) {
                factorOut[0] = f;
                context.report(String.format(Locale.ROOT, "target-rate: scales × %.4g give a mean firing rate of %.1f%% (target %.1f%%..%.1f%%)",
                        f, 100 * rate, 100 * range[0], 100 * range[1]));
                return r;
            }
            if (rate < range[0]) hiF = f; else loF = f;
            f = Math.sqrt(loF * hiF);
        }
        factorOut[0] = f;
        String why = rate < range[0]
                ? "even with all scales divided by 64 the neurons fire too little; many neurons get no positive input on this data"
                : "even with all scales multiplied by 64 the neurons fire too much";
        context.diagnostics().report(Diagnostic.warning(Location.UNKNOWN, String.format(Locale.ROOT,
                "target-rate %.3g..%.3g not reached: mean firing rate %.1f%% with scales × %.4g (%s)",
                range[0], range[1], 100 * rate, f, Math.abs(Math.log(f)) > 4 ? why : "the rate changes in steps of 1/T at this T")));
        return r;
    }

    /** λ per channel from one value's statistics, by mode; a channel that never fired takes the layer's. */
    double[] scales(ActivationStats.ChannelStats s, int timesteps, boolean channelWise) {
        String mode = options.string("mode");
        double layer = pick(mode, s, -1, timesteps);
        if (!(layer > 0)) layer = 1.0;
        double[] out = new double[s.channels()];
        for (int c = 0; c < out.length; c++) {
            double v = channelWise ? pick(mode, s, c, timesteps) : layer;
            out[c] = v > 0 ? v : layer;
        }
        return out;
    }

    private double pick(String mode, ActivationStats.ChannelStats s, int channel, int timesteps) {
        double max = channel < 0 ? s.layerMax() : s.max()[channel];
        return switch (mode) {
            case "max" -> max;
            case "scale" -> options.number("scale") * max;
            case "mse" -> s.mseScale(channel, timesteps);
            default -> channel < 0 ? s.layerPercentile(options.number("p")) : s.percentile(options.number("p"), channel);
        };
    }

    private static void report(PassContext context, SnnLowering.Result r, SnnStats m, int samples, int t) {
        context.report(String.format(Locale.ROOT, "Calibration report (λ in float activation units; rates over %d calibration samples, T = %d):", samples, t));
        for (SnnLowering.Layer l : r.layers()) {
            SnnStats.Population p = m.population(r.module().graph().definingOpIndex(l.population()));
            context.report(reportLine(l, p.firingRate(), p.maxNeuronRate()));
        }
    }

    /** {@code Layer 0 (dense 784→512): threshold=1.34, avg_rate=11.2%, max_rate=48.3%}; threshold is the mean λ over channels. */
    static String reportLine(SnnLowering.Layer l, double avgRate, double maxRate) {
        double mean = Arrays.stream(l.lambda()).average().orElse(0);
        return String.format(Locale.ROOT, "Layer %d (%s): threshold=%.3g, avg_rate=%.1f%%, max_rate=%.1f%%",
                l.index(), l.description(), mean, 100 * avgRate, 100 * maxRate);
    }

    private static void checkInput(Module module) {
        for (Op op : module.graph().ops()) {
            if (op.kind() == OpKind.ANN_BATCHNORM) {
                throw new CompilationException(Diagnostic.error(op.location(),
                        "ann.batchnorm must be folded before " + NAME + ": run fold-batchnorm first (e.g. --passes 'fold-batchnorm," + NAME + "')"));
            }
        }
    }

    static Batch head(Batch b, int n) {
        if (n == b.samples()) return b;
        return new Batch(n, b.sampleShape(), Arrays.copyOf(b.data(), n * b.sampleSize()));
    }

    private static void progress(PassContext c, String line) {
        if (c.progressStream() != null) c.progressStream().println(line);
    }
}

package dev.nmcc.driver.cli;

import dev.nmcc.driver.api.Datasets;
import dev.nmcc.driver.api.UserErrors;
import dev.nmcc.driver.io.AtomicFiles;
import dev.nmcc.driver.io.ProgressBar;
import dev.nmcc.driver.render.RasterSvg;
import dev.nmcc.driver.sim.SimReport;
import dev.nmcc.driver.sim.SpikeRaster;
import dev.nmcc.driver.sim.SpikingModel;
import dev.nmcc.driver.sim.SpikingModels;
import dev.nmcc.ir.interp.Batch;
import dev.nmcc.sim.Mode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code nmcc validate MODEL --data X.npy --labels Y.npy}: what a board would tell about a
 * compiled spiking model — accuracy, firing rates, SOPs and, from the cycle model, energy,
 * latency and core sleep. {@code .nmc} binaries run on the simulator (reference 3 of DESIGN §3),
 * {@code .nmir} models on the SNN interpreter (reference 2).
 */
@Command(name = "validate", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        header = "Validate a spiking model on labelled data: accuracy, SOPs, energy.",
        description = {"Runs MODEL for T timesteps per sample and prints the accuracy (the predicted class against --labels), "
                + "the firing rate of each layer (spikes over neurons x T x samples) and the synaptic operations per inference. "
                + "A .nmc binary runs on the simulator; in cycle mode (the default) it also prints the energy per inference "
                + "(dynamic and static, and what wake-on-spike saved), the latency at the target clock and how much of the "
                + "time the used cores slept (docs/simulator.md). A .nmir (or .nmd) model of stage snn or hw runs on the SNN "
                + "interpreter, which has no cycle model.",
            "Rate-encoded inputs draw their spikes from a counter-based PRNG keyed by --seed and the sample's index in the "
                + "data, so runs are reproducible and --limit keeps the trains of the samples it keeps."})
public final class ValidateCommand implements Callable<Integer> {
    /**
     * The mode for a binary when the user names none: cycle, because energy and latency are what
     * validate is for, and cycle mode costs at most a few times functional mode (docs/simulator.md).
     */
    static final Mode DEFAULT_MODE = Mode.CYCLE;

    private final Context ctx;

    @Spec CommandSpec spec;

    @Parameters(paramLabel = "MODEL", description = "The compiled model: a .nmc binary, or a .nmir (or .nmd) file at stage snn or hw.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "X.npy",
            description = "The inputs: an array (N, ...) whose samples have as many values as the model input; "
                    + "reshaped in C order. float32, float64, int64 or uint8 (uint8 is scaled by 1/255).")
    Path data;

    @Option(names = "--labels", required = true, paramLabel = "Y.npy",
            description = "Class labels: N integers (int64, int32 or uint8), one per sample of --data.")
    Path labels;

    @Option(names = "--mode", paramLabel = "MODE",
            description = "functional or cycle (.nmc only). cycle (the default for .nmc) adds energy, latency and core sleep; "
                    + "functional is faster and prints the SOP energy only. A .nmir model always runs functionally.")
    String mode;

    @Option(names = {"-T", "--timesteps"}, paramLabel = "T",
            description = "Timesteps per sample (default: the binary's, as compiled; 32 for a .nmir model).")
    Integer timesteps;

    @Option(names = "--encoding", paramLabel = "MODE",
            description = "Run the input encoding MODE (direct or rate) instead of the compiled one; float-input "
                    + ".nmir models of stage snn only.")
    String encoding;

    @Option(names = "--seed", paramLabel = "S",
            description = "Seed of the rate encoder's PRNG (default: the binary's, as compiled; 0 for a .nmir model).")
    Long seed;

    @Option(names = "--input-scale", paramLabel = "S",
            description = "Multiply every input value by S (default: 1/255 for uint8 data, 1 otherwise).")
    Double inputScale;

    @Option(names = "--limit", paramLabel = "N", description = "Use only the first N samples (at most as many as the data holds).")
    Integer limit;

    @Option(names = "--json", paramLabel = "FILE",
            description = "Also write the report as JSON to FILE (atomically): the same numbers, unrounded, and per-core time.")
    Path json;

    @Option(names = "--raster", paramLabel = "FILE.svg",
            description = "Draw the spike raster of one sample (one band per spiking layer: time on x, neuron on y) with "
                    + "each population's histogram of per-neuron firing rates over the run, as SVG (atomically).")
    Path raster;

    @Option(names = "--raster-sample", paramLabel = "I",
            description = "The sample --raster draws: its index in the data (default: 0).")
    Integer rasterSample;

    public ValidateCommand(Context ctx) { this.ctx = ctx; }

    @Override public Integer call() {
        CommandLine cl = spec.commandLine();
        if (limit != null && limit <= 0) throw new CommandLine.ParameterException(cl, "--limit must be positive, got " + limit);
        if (timesteps != null && timesteps < 1) throw new CommandLine.ParameterException(cl, "--timesteps must be positive, got " + timesteps);
        if (encoding != null && !encoding.equals("direct") && !encoding.equals("rate")) {
            throw new CommandLine.ParameterException(cl, "--encoding must be direct or rate, got '" + encoding + "'");
        }
        if (inputScale != null && !(Double.isFinite(inputScale) && inputScale > 0)) {
            throw new CommandLine.ParameterException(cl, "--input-scale must be a positive finite number, got " + inputScale);
        }
        if (rasterSample != null && raster == null) throw new CommandLine.ParameterException(cl, "--raster-sample needs --raster FILE.svg");
        if (rasterSample != null && rasterSample < 0) {
            throw new CommandLine.ParameterException(cl, "--raster-sample must not be negative, got " + rasterSample);
        }
        Mode requested = RunCommand.parseMode(cl, mode);
        for (Path out : new Path[] {json, raster}) {
            String why = out == null ? null : AtomicFiles.whyNotWritable(out);
            if (why != null) throw UserErrors.error("cannot write '" + out + "': " + why);
        }

        SpikingModel m = SpikingModels.load(model, encoding, "validate", ctx.err());
        Datasets.Inputs read = SpikingModels.readInputs(data, m, inputScale, limit);
        Batch inputs = read.batch();
        int n = inputs.samples();
        int[] truth = Datasets.readLabels(labels, n, read.total(), m.classes());
        int sample = rasterSample == null ? 0 : rasterSample;
        if (raster != null && sample >= n) {
            throw UserErrors.error("--raster-sample " + sample + " is beyond the " + n + " samples validated");
        }
        SpikingModel.Settings settings = RunCommand.settings(m, requested, DEFAULT_MODE, timesteps, seed, ctx.err());

        SpikingModel.Run run;
        try (ProgressBar bar = ProgressBar.start(ctx.err(), ctx.stderrIsTerminal(), "validate", "samples", n)) {
            run = m.run(inputs, truth, settings, SpikingModels.progress(bar));
        }
        SimReport report = run.report();
        for (String line : report.lines()) ctx.out().println(line);
        if (json != null) {
            write(json, report.json());
            ctx.out().println("JSON report: " + json);
        }
        if (raster != null) {
            SpikeRaster r = m.trace(inputs, sample, truth[sample], settings);
            write(raster, RasterSvg.svg(r, report));
            ctx.out().println("Spike raster: " + raster + " (sample " + sample + ")");
        }
        return 0;
    }

    private static void write(Path file, String text) {
        try {
            AtomicFiles.writeText(file, w -> w.write(text));
        } catch (IOException e) {
            throw UserErrors.io("write", file, e);
        }
    }
}

package dev.nmcc.driver.cli;

import dev.nmcc.driver.api.Datasets;
import dev.nmcc.driver.api.UserErrors;
import dev.nmcc.driver.io.AtomicFiles;
import dev.nmcc.driver.io.ProgressBar;
import dev.nmcc.driver.sim.BinaryModel;
import dev.nmcc.driver.sim.SpikingModel;
import dev.nmcc.driver.sim.SpikingModels;
import dev.nmcc.frontend.numpy.Npy;
import dev.nmcc.ir.interp.Batch;
import dev.nmcc.sim.Mode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code nmcc run MODEL.nmc --input X.npy [-o OUT.npy]}: a compiled spiking model's outputs and predictions on unlabelled data. */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        header = "Run a compiled spiking model on data: outputs and predictions.",
        description = "Runs MODEL for T timesteps on every sample of --input and prints the predicted classes (the first "
                + "20, and how many samples each class got), the firing rate of each layer and the SOPs per inference; in "
                + "cycle mode also energy, latency and core sleep. With -o, writes the decoded output (accumulated potentials "
                + "or spike counts) as float64 of shape (N, ...), exact for the integers it holds. A .nmc binary runs on the "
                + "simulator, a .nmir (or .nmd) model of stage snn or hw on the SNN interpreter.")
public final class RunCommand implements Callable<Integer> {
    /** run's mode for a binary when the user names none: functional, the fast one (cycle mode adds energy and latency). */
    static final Mode DEFAULT_MODE = Mode.FUNCTIONAL;
    /** Predictions printed in full up to this many samples. */
    private static final int SHOWN = 20;

    private final Context ctx;

    @Spec CommandSpec spec;

    @Parameters(paramLabel = "MODEL", description = "The compiled model: a .nmc binary, or a .nmir (or .nmd) file at stage snn or hw.")
    Path model;

    @Option(names = "--input", required = true, paramLabel = "X.npy",
            description = "The inputs: an array (N, ...) whose samples have as many values as the model input; "
                    + "reshaped in C order. float32, float64, int64 or uint8 (uint8 is scaled by 1/255).")
    Path input;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT.npy",
            description = "Write the decoded output to OUT.npy (float64, shape (N, ...); atomically).")
    Path output;

    @Option(names = "--mode", paramLabel = "MODE",
            description = "functional (the default) or cycle (.nmc only: adds energy, latency and core sleep).")
    String mode;

    @Option(names = {"-T", "--timesteps"}, paramLabel = "T",
            description = "Timesteps per sample (default: the binary's, as compiled; 32 for a .nmir model).")
    Integer timesteps;

    @Option(names = "--seed", paramLabel = "S",
            description = "Seed of the rate encoder's PRNG (default: the binary's, as compiled; 0 for a .nmir model).")
    Long seed;

    @Option(names = "--input-scale", paramLabel = "S",
            description = "Multiply every input value by S (default: 1/255 for uint8 data, 1 otherwise).")
    Double inputScale;

    @Option(names = "--limit", paramLabel = "N", description = "Use only the first N samples (at most as many as the data holds).")
    Integer limit;

    public RunCommand(Context ctx) { this.ctx = ctx; }

    @Override public Integer call() {
        CommandLine cl = spec.commandLine();
        if (limit != null && limit <= 0) throw new CommandLine.ParameterException(cl, "--limit must be positive, got " + limit);
        if (timesteps != null && timesteps < 1) throw new CommandLine.ParameterException(cl, "--timesteps must be positive, got " + timesteps);
        if (inputScale != null && !(Double.isFinite(inputScale) && inputScale > 0)) {
            throw new CommandLine.ParameterException(cl, "--input-scale must be a positive finite number, got " + inputScale);
        }
        Mode requested = parseMode(cl, mode);
        if (output != null) {
            String why = AtomicFiles.whyNotWritable(output);
            if (why != null) throw UserErrors.error("cannot write '" + output + "': " + why);
        }
        SpikingModel m = SpikingModels.load(model, null, "run", ctx.err());
        Datasets.Inputs read = SpikingModels.readInputs(input, m, inputScale, limit);
        Batch inputs = read.batch();
        SpikingModel.Settings settings = settings(m, requested, DEFAULT_MODE, timesteps, seed, ctx.err());
        SpikingModel.Run run;
        try (ProgressBar bar = ProgressBar.start(ctx.err(), ctx.stderrIsTerminal(), "run", "samples", inputs.samples())) {
            run = m.run(inputs, null, settings, SpikingModels.progress(bar));
        }
        if (output != null) {
            if (run.outputs().size() != 1) {
                throw UserErrors.error("-o writes one output; '" + model + "' has " + run.outputs().size() + " ("
                        + run.outputs().stream().map(SpikingModel.Output::name).toList() + ")");
            }
            SpikingModel.Output o = run.outputs().getFirst();
            int[] shape = new int[o.shape().length + 1];
            shape[0] = inputs.samples();
            System.arraycopy(o.shape(), 0, shape, 1, o.shape().length);
            try {
                AtomicFiles.write(output, out -> Npy.writeDoubles(out, shape, o.values()));
            } catch (IOException e) {
                throw UserErrors.io("write", output, e);
            }
        }
        for (String line : run.report().lines()) ctx.out().println(line);
        ctx.out().println("Predictions: " + predictions(run.predictions()));
        ctx.out().println("Per class: " + perClass(run.predictions(), m.classes()));
        if (output != null) {
            SpikingModel.Output o = run.outputs().getFirst();
            StringBuilder dims = new StringBuilder().append(inputs.samples());
            for (int d : o.shape()) dims.append('x').append(d);
            ctx.out().println("Outputs: " + output + " (" + dims + " float64, " + o.name() + ", decoded by " + o.decoding() + ")");
        }
        return 0;
    }

    /** "3 1 4 1 5 ... (500 samples)": the first predictions. */
    static String predictions(int[] p) {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < Math.min(SHOWN, p.length); i++) items.add(Integer.toString(p[i]));
        return String.join(" ", items) + (p.length > SHOWN ? " ... (" + p.length + " samples)" : "");
    }

    /** "0: 52, 1: 48, ...": how many samples each class was predicted for. */
    static String perClass(int[] p, int classes) {
        long[] count = new long[classes];
        for (int c : p) if (c >= 0 && c < classes) count[c]++;
        List<String> items = new ArrayList<>();
        for (int c = 0; c < classes; c++) items.add(c + ": " + count[c]);
        return String.join(", ", items);
    }

    /** --mode as given, or null when absent. */
    static Mode parseMode(CommandLine cl, String mode) {
        if (mode == null) return null;
        return switch (mode.toLowerCase(Locale.ROOT)) {
            case "functional" -> Mode.FUNCTIONAL;
            case "cycle" -> Mode.CYCLE;
            default -> throw new CommandLine.ParameterException(cl, "--mode must be functional or cycle, got '" + mode + "'");
        };
    }

    /**
     * The settings of a run: the user's, else the model's defaults. A binary runs in
     * {@code binaryDefault} mode unless told otherwise; an IR model runs functionally unless cycle
     * mode was asked for (which it then refuses, saying why).
     */
    static SpikingModel.Settings settings(SpikingModel m, Mode requested, Mode binaryDefault, Integer timesteps, Long seed,
                                          PrintStream err) {
        Mode mode = requested != null ? requested : m instanceof BinaryModel ? binaryDefault : Mode.FUNCTIONAL;
        String limitation = mode == Mode.CYCLE && m instanceof BinaryModel b ? b.cycleModeLimitation() : null;
        if (limitation != null && requested == Mode.CYCLE) {
            throw UserErrors.error("cycle mode cannot time '" + m.file() + "': " + limitation + "; use --mode functional");
        }
        if (limitation != null) { // the default mode: the numbers functional mode has are still worth printing
            err.println("nmcc: note: cycle mode cannot time '" + m.file() + "': " + limitation
                    + "; running in functional mode instead (accuracy, rates and SOPs; no latency or total energy)");
            mode = Mode.FUNCTIONAL;
        }
        return new SpikingModel.Settings(mode, timesteps != null ? timesteps : m.defaultTimesteps(), seed != null ? seed : m.defaultSeed());
    }
}

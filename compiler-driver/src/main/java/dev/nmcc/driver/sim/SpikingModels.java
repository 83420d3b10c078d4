package dev.nmcc.driver.sim;

import dev.nmcc.driver.api.Datasets;
import dev.nmcc.driver.api.Nmcc;
import dev.nmcc.driver.api.UserErrors;
import dev.nmcc.driver.diag.DiagnosticRenderer;
import dev.nmcc.driver.io.ProgressBar;
import dev.nmcc.ir.diag.DiagnosticSink;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.sim.ProgressListener;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicLong;

/** What {@code nmcc run} and {@code nmcc validate} share: loading a spiking model by extension, reading its data, progress. */
public final class SpikingModels {
    private SpikingModels() {}

    /** Whether {@code file} names a {@code .nmc} binary (run by the simulator) rather than an IR model. */
    public static boolean isBinary(Path file) {
        Path name = file.getFileName();
        return name != null && name.toString().toLowerCase(Locale.ROOT).endsWith(".nmc");
    }

    /**
     * Loads {@code file}: a {@code .nmc} binary for the simulator, or a {@code .nmir}/{@code .nmd}
     * model (its warnings printed to {@code err}) for the interpreter, with {@code encoding} (null:
     * as compiled; only IR models can change it).
     */
    public static SpikingModel load(Path file, String encoding, String command, PrintStream err) {
        if (isBinary(file)) {
            if (encoding != null) {
                throw UserErrors.error("--encoding: '" + file + "' is a compiled binary and keeps the encoding it was compiled for; "
                        + "compile it again with --encoding " + encoding);
            }
            return BinaryModel.load(file, command);
        }
        DiagnosticSink sink = new DiagnosticSink();
        Module module = Nmcc.load(file, true, sink);
        err.print(new DiagnosticRenderer().renderAll(sink.diagnostics()));
        return InterpreterModel.of(file.toString(), module, encoding, command);
    }

    /**
     * Reads the samples of {@code data} for {@code model}'s input, the first {@code limit} of them
     * (null: all); a limit beyond the data is an error, not a silent shortening.
     */
    public static Datasets.Inputs readInputs(Path data, SpikingModel model, Double inputScale, Integer limit) {
        return Datasets.readInputs(data, model.inputShape(),
                inputScale == null ? OptionalDouble.empty() : OptionalDouble.of(inputScale), limit == null ? 0 : limit);
    }

    /** Feeds the simulator's "done of total" reports to a progress bar that counts steps. */
    public static ProgressListener progress(ProgressBar bar) {
        AtomicLong shown = new AtomicLong();
        return (done, total) -> {
            long before = shown.getAndAccumulate(done, Math::max);
            if (done > before) bar.step(done - before);
        };
    }
}

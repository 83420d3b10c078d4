package dev.nmcc.passes;

import dev.nmcc.ir.diag.CompilationException;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.text.IrPrinter;
import dev.nmcc.ir.verify.Verifier;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Runs a {@link Pipeline} on a module. Stateless between runs: each {@link #run} builds its passes
 * fresh from their factories and keeps nothing afterwards.
 *
 * <p>Per run, in order: the options are checked against the pipeline ({@code stopAfter} must name a
 * pass of the pipeline, the print options registered passes); the pipeline's stages are checked
 * against the input's stage ({@link Pipeline#checkStages}), so a pass given the wrong stage fails
 * before anything runs; the input is verified once ({@code verifyEach}); then each pass runs,
 * followed by the verifier ({@code "after pass 'NAME'"}), the IR dumps that were asked for, and
 * the timing. A pass that throws anything but a {@link CompilationException} is a crash: its input
 * IR (full) and the pipeline are written to {@code nmcc-crash-PASS.nmir}, and a
 * {@link PassCrashException} naming that file is thrown.
 */
public final class PassManager {
    /**
     * Instrumentation of a run.
     *
     * @param verifyEach verify the input once and the result of every pass
     * @param printIrBefore passes before which the IR is printed
     * @param printIrAfter passes after which the IR is printed
     * @param printIrAfterAll print the IR after every pass
     * @param printIrAfterChange print the IR after a pass only when it reported a change; alone, it
     *     prints after every pass that changed something; with {@code printIrAfter} or
     *     {@code printIrAfterAll}, it restricts those to passes that changed something
     * @param passTiming collect the timing table ({@link Result#timingTable()})
     * @param stopAfter the name of the pass after which to stop (its first occurrence), or null
     * @param irOut where IR dumps go (null: nowhere)
     * @param crashDir where crash files go (null: the system's temporary directory)
     */
    public record Options(boolean verifyEach, Set<String> printIrBefore, Set<String> printIrAfter, boolean printIrAfterAll,
                          boolean printIrAfterChange, boolean passTiming, String stopAfter, PrintStream irOut, Path crashDir) {
        public Options {
            printIrBefore = Set.copyOf(printIrBefore);
            printIrAfter = Set.copyOf(printIrAfter);
        }

        /** Verify each pass; print nothing; no timing; run to the end. */
        public static Options defaults() {
            return new Options(true, Set.of(), Set.of(), false, false, false, null, null, null);
        }

        public Options withVerifyEach(boolean v) {
            return new Options(v, printIrBefore, printIrAfter, printIrAfterAll, printIrAfterChange, passTiming, stopAfter, irOut, crashDir);
        }

        public Options withPrintIrBefore(Set<String> v) {
            return new Options(verifyEach, v, printIrAfter, printIrAfterAll, printIrAfterChange, passTiming, stopAfter, irOut, crashDir);
        }

        public Options withPrintIrAfter(Set<String> v) {
            return new Options(verifyEach, printIrBefore, v, printIrAfterAll, printIrAfterChange, passTiming, stopAfter, irOut, crashDir);
        }

        public Options withPrintIrAfterAll(boolean v) {
            return new Options(verifyEach, printIrBefore, printIrAfter, v, printIrAfterChange, passTiming, stopAfter, irOut, crashDir);
        }

        public Options withPrintIrAfterChange(boolean v) {
            return new Options(verifyEach, printIrBefore, printIrAfter, printIrAfterAll, v, passTiming, stopAfter, irOut, crashDir);
        }

        public Options withPassTiming(boolean v) {
            return new Options(verifyEach, printIrBefore, printIrAfter, printIrAfterAll, printIrAfterChange, v, stopAfter, irOut, crashDir);
        }

        public Options withStopAfter(String v) {
            return new Options(verifyEach, printIrBefore, printIrAfter, printIrAfterAll, printIrAfterChange, passTiming, v, irOut, crashDir);
        }

        public Options withIrOut(PrintStream v) {
            return new Options(verifyEach, printIrBefore, printIrAfter, printIrAfterAll, printIrAfterChange, passTiming, stopAfter, v, crashDir);
        }

        public Options withCrashDir(Path v) {
            return new Options(verifyEach, printIrBefore, printIrAfter, printIrAfterAll, printIrAfterChange, passTiming, stopAfter, irOut, v);
        }
    }

    /** One pass run: its wall time (verification not included) and whether it reported a change. */
    public record PassTiming(String pass, long nanos, boolean changed) {}

    /**
     * The outcome of a run.
     *
     * @param stoppedAfter the pass after which {@code stopAfter} stopped the run, or null
     * @param verifyNanos time spent in the verifier
     */
    public record Result(Module module, List<PassTiming> timings, long verifyNanos, String stoppedAfter) {
        public Result { timings = List.copyOf(timings); }

        /**
         * The timing table: a header, one row per pass run (wall ms, % of the total), a verifier
         * row when it ran, and the total; columns aligned. Every line ends with a newline.
         */
        public String timingTable() {
            List<String[]> rows = new ArrayList<>();
            long total = verifyNanos;
            for (PassTiming t : timings) total += t.nanos();
            for (PassTiming t : timings) rows.add(row(t.pass(), t.nanos(), total));
            if (verifyNanos > 0) rows.add(row("(verifier)", verifyNanos, total));
            rows.add(row("total", total, total));
            int w0 = "pass".length(), w1 = "wall ms".length(), w2 = "%".length();
            for (String[] r : rows) {
                w0 = Math.max(w0, r[0].length());
                w1 = Math.max(w1, r[1].length());
                w2 = Math.max(w2, r[2].length());
            }
            String fmt = "%-" + w0 + "s  %" + w1 + "s  %" + w2 + "s%n";
            StringBuilder sb = new StringBuilder("===== pass timing =====\n");
            sb.append(String.format(Locale.ROOT, fmt, "pass", "wall ms", "%"));
            for (String[] r : rows) sb.append(String.format(Locale.ROOT, fmt, (Object[]) r));
            return sb.toString();
        }

        private static String[] row(String name, long nanos, long total) {
            return new String[] {name, String.format(Locale.ROOT, "%.3f", nanos / 1e6),
                String.format(Locale.ROOT, "%.1f%%", total == 0 ? 0.0 : 100.0 * nanos / total)};
        }
    }

    private final PassRegistry registry;
    private final Options options;

    public PassManager(PassRegistry registry, Options options) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.options = Objects.requireNonNull(options, "options");
    }

    public Options options() { return options; }

    /**
     * Runs the pipeline on {@code input}. Throws {@link PipelineException} for a pipeline that does
     * not fit the input or the options, {@link CompilationException} for user errors found by a pass
     * or by the verifier, and {@link PassCrashException} when a pass crashes.
     */
    public Result run(Pipeline pipeline, Module input, PassContext context) {
        checkOptions(pipeline);
        pipeline.checkStages(input.stage(), registry);
        long verifyNanos = 0;
        if (options.verifyEach()) {
            long t0 = System.nanoTime();
            Verifier.verifyOrThrow(input, "on input to the pipeline");
            verifyNanos += System.nanoTime() - t0;
        }
        Module m = input;
        List<PassTiming> timings = new ArrayList<>();
        String stopped = null;
        for (Pipeline.Step step : pipeline.steps()) {
            String name = step.name();
            if (!step.info().accepts().contains(m.stage())) {
                throw new PipelineException("pass '" + name + "' accepts a module of stage "
                        + Pipeline.stageList(step.info().accepts()) + ", but gets one of stage " + m.stage(),
                        pipeline.source(), step.position());
            }
            if (options.printIrBefore().contains(name)) dump("IR before " + name, m);
            Pass.PassResult r;
            long t0 = System.nanoTime();
            try {
                Pass pass = step.create();
                r = pass.run(m, context);
                if (r == null || r.module() == null) throw new IllegalStateException("pass returned no module");
                if (r.module().stage() != step.info().resultStage(m.stage())) {
                    throw new IllegalStateException("pass produced a module of stage " + r.module().stage() + ", but declares "
                            + step.info().resultStage(m.stage()));
                }
            } catch (CompilationException e) {
                throw e;
            } catch (RuntimeException | StackOverflowError | AssertionError e) {
                throw new PassCrashException(name, writeCrashFile(step, m, pipeline), e);
            }
            long t1 = System.nanoTime();
            timings.add(new PassTiming(name, t1 - t0, r.changed()));
            m = r.module();
            if (options.verifyEach()) {
                Verifier.verifyOrThrow(m, "after pass '" + name + "'");
                verifyNanos += System.nanoTime() - t1;
            }
            boolean after = options.printIrAfterAll() || options.printIrAfter().contains(name)
                    || (options.printIrAfterChange() && options.printIrAfter().isEmpty());
            if (after && (!options.printIrAfterChange() || r.changed())) dump("IR after " + name, m);
            if (name.equals(options.stopAfter())) {
                stopped = name;
                break;
            }
        }
        return new Result(m, timings, verifyNanos, stopped);
    }

    private void checkOptions(Pipeline pipeline) {
        String stop = options.stopAfter();
        if (stop != null && !pipeline.contains(stop)) {
            String near = Suggest.closest(stop, pipeline.steps().stream().map(Pipeline.Step::name).toList());
            throw new PipelineException("--stop-after=" + stop + ": the pipeline has no pass '" + stop + "'"
                    + (near != null ? "; did you mean '" + near + "'?" : "") + " (pipeline: '" + pipeline.text() + "')",
                    pipeline.source(), -1);
        }
        checkNames("--print-ir-before", options.printIrBefore(), pipeline);
        checkNames("--print-ir-after", options.printIrAfter(), pipeline);
    }

    private void checkNames(String option, Set<String> names, Pipeline pipeline) {
        for (String n : names.stream().sorted().toList()) {
            if (!registry.contains(n)) {
                String near = registry.suggest(n);
                throw new PipelineException(option + "=" + n + ": unknown pass '" + n + "'"
                        + (near != null ? "; did you mean '" + near + "'?" : ""), pipeline.source(), -1);
            }
        }
    }

    private void dump(String what, Module m) {
        PrintStream out = options.irOut();
        if (out == null) return;
        StringBuilder sb = new StringBuilder("// ----- ").append(what).append(" -----\n");
        try {
            IrPrinter.print(m, IrPrinter.Options.ELIDED, sb);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        out.print(sb);
        out.flush();
    }

    /** Writes the crash file; returns its path, or null when it cannot be written. */
    private Path writeCrashFile(Pipeline.Step step, Module input, Pipeline pipeline) {
        String pass = step.name();
        try {
            Path dir = options.crashDir() != null ? options.crashDir() : Path.of(System.getProperty("java.io.tmpdir"));
            Files.createDirectories(dir);
            Path file = dir.resolve("nmcc-crash-" + pass + ".nmir");
            try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                w.write("// nmcc crash: pass '" + pass + "' failed on this module (its input).\n");
                w.write("// pipeline: " + pipeline.text().replace("\n", " ") + "\n");
                w.write("// reproduce: nmcc compile " + file.getFileName() + " --passes '" + step.text() + "' -o -\n");
                IrPrinter.print(input, IrPrinter.Options.DEFAULT, w);
            }
            return file;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}

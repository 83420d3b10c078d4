package dev.nmcc.driver.cli;

import dev.nmcc.driver.api.CompileReportJson;
import dev.nmcc.driver.api.Datasets;
import dev.nmcc.driver.api.ModelSummary;
import dev.nmcc.driver.api.Nmcc;
import dev.nmcc.driver.api.UserErrors;
import dev.nmcc.driver.diag.DiagnosticRenderer;
import dev.nmcc.driver.io.AtomicFiles;
import dev.nmcc.ir.diag.CompilationException;
import dev.nmcc.ir.diag.DiagnosticSink;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.interp.Batch;
import dev.nmcc.ir.op.Stage;
import dev.nmcc.ir.text.IrPrinter;
import dev.nmcc.backend.emit.NmcEmitter;
import dev.nmcc.nmc.io.NmcWriter;
import dev.nmcc.nmc.model.NmcModel;
import dev.nmcc.backend.target.Target;
import dev.nmcc.backend.target.Targets;
import dev.nmcc.passes.CompileSettings;
import dev.nmcc.passes.mapping.AllocateCores;
import dev.nmcc.passes.mapping.ChipCount;
import dev.nmcc.passes.mapping.ChipMap;
import dev.nmcc.passes.mapping.MappingReport;
import dev.nmcc.passes.OptionSpec;
import dev.nmcc.passes.PassContext;
import dev.nmcc.passes.PassInfo;
import dev.nmcc.passes.PassManager;
import dev.nmcc.passes.PassRegistry;
import dev.nmcc.passes.Pipeline;
import dev.nmcc.passes.PipelineException;
import dev.nmcc.passes.Presets;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code nmcc compile MODEL}: run the pass pipeline and write the result. */
@Command(name = "compile", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        header = "Compile a model through the pass pipeline.",
        description = {
            "Loads MODEL (.onnx, .nmd, or .nmir at any stage: the pipeline starts from that module), runs the passes "
                + "(--passes PIPELINE, or a preset -O0, -O1, -O2; default -O2), verifying the IR after each one, and "
                + "writes the result: the .nmc binary (docs/binary-format.md) when the pipeline ends at stage hw, else the "
                + "IR as .nmir text (also with -o X.nmir, -o - or --stop-after). Files are written atomically: a failed "
                + "compile leaves no file and keeps an older one. The compile report goes to stdout (to stderr when the IR "
                + "does); IR dumps and the timing table go to stderr.",
            "Pipeline syntax, presets and every pass: docs/passes.md, or --list-passes."})
public final class CompileCommand implements Callable<Integer> {
    private final Context ctx;

    @Spec CommandSpec spec;

    @Parameters(paramLabel = "MODEL", arity = "0..1", description = "The model: an .onnx, .nmd or .nmir file.")
    Path model;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT",
            description = "Write the result to OUT (atomically): OUT ending in .nmc gets the binary (the pipeline must "
                    + "reach stage hw), any other name the IR text; '-' writes the IR to stdout. Default: MODEL's name "
                    + "with .nmc when the pipeline ends at stage hw, else with .nmir, in the current directory.")
    String output;

    @Option(names = "--target", paramLabel = "NAME|FILE",
            description = "The chip: a bundled target (nmcc targets lists them) or a target description file "
                    + "(docs/targets.md). Default: " + Targets.DEFAULT + ".")
    String target;

    @Option(names = "--chips", paramLabel = "N|auto",
            description = "Map onto N chips of the target (linked chip to chip), or 'auto' for as few as the network needs. "
                    + "Default: the target's chips; a network that does not fit them is an error naming the smallest N. "
                    + "The same as allocate-cores{chips=...} in --passes.")
    String chips;

    @Option(names = "--report-json", paramLabel = "FILE",
            description = "Also write the mapping report (cores, memory, SOPs, energy) as JSON to FILE (needs allocate-cores).")
    Path reportJson;

    @Option(names = "--map", paramLabel = "FILE.svg",
            description = "Draw the chip as SVG: the core grid coloured by layer, with utilisation (needs allocate-cores).")
    Path map;

    @Option(names = "--passes", paramLabel = "PIPELINE",
            description = "The passes, e.g. 'fold-batchnorm,calibrate-thresholds{mode=percentile p=99.9}'.")
    String passes;

    @Option(names = "-O", paramLabel = "LEVEL", description = "A preset pipeline: -O0, -O1 or -O2 (the default).")
    Integer optLevel;

    @Option(names = "--calib", paramLabel = "X.npy", description = "Calibration inputs, an array (N, ...) like run-float --data.")
    Path calib;

    @Option(names = "--data", paramLabel = "X.npy", description = "Evaluation inputs; passes that can measure accuracy report it.")
    Path data;

    @Option(names = "--labels", paramLabel = "Y.npy", description = "Class labels of --data.")
    Path labels;

    @Option(names = "--timesteps", paramLabel = "T", description = "Timesteps of one inference (default: ${DEFAULT-VALUE}).")
    int timesteps = CompileSettings.DEFAULT_TIMESTEPS;

    @Option(names = "--encoding", paramLabel = "MODE", description = "Input encoding: direct or rate (default: ${DEFAULT-VALUE}).")
    String encoding = "direct";

    @Option(names = "--decoding", paramLabel = "MODE", description = "Output decoding: potential or count (default: ${DEFAULT-VALUE}).")
    String decoding = "potential";

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the rate-encoding PRNG (default: ${DEFAULT-VALUE}).")
    long seed = 0;

    @Option(names = "--print-ir-after-all", description = "Print the IR (blob data elided) after every pass, to stderr.")
    boolean printAfterAll;

    @Option(names = "--print-ir-after", paramLabel = "PASS", split = ",", description = "Print the IR after PASS (repeatable).")
    List<String> printAfter = new ArrayList<>();

    @Option(names = "--print-ir-before", paramLabel = "PASS", split = ",", description = "Print the IR before PASS (repeatable).")
    List<String> printBefore = new ArrayList<>();

    @Option(names = "--print-ir-after-change",
            description = "Print the IR after a pass only when it changed it (alone: after every pass that did).")
    boolean printAfterChange;

    @Option(names = "--pass-timing", description = "Print the wall time of each pass to stderr.")
    boolean passTiming;

    @Option(names = "--verify-each", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Verify the IR after each pass (default on; --no-verify-each to skip).")
    boolean verifyEach = true;

    @Option(names = "--stop-after", paramLabel = "PASS", description = "Stop after PASS and write the IR of that point.")
    String stopAfter;

    @Option(names = "--crash-dir", paramLabel = "DIR",
            description = "Where a crashing pass leaves its input IR (default: the temporary directory).")
    Path crashDir;

    @Option(names = "--list-passes", description = "List every pass with its stages and options, and the presets; then exit.")
    boolean listPasses;

    private final PassRegistry registry;

    public CompileCommand(Context ctx) { this(ctx, PassRegistry.standard()); }

    /** With another registry (tests register passes of their own). */
    public CompileCommand(Context ctx, PassRegistry registry) {
        this.ctx = ctx;
        this.registry = registry;
    }

    @Override public Integer call() throws IOException {
        long started = System.nanoTime();
        if (listPasses) {
            ctx.out().print(listing(registry));
            return 0;
        }
        CommandLine cl = spec.commandLine();
        if (model == null) throw new CommandLine.ParameterException(cl, "missing MODEL (or --list-passes)");
        if (passes != null && optLevel != null) throw new CommandLine.ParameterException(cl, "give --passes or -O, not both");
        if (optLevel != null && (optLevel < 0 || optLevel > 2)) {
            throw new CommandLine.ParameterException(cl, "-O takes 0, 1 or 2, got " + optLevel);
        }
        if (timesteps < 1) throw new CommandLine.ParameterException(cl, "--timesteps must be at least 1, got " + timesteps);
        if (!encoding.equals("direct") && !encoding.equals("rate")) {
            throw new CommandLine.ParameterException(cl, "--encoding must be direct or rate, got '" + encoding + "'");
        }
        if (!decoding.equals("potential") && !decoding.equals("count")) {
            throw new CommandLine.ParameterException(cl, "--decoding must be potential or count, got '" + decoding + "'");
        }
        if (labels != null && data == null) throw new CommandLine.ParameterException(cl, "--labels needs --data");
        ChipCount chipCount = null;
        if (chips != null) {
            try {
                chipCount = new ChipCount(chips);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(cl, e.getMessage());
            }
        }

        // The pipeline first: a mistake in it should not wait for the model to load.
        Pipeline pipeline;
        Presets.Level level = null;
        String pipelineName;
        try {
            if (passes != null) {
                pipeline = Pipeline.parse(passes, registry);
                pipelineName = "--passes";
            } else {
                level = optLevel == null ? Presets.DEFAULT : Presets.Level.values()[optLevel];
                pipeline = Presets.pipeline(level, registry);
                pipelineName = level.flag();
            }
        } catch (PipelineException e) {
            return pipelineError(e, "--passes");
        }

        for (Path extra : java.util.Arrays.asList(reportJson, map)) {
            if (extra == null) continue;
            String why = AtomicFiles.whyNotWritable(extra);
            if (why != null) throw UserErrors.error("cannot write '" + extra + "': " + why);
        }
        Target chip = Targets.resolve(target == null ? Targets.DEFAULT : target);

        boolean toStdout = "-".equals(output);
        Path out = toStdout ? null : output != null ? Path.of(output) : defaultOutput(model);
        boolean binaryRequested = out != null && output != null && isBinary(out);
        if (out != null) {
            String why = AtomicFiles.whyNotWritable(out);
            if (why != null) throw UserErrors.error("cannot write '" + out + "': " + why);
            // the default name is known only once the pipeline has run (.nmc for hw, else .nmir): checked then
            if (output != null) refuseOverwritingTheModel(out);
        }

        DiagnosticSink sink = new DiagnosticSink();
        Module module = Nmcc.load(model, true, sink);
        if (level != null) {
            List<String> skipped = Presets.skipped(level, registry);
            if (!skipped.isEmpty()) {
                ctx.err().println("nmcc: note: " + level.flag() + " skips passes that are not built yet: " + String.join(", ", skipped));
            }
            pipeline = pipeline.startingAt(module.stage());
        }
        CompileSettings settings = new CompileSettings(timesteps, encoding, decoding, seed,
                calib == null ? null : readInputs(module, calib, "--calib"),
                null, null);
        if (data != null) {
            Batch eval = readInputs(module, data, "--data");
            int[] truth = labels == null ? null : Datasets.readLabels(labels, eval.samples(), eval.samples(), classes(module));
            settings = new CompileSettings(timesteps, encoding, decoding, seed, settings.calibration(), truth == null ? null : eval,
                    truth);
        }
        settings = settings.withTarget(chip);
        PassContext context = new PassContext(settings, sink, ctx.stderrIsTerminal() ? ctx.err() : null);
        // Options that need the mapping are checked before any pass runs: a failed compile writes nothing.
        String mapless = whyNoMapping(pipeline);
        for (String flag : new String[] {chips != null ? "--chips" : null, reportJson != null ? "--report-json" : null,
                map != null ? "--map" : null}) {
            if (flag != null && mapless != null) throw new CommandLine.ParameterException(cl, flag + " has nothing to do: " + mapless);
        }
        if (chipCount != null) context.put(ChipCount.class, chipCount);
        PassManager.Options options = PassManager.Options.defaults()
                .withVerifyEach(verifyEach)
                .withPrintIrAfterAll(printAfterAll)
                .withPrintIrAfter(new LinkedHashSet<>(printAfter))
                .withPrintIrBefore(new LinkedHashSet<>(printBefore))
                .withPrintIrAfterChange(printAfterChange)
                .withPassTiming(passTiming)
                .withStopAfter(stopAfter)
                .withIrOut(ctx.err())
                .withCrashDir(crashDir);
        PassManager.Result result;
        try {
            result = new PassManager(registry, options).run(pipeline, module, context);
        } catch (PipelineException e) {
            ctx.err().print(new DiagnosticRenderer().renderAll(sink.diagnostics()));
            return pipelineError(e, pipelineName);
        } catch (CompilationException e) {
            List<dev.nmcc.ir.diag.Diagnostic> all = new ArrayList<>(sink.diagnostics());
            all.addAll(e.diagnostics());
            throw new CompilationException(all);
        }
        ctx.err().print(new DiagnosticRenderer().renderAll(sink.diagnostics()));
        if (passTiming) ctx.err().print(result.timingTable());

        Module compiled = result.module();
        // The binary by default when the pipeline ran to its end at stage hw; with -o X.nmc whenever the result is at stage hw.
        boolean binary = compiled.stage() == Stage.HW && (binaryRequested || output == null && result.stoppedAfter() == null);
        if (binaryRequested && !binary) {
            throw UserErrors.error("-o " + out + ": an .nmc binary needs stage hw, but the pipeline "
                    + (result.stoppedAfter() != null ? "stopped after " + result.stoppedAfter() + " at" : "ended at")
                    + " stage " + compiled.stage().mnemonic() + " (allocate-cores maps to hw); give -o with another extension "
                    + "(e.g. .nmir) for the IR text");
        }
        if (output == null && binary) out = binaryOutput(model);
        if (output == null && out != null) refuseOverwritingTheModel(out);
        if (binary) {
            NmcModel nmc = NmcEmitter.emit(compiled, chipUsed(context, chip), timesteps, seed, "nmcc " + VersionProvider.version(),
                    CompileReportJson.of(context));
            try {
                byte[] bytes = NmcWriter.toBytes(nmc);
                AtomicFiles.write(out, o -> o.write(bytes));
            } catch (IOException e) {
                throw UserErrors.io("write", out, e);
            }
        } else if (toStdout) {
            Writer w = new BufferedWriter(new OutputStreamWriter(ctx.out(), StandardCharsets.UTF_8), 1 << 16);
            IrPrinter.print(compiled, IrPrinter.Options.DEFAULT, w);
            w.flush();
        } else {
            try {
                AtomicFiles.writeText(out, w -> IrPrinter.print(compiled, IrPrinter.Options.DEFAULT, w));
            } catch (IOException e) {
                throw UserErrors.io("write", out, e);
            }
        }
        PrintStream report = toStdout ? ctx.err() : ctx.out();
        for (String line : context.reportLines()) report.println(line);
        writeMappingOutputs(context, chip);
        // The compile report of a mapped network ends with the time it took (issue 5's report).
        if (context.get(MappingReport.class).isPresent()) report.println(compileTime(started));
        return 0;
    }

    /**
     * The report's last line: this command's wall time, and the time since the JVM started;
     * printed only, never stored (files stay reproducible).
     */
    private static String compileTime(long startedNanos) {
        double seconds = (System.nanoTime() - startedNanos) / 1e9;
        String line = String.format(java.util.Locale.ROOT, "Compile time: %.2f s", seconds);
        // The JVM's own start time: the process start would include the launcher (and a rebuild by it).
        long jvmStartMillis = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
        double total = (System.currentTimeMillis() - jvmStartMillis) / 1e3;
        return line + String.format(java.util.Locale.ROOT, " (%.2f s since the JVM started)", total);
    }

    private void refuseOverwritingTheModel(Path out) throws IOException {
        if (Files.exists(out) && Files.exists(model) && Files.isSameFile(out, model)) {
            throw UserErrors.error("the output '" + out + "' would overwrite the model; give another with -o");
        }
    }

    /** Why this compile will not map the network (allocate-cores missing, or --stop-after before it), or null. */
    private String whyNoMapping(Pipeline pipeline) {
        String allocate = AllocateCores.INFO.name();
        List<String> names = pipeline.steps().stream().map(Pipeline.Step::name).toList();
        int at = names.indexOf(allocate);
        if (at < 0) return "the pipeline does not run " + allocate;
        if (stopAfter != null && names.contains(stopAfter) && names.indexOf(stopAfter) < at) {
            return "--stop-after " + stopAfter + " stops before " + allocate;
        }
        return null;
    }

    /** --report-json and --map, from the mapping report that allocate-cores left in the context. */
    private void writeMappingOutputs(PassContext context, Target chip) {
        if (reportJson == null && map == null) return;
        MappingReport mapping = context.get(MappingReport.class).orElseThrow(() -> UserErrors.error(
                (reportJson != null ? "--report-json" : "--map") + " needs the allocate-cores pass in the pipeline"));
        try {
            if (reportJson != null) AtomicFiles.writeText(reportJson, w -> w.write(mapping.json()));
            if (map != null) AtomicFiles.writeText(map, w -> w.write(ChipMap.svg(mapping, chip.withChips(mapping.chips()))));
        } catch (IOException e) {
            throw UserErrors.io("write", reportJson != null ? reportJson : map, e);
        }
    }

    private int pipelineError(PipelineException e, String where) {
        ctx.err().print(e.render("nmcc: "));
        if (!where.equals("--passes")) ctx.err().println("nmcc: note: the pipeline is the " + where + " preset");
        return 1;
    }

    /** MODEL's file name with its extension replaced by .nmir, in the current directory. */
    static Path defaultOutput(Path model) { return withExtension(model, ".nmir"); }

    /** MODEL's file name with its extension replaced by .nmc, in the current directory. */
    static Path binaryOutput(Path model) { return withExtension(model, ".nmc"); }

    private static Path withExtension(Path model, String ext) {
        String name = model.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return Path.of((dot > 0 ? name.substring(0, dot) : name) + ext);
    }

    static boolean isBinary(Path out) {
        return out.getFileName() != null && out.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".nmc");
    }

    /** The target with the chip count the mapper used (it may spill onto more chips than the description has). */
    private static Target chipUsed(PassContext context, Target chip) {
        return context.get(MappingReport.class).map(r -> r.chips() == chip.geometry().chips() ? chip : chip.withChips(r.chips())).orElse(chip);
    }

    private static Batch readInputs(Module module, Path file, String option) {
        ModelSummary summary = ModelSummary.of(module);
        if (summary.inputs().size() != 1) {
            throw UserErrors.error(option + " needs a model with one input; it has " + summary.inputs().size());
        }
        Batch b = Datasets.readInputs(file, summary.inputs().getFirst().type().shape(), OptionalDouble.empty(), 0).batch();
        // A NaN or an infinity decides thresholds and scales (one inf pixel made a threshold of 6.7e11): refused.
        float[] d = b.data();
        int bad = 0, first = -1;
        for (int i = 0; i < d.length; i++) {
            if (!Float.isFinite(d[i])) {
                bad++;
                if (first < 0) first = i;
            }
        }
        if (bad > 0) {
            int size = d.length / Math.max(1, b.samples());
            throw UserErrors.error(option + " '" + file + "' holds " + bad + " non-finite value" + (bad == 1 ? "" : "s")
                    + " (NaN or infinity; the first is element " + (first % size) + " of sample " + (first / size) + "), "
                    + (option.equals("--calib") ? "which would decide thresholds and scales" : "which no network can classify")
                    + "; clean the data");
        }
        return b;
    }

    private static int classes(Module module) {
        ModelSummary summary = ModelSummary.of(module);
        if (summary.outputs().size() != 1) throw UserErrors.error("--labels needs a model with one output");
        return (int) summary.outputs().getFirst().type().shape().elementCountExact();
    }

    /** The text of --list-passes: every pass with its stages and options, then the presets. */
    static String listing(PassRegistry registry) {
        StringBuilder sb = new StringBuilder("Passes:\n");
        for (PassInfo p : registry.all()) {
            String in = stageNames(p);
            String outStage = p.produces() == null ? in : p.produces().mnemonic();
            sb.append("  ").append(p.name()).append("  (").append(in).append(" -> ").append(outStage).append(")\n");
            sb.append("      ").append(p.summary()).append('\n');
            if (p.options().isEmpty()) {
                sb.append("      options: none\n");
                continue;
            }
            int w = 0;
            for (OptionSpec o : p.options()) w = Math.max(w, optionUsage(o).length());
            for (OptionSpec o : p.options()) {
                String usage = optionUsage(o);
                sb.append("      ").append(usage).append(" ".repeat(w - usage.length() + 2)).append(o.doc());
                if (o.defaultValue() != null) sb.append(" (default: ").append(o.defaultValue()).append(')');
                sb.append('\n');
            }
        }
        sb.append("\nPresets (-O2 is the default):\n");
        for (Presets.Level l : Presets.Level.values()) {
            sb.append("  ").append(l.flag()).append("  ").append(Presets.text(l)).append('\n');
            List<String> skipped = Presets.skipped(l, registry);
            if (!skipped.isEmpty()) sb.append("       not built yet, skipped: ").append(String.join(", ", skipped)).append('\n');
        }
        return sb.toString();
    }

    private static String optionUsage(OptionSpec o) {
        return o.type() == OptionSpec.Type.FLAG ? o.name() + "[=true|false]" : o.name() + "=" + o.typeName();
    }

    private static String stageNames(PassInfo p) {
        List<String> names = new ArrayList<>();
        for (Stage s : Stage.values()) if (p.accepts().contains(s)) names.add(s.mnemonic());
        return String.join("|", names);
    }
}

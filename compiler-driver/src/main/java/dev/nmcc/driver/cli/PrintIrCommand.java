package dev.nmcc.driver.cli;

import dev.nmcc.driver.api.Nmcc;
import dev.nmcc.driver.api.UserErrors;
import dev.nmcc.driver.diag.DiagnosticRenderer;
import dev.nmcc.driver.io.AtomicFiles;
import dev.nmcc.ir.diag.DiagnosticSink;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.text.IrPrinter;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nmcc print-ir FILE}: the module in the .nmir text form. */
@Command(name = "print-ir", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        header = "Print a model in the IR text form (.nmir).",
        description = "Loads FILE (.nmd, .nmir or .onnx), verifies it, and prints it as .nmir text on stdout or to OUT.")
public final class PrintIrCommand implements Callable<Integer> {
    private final Context ctx;

    @Parameters(paramLabel = "FILE", description = "The model: a .nmd (network DSL), .nmir (IR text) or .onnx file.")
    Path file;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT",
            description = "Write the IR to OUT (atomically: all or nothing) instead of stdout.")
    Path output;

    @Option(names = "--elide-blobs",
            description = "Leave out the weight data (the resources section). For reading; the result cannot be run.")
    boolean elideBlobs;

    @Option(names = "--no-verify", description = "Do not run the verifier (to look at a module the verifier rejects).")
    boolean noVerify;

    public PrintIrCommand(Context ctx) { this.ctx = ctx; }

    @Override public Integer call() throws IOException {
        if (output != null && output.toString().equals("-")) output = null; // -o - is stdout, as for compile
        if (output != null) {
            String why = AtomicFiles.whyNotWritable(output);
            if (why != null) throw UserErrors.error("cannot write '" + output + "': " + why);
        }
        DiagnosticSink sink = new DiagnosticSink();
        Module module = Nmcc.load(file, !noVerify, sink);
        ctx.err().print(new DiagnosticRenderer().renderAll(sink.diagnostics()));
        IrPrinter.Options options = elideBlobs ? IrPrinter.Options.ELIDED : IrPrinter.Options.DEFAULT;
        if (output == null) {
            Writer w = new BufferedWriter(new OutputStreamWriter(ctx.out(), StandardCharsets.UTF_8), 1 << 16);
            IrPrinter.print(module, options, w);
            w.flush();
        } else {
            try {
                AtomicFiles.writeText(output, w -> IrPrinter.print(module, options, w));
            } catch (IOException e) {
                throw UserErrors.io("write", output, e);
            }
        }
        return 0;
    }
}

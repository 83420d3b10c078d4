package dev.nmcc.driver.cli;

import dev.nmcc.driver.api.UserErrors;
import dev.nmcc.driver.inspect.NmcSummary;
import dev.nmcc.nmc.io.NmcFormatException;
import dev.nmcc.nmc.io.NmcReader;
import dev.nmcc.nmc.model.NmcModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nmcc inspect FILE.nmc}: validate a binary and show what it holds. */
@Command(name = "inspect", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        header = "Show what an .nmc binary holds.",
        description = {
            "Reads FILE (an .nmc binary written by nmcc compile), validates all of it (identifier, format version, "
                + "checksum, every offset, index and count; docs/binary-format.md) and prints: format and producer, the "
                + "target, inputs and outputs, the layers with their parameters, the core slices (placement, neurons, "
                + "thresholds, synapse memory, wake-on-spike), memory totals, the routing table and the stored compile "
                + "report. A file that does not validate is one error line and exit code 1."})
public final class InspectCommand implements Callable<Integer> {
    private final Context ctx;

    @Parameters(paramLabel = "FILE", description = "The .nmc binary.")
    Path file;

    @Option(names = "--json", description = "Print the same facts as one JSON object, for scripts.")
    boolean json;

    public InspectCommand(Context ctx) { this.ctx = ctx; }

    @Override public Integer call() {
        NmcModel model;
        long size;
        try {
            model = NmcReader.read(file);
            size = Files.size(file);
        } catch (NmcFormatException e) {
            throw UserErrors.error(e.getMessage());
        } catch (IOException e) {
            throw UserErrors.io("read", file, e);
        }
        NmcSummary summary = new NmcSummary(model, size);
        ctx.out().print(json ? summary.json() : summary.text());
        return 0;
    }
}

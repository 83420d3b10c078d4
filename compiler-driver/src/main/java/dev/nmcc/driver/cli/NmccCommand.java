package dev.nmcc.driver.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The top-level command; it only dispatches to subcommands. */
@Command(name = "nmcc", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        synopsisSubcommandLabel = "COMMAND",
        header = "nmcc: compile trained neural networks into spiking networks for Akida-class chips.",
        description = "Models are read by extension: .nmd (network DSL), .nmir (IR text) or .onnx (ONNX).",
        footerHeading = "%n",
        footer = {"Exit status: 0 ok, 1 user error (diagnostics on stderr), 2 internal error.",
            "Options of a command: nmcc COMMAND --help. Documentation: docs/cli.md."})
public final class NmccCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    /** Parsed by picocli so that it is accepted anywhere; {@code Main} scans for it before parsing. */
    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "On an internal error, print the Java stack trace (also: NMCC_DEBUG=1).")
    boolean debug;

    @Override public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "missing command (" + String.join(", ", spec.subcommands().keySet()) + ")");
    }
}

package dev.nmcc.driver;

import dev.nmcc.driver.cli.AnalyzeCommand;
import dev.nmcc.driver.cli.CheckCommand;
import dev.nmcc.driver.cli.CompileCommand;
import dev.nmcc.driver.cli.Context;
import dev.nmcc.driver.cli.NmccCommand;
import dev.nmcc.driver.cli.PrintIrCommand;
import dev.nmcc.driver.cli.RunFloatCommand;
import dev.nmcc.driver.cli.ValidateCommand;
import dev.nmcc.driver.diag.DiagnosticRenderer;
import dev.nmcc.driver.io.ProgressBar;
import dev.nmcc.ir.diag.CompilationException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;

/**
 * Entry point of the nmcc command line. Exit codes: 0 ok, 1 user error (rendered diagnostics,
 * bad options, unreadable files), 2 internal error (a bug: an unexpected exception).
 */
public final class Main {
    public static final int OK = 0;
    public static final int USER_ERROR = 1;
    public static final int INTERNAL_ERROR = 2;

    private Main() {}

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new java.io.BufferedOutputStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), 1 << 16),
                false, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true, StandardCharsets.UTF_8);
        int code = run(args, out, err);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs one command in-process (the lit tests call this); never calls {@link System#exit}. */
    public static int run(String[] args, PrintStream out, PrintStream err) { return run(args, out, err, System.getenv()); }

    /** As {@link #run(String[], PrintStream, PrintStream)}, with the environment given ({@code NMCC_DEBUG}, {@code NMCC_PROGRESS}). */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        boolean debug = "1".equals(env.get("NMCC_DEBUG")) || debugFlag(args);
        Context ctx = new Context(out, err, ProgressBar.stderrIsTerminal(env));
        CommandLine cl = new CommandLine(new NmccCommand());
        cl.addSubcommand(new AnalyzeCommand(ctx));
        cl.addSubcommand(new CheckCommand(ctx));
        cl.addSubcommand(new CompileCommand(ctx));
        cl.addSubcommand(new dev.nmcc.driver.cli.InspectCommand(ctx));
        cl.addSubcommand(new PrintIrCommand(ctx));
        cl.addSubcommand(new dev.nmcc.driver.cli.RunCommand(ctx));
        cl.addSubcommand(new RunFloatCommand(ctx));
        cl.addSubcommand(new dev.nmcc.driver.cli.TargetsCommand(ctx));
        cl.addSubcommand(new ValidateCommand(ctx));
        cl.addSubcommand("help", new CommandLine.HelpCommand());
        cl.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        cl.setUsageHelpAutoWidth(false);
        cl.setParameterExceptionHandler((ex, a) -> {
            String msg = ex.getMessage();
            if (ex instanceof CommandLine.UnmatchedArgumentException u && ex.getCommandLine().getParent() == null
                    && !u.getUnmatched().isEmpty() && !u.getUnmatched().getFirst().startsWith("-")) {
                msg = "unknown command '" + u.getUnmatched().getFirst() + "'";
            }
            err.println("nmcc: error: " + msg);
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more information.");
            return USER_ERROR;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> handle(ex, err, debug));
        int code;
        try {
            code = cl.execute(args);
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            code = handle(e, err, debug);
        }
        out.flush();
        err.flush();
        return code;
    }

    static int handle(Throwable ex, PrintStream err, boolean debug) {
        if (ex instanceof CompilationException ce) {
            err.print(new DiagnosticRenderer().renderAll(ce.diagnostics()));
            return USER_ERROR;
        }
        if (ex instanceof dev.nmcc.nmc.io.NmcFormatException fe) { // a bad .nmc file, from any command that reads one
            err.println("nmcc: error: " + fe.getMessage());
            return USER_ERROR;
        }
        if (ex instanceof OutOfMemoryError) {
            err.println("nmcc: error: out of memory; give the JVM more with NMCC_JVM_OPTS=-Xmx8g");
            return USER_ERROR;
        }
        err.println("nmcc: internal error: " + ex);
        if (debug) {
            ex.printStackTrace(err);
        } else {
            err.println("nmcc: this is a bug in nmcc; rerun with --debug (or NMCC_DEBUG=1) for the stack trace");
        }
        return INTERNAL_ERROR;
    }

    /** Whether --debug appears among the options (before a "--" that ends them). */
    static boolean debugFlag(String[] args) {
        for (String a : args) {
            if (a.equals("--")) return false;
            if (a.equals("--debug") || a.equals("--debug=true")) return true;
        }
        return false;
    }

}

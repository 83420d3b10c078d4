package dev.nmcc.driver.cli;

import java.io.PrintStream;

/**
 * What every command needs from its environment: where to print, and whether stderr is a
 * terminal (progress bars). Passed explicitly so that the driver runs in-process in tests.
 */
public record Context(PrintStream out, PrintStream err, boolean stderrIsTerminal) {}

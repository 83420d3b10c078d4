package dev.nmcc.ir.diag;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Collects diagnostics in the order they are reported. Not thread-safe: each phase of a
 * compilation owns one and hands the list on.
 */
public final class DiagnosticSink {
    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private int errors;

    public void report(Diagnostic d) {
        diagnostics.add(d);
        if (d.severity() == Severity.ERROR) errors++;
    }

    public void addAll(List<Diagnostic> ds) { ds.forEach(this::report); }

    public boolean hasErrors() { return errors > 0; }

    public int errorCount() { return errors; }

    public List<Diagnostic> diagnostics() { return Collections.unmodifiableList(diagnostics); }
}

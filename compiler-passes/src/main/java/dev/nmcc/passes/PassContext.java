package dev.nmcc.passes;

import dev.nmcc.ir.diag.DiagnosticSink;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * What a pass run sees besides the module: the compilation's settings, where diagnostics go,
 * and the report (lines for the user, such as the calibration report, collected in order and
 * printed by the driver). One context serves one compilation; it is not shared across threads
 * except through its thread-safe parts.
 */
public final class PassContext {
    private final CompileSettings settings;
    private final DiagnosticSink diagnostics;
    private final List<String> report = Collections.synchronizedList(new ArrayList<>());
    private final PrintStream progress;
    private final java.util.Map<Class<?>, Object> data = new java.util.concurrent.ConcurrentHashMap<>();

    /** @param progress where long passes draw progress, or null for none */
    public PassContext(CompileSettings settings, DiagnosticSink diagnostics, PrintStream progress) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.diagnostics = Objects.requireNonNull(diagnostics, "diagnostics");
        this.progress = progress;
    }

    public CompileSettings settings() { return settings; }

    public DiagnosticSink diagnostics() { return diagnostics; }

    /** Adds a line to the compile report (no trailing newline). */
    public void report(String line) { report.add(line); }

    public List<String> reportLines() { return List.copyOf(report); }

    /**
     * Stores a typed result of a pass for later passes and the driver (one value per type; a
     * second put replaces the first), e.g. {@code context.put(MappingReport.class, report)}.
     */
    public <T> void put(Class<T> type, T value) { data.put(type, type.cast(Objects.requireNonNull(value, "value"))); }

    /** The value stored under {@code type}, if any. */
    public <T> java.util.Optional<T> get(Class<T> type) { return java.util.Optional.ofNullable(type.cast(data.get(type))); }

    /** The stream for progress output, or null when progress is not shown. */
    public PrintStream progressStream() { return progress; }
}

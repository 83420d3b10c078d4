package dev.nmcc.ir.diag;

import java.util.List;

/**
 * Thrown when a phase stops because of errors in the user's input. Carries every diagnostic
 * collected so far (the driver renders them with source excerpts and exits with code 1).
 */
public final class CompilationException extends RuntimeException {
    private final List<Diagnostic> diagnostics;

    public CompilationException(List<Diagnostic> diagnostics) {
        super(diagnostics.isEmpty() ? "compilation failed" : diagnostics.getFirst().toString(), null, false, false);
        this.diagnostics = List.copyOf(diagnostics);
    }

    public CompilationException(Diagnostic diagnostic) { this(List.of(diagnostic)); }

    public List<Diagnostic> diagnostics() { return diagnostics; }
}

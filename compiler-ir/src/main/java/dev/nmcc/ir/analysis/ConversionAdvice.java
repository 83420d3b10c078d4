package dev.nmcc.ir.analysis;

import dev.nmcc.ir.diag.Diagnostic;
import dev.nmcc.ir.diag.Severity;
import dev.nmcc.ir.loc.Location;
import java.util.List;

/**
 * One finding of {@link ConversionAdvisor}: what in the float network will not convert
 * cleanly to a spiking network, and what to do about it.
 *
 * @param subject the op it concerns, e.g. {@code ann.maxpool /pool/MaxPool}
 * @param suggestion a concrete action for the user
 */
public record ConversionAdvice(Severity severity, Location location, String subject, String problem, String suggestion) {
    /** As a diagnostic whose message holds the problem and the suggestion. */
    public Diagnostic toDiagnostic() {
        return new Diagnostic(severity, location, subject + ": " + problem + "; " + suggestion, List.of());
    }
}

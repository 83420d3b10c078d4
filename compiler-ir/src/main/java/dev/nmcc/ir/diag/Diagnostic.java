package dev.nmcc.ir.diag;

import dev.nmcc.ir.loc.Location;
import java.util.List;
import java.util.Objects;

/**
 * A message about the user's input, tied to a location. Diagnostics are values: they are
 * collected, sorted and rendered by the driver; exceptions are only for internal errors.
 *
 * @param notes further located remarks (for example "first defined here")
 */
public record Diagnostic(Severity severity, Location location, String message, List<Diagnostic> notes) {
    public Diagnostic {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(message, "message");
        notes = List.copyOf(notes);
    }

    public static Diagnostic error(Location loc, String message) { return new Diagnostic(Severity.ERROR, loc, message, List.of()); }

    public static Diagnostic warning(Location loc, String message) { return new Diagnostic(Severity.WARNING, loc, message, List.of()); }

    public static Diagnostic note(Location loc, String message) { return new Diagnostic(Severity.NOTE, loc, message, List.of()); }

    public static Diagnostic remark(Location loc, String message) { return new Diagnostic(Severity.REMARK, loc, message, List.of()); }

    public Diagnostic withNote(Location loc, String message) {
        var all = new java.util.ArrayList<>(notes);
        all.add(note(loc, message));
        return new Diagnostic(severity, location, this.message, all);
    }

    /** One line without the source excerpt: {@code file:3:7: error: message}. */
    @Override public String toString() { return location.describe() + ": " + severity.label() + ": " + message; }
}

package dev.nmcc.driver.api;

import dev.nmcc.ir.diag.CompilationException;
import dev.nmcc.ir.diag.Diagnostic;
import dev.nmcc.ir.loc.Location;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Builds the exceptions for user mistakes that have no source position (files, options, data). */
public final class UserErrors {
    private UserErrors() {}

    /** A user error without a location: rendered as {@code nmcc: error: message}. */
    public static CompilationException error(String message) {
        return new CompilationException(Diagnostic.error(Location.UNKNOWN, message));
    }

    /** An I/O failure on a file the user named, in words. */
    public static CompilationException io(String verb, Path file, IOException e) {
        String why = switch (e) {
            case NoSuchFileException x -> "no such file";
            case AccessDeniedException x -> "permission denied";
            default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        };
        return error("cannot " + verb + " '" + file + "': " + why);
    }
}

package dev.nmcc.backend.target;

import dev.nmcc.ir.diag.CompilationException;
import dev.nmcc.ir.diag.Diagnostic;
import dev.nmcc.ir.loc.Location;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Selecting a target: a bundled name ({@code akd1000}, {@code akd1500}; resources
 * {@code /targets/NAME.json} of this module) or the path of a user's JSON file.
 */
public final class Targets {
    private Targets() {}

    /** The bundled targets' names, in listing order. */
    public static final List<String> BUNDLED = List.of("akd1000", "akd1500");

    /** The target nmcc compiles for when none is named. */
    public static final String DEFAULT = "akd1000";

    /** Every bundled target, in listing order. */
    public static List<Target> bundled() {
        List<Target> out = new ArrayList<>();
        for (String n : BUNDLED) out.add(bundled(n).orElseThrow());
        return out;
    }

    /** The bundled target called {@code name}, if there is one. */
    public static Optional<Target> bundled(String name) {
        if (!BUNDLED.contains(name)) return Optional.empty();
        String resource = "/targets/" + name + ".json";
        try (InputStream in = Targets.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("bundled target resource " + resource + " is missing");
            return Optional.of(TargetLoader.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), name + ".json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The canonical JSON text of a bundled target's file. */
    public static Optional<String> bundledText(String name) {
        if (!BUNDLED.contains(name)) return Optional.empty();
        try (InputStream in = Targets.class.getResourceAsStream("/targets/" + name + ".json")) {
            return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A bundled name, or else a file path. A name that is neither bundled nor an existing file is
     * an error listing the bundled targets (with a did-you-mean); a file is loaded and validated
     * ({@link TargetLoader}). Paths win only when they look like paths or exist, so a stray file
     * called {@code akd1000} in the working directory does not shadow the bundled target.
     */
    public static Target resolve(String nameOrPath) {
        Optional<Target> b = bundled(nameOrPath);
        if (b.isPresent()) return b.get();
        Path p;
        try {
            p = Path.of(nameOrPath);
        } catch (java.nio.file.InvalidPathException e) {
            throw unknown(nameOrPath);
        }
        boolean looksLikePath = nameOrPath.contains("/") || nameOrPath.contains(java.io.File.separator) || nameOrPath.endsWith(".json");
        if (looksLikePath || Files.exists(p)) return TargetLoader.load(p);
        throw unknown(nameOrPath);
    }

    private static CompilationException unknown(String name) {
        String guess = TargetFields.closest(name, BUNDLED).map(g -> "; did you mean '" + g + "'?").orElse("");
        return new CompilationException(Diagnostic.error(Location.UNKNOWN, "unknown target '" + name + "'" + guess
                + " (bundled targets: " + String.join(", ", BUNDLED) + "; or give the path of a .json target file)"));
    }
}

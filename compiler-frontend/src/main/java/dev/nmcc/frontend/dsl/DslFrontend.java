package dev.nmcc.frontend.dsl;

import dev.nmcc.ir.diag.CompilationException;
import dev.nmcc.ir.graph.Module;
import java.nio.file.Path;

/**
 * Lowers a network DSL program ({@code .nmd}, docs/dsl.md) to an {@code ann} module, or an
 * {@code snn} module when the network uses spiking neurons. Shapes are inferred and checked;
 * every mistake is a located diagnostic.
 */
public final class DslFrontend {
    private DslFrontend() {}

    /**
     * Reads and lowers a file; a {@code params "x.npz"} path is resolved against the file's
     * directory. Locations name the file as given.
     *
     * @throws CompilationException with every error found
     */
    public static Module compile(Path file) {
        throw new UnsupportedOperationException("DslFrontend: not implemented yet");
    }

    /** Lowers source text; {@code baseDir} resolves params paths. */
    public static Module compile(String source, String fileName, Path baseDir) {
        throw new UnsupportedOperationException("DslFrontend: not implemented yet");
    }
}

package dev.nmcc.driver.api;

import dev.nmcc.frontend.dsl.DslFrontend;
import dev.nmcc.frontend.onnx.OnnxFrontend;
import dev.nmcc.ir.diag.CompilationException;
import dev.nmcc.ir.diag.Diagnostic;
import dev.nmcc.ir.diag.DiagnosticSink;
import dev.nmcc.ir.diag.Severity;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.text.IrParser;
import dev.nmcc.ir.verify.Verifier;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Entry points of the compiler as a library. The command line is a thin layer over these.
 */
public final class Nmcc {
    private Nmcc() {}

    /** The model formats nmcc reads, by file extension. */
    public enum ModelFormat {
        /** The network DSL (docs/dsl.md). */
        DSL(".nmd"),
        /** The IR text form (docs/ir.md). */
        IR(".nmir"),
        /** An ONNX model (docs/onnx.md). */
        ONNX(".onnx");

        private final String extension;

        ModelFormat(String extension) { this.extension = extension; }

        public String extension() { return extension; }

        /** The format of a file by its extension, or null when nmcc does not read it. */
        public static ModelFormat of(Path file) {
            String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
            for (ModelFormat f : values()) if (name.endsWith(f.extension)) return f;
            return null;
        }
    }

    /** Loads and verifies a model; see {@link #load(Path, boolean, DiagnosticSink)}. */
    public static Module load(Path file) { return load(file, true, new DiagnosticSink()); }

    /**
     * Loads a model with the frontend its extension names ({@code .nmd}: DSL, {@code .nmir}: IR
     * text, {@code .onnx}: ONNX) and, when {@code verify} is set, runs the verifier on it.
     *
     * @param sink receives warnings and remarks when loading succeeds
     * @throws CompilationException with every error (and the warnings before them) otherwise
     */
    public static Module load(Path file, boolean verify, DiagnosticSink sink) {
        ModelFormat format = ModelFormat.of(file);
        if (format == null) {
            String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
            throw UserErrors.error("cannot load '" + file + "': unknown model format; expected a .nmd (network DSL), "
                    + ".nmir (IR text) or .onnx (ONNX) file");
        }
        if (Files.isDirectory(file)) throw UserErrors.error("cannot load '" + file + "': it is a directory");
        if (!Files.exists(file)) throw UserErrors.error("cannot load '" + file + "': no such file");
        if (!Files.isReadable(file)) throw UserErrors.error("cannot load '" + file + "': permission denied");
        Module module = switch (format) {
            case DSL -> DslFrontend.compile(file);
            case IR -> IrParser.parse(readText(file), file.toString());
            case ONNX -> OnnxFrontend.compile(file, sink);
        };
        if (verify) {
            List<Diagnostic> found = Verifier.verify(module);
            if (found.stream().anyMatch(d -> d.severity() == Severity.ERROR)) throw new CompilationException(found);
            sink.addAll(found);
        }
        return module;
    }

    private static String readText(Path file) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw UserErrors.error("cannot load '" + file + "': it is not UTF-8 text");
        } catch (IOException e) {
            throw UserErrors.io("load", file, e);
        } catch (OutOfMemoryError e) {
            throw UserErrors.error("cannot load '" + file + "': too large to read");
        }
    }
}

package dev.nmcc.frontend.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.nmcc.frontend.onnx.proto.OnnxProto.ModelProto;
import dev.nmcc.ir.diag.CompilationException;
import dev.nmcc.ir.diag.Diagnostic;
import dev.nmcc.ir.diag.DiagnosticSink;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.loc.Location;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads an ONNX model (opsets 11 to 18) into an {@code ann} module. docs/onnx.md lists the
 * operators, what is folded at import time and what is refused. Ops are located by their ONNX
 * node names; errors name the file and the node, and every unsupported operator is listed at
 * once.
 */
public final class OnnxFrontend {
    private OnnxFrontend() {}

    /** Largest model file read (protobuf messages are limited to 2 GiB). */
    static final long MAX_FILE_BYTES = Integer.MAX_VALUE;

    /**
     * Imports a model. Notes and warnings (dropped Softmax, converted initializers) go to
     * {@code diags}; errors are thrown with everything collected.
     *
     * @throws CompilationException when the file cannot be read or the model cannot be imported
     */
    public static Module compile(Path file, DiagnosticSink diags) {
        String fileName = file.toString();
        Location loc = Location.named(fileName);
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) throw fail(diags, Diagnostic.error(loc, "the file is larger than 2 GiB"));
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw fail(diags, Diagnostic.error(loc, "no such file"));
        } catch (IOException e) {
            throw fail(diags, Diagnostic.error(loc, "cannot read the file: " + e.getMessage()));
        }
        ModelProto model;
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            in.setSizeLimit(Integer.MAX_VALUE);
            in.setRecursionLimit(64);
            model = ModelProto.parseFrom(in);
            in.checkLastTagWas(0);
        } catch (InvalidProtocolBufferException e) {
            throw fail(diags, Diagnostic.error(loc, "not a valid ONNX file (" + describe(e) + ")"));
        } catch (IOException e) {
            throw fail(diags, Diagnostic.error(loc, "cannot read the file: " + e.getMessage()));
        }
        Path dir = file.toAbsolutePath().getParent();
        String name = moduleName(file, model);
        Module m = new OnnxImporter(fileName, dir, diags).importModel(model, name);
        if (m == null || diags.hasErrors()) throw new CompilationException(diags.diagnostics());
        return m;
    }

    private static CompilationException fail(DiagnosticSink diags, Diagnostic d) {
        diags.report(d);
        return new CompilationException(diags.diagnostics());
    }

    private static String describe(InvalidProtocolBufferException e) {
        String m = e.getMessage();
        if (m != null && m.contains("truncated")) return "the file is truncated";
        return m == null ? "malformed protobuf" : m.replaceAll("\\s+", " ").trim();
    }

    private static String moduleName(Path file, ModelProto model) {
        String base = file.getFileName().toString().replaceAll("\\.onnx$", "");
        String n = base.replaceAll("[^A-Za-z0-9_]", "_");
        return n.isEmpty() || Character.isDigit(n.charAt(0)) ? "model_" + n : n;
    }
}

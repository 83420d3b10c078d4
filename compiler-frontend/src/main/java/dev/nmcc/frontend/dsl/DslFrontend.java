package dev.nmcc.frontend.dsl;

import dev.nmcc.grammar.NmdLexer;
import dev.nmcc.grammar.NmdParser;
import dev.nmcc.ir.diag.CompilationException;
import dev.nmcc.ir.diag.Diagnostic;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.loc.Location;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Lowers a network DSL program ({@code .nmd}, docs/dsl.md) to an {@code ann} module, or an
 * {@code snn} module when the network uses spiking neurons. Shapes are inferred and checked;
 * every mistake is a located diagnostic.
 */
public final class DslFrontend {
    private DslFrontend() {}

    /** The file as UTF-8 text; a byte that is not UTF-8 is an error at its line and column. */
    private static String utf8(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = StandardCharsets.UTF_8.newDecoder().decode(in, out, true);
        if (r.isError()) {
            int at = in.position(), line = 1, col = 1;
            for (int i = 0; i < at; i++) {
                if (bytes[i] == '\n') { line++; col = 1; } else if ((bytes[i] & 0xC0) != 0x80) col++;
            }
            throw new CompilationException(Diagnostic.error(Location.file(file.toString(), line, col), String.format(
                    "not UTF-8 text: byte 0x%02X cannot start or continue a character (save the file as UTF-8)", bytes[at] & 0xFF)));
        }
        out.flip();
        return out.toString();
    }

    /**
     * Reads and lowers a file; a {@code params "x.npz"} path is resolved against the file's
     * directory. Locations name the file as given.
     *
     * @throws CompilationException with every error found
     */
    public static Module compile(Path file) {
        String source;
        try {
            source = utf8(file);
        } catch (IOException e) {
            String why = e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage();
            throw new CompilationException(Diagnostic.error(Location.named(file.toString()), "cannot read " + file + ": " + why));
        }
        Path dir = file.toAbsolutePath().getParent();
        return compile(source, file.toString(), dir == null ? Path.of(".") : dir);
    }

    /** Lowers source text; {@code baseDir} resolves params paths. */
    public static Module compile(String source, String fileName, Path baseDir) {
        return new Lowering(fileName, baseDir).lower(parse(source, fileName));
    }

    /** Parses source text, collecting every syntax error; throws when there is any. */
    static NmdParser.ProgramContext parse(String source, String fileName) {
        SyntaxErrors errors = new SyntaxErrors(fileName);
        NmdLexer lexer = new NmdLexer(CharStreams.fromString(source, fileName));
        lexer.removeErrorListeners();
        lexer.addErrorListener(errors);
        NmdParser parser = new NmdParser(new CommonTokenStream(lexer));
        parser.removeErrorListeners();
        parser.addErrorListener(errors);
        parser.setErrorHandler(errors.strategy());
        NmdParser.ProgramContext program = parser.program();
        if (!errors.diagnostics().isEmpty()) {
            List<Diagnostic> sorted = new ArrayList<>(errors.diagnostics());
            sorted.sort(Comparator.comparingInt((Diagnostic d) -> ((Location.FileLineCol) d.location()).line())
                    .thenComparingInt(d -> ((Location.FileLineCol) d.location()).column()));
            throw new CompilationException(sorted);
        }
        return program;
    }
}

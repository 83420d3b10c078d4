package dev.nmcc.ir.text;

import dev.nmcc.ir.blob.Blob;
import dev.nmcc.ir.blob.BlobTable;
import dev.nmcc.ir.diag.CompilationException;
import dev.nmcc.ir.diag.Diagnostic;
import dev.nmcc.ir.graph.GraphBuilder;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.loc.Location;
import dev.nmcc.ir.op.Stage;
import dev.nmcc.ir.text.Lexer.Kind;
import dev.nmcc.ir.text.Lexer.Token;
import dev.nmcc.ir.text.TokenCursor.Recover;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the {@code .nmir} text form (docs/ir.md). Syntax errors, undefined values, duplicate
 * names and blob hash mismatches are reported as located diagnostics ({@code file:line:col}),
 * several at once where recovery is possible. The result is not verified: callers run the
 * {@link dev.nmcc.ir.verify.Verifier}.
 *
 * <p>A hand-written lexer and recursive descent parser, linear in the size of the text. After a
 * syntax error the parser skips to the next line and goes on, so one run reports several
 * errors; diagnostics come sorted by position. Besides the syntax, the parser checks what only
 * it can check: op mnemonics and the stage name exist, each value is defined once and before
 * its uses, each op has as many results as its kind, each blob is declared once and has data of
 * the declared length, range and hash. Everything else (operand counts, attribute schemas,
 * types, references to undeclared blobs) is the verifier's, so that broken modules can be
 * written as text to test it.
 */
public final class IrParser {
    // The parts: TokenCursor (tokens, diagnostics, recovery), BlobParser (blob declarations and the
    // resources section, with ResourceDecoder for base64), OpParser (op statements and value names,
    // with AttributeParser for attribute dictionaries) and TypeParser (type tokens). The blobs are
    // built into `built` only at the end; the GraphBuilder resolves blob references through it.
    private final TokenCursor in;
    private final Map<String, Blob> built = new HashMap<>();
    private final BlobParser blobs;
    private final OpParser ops;

    private IrParser(String text, String fileName) {
        this.in = new TokenCursor(text, fileName);
        TypeParser types = new TypeParser(in);
        this.blobs = new BlobParser(in, types);
        this.ops = new OpParser(in, types, new GraphBuilder(built::get));
    }

    /**
     * @param fileName used in diagnostics' locations
     * @throws CompilationException with every error found
     */
    public static Module parse(String text, String fileName) {
        return new IrParser(text, fileName).parseModule();
    }

    /** Reads and parses a UTF-8 file; diagnostics name it as given. */
    public static Module parse(Path path) throws IOException {
        return parse(Files.readString(path, StandardCharsets.UTF_8), path.toString());
    }

    // ---- module ---------------------------------------------------------------------------------

    private Module parseModule() {
        String name = "";
        Stage stage = Stage.ANN;
        Token first = in.peek();
        try {
            in.expectKeyword("module");
            name = in.expect(Kind.AT, "the module name ('@name')").text();
            in.expectKeyword("stage");
            Token st = in.expect(Kind.IDENT, "a stage (ann, snn or hw)");
            Stage s = Stage.fromMnemonic(st.text());
            if (s == null) in.error(st, "unknown stage '" + st.text() + "' (expected ann, snn or hw)");
            else stage = s;
            in.expectPunct('{');
        } catch (Recover r) {
            in.recover(first);
        }
        while (true) {
            Token t = in.peek();
            if (t.isPunct('}')) {
                in.next();
                break;
            }
            if (t.kind() == Kind.EOF) {
                in.error(t, "expected '}' to close the module, got end of file");
                break;
            }
            try {
                if (t.isIdent("blob")) blobs.parseBlobDecl();
                else ops.parseOp();
                in.expectEndOfLine();
            } catch (Recover r) {
                in.recover(t);
            }
        }
        if (in.peek().isIdent("resources")) blobs.parseResources();
        if (in.peek().kind() != Kind.EOF) {
            in.error(in.peek(), "expected the end of the file, got " + in.peek().describe());
        }
        return finish(name, stage);
    }

    private Module finish(String name, Stage stage) {
        BlobTable.Builder table = blobs.buildTable(built);
        ops.reportUndefinedUses();
        List<Diagnostic> diagnostics = in.diagnostics();
        if (!diagnostics.isEmpty()) {
            List<Diagnostic> sorted = new ArrayList<>(diagnostics);
            sorted.sort(Comparator.comparingInt((Diagnostic d) -> ((Location.FileLineCol) d.location()).line())
                    .thenComparingInt(d -> ((Location.FileLineCol) d.location()).column()));
            throw new CompilationException(sorted);
        }
        return new Module(name, stage, table.build(), ops.graph());
    }
}

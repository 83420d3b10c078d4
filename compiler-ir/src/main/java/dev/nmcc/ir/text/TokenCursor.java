package dev.nmcc.ir.text;

import dev.nmcc.ir.diag.Diagnostic;
import dev.nmcc.ir.loc.Location;
import dev.nmcc.ir.text.Lexer.Kind;
import dev.nmcc.ir.text.Lexer.Token;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The state the parts of {@link IrParser} share: the token stream (one token of lookahead), the
 * diagnostics found so far, and the error recovery protocol. A syntax error is reported through
 * {@link #expected}, which returns a {@link Recover} to throw; the statement loops catch it and
 * {@link #recover} to the next line.
 */
final class TokenCursor {
    /** Thrown after a syntax error has been reported; caught at statement level to recover. */
    static final class Recover extends RuntimeException {
        Recover() { super(null, null, false, false); }
    }

    private final String file;
    private final Lexer lexer;
    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private Token peeked;
    private Token last;
    /** Line on which the last consumed token (or base64 literal) ended. */
    private int lastLine;
    /** Lines with a lexical error: a syntax error that follows on them is a consequence, not reported. */
    private final BitSet lexErrorLines = new BitSet();

    TokenCursor(String text, String fileName) {
        this.file = fileName;
        this.lexer = new Lexer(text, (line, col, message) -> {
            lexErrorLines.set(line);
            error(line, col, message);
        });
    }

    /** Every diagnostic reported so far, in the order reported. */
    List<Diagnostic> diagnostics() { return diagnostics; }

    /** The whole source text (base64 resources are decoded from it directly). */
    String source() { return lexer.source(); }

    /**
     * The content of a quoted base64 string read straight from the source (see
     * {@link Lexer#base64Literal}), or null when none is next.
     */
    Lexer.Span base64Literal() {
        Lexer.Span span = lexer.base64Literal();
        if (span != null) lastLine = lexer.line();
        return span;
    }

    // ---- tokens and diagnostics -----------------------------------------------------------------

    Token peek() {
        if (peeked == null) peeked = lexer.next();
        return peeked;
    }

    Token next() {
        Token t = peek();
        peeked = null;
        last = t;
        lastLine = t.endLine();
        return t;
    }

    private Location at(int line, int col) { return Location.file(file, line, col); }

    private Location at(Token t) { return at(t.line(), t.col()); }

    void error(int line, int col, String message) { diagnostics.add(Diagnostic.error(at(line, col), message)); }

    void error(Token t, String message) { diagnostics.add(Diagnostic.error(at(t), message)); }

    void error(Token t, String message, Token noteAt, String note) {
        diagnostics.add(Diagnostic.error(at(t), message).withNote(at(noteAt), note));
    }

    /** Reports "expected X, got Y" at the next token and unwinds to the statement loop. */
    Recover expected(String what) {
        Token t = peek();
        if (!lexErrorLines.get(lastLine) && !lexErrorLines.get(t.line())) {
            error(t, "expected " + what + ", got " + t.describe());
        }
        return new Recover();
    }

    Token expectPunct(char c) {
        if (!peek().isPunct(c)) throw expected("'" + c + "'");
        return next();
    }

    Token expect(Kind kind, String what) {
        if (peek().kind() != kind) throw expected(what);
        return next();
    }

    void expectKeyword(String word) {
        if (!peek().isIdent(word)) throw expected("'" + word + "'");
        next();
    }

    /** Skips the rest of the line of the failed statement (at least one token). */
    void recover(Token stmtStart) {
        if (last == null || last.offset() < stmtStart.offset()) next();
        int line = lastLine;
        while (peek().kind() != Kind.EOF && peek().line() <= line) next();
    }

    /** A statement ends its line: the next token is on a later line, or closes the block. */
    void expectEndOfLine() {
        Token t = peek();
        if (t.kind() != Kind.EOF && t.line() <= lastLine && !t.isPunct('}')) throw expected("the end of the line");
    }
}

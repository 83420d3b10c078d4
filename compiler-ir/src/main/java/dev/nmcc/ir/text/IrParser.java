package dev.nmcc.ir.text;

import dev.nmcc.ir.attr.Attribute;
import dev.nmcc.ir.attr.Attributes;
import dev.nmcc.ir.blob.Blob;
import dev.nmcc.ir.blob.BlobTable;
import dev.nmcc.ir.diag.CompilationException;
import dev.nmcc.ir.diag.Diagnostic;
import dev.nmcc.ir.graph.GraphBuilder;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.graph.Value;
import dev.nmcc.ir.loc.Location;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.ir.op.Stage;
import dev.nmcc.ir.text.Lexer.Kind;
import dev.nmcc.ir.text.Lexer.Token;
import dev.nmcc.ir.type.ElementType;
import dev.nmcc.ir.type.Shape;
import dev.nmcc.ir.type.SpikeType;
import dev.nmcc.ir.type.TensorType;
import dev.nmcc.ir.type.Type;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
    /** Thrown after a syntax error has been reported; caught at statement level to recover. */
    private static final class Recover extends RuntimeException {
        Recover() { super(null, null, false, false); }
    }

    /** A declared blob and where its parts are in the text. */
    private static final class BlobDecl {
        final String name;
        final Token nameTok;
        final TensorType type;
        final Token hashTok;
        Object inline; // float[] or int[], or null
        Lexer.Span resource;
        boolean dataInError; // inline data was given but is wrong (already reported)

        BlobDecl(String name, Token nameTok, TensorType type, Token hashTok) {
            this.name = name;
            this.nameTok = nameTok;
            this.type = type;
            this.hashTok = hashTok;
        }
    }

    /** What a value name stands for: a value, or nothing when its definition had errors. */
    private record Binding(Value value, Token def) {}

    private final String file;
    private final Lexer lexer;
    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private Token peeked;
    private Token last;
    /** Line on which the last consumed token (or base64 literal) ended. */
    private int lastLine;

    private final Map<String, BlobDecl> blobs = new LinkedHashMap<>();
    private final Map<String, Blob> built = new HashMap<>();
    private final GraphBuilder builder = new GraphBuilder(built::get);
    private final Map<String, Binding> values = new HashMap<>();
    private final List<Token> undefinedUses = new ArrayList<>();
    private boolean sawResources;
    /** Lines with a lexical error: a syntax error that follows on them is a consequence, not reported. */
    private final BitSet lexErrorLines = new BitSet();

    private IrParser(String text, String fileName) {
        this.file = fileName;
        this.lexer = new Lexer(text, (line, col, message) -> {
            lexErrorLines.set(line);
            error(line, col, message);
        });
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

    // ---- tokens and diagnostics -----------------------------------------------------------------

    private Token peek() {
        if (peeked == null) peeked = lexer.next();
        return peeked;
    }

    private Token next() {
        Token t = peek();
        peeked = null;
        last = t;
        lastLine = t.endLine();
        return t;
    }

    private Location at(int line, int col) { return Location.file(file, line, col); }

    private Location at(Token t) { return at(t.line(), t.col()); }

    private void error(int line, int col, String message) { diagnostics.add(Diagnostic.error(at(line, col), message)); }

    private void error(Token t, String message) { diagnostics.add(Diagnostic.error(at(t), message)); }

    private void error(Token t, String message, Token noteAt, String note) {
        diagnostics.add(Diagnostic.error(at(t), message).withNote(at(noteAt), note));
    }

    /** Reports "expected X, got Y" at the next token and unwinds to the statement loop. */
    private Recover expected(String what) {
        Token t = peek();
        if (!lexErrorLines.get(lastLine) && !lexErrorLines.get(t.line())) {
            error(t, "expected " + what + ", got " + t.describe());
        }
        return new Recover();
    }

    private Token expectPunct(char c) {
        if (!peek().isPunct(c)) throw expected("'" + c + "'");
        return next();
    }

    private Token expect(Kind kind, String what) {
        if (peek().kind() != kind) throw expected(what);
        return next();
    }

    private void expectKeyword(String word) {
        if (!peek().isIdent(word)) throw expected("'" + word + "'");
        next();
    }

    /** Skips the rest of the line of the failed statement (at least one token). */
    private void recover(Token stmtStart) {
        if (last == null || last.offset() < stmtStart.offset()) next();
        int line = lastLine;
        while (peek().kind() != Kind.EOF && peek().line() <= line) next();
    }

    /** A statement ends its line: the next token is on a later line, or closes the block. */
    private void expectEndOfLine() {
        Token t = peek();
        if (t.kind() != Kind.EOF && t.line() <= lastLine && !t.isPunct('}')) throw expected("the end of the line");
    }

    // ---- module ---------------------------------------------------------------------------------

    private Module parseModule() {
        String name = "";
        Stage stage = Stage.ANN;
        Token first = peek();
        try {
            expectKeyword("module");
            name = expect(Kind.AT, "the module name ('@name')").text();
            expectKeyword("stage");
            Token st = expect(Kind.IDENT, "a stage (ann, snn or hw)");
            Stage s = Stage.fromMnemonic(st.text());
            if (s == null) error(st, "unknown stage '" + st.text() + "' (expected ann, snn or hw)");
            else stage = s;
            expectPunct('{');
        } catch (Recover r) {
            recover(first);
        }
        while (true) {
            Token t = peek();
            if (t.isPunct('}')) {
                next();
                break;
            }
            if (t.kind() == Kind.EOF) {
                error(t, "expected '}' to close the module, got end of file");
                break;
            }
            try {
                if (t.isIdent("blob")) parseBlobDecl();
                else parseOp();
                expectEndOfLine();
            } catch (Recover r) {
                recover(t);
            }
        }
        if (peek().isIdent("resources")) parseResources();
        if (peek().kind() != Kind.EOF) error(peek(), "expected the end of the file, got " + peek().describe());
        return finish(name, stage);
    }

    private Module finish(String name, Stage stage) {
        BlobTable.Builder table = BlobTable.builder();
        for (BlobDecl d : blobs.values()) {
            Blob b = blobOf(d);
            if (b == null) continue;
            if (d.hashTok != null && !d.hashTok.text().equals(b.hash())) {
                error(d.hashTok, "blob @" + Attribute.symbolName(d.name) + ": declared hash #" + d.hashTok.text()
                        + " does not match its data (#" + b.hash() + ")");
            }
            built.put(d.name, b);
            table.add(b);
        }
        for (Token use : undefinedUses) {
            Binding later = values.get(use.text());
            if (later != null) {
                error(use, "value %" + use.text() + " is used before it is defined", later.def(), "defined here");
            } else {
                error(use, "use of undefined value %" + use.text());
            }
        }
        if (!diagnostics.isEmpty()) {
            List<Diagnostic> sorted = new ArrayList<>(diagnostics);
            sorted.sort(Comparator.comparingInt((Diagnostic d) -> ((Location.FileLineCol) d.location()).line())
                    .thenComparingInt(d -> ((Location.FileLineCol) d.location()).column()));
            throw new CompilationException(sorted);
        }
        return new Module(name, stage, table.build(), builder.build());
    }

    /** The blob of a declaration, or null after reporting why there is none. */
    private Blob blobOf(BlobDecl d) {
        String shown = "blob @" + Attribute.symbolName(d.name);
        Object data = d.inline;
        if (data == null && d.resource != null) {
            data = decodeResource(d, shown);
            if (data == null) return null;
        }
        if (data == null) {
            if (d.dataInError) return null;
            error(d.nameTok, sawResources
                    ? shown + " has no data (neither inline values nor an entry in the resources section)"
                    : shown + " has no data (the text was printed with blob data elided)");
            return null;
        }
        return data instanceof float[] f ? Blob.ofFloats(d.name, d.type, f) : Blob.ofInts(d.name, d.type, (int[]) data);
    }

    // ---- blobs ----------------------------------------------------------------------------------

    private void parseBlobDecl() {
        next(); // blob
        Token nameTok = expect(Kind.AT, "the blob name ('@name')");
        expectPunct(':');
        Token typeTok = expect(Kind.TYPE, "the blob type ('tensor<...>')");
        Type type = parseType(typeTok);
        Token hashTok = peek().kind() == Kind.HASH ? next() : null;
        BlobDecl decl = null;
        String name = nameTok.text();
        String shown = "blob @" + Attribute.symbolName(name);
        if (type instanceof TensorType tt) {
            if (name.isEmpty()) {
                error(nameTok, "blob name is empty");
            } else if (!tt.shape().isAllocatable()) {
                error(typeTok, shown + ": " + tt.text() + " has too many elements");
            } else {
                decl = new BlobDecl(name, nameTok, tt, hashTok);
            }
        } else if (type != null) {
            error(typeTok, shown + " must have a tensor type, got " + type.text());
        }
        if (peek().isPunct('=')) {
            next();
            Object data = parseInlineData(decl, shown);
            if (decl != null) {
                decl.inline = data;
                decl.dataInError = data == null;
            }
        }
        if (decl != null) {
            BlobDecl prev = blobs.putIfAbsent(name, decl);
            if (prev != null) error(nameTok, shown + " is declared twice", prev.nameTok, "first declared here");
        }
    }

    /** {@code [v, v, ...]}: the values, or null when the declaration or a value is in error. */
    private Object parseInlineData(BlobDecl decl, String shown) {
        Token open = expectPunct('[');
        ElementType et = decl == null ? ElementType.F32 : decl.type.elementType();
        float[] floats = et == ElementType.F32 ? new float[16] : null;
        int[] ints = floats == null ? new int[16] : null;
        int n = 0;
        boolean ok = decl != null;
        if (!peek().isPunct(']')) {
            while (true) {
                Token t = peek();
                String lit = numberLiteral();
                if (ok) {
                    if (floats != null) {
                        Float f = parseFloatValue(lit);
                        if (f == null) {
                            error(t, shown + ": value " + lit + " is out of range for f32");
                            ok = false;
                        } else {
                            if (n == floats.length) floats = Arrays.copyOf(floats, n * 2);
                            floats[n] = f;
                        }
                    } else {
                        Long v = parseIntValue(lit);
                        if (v == null) {
                            error(t, shown + ": expected an integer for " + et + ", got " + lit);
                            ok = false;
                        } else if (!fits(et, v)) {
                            error(t, shown + ": value " + lit + " is out of range for " + et + " (" + range(et) + ")");
                            ok = false;
                        } else {
                            if (n == ints.length) ints = Arrays.copyOf(ints, n * 2);
                            ints[n] = (int) (long) v;
                        }
                    }
                }
                n++;
                if (peek().isPunct(',')) {
                    next();
                    continue;
                }
                expectPunct(']');
                break;
            }
        } else {
            next();
        }
        if (!ok) return null;
        int expected = decl.type.shape().elementCount();
        if (n != expected) {
            error(open, shown + ": expected " + expected + " values for " + decl.type.text() + ", got " + n);
            return null;
        }
        return floats != null ? Arrays.copyOf(floats, n) : Arrays.copyOf(ints, n);
    }

    /** A number in blob data: a NUMBER token, {@code nan}, {@code inf} or {@code -inf}. */
    private String numberLiteral() {
        Token t = peek();
        if (t.kind() == Kind.NUMBER || t.isIdent("nan") || t.isIdent("inf")) return next().text();
        if (t.isPunct('-')) {
            next();
            if (peek().isIdent("inf")) {
                next();
                return "-inf";
            }
        }
        throw expected("a number");
    }

    private static Float parseFloatValue(String lit) {
        switch (lit) {
            case "nan": return Float.NaN;
            case "inf": return Float.POSITIVE_INFINITY;
            case "-inf": return Float.NEGATIVE_INFINITY;
            default: break;
        }
        float f = Float.parseFloat(lit);
        return Float.isInfinite(f) ? null : f;
    }

    private static Long parseIntValue(String lit) {
        if (lit.indexOf('.') >= 0 || lit.indexOf('e') >= 0 || lit.indexOf('E') >= 0 || lit.equals("nan")
                || lit.endsWith("inf")) {
            return null;
        }
        try {
            return Long.parseLong(lit);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE; // out of every range
        }
    }

    private static boolean fits(ElementType et, long v) {
        return v >= et.minValue() && v <= et.maxValue() && !(et == ElementType.I1 && v == 0);
    }

    private static String range(ElementType et) {
        return et == ElementType.I1 ? "-1 or 1" : et.minValue() + ".." + et.maxValue();
    }

    private void parseResources() {
        sawResources = true;
        Token first = next();
        try {
            expectPunct('{');
        } catch (Recover r) {
            recover(first);
        }
        Map<String, Token> seen = new HashMap<>();
        while (true) {
            Token t = peek();
            if (t.isPunct('}')) {
                next();
                break;
            }
            if (t.kind() == Kind.EOF) {
                error(t, "expected '}' to close the resources section, got end of file");
                break;
            }
            try {
                Token nameTok = expect(Kind.AT, "a blob name ('@name')");
                expectPunct('=');
                Token enc = expect(Kind.IDENT, "the encoding 'base64'");
                if (!enc.text().equals("base64")) {
                    error(enc, "unknown resource encoding '" + enc.text() + "' (expected base64)");
                    throw new Recover();
                }
                Lexer.Span span = lexer.base64Literal();
                if (span == null) throw expected("a quoted base64 string");
                lastLine = lexer.line();
                String shown = "@" + Attribute.symbolName(nameTok.text());
                BlobDecl d = blobs.get(nameTok.text());
                Token prev = seen.putIfAbsent(nameTok.text(), nameTok);
                if (prev != null) {
                    error(nameTok, "resource " + shown + " is given twice", prev, "first given here");
                } else if (d == null) {
                    error(nameTok, "resource " + shown + " belongs to no declared blob");
                } else if (d.inline != null || d.dataInError) {
                    error(nameTok, "blob " + shown + " has data twice (inline and in the resources section)",
                            d.nameTok, "declared here");
                } else {
                    d.resource = span;
                }
                expectEndOfLine();
            } catch (Recover r) {
                recover(t);
            }
        }
    }

    /** Decodes a resource into float[] or int[], or reports why it cannot and returns null. */
    private Object decodeResource(BlobDecl d, String shown) {
        Lexer.Span s = d.resource;
        String src = lexer.source();
        // Pass 1: check the characters and count them.
        int count = 0;
        int pad = 0;
        int line = s.line();
        int lineStart = s.start() - (s.col() - 1);
        for (int i = s.start(); i < s.end(); i++) {
            char c = src.charAt(i);
            if (c == '\n') {
                line++;
                lineStart = i + 1;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                continue;
            } else if (c == '=') {
                pad++;
                count++;
            } else if (c < 128 && BlobData.DECODE[c] >= 0 && pad == 0) {
                count++;
            } else {
                String what = c < 128 && BlobData.DECODE[c] >= 0 ? "data after '=' padding"
                        : "unexpected character " + (c < 0x20 ? String.format("U+%04X", (int) c) : "'" + c + "'");
                error(line, i - lineStart + 1, shown + ": malformed base64 data: " + what);
                return null;
            }
        }
        if (count % 4 != 0 || pad > 2) {
            error(s.line(), s.col(), shown + ": malformed base64 data: " + count + " characters"
                    + (pad > 2 ? " with " + pad + " '=' padding" : " is not a multiple of 4"));
            return null;
        }
        long bytes = (long) count / 4 * 3 - pad;
        int width = BlobData.width(d.type.elementType());
        int n = d.type.shape().elementCount();
        if (bytes != (long) n * width) {
            error(s.line(), s.col(), shown + ": expected " + (long) n * width + " bytes of data for " + d.type.text()
                    + ", got " + bytes);
            return null;
        }
        // Pass 2: decode straight into the element array.
        float[] floats = d.type.elementType() == ElementType.F32 ? new float[n] : null;
        int[] ints = floats == null ? new int[n] : null;
        long p = 0;
        int acc = 0;
        int accBits = 0;
        int word = 0;
        for (int i = s.start(); i < s.end() && p < bytes; i++) {
            char c = src.charAt(i);
            if (c == '=' || c == '\n' || c == ' ' || c == '\t' || c == '\r') continue;
            acc = (acc << 6) | BlobData.DECODE[c];
            accBits += 6;
            if (accBits >= 8) {
                accBits -= 8;
                int b = (acc >>> accBits) & 0xff;
                if (width == 4) {
                    word |= b << (8 * (int) (p & 3));
                    if ((p & 3) == 3) {
                        int e = (int) (p >>> 2);
                        if (floats != null) floats[e] = Float.intBitsToFloat(word);
                        else ints[e] = word;
                        word = 0;
                    }
                } else {
                    ints[(int) p] = (byte) b;
                }
                p++;
            }
        }
        if (ints != null && width == 1) {
            ElementType et = d.type.elementType();
            for (int i = 0; i < n; i++) {
                if (!fits(et, ints[i])) {
                    error(s.line(), s.col(), shown + ": element " + i + " has value " + ints[i] + ", out of range for "
                            + et + " (" + range(et) + ")");
                    return null;
                }
            }
        }
        return floats != null ? floats : ints;
    }

    // ---- ops ------------------------------------------------------------------------------------

    private void parseOp() {
        List<Token> results = new ArrayList<>();
        try {
            parseOpBody(results);
        } catch (Recover r) {
            poison(results);
            throw r;
        }
    }

    private void parseOpBody(List<Token> results) {
        if (peek().kind() == Kind.PERCENT) {
            while (true) {
                results.add(next());
                if (!peek().isPunct(',')) break;
                next();
                if (peek().kind() != Kind.PERCENT) throw expected("a value name ('%name')");
            }
            expectPunct('=');
        }
        Token mn = expect(Kind.IDENT, results.isEmpty() ? "an op or 'blob'" : "an op name");
        OpKind kind = OpKind.fromMnemonic(mn.text());
        boolean ok = true;
        if (kind == null) {
            error(mn, "unknown op '" + mn.text() + "'");
            ok = false;
        }
        List<Token> operands = new ArrayList<>();
        if (peek().isPunct('(')) {
            next();
            if (!peek().isPunct(')')) {
                while (true) {
                    operands.add(expect(Kind.PERCENT, "a value ('%name')"));
                    if (!peek().isPunct(',')) break;
                    next();
                }
            }
            expectPunct(')');
        }
        Attributes attrs = peek().isPunct('{') ? parseAttributes() : Attributes.EMPTY;
        List<Type> types = new ArrayList<>();
        Token colon = null;
        if (peek().isPunct(':')) {
            colon = next();
            while (true) {
                Type t = parseType(expect(Kind.TYPE, "a type"));
                if (t == null) ok = false;
                types.add(t);
                if (!peek().isPunct(',')) break;
                next();
            }
        } else if (!results.isEmpty()) {
            throw expected("':' and the result type");
        }
        Location loc = peek().isIdent("loc") ? parseLocation() : Location.UNKNOWN;

        if (kind != null && results.size() != kind.resultCount()) {
            error(mn, kind.mnemonic() + " has " + plural(kind.resultCount(), "result") + ", got " + results.size());
            ok = false;
        }
        if (colon != null && types.size() != results.size()) {
            error(colon, results.isEmpty() ? (kind != null ? kind.mnemonic() : "an op") + " has no results, so no result type"
                    : plural(results.size(), "result") + " but " + plural(types.size(), "result type"));
            ok = false;
        }
        List<Value> args = new ArrayList<>(operands.size());
        for (Token o : operands) {
            Binding b = values.get(o.text());
            if (b == null) {
                undefinedUses.add(o);
                ok = false;
            } else if (b.value() == null) {
                ok = false; // its definition was in error, already reported
            } else {
                args.add(b.value());
            }
        }
        boolean fresh = define(results);
        if (!ok || !fresh) {
            poison(results);
            return;
        }
        List<Value> defined = builder.addTyped(kind, args, attrs, types, loc);
        for (int i = 0; i < results.size(); i++) {
            Token r = results.get(i);
            values.put(r.text(), new Binding(defined.get(i), r));
            if (!Character.isDigit(r.text().charAt(0))) builder.setName(defined.get(i), r.text());
        }
    }

    private static String plural(int n, String word) { return n + " " + word + (n == 1 ? "" : "s"); }

    /** Checks that result names are new; returns false after reporting a redefinition. */
    private boolean define(List<Token> results) {
        boolean ok = true;
        for (int i = 0; i < results.size(); i++) {
            Token r = results.get(i);
            Binding prev = values.get(r.text());
            Token dupInStmt = null;
            for (int j = 0; j < i; j++) if (results.get(j).text().equals(r.text())) dupInStmt = results.get(j);
            if (prev != null || dupInStmt != null) {
                error(r, "value %" + r.text() + " is defined twice", prev != null ? prev.def() : dupInStmt,
                        "first defined here");
                ok = false;
            }
        }
        return ok;
    }

    /** Marks result names of a failed op as defined-with-errors, so that uses do not cascade. */
    private void poison(List<Token> results) {
        for (Token r : results) values.putIfAbsent(r.text(), new Binding(null, r));
    }

    private Attributes parseAttributes() {
        expectPunct('{');
        Attributes.Builder b = Attributes.builder();
        Map<String, Token> seen = new HashMap<>();
        if (peek().isPunct('}')) {
            next();
            return Attributes.EMPTY;
        }
        while (true) {
            Token key = expect(Kind.IDENT, "an attribute name");
            expectPunct('=');
            Attribute value = parseAttribute();
            Token prev = seen.putIfAbsent(key.text(), key);
            if (prev != null) error(key, "attribute '" + key.text() + "' is given twice", prev, "first given here");
            else if (value != null) b.put(key.text(), value);
            if (!peek().isPunct(',')) break;
            next();
        }
        expectPunct('}');
        return b.build();
    }

    /** Arrays nested deeper than this are refused (the parser recurses on them). */
    private static final int MAX_ARRAY_DEPTH = 64;

    private Attribute parseAttribute() { return parseAttribute(0); }

    /** An attribute value, or null after reporting a bad one (the statement goes on). */
    private Attribute parseAttribute(int depth) {
        Token t = peek();
        switch (t.kind()) {
            case NUMBER -> {
                next();
                String s = t.text();
                if (s.indexOf('.') >= 0 || s.indexOf('e') >= 0 || s.indexOf('E') >= 0) {
                    double d = Double.parseDouble(s);
                    if (Double.isInfinite(d)) {
                        error(t, "float " + s + " is out of range");
                        return null;
                    }
                    return new Attribute.Float(d);
                }
                try {
                    return new Attribute.Int(Long.parseLong(s));
                } catch (NumberFormatException e) {
                    error(t, "integer " + s + " is out of range");
                    return null;
                }
            }
            case IDENT -> {
                next();
                if (t.text().equals("true")) return new Attribute.Bool(true);
                if (t.text().equals("false")) return new Attribute.Bool(false);
                if (t.text().indexOf('.') >= 0 || t.text().indexOf('$') >= 0) {
                    error(t, "'" + t.text() + "' is not a keyword (keywords are [A-Za-z_][A-Za-z0-9_]*)");
                    return null;
                }
                return new Attribute.Symbol(t.text());
            }
            case STRING -> {
                next();
                return new Attribute.Str(t.text());
            }
            case AT -> {
                next();
                return new Attribute.BlobRef(t.text());
            }
            case PUNCT -> {
                if (t.isPunct('[')) {
                    if (depth >= MAX_ARRAY_DEPTH) {
                        error(t, "attribute arrays nest deeper than " + MAX_ARRAY_DEPTH + " levels");
                        throw new Recover();
                    }
                    next();
                    List<Attribute> elements = new ArrayList<>();
                    boolean ok = true;
                    if (!peek().isPunct(']')) {
                        while (true) {
                            Attribute a = parseAttribute(depth + 1);
                            if (a == null) ok = false;
                            else elements.add(a);
                            if (!peek().isPunct(',')) break;
                            next();
                        }
                    }
                    expectPunct(']');
                    return ok ? new Attribute.Array(elements) : null;
                }
                throw expected("an attribute value");
            }
            default -> throw expected("an attribute value");
        }
    }

    /** {@code loc("file":line:col)}, {@code loc("name")} or {@code loc(unknown)}. */
    private Location parseLocation() {
        next(); // loc
        expectPunct('(');
        Location loc;
        Token t = peek();
        if (t.isIdent("unknown")) {
            next();
            loc = Location.UNKNOWN;
        } else if (t.kind() == Kind.STRING) {
            next();
            if (peek().isPunct(':')) {
                next();
                Token lineTok = peek();
                int line = positiveInt("a line number");
                expectPunct(':');
                int col = positiveInt("a column number");
                loc = line > 0 && col > 0 ? Location.file(t.text(), line, col) : Location.UNKNOWN;
                if (line <= 0 || col <= 0) error(lineTok, "line and column numbers start at 1");
            } else {
                loc = Location.named(t.text());
            }
        } else {
            throw expected("a location (a quoted file or name, or 'unknown')");
        }
        expectPunct(')');
        return loc;
    }

    private int positiveInt(String what) {
        Token t = expect(Kind.NUMBER, what);
        try {
            return Integer.parseInt(t.text());
        } catch (NumberFormatException e) {
            error(t, "expected " + what + ", got " + t.describe());
            return 1;
        }
    }

    // ---- types ----------------------------------------------------------------------------------

    /** The type of a TYPE token, or null after reporting a malformed one. */
    private Type parseType(Token t) {
        String text = t.text();
        boolean tensor = text.startsWith("tensor<");
        String inner = text.substring(7, text.length() - 1);
        String[] parts = inner.split("x", -1);
        int dimCount = tensor ? parts.length - 1 : parts.length;
        ElementType et = null;
        if (tensor) {
            et = ElementType.fromMnemonic(parts[parts.length - 1]);
            if (et == null) {
                error(t, "malformed type '" + text + "': unknown element type '" + parts[parts.length - 1]
                        + "' (expected f32, i32, i8, i4, i2 or i1)");
                return null;
            }
        } else if (inner.isEmpty()) {
            error(t, "malformed type '" + text + "': spike trains have rank >= 1");
            return null;
        }
        int[] dims = new int[dimCount];
        for (int i = 0; i < dimCount; i++) {
            String p = parts[i];
            boolean digits = !p.isEmpty() && p.length() <= 10 && p.chars().allMatch(Character::isDigit);
            long v = digits ? Long.parseLong(p) : -1;
            if (v <= 0 || v > Integer.MAX_VALUE) {
                error(t, "malformed type '" + text + "': '" + p + "' is not a positive dimension");
                return null;
            }
            dims[i] = (int) v;
        }
        Shape shape = dimCount == 0 ? Shape.SCALAR : Shape.of(dims);
        return tensor ? new TensorType(shape, et) : new SpikeType(shape);
    }
}

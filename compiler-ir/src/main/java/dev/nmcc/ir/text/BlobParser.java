package dev.nmcc.ir.text;

import dev.nmcc.ir.attr.Attribute;
import dev.nmcc.ir.blob.Blob;
import dev.nmcc.ir.blob.BlobTable;
import dev.nmcc.ir.text.Lexer.Kind;
import dev.nmcc.ir.text.Lexer.Token;
import dev.nmcc.ir.text.TokenCursor.Recover;
import dev.nmcc.ir.type.ElementType;
import dev.nmcc.ir.type.TensorType;
import dev.nmcc.ir.type.Type;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses blob declarations ({@code blob @w : tensor<...> #hash = [v, ...]}) with their inline
 * data, and the {@code resources} section that gives blob data as base64; at the end, builds
 * the blobs and checks each declared hash. Checks that each blob is declared once, has data
 * once, and that its values fit its element type and are as many as its shape holds.
 */
final class BlobParser {
    /** A declared blob and where its parts are in the text. */
    static final class BlobDecl {
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

    private final TokenCursor in;
    private final TypeParser typeParser;
    private final ResourceDecoder resources;
    private final Map<String, BlobDecl> blobs = new LinkedHashMap<>();
    private boolean sawResources;

    BlobParser(TokenCursor in, TypeParser typeParser) {
        this.in = in;
        this.typeParser = typeParser;
        this.resources = new ResourceDecoder(in);
    }

    /**
     * Builds the blob of every declaration (in declaration order) into {@code built} and a
     * table, reporting blobs without data and declared hashes that do not match.
     */
    BlobTable.Builder buildTable(Map<String, Blob> built) {
        BlobTable.Builder table = BlobTable.builder();
        for (BlobDecl d : blobs.values()) {
            Blob b = blobOf(d);
            if (b == null) continue;
            if (d.hashTok != null && !d.hashTok.text().equals(b.hash())) {
                in.error(d.hashTok, "blob @" + Attribute.symbolName(d.name) + ": declared hash #" + d.hashTok.text()
                        + " does not match its data (#" + b.hash() + ")");
            }
            built.put(d.name, b);
            table.add(b);
        }
        return table;
    }

    /** The blob of a declaration, or null after reporting why there is none. */
    private Blob blobOf(BlobDecl d) {
        String shown = "blob @" + Attribute.symbolName(d.name);
        Object data = d.inline;
        if (data == null && d.resource != null) {
            data = resources.decode(d, shown);
            if (data == null) return null;
        }
        if (data == null) {
            if (d.dataInError) return null;
            in.error(d.nameTok, sawResources
                    ? shown + " has no data (neither inline values nor an entry in the resources section)"
                    : shown + " has no data (the text was printed with blob data elided)");
            return null;
        }
        return data instanceof float[] f ? Blob.ofFloats(d.name, d.type, f) : Blob.ofInts(d.name, d.type, (int[]) data);
    }

    // ---- blobs ----------------------------------------------------------------------------------

    void parseBlobDecl() {
        in.next(); // blob
        Token nameTok = in.expect(Kind.AT, "the blob name ('@name')");
        in.expectPunct(':');
        Token typeTok = in.expect(Kind.TYPE, "the blob type ('tensor<...>')");
        Type type = typeParser.parseType(typeTok);
        Token hashTok = in.peek().kind() == Kind.HASH ? in.next() : null;
        BlobDecl decl = null;
        String name = nameTok.text();
        String shown = "blob @" + Attribute.symbolName(name);
        if (type instanceof TensorType tt) {
            if (name.isEmpty()) {
                in.error(nameTok, "blob name is empty");
            } else if (!tt.shape().isAllocatable()) {
                in.error(typeTok, shown + ": " + tt.text() + " has too many elements");
            } else {
                decl = new BlobDecl(name, nameTok, tt, hashTok);
            }
        } else if (type != null) {
            in.error(typeTok, shown + " must have a tensor type, got " + type.text());
        }
        if (in.peek().isPunct('=')) {
            in.next();
            Object data = parseInlineData(decl, shown);
            if (decl != null) {
                decl.inline = data;
                decl.dataInError = data == null;
            }
        }
        if (decl != null) {
            BlobDecl prev = blobs.putIfAbsent(name, decl);
            if (prev != null) in.error(nameTok, shown + " is declared twice", prev.nameTok, "first declared here");
        }
    }

    /** {@code [v, v, ...]}: the values, or null when the declaration or a value is in error. */
    private Object parseInlineData(BlobDecl decl, String shown) {
        Token open = in.expectPunct('[');
        ElementType et = decl == null ? ElementType.F32 : decl.type.elementType();
        float[] floats = et == ElementType.F32 ? new float[16] : null;
        int[] ints = floats == null ? new int[16] : null;
        int n = 0;
        boolean ok = decl != null;
        if (!in.peek().isPunct(']')) {
            while (true) {
                Token t = in.peek();
                String lit = numberLiteral();
                if (ok) {
                    if (floats != null) {
                        Float f = parseFloatValue(lit);
                        if (f == null) {
                            in.error(t, shown + ": value " + lit + " is out of range for f32");
                            ok = false;
                        } else {
                            if (n == floats.length) floats = Arrays.copyOf(floats, n * 2);
                            floats[n] = f;
                        }
                    } else {
                        Long v = parseIntValue(lit);
                        if (v == null) {
                            in.error(t, shown + ": expected an integer for " + et + ", got " + lit);
                            ok = false;
                        } else if (!fits(et, v)) {
                            in.error(t, shown + ": value " + lit + " is out of range for " + et + " (" + range(et) + ")");
                            ok = false;
                        } else {
                            if (n == ints.length) ints = Arrays.copyOf(ints, n * 2);
                            ints[n] = (int) (long) v;
                        }
                    }
                }
                n++;
                if (in.peek().isPunct(',')) {
                    in.next();
                    continue;
                }
                in.expectPunct(']');
                break;
            }
        } else {
            in.next();
        }
        if (!ok) return null;
        int expected = decl.type.shape().elementCount();
        if (n != expected) {
            in.error(open, shown + ": expected " + expected + " values for " + decl.type.text() + ", got " + n);
            return null;
        }
        return floats != null ? Arrays.copyOf(floats, n) : Arrays.copyOf(ints, n);
    }

    /** A number in blob data: a NUMBER token, {@code nan}, {@code inf} or {@code -inf}. */
    private String numberLiteral() {
        Token t = in.peek();
        if (t.kind() == Kind.NUMBER || t.isIdent("nan") || t.isIdent("inf")) return in.next().text();
        if (t.isPunct('-')) {
            in.next();
            if (in.peek().isIdent("inf")) {
                in.next();
                return "-inf";
            }
        }
        throw in.expected("a number");
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

    static boolean fits(ElementType et, long v) {
        return v >= et.minValue() && v <= et.maxValue() && !(et == ElementType.I1 && v == 0);
    }

    static String range(ElementType et) {
        return et == ElementType.I1 ? "-1 or 1" : et.minValue() + ".." + et.maxValue();
    }

    void parseResources() {
        sawResources = true;
        Token first = in.next();
        try {
            in.expectPunct('{');
        } catch (Recover r) {
            in.recover(first);
        }
        Map<String, Token> seen = new HashMap<>();
        while (true) {
            Token t = in.peek();
            if (t.isPunct('}')) {
                in.next();
                break;
            }
            if (t.kind() == Kind.EOF) {
                in.error(t, "expected '}' to close the resources section, got end of file");
                break;
            }
            try {
                Token nameTok = in.expect(Kind.AT, "a blob name ('@name')");
                in.expectPunct('=');
                Token enc = in.expect(Kind.IDENT, "the encoding 'base64'");
                if (!enc.text().equals("base64")) {
                    in.error(enc, "unknown resource encoding '" + enc.text() + "' (expected base64)");
                    throw new Recover();
                }
                Lexer.Span span = in.base64Literal();
                if (span == null) throw in.expected("a quoted base64 string");
                String shown = "@" + Attribute.symbolName(nameTok.text());
                BlobDecl d = blobs.get(nameTok.text());
                Token prev = seen.putIfAbsent(nameTok.text(), nameTok);
                if (prev != null) {
                    in.error(nameTok, "resource " + shown + " is given twice", prev, "first given here");
                } else if (d == null) {
                    in.error(nameTok, "resource " + shown + " belongs to no declared blob");
                } else if (d.inline != null || d.dataInError) {
                    in.error(nameTok, "blob " + shown + " has data twice (inline and in the resources section)",
                            d.nameTok, "declared here");
                } else {
                    d.resource = span;
                }
                in.expectEndOfLine();
            } catch (Recover r) {
                in.recover(t);
            }
        }
    }
}

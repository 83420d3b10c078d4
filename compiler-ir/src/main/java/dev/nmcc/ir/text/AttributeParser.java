package dev.nmcc.ir.text;

import dev.nmcc.ir.attr.Attribute;
import dev.nmcc.ir.attr.Attributes;
import dev.nmcc.ir.text.Lexer.Kind;
import dev.nmcc.ir.text.Lexer.Token;
import dev.nmcc.ir.text.TokenCursor.Recover;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses an op's attribute dictionary, {@code {key = value, ...}}: numbers, booleans, symbols,
 * strings, blob references and nested arrays. A bad value or a repeated key is reported and
 * left out, and the statement goes on.
 */
final class AttributeParser {
    private final TokenCursor in;

    AttributeParser(TokenCursor in) { this.in = in; }

    Attributes parseAttributes() {
        in.expectPunct('{');
        Attributes.Builder b = Attributes.builder();
        Map<String, Token> seen = new HashMap<>();
        if (in.peek().isPunct('}')) {
            in.next();
            return Attributes.EMPTY;
        }
        while (true) {
            Token key = in.expect(Kind.IDENT, "an attribute name");
            in.expectPunct('=');
            Attribute value = parseAttribute();
            Token prev = seen.putIfAbsent(key.text(), key);
            if (prev != null) in.error(key, "attribute '" + key.text() + "' is given twice", prev, "first given here");
            else if (value != null) b.put(key.text(), value);
            if (!in.peek().isPunct(',')) break;
            in.next();
        }
        in.expectPunct('}');
        return b.build();
    }

    /** Arrays nested deeper than this are refused (the parser recurses on them). */
    private static final int MAX_ARRAY_DEPTH = 64;

    private Attribute parseAttribute() { return parseAttribute(0); }

    /** An attribute value, or null after reporting a bad one (the statement goes on). */
    private Attribute parseAttribute(int depth) {
        Token t = in.peek();
        switch (t.kind()) {
            case NUMBER -> {
                in.next();
                String s = t.text();
                if (s.indexOf('.') >= 0 || s.indexOf('e') >= 0 || s.indexOf('E') >= 0) {
                    double d = Double.parseDouble(s);
                    if (Double.isInfinite(d)) {
                        in.error(t, "float " + s + " is out of range");
                        return null;
                    }
                    return new Attribute.Float(d);
                }
                try {
                    return new Attribute.Int(Long.parseLong(s));
                } catch (NumberFormatException e) {
                    in.error(t, "integer " + s + " is out of range");
                    return null;
                }
            }
            case IDENT -> {
                in.next();
                if (t.text().equals("true")) return new Attribute.Bool(true);
                if (t.text().equals("false")) return new Attribute.Bool(false);
                if (t.text().indexOf('.') >= 0 || t.text().indexOf('$') >= 0) {
                    in.error(t, "'" + t.text() + "' is not a keyword (keywords are [A-Za-z_][A-Za-z0-9_]*)");
                    return null;
                }
                return new Attribute.Symbol(t.text());
            }
            case STRING -> {
                in.next();
                return new Attribute.Str(t.text());
            }
            case AT -> {
                in.next();
                return new Attribute.BlobRef(t.text());
            }
            case PUNCT -> {
                if (t.isPunct('[')) {
                    if (depth >= MAX_ARRAY_DEPTH) {
                        in.error(t, "attribute arrays nest deeper than " + MAX_ARRAY_DEPTH + " levels");
                        throw new Recover();
                    }
                    in.next();
                    List<Attribute> elements = new ArrayList<>();
                    boolean ok = true;
                    if (!in.peek().isPunct(']')) {
                        while (true) {
                            Attribute a = parseAttribute(depth + 1);
                            if (a == null) ok = false;
                            else elements.add(a);
                            if (!in.peek().isPunct(',')) break;
                            in.next();
                        }
                    }
                    in.expectPunct(']');
                    return ok ? new Attribute.Array(elements) : null;
                }
                throw in.expected("an attribute value");
            }
            default -> throw in.expected("an attribute value");
        }
    }
}

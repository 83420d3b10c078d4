package dev.nmcc.ir.text;

import dev.nmcc.ir.attr.Attributes;
import dev.nmcc.ir.graph.Graph;
import dev.nmcc.ir.graph.GraphBuilder;
import dev.nmcc.ir.graph.Value;
import dev.nmcc.ir.loc.Location;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.ir.text.Lexer.Kind;
import dev.nmcc.ir.text.Lexer.Token;
import dev.nmcc.ir.text.TokenCursor.Recover;
import dev.nmcc.ir.type.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses op statements, {@code %r = mnemonic(%a, %b) {attrs} : type loc(...)}, into a
 * {@link GraphBuilder}, and keeps the value names: each is defined once, uses must follow their
 * definition, and the results of an op in error are poisoned so their uses do not cascade.
 * Uses of names not yet defined are collected and reported at the end, once it is known whether
 * they are defined later.
 */
final class OpParser {
    /** What a value name stands for: a value, or nothing when its definition had errors. */
    private record Binding(Value value, Token def) {}

    private final TokenCursor in;
    private final AttributeParser attributes;
    private final TypeParser typeParser;
    private final GraphBuilder builder;
    private final Map<String, Binding> values = new HashMap<>();
    private final List<Token> undefinedUses = new ArrayList<>();

    OpParser(TokenCursor in, TypeParser typeParser, GraphBuilder builder) {
        this.in = in;
        this.attributes = new AttributeParser(in);
        this.typeParser = typeParser;
        this.builder = builder;
    }

    /** The graph of the ops parsed. */
    Graph graph() { return builder.build(); }

    /** Reports each use of a value that was never defined, or only defined after it. */
    void reportUndefinedUses() {
        for (Token use : undefinedUses) {
            Binding later = values.get(use.text());
            if (later != null) {
                in.error(use, "value %" + use.text() + " is used before it is defined", later.def(), "defined here");
            } else {
                in.error(use, "use of undefined value %" + use.text());
            }
        }
    }

    void parseOp() {
        List<Token> results = new ArrayList<>();
        try {
            parseOpBody(results);
        } catch (Recover r) {
            poison(results);
            throw r;
        }
    }

    private void parseOpBody(List<Token> results) {
        if (in.peek().kind() == Kind.PERCENT) {
            while (true) {
                results.add(in.next());
                if (!in.peek().isPunct(',')) break;
                in.next();
                if (in.peek().kind() != Kind.PERCENT) throw in.expected("a value name ('%name')");
            }
            in.expectPunct('=');
        }
        Token mn = in.expect(Kind.IDENT, results.isEmpty() ? "an op or 'blob'" : "an op name");
        OpKind kind = OpKind.fromMnemonic(mn.text());
        boolean ok = true;
        if (kind == null) {
            in.error(mn, "unknown op '" + mn.text() + "'");
            ok = false;
        }
        List<Token> operands = new ArrayList<>();
        if (in.peek().isPunct('(')) {
            in.next();
            if (!in.peek().isPunct(')')) {
                while (true) {
                    operands.add(in.expect(Kind.PERCENT, "a value ('%name')"));
                    if (!in.peek().isPunct(',')) break;
                    in.next();
                }
            }
            in.expectPunct(')');
        }
        Attributes attrs = in.peek().isPunct('{') ? attributes.parseAttributes() : Attributes.EMPTY;
        List<Type> types = new ArrayList<>();
        Token colon = null;
        if (in.peek().isPunct(':')) {
            colon = in.next();
            while (true) {
                Type t = typeParser.parseType(in.expect(Kind.TYPE, "a type"));
                if (t == null) ok = false;
                types.add(t);
                if (!in.peek().isPunct(',')) break;
                in.next();
            }
        } else if (!results.isEmpty()) {
            throw in.expected("':' and the result type");
        }
        Location loc = in.peek().isIdent("loc") ? parseLocation() : Location.UNKNOWN;

        if (kind != null && results.size() != kind.resultCount()) {
            in.error(mn, kind.mnemonic() + " has " + plural(kind.resultCount(), "result") + ", got " + results.size());
            ok = false;
        }
        if (colon != null && types.size() != results.size()) {
            in.error(colon, results.isEmpty()
                    ? (kind != null ? kind.mnemonic() : "an op") + " has no results, so no result type"
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
                in.error(r, "value %" + r.text() + " is defined twice", prev != null ? prev.def() : dupInStmt,
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

    /** {@code loc("file":line:col)}, {@code loc("name")} or {@code loc(unknown)}. */
    private Location parseLocation() {
        in.next(); // loc
        in.expectPunct('(');
        Location loc;
        Token t = in.peek();
        if (t.isIdent("unknown")) {
            in.next();
            loc = Location.UNKNOWN;
        } else if (t.kind() == Kind.STRING) {
            in.next();
            if (in.peek().isPunct(':')) {
                in.next();
                Token lineTok = in.peek();
                int line = positiveInt("a line number");
                in.expectPunct(':');
                int col = positiveInt("a column number");
                loc = line > 0 && col > 0 ? Location.file(t.text(), line, col) : Location.UNKNOWN;
                if (line <= 0 || col <= 0) in.error(lineTok, "line and column numbers start at 1");
            } else {
                loc = Location.named(t.text());
            }
        } else {
            throw in.expected("a location (a quoted file or name, or 'unknown')");
        }
        in.expectPunct(')');
        return loc;
    }

    private int positiveInt(String what) {
        Token t = in.expect(Kind.NUMBER, what);
        try {
            return Integer.parseInt(t.text());
        } catch (NumberFormatException e) {
            in.error(t, "expected " + what + ", got " + t.describe());
            return 1;
        }
    }
}

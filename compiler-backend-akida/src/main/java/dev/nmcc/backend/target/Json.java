package dev.nmcc.backend.target;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.nmcc.ir.diag.Diagnostic;
import dev.nmcc.ir.loc.Location;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON document as a small tree whose every value and key knows its line and column (read with
 * jackson-core's streaming parser), so that validation can point at the offending token.
 */
final class Json {
    private Json() {}

    sealed interface Value permits Obj, Arr, Num, Str, Lit {
        Location loc();

        /** How the value appears in an error message: {@code -4}, {@code "one"}, {@code a list}. */
        String describe();
    }

    /** One key of an object, with where the key is written. */
    record Member(String key, Location keyLoc, Value value) {}

    record Obj(Location loc, Map<String, Member> members) implements Value {
        @Override public String describe() { return "an object"; }
    }

    record Arr(Location loc, List<Value> items) implements Value {
        @Override public String describe() { return items.isEmpty() ? "an empty list" : "a list"; }
    }

    /** A number as written; {@code integral} when it has neither fraction nor exponent. */
    record Num(Location loc, String text, boolean integral) implements Value {
        @Override public String describe() { return text; }
    }

    record Str(Location loc, String value) implements Value {
        @Override public String describe() { return "\"" + value + "\""; }
    }

    /** {@code true}, {@code false} or {@code null}. */
    record Lit(Location loc, String text) implements Value {
        @Override public String describe() { return text; }
    }

    /** Thrown for malformed JSON; carries the located diagnostic. */
    static final class SyntaxError extends Exception {
        final transient Diagnostic diagnostic;

        SyntaxError(Diagnostic d) {
            super(d.message(), null, false, false);
            this.diagnostic = d;
        }
    }

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    /** Parses one JSON value (the whole text); duplicate keys are reported through {@code duplicates}. */
    static Value parse(String text, String file, List<Diagnostic> duplicates) throws SyntaxError {
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) throw new SyntaxError(Diagnostic.error(Location.file(file, 1, 1), "empty file; expected a JSON object"));
            Value v = read(p, t, file, duplicates);
            if (p.nextToken() != null) {
                throw new SyntaxError(Diagnostic.error(loc(file, p.currentTokenLocation()), "unexpected content after the end of the JSON object"));
            }
            return v;
        } catch (JsonProcessingException e) {
            throw new SyntaxError(Diagnostic.error(loc(file, e.getLocation()), "malformed JSON: " + clean(e.getOriginalMessage())));
        } catch (IOException e) { // reading from a String: only malformed input gets here
            throw new SyntaxError(Diagnostic.error(Location.file(file, 1, 1), "malformed JSON: " + e.getMessage()));
        }
    }

    private static Value read(JsonParser p, JsonToken t, String file, List<Diagnostic> duplicates) throws IOException {
        Location here = loc(file, p.currentTokenLocation());
        switch (t) {
            case START_OBJECT -> {
                Map<String, Member> members = new LinkedHashMap<>();
                for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
                    String key = p.currentName();
                    Location keyLoc = loc(file, p.currentTokenLocation());
                    Value v = read(p, p.nextToken(), file, duplicates);
                    Member previous = members.get(key);
                    if (previous != null) {
                        duplicates.add(Diagnostic.error(keyLoc, "duplicate field '" + key + "'").withNote(previous.keyLoc(), "first given here"));
                    } else {
                        members.put(key, new Member(key, keyLoc, v));
                    }
                }
                return new Obj(here, members);
            }
            case START_ARRAY -> {
                List<Value> items = new ArrayList<>();
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) items.add(read(p, e, file, duplicates));
                return new Arr(here, items);
            }
            case VALUE_NUMBER_INT -> { return new Num(here, p.getText(), true); }
            case VALUE_NUMBER_FLOAT -> { return new Num(here, p.getText(), false); }
            case VALUE_STRING -> { return new Str(here, p.getText()); }
            case VALUE_TRUE, VALUE_FALSE, VALUE_NULL -> { return new Lit(here, p.getText()); }
            default -> throw new IllegalStateException("unexpected JSON token " + t);
        }
    }

    static Location loc(String file, JsonLocation l) {
        if (l == null) return Location.file(file, 1, 1);
        return Location.file(file, Math.max(1, l.getLineNr()), Math.max(1, l.getColumnNr()));
    }

    /** Jackson's message without its source description and trailing position. */
    static String clean(String msg) {
        if (msg == null) return "unreadable input";
        String s = msg.replaceAll("\\s*\\(start marker at \\[Source:[^\\]]*\\]\\)", "")
                .replaceAll("\\s*at \\[Source:[^\\]]*\\]", "");
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }
}

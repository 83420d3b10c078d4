package dev.nmcc.ir.text;

/**
 * Splits {@code .nmir} text into tokens on demand (the parser pulls one at a time, so a large
 * file is never held as a token list). Whitespace and {@code //} comments are skipped. Errors
 * in the characters themselves (an unexpected character, an unterminated string) are reported
 * through {@link Errors} and lexing goes on after them.
 */
final class Lexer {
    enum Kind {
        /** {@code [A-Za-z_][A-Za-z0-9_.$]*}: keywords, op mnemonics, symbols. */
        IDENT,
        /** {@code @name} or {@code @"quoted name"}; text is the name. */
        AT,
        /** {@code %name} or {@code %12}; text is what follows the {@code %}. */
        PERCENT,
        /** {@code -?[0-9]+(.[0-9]+)?([eE][+-]?[0-9]+)?}; text is the literal. */
        NUMBER,
        /** A double-quoted string; text is its value, escapes resolved. */
        STRING,
        /** {@code #} and hex digits; text is the digits. */
        HASH,
        /** {@code tensor<...>} or {@code spikes<...>}; text is the whole type. */
        TYPE,
        /** One of {@code = , : ( ) { } [ ] -}. */
        PUNCT,
        EOF
    }

    /** A token: its kind, text, and where it starts (offset, 1-based line and column). */
    record Token(Kind kind, String text, int offset, int line, int col, int endLine) {
        boolean is(Kind k, String t) { return kind == k && text.equals(t); }

        boolean isPunct(char c) { return kind == Kind.PUNCT && text.charAt(0) == c; }

        boolean isIdent(String t) { return is(Kind.IDENT, t); }

        /** The token as a message quotes it. */
        String describe() {
            return switch (kind) {
                case EOF -> "end of file";
                case STRING -> "a string";
                case AT -> "'@" + shorten(text) + "'";
                case PERCENT -> "'%" + shorten(text) + "'";
                case HASH -> "'#" + shorten(text) + "'";
                default -> "'" + shorten(text) + "'";
            };
        }

        private static String shorten(String s) { return s.length() <= 40 ? s : s.substring(0, 37) + "..."; }
    }

    /** Where the lexer reports errors. */
    interface Errors {
        void error(int line, int col, String message);
    }

    /** The span of a base64 literal's content, between its quotes. */
    record Span(int start, int end, int line, int col) {}

    private final String src;
    private final int len;
    private final Errors errors;
    private int pos;
    private int line = 1;
    private int lineStart;

    Lexer(String src, Errors errors) {
        this.src = src;
        this.len = src.length();
        this.errors = errors;
    }

    String source() { return src; }

    static boolean isIdentStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }

    static boolean isIdentPart(char c) { return isIdentStart(c) || (c >= '0' && c <= '9') || c == '.' || c == '$'; }

    private static boolean isDigit(char c) { return c >= '0' && c <= '9'; }

    private int col() { return pos - lineStart + 1; }

    private void newline() {
        line++;
        lineStart = pos;
    }

    private void skipTrivia() {
        while (pos < len) {
            char c = src.charAt(pos);
            if (c == '\n') {
                pos++;
                newline();
            } else if (c == ' ' || c == '\t' || c == '\r') {
                pos++;
            } else if (c == '/' && pos + 1 < len && src.charAt(pos + 1) == '/') {
                while (pos < len && src.charAt(pos) != '\n') pos++;
            } else {
                return;
            }
        }
    }

    Token next() {
        while (true) {
            skipTrivia();
            if (pos >= len) return new Token(Kind.EOF, "", pos, line, col(), line);
            int start = pos;
            int col = col();
            char c = src.charAt(pos);
            if (isIdentStart(c)) {
                String id = ident();
                if ((id.equals("tensor") || id.equals("spikes")) && pos < len && src.charAt(pos) == '<') {
                    while (pos < len && src.charAt(pos) != '>' && src.charAt(pos) != '\n') pos++;
                    if (pos >= len || src.charAt(pos) != '>') {
                        errors.error(line, col, "unterminated type '" + src.substring(start, pos) + "'");
                        continue;
                    }
                    pos++;
                    return token(Kind.TYPE, src.substring(start, pos), start, col);
                }
                return token(Kind.IDENT, id, start, col);
            }
            switch (c) {
                case '@' -> {
                    pos++;
                    if (pos < len && src.charAt(pos) == '"') {
                        String s = string(col);
                        if (s != null) return token(Kind.AT, s, start, col);
                        continue;
                    }
                    if (pos < len && isIdentStart(src.charAt(pos))) return token(Kind.AT, ident(), start, col);
                    errors.error(line, col, "expected a name after '@'");
                    continue;
                }
                case '%' -> {
                    pos++;
                    if (pos < len && isIdentStart(src.charAt(pos))) return token(Kind.PERCENT, ident(), start, col);
                    if (pos < len && isDigit(src.charAt(pos))) {
                        while (pos < len && isDigit(src.charAt(pos))) pos++;
                        return token(Kind.PERCENT, src.substring(start + 1, pos), start, col);
                    }
                    errors.error(line, col, "expected a value name after '%'");
                    continue;
                }
                case '"' -> {
                    String s = string(col);
                    if (s != null) return token(Kind.STRING, s, start, col);
                    continue;
                }
                case '#' -> {
                    pos++;
                    while (pos < len && Character.digit(src.charAt(pos), 16) >= 0) pos++;
                    if (pos == start + 1) {
                        errors.error(line, col, "expected hex digits after '#'");
                        continue;
                    }
                    return token(Kind.HASH, src.substring(start + 1, pos), start, col);
                }
                case '=', ',', ':', '(', ')', '{', '}', '[', ']' -> {
                    pos++;
                    return token(Kind.PUNCT, String.valueOf(c), start, col);
                }
                case '-' -> {
                    if (pos + 1 < len && isDigit(src.charAt(pos + 1))) return number(start, col);
                    pos++;
                    return token(Kind.PUNCT, "-", start, col);
                }
                default -> {
                    if (isDigit(c)) return number(start, col);
                    pos++;
                    errors.error(line, col, "unexpected character " + quoteChar(c));
                }
            }
        }
    }

    private static String quoteChar(char c) {
        return c < 0x20 || c == 0x7f ? String.format("U+%04X", (int) c) : "'" + c + "'";
    }

    private Token token(Kind kind, String text, int start, int col) { return new Token(kind, text, start, line, col, line); }

    private String ident() {
        int start = pos;
        while (pos < len && isIdentPart(src.charAt(pos))) pos++;
        return src.substring(start, pos);
    }

    private Token number(int start, int col) {
        if (src.charAt(pos) == '-') pos++;
        while (pos < len && isDigit(src.charAt(pos))) pos++;
        if (pos + 1 < len && src.charAt(pos) == '.' && isDigit(src.charAt(pos + 1))) {
            pos++;
            while (pos < len && isDigit(src.charAt(pos))) pos++;
        }
        if (pos < len && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
            int save = pos;
            pos++;
            if (pos < len && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) pos++;
            if (pos < len && isDigit(src.charAt(pos))) {
                while (pos < len && isDigit(src.charAt(pos))) pos++;
            } else {
                pos = save;
            }
        }
        return token(Kind.NUMBER, src.substring(start, pos), start, col);
    }

    /** A string literal starting at pos (the opening quote); null after reporting an error. */
    private String string(int col) {
        int startLine = line;
        pos++;
        StringBuilder sb = new StringBuilder();
        while (pos < len) {
            char c = src.charAt(pos);
            if (c == '"') {
                pos++;
                return sb.toString();
            }
            if (c == '\n') break;
            if (c == '\\') {
                int escCol = col();
                pos++;
                char e = pos < len ? src.charAt(pos) : '\n';
                switch (e) {
                    case '"' -> sb.append('"');
                    case '\\' -> sb.append('\\');
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        int v = pos + 5 <= len ? parseHex(src, pos + 1, pos + 5) : -1;
                        if (v < 0) {
                            errors.error(line, escCol, "malformed escape '\\u' (expected four hex digits)");
                        } else {
                            sb.append((char) v);
                            pos += 4;
                        }
                    }
                    case '\n' -> {
                        continue; // reported as unterminated below
                    }
                    default -> errors.error(line, escCol, "unknown escape '\\" + e + "'");
                }
                pos++;
                continue;
            }
            sb.append(c);
            pos++;
        }
        errors.error(startLine, col, "unterminated string");
        return null;
    }

    private static int parseHex(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            int d = Character.digit(s.charAt(i), 16);
            if (d < 0) return -1;
            v = v * 16 + d;
        }
        return v;
    }

    /**
     * Lexes the quoted content of a base64 literal, which may span lines; its characters are
     * checked by the decoder. Returns null (after reporting) when there is no such literal.
     */
    Span base64Literal() {
        skipTrivia();
        if (pos >= len || src.charAt(pos) != '"') return null;
        int startLine = line;
        int startCol = col();
        pos++;
        int start = pos;
        int contentLine = line;
        int contentCol = col();
        while (pos < len && src.charAt(pos) != '"') {
            if (src.charAt(pos) == '\n') {
                pos++;
                newline();
            } else {
                pos++;
            }
        }
        if (pos >= len) {
            errors.error(startLine, startCol, "unterminated base64 string");
            return new Span(start, pos, contentLine, contentCol);
        }
        pos++;
        return new Span(start, pos - 1, contentLine, contentCol);
    }

    /** The line the lexer is on (after the last token it returned). */
    int line() { return line; }
}

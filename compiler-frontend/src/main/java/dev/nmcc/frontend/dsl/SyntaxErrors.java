package dev.nmcc.frontend.dsl;

import dev.nmcc.grammar.NmdLexer;
import dev.nmcc.grammar.NmdParser;
import dev.nmcc.ir.diag.Diagnostic;
import dev.nmcc.ir.loc.Location;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.InputMismatchException;
import org.antlr.v4.runtime.Lexer;
import org.antlr.v4.runtime.NoViableAltException;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.IntervalSet;
import org.antlr.v4.runtime.misc.Interval;

/**
 * Turns ANTLR's syntax errors into located diagnostics with human messages
 * ({@code expected ';' after ')'}), and keeps parsing after each so that several are reported.
 * The error strategy phrases the parser's errors; the listener collects them and the lexer's.
 */
final class SyntaxErrors extends BaseErrorListener {
    private final String fileName;
    private final List<Diagnostic> diagnostics = new ArrayList<>();

    SyntaxErrors(String fileName) { this.fileName = fileName; }

    List<Diagnostic> diagnostics() { return diagnostics; }

    /** The strategy that phrases parser errors; install it with {@code parser.setErrorHandler}. */
    DefaultErrorStrategy strategy() { return new Strategy(); }

    private void error(int line, int col0, String message) {
        diagnostics.add(Diagnostic.error(Location.file(fileName, Math.max(1, line), col0 + 1), message));
    }

    /** Lexer errors (parser errors are reported by the strategy directly). */
    @Override
    public void syntaxError(Recognizer<?, ?> recognizer, Object offendingSymbol, int line, int charPositionInLine,
                            String msg, RecognitionException e) {
        if (recognizer instanceof Lexer lexer) {
            int start = lexer._tokenStartCharIndex;
            String text = lexer.getInputStream().getText(Interval.of(start, Math.min(start + 1, lexer.getInputStream().size() - 1)));
            String message;
            if (text.startsWith("/*")) message = "unterminated comment: '/*' without '*/'";
            else if (text.startsWith("\"")) message = "unterminated string";
            else message = "unexpected character '" + text.charAt(0) + "'";
            error(lexer._tokenStartLine, lexer._tokenStartCharPositionInLine, message);
        } else {
            error(line, charPositionInLine, msg);
        }
    }

    /**
     * ANTLR's default strategy, with messages in words and with recovery at statement
     * boundaries: after an error inside a statement the parser skips to the statement's ';', and
     * junk between statements is skipped up to and including the next ';'. This keeps one
     * mistake from cascading into several errors while still reporting later statements' own.
     */
    private final class Strategy extends DefaultErrorStrategy {
        @Override public void recover(Parser p, RecognitionException e) {
            if (insideStatement(p)) {
                skipUntil(p, false);
            } else {
                super.recover(p, e);
            }
        }

        @Override public void sync(Parser p) {
            if (p.getContext() instanceof NmdParser.NetworkContext net && net.LBRACE() != null && !net.LBRACE().getSymbol().getText().isEmpty()
                    && !inErrorRecoveryMode(p) && !startsStatement(p.getInputStream().LA(1))) {
                beginErrorCondition(p);
                Token t = p.getCurrentToken();
                error(t.getLine(), t.getCharPositionInLine(), "expected a statement or '}', found " + describe(t));
                skipUntil(p, true);
                endErrorCondition(p);
                return;
            }
            super.sync(p);
        }

        private static boolean startsStatement(int type) {
            return switch (type) {
                case NmdParser.PARAMS, NmdParser.INPUT, NmdParser.OUTPUT, NmdParser.ID, NmdParser.RANGE, NmdParser.ENCODE,
                     NmdParser.DECODE, NmdParser.RBRACE, Token.EOF -> true;
                default -> false;
            };
        }

        private static boolean insideStatement(Parser p) {
            for (var c = p.getContext(); c != null; c = c.getParent()) {
                if (c instanceof NmdParser.StatementContext) return true;
            }
            return false;
        }

        /**
         * Consumes tokens up to the next ';' (and the ';' too when {@code pastSemi}), or up to '}'
         * or end of file, or up to what looks like the start of the next statement on a later line
         * (a forgotten ';' then costs one error, not the next statement).
         */
        private static void skipUntil(Parser p, boolean pastSemi) {
            var in = p.getInputStream();
            Token last = in.LT(-1);
            int line = last == null ? 0 : last.getLine();
            while (true) {
                int t = in.LA(1);
                if (t == Token.EOF || t == NmdParser.RBRACE) return;
                if (in.LT(1).getLine() > line && (t == NmdParser.INPUT || t == NmdParser.OUTPUT || t == NmdParser.PARAMS
                        || (t == NmdParser.ID && in.LA(2) == NmdParser.ASSIGN))) {
                    return;
                }
                if (t == NmdParser.SEMI) {
                    if (pastSemi) p.consume();
                    return;
                }
                p.consume();
            }
        }

        @Override protected void reportNoViableAlternative(Parser p, NoViableAltException e) {
            expected(p, e.getOffendingToken(), e.getExpectedTokens());
        }

        @Override protected void reportInputMismatch(Parser p, InputMismatchException e) {
            expected(p, e.getOffendingToken(), e.getExpectedTokens());
        }

        @Override protected void reportFailedPredicate(Parser p, org.antlr.v4.runtime.FailedPredicateException e) {
            expected(p, e.getOffendingToken(), e.getExpectedTokens());
        }

        @Override protected void reportUnwantedToken(Parser p) {
            if (inErrorRecoveryMode(p)) return;
            beginErrorCondition(p);
            expected(p, p.getCurrentToken(), getExpectedTokens(p));
        }

        @Override protected void reportMissingToken(Parser p) {
            if (inErrorRecoveryMode(p)) return;
            beginErrorCondition(p);
            expected(p, p.getCurrentToken(), getExpectedTokens(p));
        }

        /**
         * "expected X after 'prev'" at the end of the previous token when the offending token
         * starts a new line (the usual missing ';'), else "expected X, found 'tok'" at the token.
         */
        private void expected(Parser p, Token offending, IntervalSet expecting) {
            String what = expecting == null ? "something else" : describe(expecting);
            Token prev = previous(p, offending);
            if (prev != null && offending.getType() != Token.EOF && offending.getLine() > prev.getLine()) {
                String pt = prev.getText();
                int endCol = prev.getCharPositionInLine() + pt.length();
                if (pt.contains("\n")) {
                    error(prev.getLine(), prev.getCharPositionInLine(), "expected " + what + " after " + describe(prev));
                } else {
                    error(prev.getLine(), endCol, "expected " + what + " after " + describe(prev));
                }
            } else {
                error(offending.getLine(), offending.getCharPositionInLine(), "expected " + what + ", found " + describe(offending));
            }
        }

        private Token previous(Parser p, Token offending) {
            int i = offending.getTokenIndex() - 1;
            var stream = p.getTokenStream();
            while (i >= 0) {
                Token t = stream.get(i);
                if (t.getChannel() == Token.DEFAULT_CHANNEL) return t;
                i--;
            }
            return null;
        }
    }

    static String describe(Token t) {
        if (t.getType() == Token.EOF) return "end of file";
        return "'" + t.getText() + "'";
    }

    /** Expected token sets in words: "';'", "a name", "an expression", "a statement or '}'". */
    static String describe(IntervalSet set) {
        List<Integer> types = set.toList();
        List<String> words = new ArrayList<>();
        boolean expression = types.contains(NmdParser.ID) && types.contains(NmdParser.STRING)
                && types.contains(NmdParser.LBRACK);
        boolean statement = types.contains(NmdParser.INPUT) && types.contains(NmdParser.OUTPUT);
        if (statement) words.add("a statement");
        if (expression) words.add("an expression");
        else if (types.contains(NmdParser.ID) && !statement) words.add("a name");
        for (int t : types) {
            switch (t) {
                case NmdParser.ID, NmdParser.RANGE, NmdParser.ENCODE, NmdParser.DECODE -> { }
                case NmdParser.STRING, NmdParser.LBRACK, NmdParser.MINUS -> { if (!expression) words.add(word(t)); }
                case NmdParser.INT, NmdParser.FLOAT -> { if (!expression) words.add(word(t)); }
                case NmdParser.PARAMS, NmdParser.INPUT, NmdParser.OUTPUT -> { if (!statement) words.add(word(t)); }
                default -> words.add(word(t));
            }
        }
        if (expression) {
            words.remove("an integer");
            words.remove("a number");
        }
        List<String> uniq = words.stream().distinct().toList();
        if (uniq.isEmpty()) return "something else";
        if (uniq.size() == 1) return uniq.getFirst();
        if (uniq.size() > 5) return "one of " + String.join(", ", uniq);
        return String.join(", ", uniq.subList(0, uniq.size() - 1)) + " or " + uniq.getLast();
    }

    private static String word(int type) {
        return switch (type) {
            case Token.EOF -> "end of file";
            case NmdParser.ID -> "a name";
            case NmdParser.INT -> "an integer";
            case NmdParser.FLOAT -> "a number";
            case NmdParser.STRING -> "a string";
            default -> {
                String lit = NmdLexer.VOCABULARY.getLiteralName(type);
                yield lit != null ? lit : NmdLexer.VOCABULARY.getDisplayName(type);
            }
        };
    }
}

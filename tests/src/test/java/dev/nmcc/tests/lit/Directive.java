package dev.nmcc.tests.lit;

/**
 * One FileCheck directive of a case.
 *
 * @param kind    which directive
 * @param pattern the text after the colon, trimmed ({@code {{regex}}} blocks inside)
 * @param line    its 1-based line in the lit file (for failure messages)
 */
public record Directive(Kind kind, String pattern, int line) {
    /** The FileCheck directives the harness understands. */
    public enum Kind {
        CHECK("CHECK"), NEXT("CHECK-NEXT"), SAME("CHECK-SAME"), NOT("CHECK-NOT"), LABEL("CHECK-LABEL"), EMPTY("CHECK-EMPTY");

        private final String spelling;

        Kind(String spelling) { this.spelling = spelling; }

        public String spelling() { return spelling; }

        public static Kind of(String spelling) {
            for (Kind k : values()) if (k.spelling.equals(spelling)) return k;
            throw new IllegalArgumentException(spelling);
        }
    }

    @Override public String toString() { return "// " + kind.spelling + ": " + pattern; }
}

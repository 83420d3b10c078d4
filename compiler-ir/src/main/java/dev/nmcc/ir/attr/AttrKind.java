package dev.nmcc.ir.attr;

/** The kinds of attribute an op schema can ask for. */
public enum AttrKind {
    INT, FLOAT, BOOL, STRING, SYMBOL, BLOB, ARRAY;

    public String describe() {
        return switch (this) {
            case INT -> "an integer";
            case FLOAT -> "a float";
            case BOOL -> "a boolean";
            case STRING -> "a string";
            case SYMBOL -> "a keyword";
            case BLOB -> "a blob reference";
            case ARRAY -> "an array";
        };
    }
}

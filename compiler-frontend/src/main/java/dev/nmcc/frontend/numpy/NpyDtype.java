package dev.nmcc.frontend.numpy;

/** The plain numeric dtypes the reader supports, by their kind letter and item size. */
enum NpyDtype {
    F2('f', 2), F4('f', 4), F8('f', 8),
    I1('i', 1), I2('i', 2), I4('i', 4), I8('i', 8),
    U1('u', 1), U2('u', 2), U4('u', 4), U8('u', 8),
    B1('b', 1);

    final char kind;
    final int size;

    NpyDtype(char kind, int size) {
        this.kind = kind;
        this.size = size;
    }

    boolean isFloat() { return kind == 'f'; }

    /** The dtype of a descr's kind and size ({@code f4}), or null when unsupported. */
    static NpyDtype of(char kind, int size) {
        for (NpyDtype d : values()) if (d.kind == kind && d.size == size) return d;
        return null;
    }
}

package dev.nmcc.ir.type;

/** Element types of tensors. Integer widths below 8 exist for quantized weights. */
public enum ElementType {
    F32("f32", 32, false),
    I32("i32", 32, true),
    I8("i8", 8, true),
    I4("i4", 4, true),
    I2("i2", 2, true),
    /** One bit; as a weight it means ±1 (DESIGN §3). */
    I1("i1", 1, true);

    private final String mnemonic;
    private final int bits;
    private final boolean integer;

    ElementType(String mnemonic, int bits, boolean integer) {
        this.mnemonic = mnemonic;
        this.bits = bits;
        this.integer = integer;
    }

    public String mnemonic() { return mnemonic; }
    public int bits() { return bits; }
    public boolean isInteger() { return integer; }

    /** Smallest value a signed integer of this width holds; 1-bit weights are ±1. */
    public long minValue() {
        if (!integer) throw new IllegalStateException(this + " is not an integer type");
        return this == I1 ? -1 : -(1L << (bits - 1));
    }

    public long maxValue() {
        if (!integer) throw new IllegalStateException(this + " is not an integer type");
        return this == I1 ? 1 : (1L << (bits - 1)) - 1;
    }

    /** The element type with this mnemonic, or null. */
    public static ElementType fromMnemonic(String s) {
        for (ElementType t : values()) if (t.mnemonic.equals(s)) return t;
        return null;
    }

    @Override public String toString() { return mnemonic; }
}

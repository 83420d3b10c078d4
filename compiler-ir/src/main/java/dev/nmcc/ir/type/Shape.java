package dev.nmcc.ir.type;

import java.util.Arrays;

/**
 * A static tensor shape. Immutable; dimensions are positive. A rank-0 shape is a scalar.
 * Element counts are computed in {@code long} so that absurd declared sizes can be refused
 * before anything is allocated.
 */
public final class Shape {
    /** Largest element count a single tensor may declare (2^31 - 1, the Java array limit). */
    public static final long MAX_ELEMENTS = Integer.MAX_VALUE;

    private final int[] dims;

    private Shape(int[] dims) { this.dims = dims; }

    public static Shape of(int... dims) {
        for (int d : dims) {
            if (d <= 0) throw new IllegalArgumentException("dimension must be positive: " + Arrays.toString(dims));
        }
        return new Shape(dims.clone());
    }

    public static final Shape SCALAR = new Shape(new int[0]);

    public int rank() { return dims.length; }
    public int dim(int i) { return dims[i]; }
    public int[] dims() { return dims.clone(); }

    /** The number of elements, exact in long arithmetic (may exceed {@link #MAX_ELEMENTS}). */
    public long elementCountExact() {
        long n = 1;
        for (int d : dims) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** The number of elements; callers that allocate must have checked {@link #isAllocatable()}. */
    public int elementCount() {
        long n = elementCountExact();
        if (n > MAX_ELEMENTS) throw new ArithmeticException("shape " + this + " has too many elements");
        return (int) n;
    }

    public boolean isAllocatable() {
        try {
            return elementCountExact() <= MAX_ELEMENTS;
        } catch (ArithmeticException e) {
            return false;
        }
    }

    /** Dimensions joined by 'x', as in the text form: {@code 1x28x28}; empty for a scalar. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < dims.length; i++) {
            if (i > 0) sb.append('x');
            sb.append(dims[i]);
        }
        return sb.toString();
    }

    @Override public boolean equals(Object o) { return o instanceof Shape s && Arrays.equals(dims, s.dims); }
    @Override public int hashCode() { return Arrays.hashCode(dims); }
    @Override public String toString() { return "[" + text().replace('x', ',') + "]"; }
}

package dev.nmcc.frontend.numpy;

/**
 * A NumPy array read from {@code .npy}: its dtype (as in the header, e.g. {@code <f4}), its
 * shape, and its values in C order. Values are converted on request.
 */
public interface NpyArray {
    String dtype();

    int[] shape();

    long elementCount();

    /** All values as float32 (integers converted; uint8 NOT scaled). */
    float[] asFloats();

    /** All values as longs; fails for float arrays with non-integer values. */
    long[] asLongs();
}

package dev.nmcc.frontend.onnx;

import java.util.Arrays;

/**
 * A tensor whose value is known at import time: an initializer, a Constant node, or the result
 * of folding a shape computation. Float tensors keep float32 values; integer tensors (shapes,
 * indices) keep longs.
 */
record ConstTensor(long[] dims, float[] floats, long[] longs) {
    static ConstTensor ofFloats(long[] dims, float[] v) { return new ConstTensor(dims, v, null); }

    static ConstTensor ofLongs(long[] dims, long[] v) { return new ConstTensor(dims, null, v); }

    static ConstTensor vector(long... v) { return ofLongs(new long[] {v.length}, v); }

    boolean isFloat() { return floats != null; }

    int size() { return isFloat() ? floats.length : longs.length; }

    long longAt(int i) { return isFloat() ? (long) floats[i] : longs[i]; }

    double doubleAt(int i) { return isFloat() ? floats[i] : longs[i]; }

    long[] asLongs() {
        if (!isFloat()) return longs;
        long[] out = new long[floats.length];
        for (int i = 0; i < out.length; i++) out[i] = (long) floats[i];
        return out;
    }

    float[] asFloats() {
        if (isFloat()) return floats;
        float[] out = new float[longs.length];
        for (int i = 0; i < out.length; i++) out[i] = longs[i];
        return out;
    }

    int rank() { return dims.length; }

    @Override public String toString() { return "const" + Arrays.toString(dims); }
}

package dev.nmcc.ir.interp;

import dev.nmcc.ir.type.Shape;
import java.util.Objects;

/**
 * A batch of samples of one tensor: {@code samples} rows of {@code sampleShape}, contiguous in
 * C order ({@code data[s * sampleSize + i]}). The array is shared, not copied.
 */
public record Batch(int samples, Shape sampleShape, float[] data) {
    public Batch {
        Objects.requireNonNull(sampleShape, "sampleShape");
        Objects.requireNonNull(data, "data");
        if (samples < 0) throw new IllegalArgumentException("negative sample count");
        if ((long) samples * sampleShape.elementCount() != data.length) {
            throw new IllegalArgumentException(data.length + " values for " + samples + " samples of " + sampleShape);
        }
    }

    public int sampleSize() { return sampleShape.elementCount(); }

    /** Value i of sample s. */
    public float get(int s, int i) { return data[s * sampleSize() + i]; }

    /** A copy of one sample's values. */
    public float[] sample(int s) {
        int n = sampleSize();
        float[] out = new float[n];
        System.arraycopy(data, s * n, out, 0, n);
        return out;
    }
}

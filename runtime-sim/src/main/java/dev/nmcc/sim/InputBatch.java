package dev.nmcc.sim;

import java.util.Objects;

/**
 * The values of one network input for several samples: {@code samples × sampleSize} floats in
 * C order, sample after sample (the sample shape is the input's, from the binary).
 */
public record InputBatch(int samples, float[] data) {
    public InputBatch {
        Objects.requireNonNull(data, "data");
        if (samples < 0) throw new IllegalArgumentException("samples must not be negative");
    }
}

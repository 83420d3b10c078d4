package dev.nmcc.frontend.numpy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads and writes NumPy {@code .npy} and {@code .npz} files (float32, float64, uint8, int64,
 * and the other plain numeric dtypes). Malformed files raise {@link NpyFormatException} with a
 * message naming the file and the problem; declared sizes are checked against the file size
 * before anything is allocated.
 */
public final class Npy {
    private Npy() {}

    public static NpyArray read(Path file) throws IOException {
        throw new UnsupportedOperationException("Npy: not implemented yet");
    }

    /** Every array of an {@code .npz} archive, by name (without the {@code .npy} suffix), in archive order. */
    public static Map<String, NpyArray> readNpz(Path file) throws IOException {
        throw new UnsupportedOperationException("Npy: not implemented yet");
    }

    /** Writes a float32 array atomically (temporary file, then rename). */
    public static void writeFloats(Path file, int[] shape, float[] data) throws IOException {
        throw new UnsupportedOperationException("Npy: not implemented yet");
    }
}

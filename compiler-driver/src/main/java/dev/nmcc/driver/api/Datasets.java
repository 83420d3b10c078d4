package dev.nmcc.driver.api;

import dev.nmcc.frontend.numpy.Npy;
import dev.nmcc.frontend.numpy.NpyArray;
import dev.nmcc.frontend.numpy.NpyFormatException;
import dev.nmcc.ir.interp.Batch;
import dev.nmcc.ir.type.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.OptionalDouble;

/**
 * Reads data sets from NumPy files into batches. Inputs: float32, float64, int64 (and the
 * other integer dtypes) and uint8; uint8 is scaled by 1/255 unless a scale is given; an array
 * of shape (N, ...) is accepted when each sample's element count equals the model input's, and
 * is reshaped in C order. Labels: a vector of N integers (int64, int32, uint8, ...).
 */
public final class Datasets {
    private Datasets() {}

    /**
     * Reads the samples of {@code file} as batches of {@code sampleShape}.
     *
     * @param scale multiplies every value; default 1/255 for uint8 and 1 otherwise
     * @param limit keep only the first {@code limit} samples (0: all); a limit beyond the data is an
     *     error (--limit), not a silent shortening
     */
    public static Inputs readInputs(Path file, Shape sampleShape, OptionalDouble scale, int limit) {
        return inputs(read(file, "data"), file, sampleShape, scale, limit);
    }

    /** As {@link #readInputs}, for an array already read ({@code file} names it in messages). */
    public static Inputs inputs(NpyArray a, Path file, Shape sampleShape, OptionalDouble scale, int limit) {
        String kind = dtypeKind(a.dtype());
        if (!(kind.equals("f") || kind.equals("i") || kind.equals("u"))) {
            throw UserErrors.error("data '" + file + "' has dtype " + a.dtype() + "; expected float32, float64, int64 or uint8");
        }
        int[] shape = a.shape();
        long sampleSize = sampleShape.elementCountExact();
        long n;
        if (shape.length >= 1 && product(shape, 1) == sampleSize) {
            n = shape[0];
        } else if (Arrays.equals(shape, sampleShape.dims())) {
            n = 1; // a single sample without the batch dimension
        } else {
            throw UserErrors.error("data '" + file + "' has shape " + shapeText(shape) + ", which does not fit the model input "
                    + sampleShape + ": expected (N, ...) with " + sampleSize + " values per sample");
        }
        if (n == 0) throw UserErrors.error("data '" + file + "' holds no samples");
        if (limit > n) throw UserErrors.error("--limit " + limit + " is beyond the data: '" + file + "' holds " + n + " samples");
        int keep = (int) (limit > 0 ? limit : n);
        double s = scale.orElse(a.dtype().endsWith("u1") ? 1.0 / 255.0 : 1.0);
        float[] all = a.asFloats();
        float[] data = keep == n ? all : Arrays.copyOf(all, Math.toIntExact(keep * sampleSize));
        if (s != 1.0) for (int i = 0; i < data.length; i++) data[i] = (float) (data[i] * s);
        return new Inputs(new Batch(keep, sampleShape, data), Math.toIntExact(n));
    }

    /**
     * The samples read.
     *
     * @param total the number of samples in the file (more than the batch holds under a limit)
     */
    public record Inputs(Batch batch, int total) {}

    /** Reads {@code n} integer class labels (the first n of the file, which must hold at least n). */
    public static int[] readLabels(Path file, int n, int total, int classes) {
        return labels(read(file, "labels"), file, n, total, classes);
    }

    /** As {@link #readLabels}, for an array already read. */
    public static int[] labels(NpyArray a, Path file, int n, int total, int classes) {
        String kind = dtypeKind(a.dtype());
        if (!(kind.equals("i") || kind.equals("u"))) {
            throw UserErrors.error("labels '" + file + "' have dtype " + a.dtype() + "; expected integers (int64, int32 or uint8)");
        }
        int[] shape = a.shape();
        boolean vector = shape.length == 1 || (shape.length == 2 && shape[1] == 1);
        if (!vector || shape[0] != total) {
            throw UserErrors.error("labels '" + file + "' have shape " + shapeText(shape) + "; expected (" + total
                    + ",), one label per data sample");
        }
        long[] v = a.asLongs();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            if (v[i] < 0 || v[i] >= classes) {
                throw UserErrors.error("label " + v[i] + " at index " + i + " of '" + file + "' is not a class of the model's "
                        + classes + " outputs");
            }
            out[i] = (int) v[i];
        }
        return out;
    }

    static NpyArray read(Path file, String what) {
        if (Files.isDirectory(file)) throw UserErrors.error("cannot read " + what + " '" + file + "': it is a directory");
        try {
            return Npy.read(file);
        } catch (NpyFormatException e) {
            throw UserErrors.error("cannot read " + what + " '" + file + "': " + e.getMessage());
        } catch (IOException e) {
            throw UserErrors.io("read " + what, file, e);
        }
    }

    /** The dtype's kind letter ({@code f}, {@code i}, {@code u}, {@code b}, ...), ignoring byte order. */
    static String dtypeKind(String dtype) {
        String d = dtype.isEmpty() || "<>|=".indexOf(dtype.charAt(0)) < 0 ? dtype : dtype.substring(1);
        return d.isEmpty() ? "" : d.substring(0, 1);
    }

    static long product(int[] dims, int from) {
        long p = 1;
        for (int i = from; i < dims.length; i++) p *= dims[i];
        return p;
    }

    static String shapeText(int[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(shape[i]);
        }
        if (shape.length == 1) sb.append(',');
        return sb.append(')').toString();
    }
}

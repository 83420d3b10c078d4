package dev.nmcc.frontend.dsl;

import dev.nmcc.frontend.numpy.NpyArray;
import dev.nmcc.ir.blob.Blob;
import dev.nmcc.ir.blob.BlobTable;
import dev.nmcc.ir.type.ElementType;
import dev.nmcc.ir.type.Shape;
import dev.nmcc.ir.type.TensorType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.antlr.v4.runtime.Token;

/**
 * Where a network's parameter tensors come from: the arrays of its {@code params} files, and the
 * blobs generated for {@code zeros}, {@code ones} and {@code random(seed = N)}. Params keys the
 * program mentions are reserved up front, so that generated blob names never take them.
 */
final class ParameterStore {
    private final BlobTable.Builder blobs;
    private final CallArgs.Reporter reporter;
    private final List<Params> params = new ArrayList<>();
    private final Set<String> reservedKeys = new HashSet<>();
    private boolean paramsFailed;
    private boolean paramsDeclared;

    ParameterStore(BlobTable.Builder blobs, CallArgs.Reporter reporter) {
        this.blobs = blobs;
        this.reporter = reporter;
    }

    /** Keeps {@code key} (a params key the program mentions) from being used for a generated blob. */
    void reserve(String key) { reservedKeys.add(key); }

    /** The program has a params statement (whether or not its file could be read). */
    void declared() { paramsDeclared = true; }

    /** A params file could not be read: missing arrays are then not reported again. */
    void failedToLoad() { paramsFailed = true; }

    /** A params file that was read. */
    void add(Params p) { params.add(p); }

    /** A new blob named after {@code generated}, all zeros or all ones. */
    String constant(String generated, int[] shape, boolean ones) {
        String blob = freshName(generated);
        blobs.add(Blob.ofFloats(blob, new TensorType(Shape.of(shape), ElementType.F32),
                RandomInit.constant(Shape.of(shape).elementCount(), ones ? 1f : 0f)));
        return blob;
    }

    /** A new blob named after {@code generated}, Kaiming-uniform from {@code seed} for {@code fanIn} inputs. */
    String random(String generated, int[] shape, long seed, long fanIn) {
        String blob = freshName(generated);
        blobs.add(Blob.ofFloats(blob, new TensorType(Shape.of(shape), ElementType.F32),
                RandomInit.kaimingUniform(seed, Shape.of(shape).elementCount(), fanIn)));
        return blob;
    }

    /**
     * The blob of params array {@code key} (read from the params files once, then shared), checked
     * against {@code shape}; null after an error (reported, unless the params file itself failed).
     */
    String resolve(String role, String key, int[] shape, Token at) {
        Blob existing = blobs.get(key);
        if (existing != null && reservedKeys.contains(key)) {
            if (!existing.type().shape().equals(Shape.of(shape))) {
                reporter.error(at, role + " " + key + " has shape " + dims(existing.type().shape()) + ", expected " + dims(shape));
                return null;
            }
            return key;
        }
        NpyArray arr = null;
        for (Params p : params) {
            arr = p.arrays().get(key);
            if (arr != null) break;
        }
        if (arr == null) {
            if (paramsFailed) return null;
            if (!paramsDeclared) {
                reporter.error(at, "parameter '" + key + "' needs a params file: add params \"FILE.npz\"; to the network");
            } else {
                Params p = params.getFirst();
                List<String> all = params.stream().flatMap(x -> x.arrays().keySet().stream()).toList();
                String suggestion = Suggestions.closest(key, all);
                reporter.error(at, "array '" + key + "' not found in " + p.writtenPath()
                        + (suggestion != null ? "; did you mean '" + suggestion + "'?" : " (it has " + p.someKeys() + ")"));
            }
            return null;
        }
        if (!Arrays.equals(arr.shape(), shape)) {
            reporter.error(at, role + " " + key + " has shape " + dims(arr.shape()) + ", expected " + dims(shape));
            return null;
        }
        float[] values = arr.asFloats();
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                reporter.error(at, role + " " + key + " holds " + values[i] + " at index " + i + "; parameters must be finite");
                return null;
            }
        }
        reservedKeys.add(key);
        blobs.add(Blob.ofFloats(key, new TensorType(Shape.of(shape), ElementType.F32), values));
        return key;
    }

    private String freshName(String base) {
        String n = base;
        for (int i = 1; blobs.contains(n) || reservedKeys.contains(n); i++) n = base + "." + i;
        return n;
    }

    private static String dims(int[] shape) { return Arrays.toString(shape); }

    private static String dims(Shape s) { return Arrays.toString(s.dims()); }
}

package dev.nmcc.ir.interp;

import dev.nmcc.ir.attr.Attribute;
import dev.nmcc.ir.attr.Attributes;
import dev.nmcc.ir.blob.Blob;
import dev.nmcc.ir.blob.BlobTable;

/**
 * How an {@link SnnPlan} reads an op's parameters: weight and bias blobs in float or integer form
 * (an integer-form projection takes a float blob only when every value is an integer), per-channel
 * neuron parameters expanded to one value per neuron, integral neuron attributes, and the
 * transposes that lay dense weights out as {@code [in][out]} rows.
 */
final class SnnParameters {
    private SnnParameters() {}

    /**
     * A per-channel neuron parameter (a blob of shape [C], as quantize-weights writes per-channel
     * thresholds) expanded to one value per neuron (channel = neuron / (n / C)); null when the
     * attribute is a number or absent.
     */
    static long[] perNeuronInts(BlobTable blobs, Attributes a, String attr, int n) {
        Blob b = a.getBlob(attr) == null ? null : blobs.get(a.getBlob(attr));
        if (b == null) return null;
        long[] out = new long[n];
        int per = n / b.size();
        for (int k = 0; k < n; k++) {
            double v = b.get(k / per);
            if (v != Math.rint(v)) {
                throw new IllegalArgumentException("'" + attr + "' @" + b.name() + " of an integer-form population must hold integers");
            }
            out[k] = (long) v;
        }
        return out;
    }

    /** As {@link #perNeuronInts}, in float form. */
    static float[] perNeuronFloats(BlobTable blobs, Attributes a, String attr, int n) {
        Blob b = a.getBlob(attr) == null ? null : blobs.get(a.getBlob(attr));
        if (b == null) return null;
        float[] out = new float[n];
        int per = n / b.size();
        for (int k = 0; k < n; k++) out[k] = (float) b.get(k / per);
        return out;
    }

    static long integral(Attributes a, String attr, long dflt) {
        return switch (a.getOrNull(attr)) {
            case null -> dflt;
            case Attribute.BlobRef r -> dflt; // per-channel: perNeuronInts
            case Attribute.Int(long v) -> v;
            case Attribute.Float(double v) when v == Math.rint(v) && Math.abs(v) < 0x1p62 -> (long) v;
            default -> throw new IllegalArgumentException("'" + attr + "' of an integer-form population must be an integer, got "
                    + a.getOrNull(attr).text());
        };
    }

    /** The blob an attribute names; an unknown blob is an error. */
    static Blob blob(BlobTable blobs, Attributes a, String attr) {
        Blob b = blobs.get(a.getBlob(attr));
        if (b == null) throw new IllegalArgumentException("unknown blob @" + a.getBlob(attr));
        return b;
    }

    /** Rows of the transposed matrix: {@code out[i][j] = src[j · cols + i]} for a row-major {@code rows × cols} src. */
    static int[][] transpose(int[] src, int rows, int cols) {
        int[][] out = new int[cols][rows];
        // In bands of 16 source rows: the reads stream along 16 rows, each write fills 16 neighbours.
        for (int j0 = 0; j0 < rows; j0 += 16) {
            int j1 = Math.min(rows, j0 + 16);
            for (int i = 0; i < cols; i++) {
                int[] o = out[i];
                for (int j = j0; j < j1; j++) o[j] = src[j * cols + i];
            }
        }
        return out;
    }

    /** As {@link #transpose(int[], int, int)}. */
    static float[][] transpose(float[] src, int rows, int cols) {
        float[][] out = new float[cols][rows];
        for (int j0 = 0; j0 < rows; j0 += 16) {
            int j1 = Math.min(rows, j0 + 16);
            for (int i = 0; i < cols; i++) {
                float[] o = out[i];
                for (int j = j0; j < j1; j++) o[j] = src[j * cols + i];
            }
        }
        return out;
    }

    static float[] floats(Blob b) {
        if (b.isFloat()) return b.floats();
        float[] out = new float[b.size()];
        for (int i = 0; i < out.length; i++) out[i] = (float) b.get(i);
        return out;
    }

    /** An integer blob's values; a float blob only when every value is an integer in the i32 range. */
    static int[] integers(Blob b, String what) {
        if (!b.isFloat()) return b.ints();
        float[] f = b.floats();
        int[] out = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            if (f[i] != Math.rint(f[i]) || Math.abs(f[i]) > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("integer-form projection with a non-integer " + what + " (@" + b.name() + "[" + i
                        + "] = " + f[i] + ")");
            }
            out[i] = (int) f[i];
        }
        return out;
    }
}

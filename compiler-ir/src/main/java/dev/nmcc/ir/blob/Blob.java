package dev.nmcc.ir.blob;

import dev.nmcc.ir.type.ElementType;
import dev.nmcc.ir.type.TensorType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A named constant tensor (weights, biases, BN statistics). Float blobs hold a {@code float[]},
 * integer blobs (i32 … i1) an {@code int[]} with one element per entry, in C order.
 *
 * <p>The arrays are shared, not copied, so that a 100 M-synapse model is not duplicated on
 * every pass: callers must treat them as read-only and build a new blob to change content.
 * Equality is by name, type and content hash.
 */
public final class Blob {
    private final String name;
    private final TensorType type;
    private final float[] floats;
    private final int[] ints;
    private volatile String hash;

    private Blob(String name, TensorType type, float[] floats, int[] ints) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
        if (name.isEmpty()) throw new IllegalArgumentException("blob name is empty");
        int n = type.shape().elementCount();
        int len = floats != null ? floats.length : ints.length;
        if (len != n) {
            throw new IllegalArgumentException("blob " + name + ": " + len + " values for shape " + type.shape());
        }
        this.floats = floats;
        this.ints = ints;
    }

    /** A float blob; {@code type} must have element type f32. */
    public static Blob ofFloats(String name, TensorType type, float[] data) {
        if (type.elementType() != ElementType.F32) throw new IllegalArgumentException("float data for " + type);
        return new Blob(name, type, data, null);
    }

    /** An integer blob; every value must fit the element type (1-bit values are -1 or +1). */
    public static Blob ofInts(String name, TensorType type, int[] data) {
        ElementType et = type.elementType();
        if (!et.isInteger()) throw new IllegalArgumentException("integer data for " + type);
        for (int v : data) {
            if (v < et.minValue() || v > et.maxValue() || (et == ElementType.I1 && v == 0)) {
                throw new IllegalArgumentException("blob " + name + ": value " + v + " does not fit " + et);
            }
        }
        return new Blob(name, type, null, data);
    }

    public String name() { return name; }
    public TensorType type() { return type; }
    public boolean isFloat() { return floats != null; }

    /** The float values (read-only by contract). */
    public float[] floats() {
        if (floats == null) throw new IllegalStateException("blob " + name + " holds " + type.elementType());
        return floats;
    }

    /** The integer values (read-only by contract). */
    public int[] ints() {
        if (ints == null) throw new IllegalStateException("blob " + name + " holds f32");
        return ints;
    }

    public int size() { return floats != null ? floats.length : ints.length; }

    /** Value i as a double, whatever the element type. */
    public double get(int i) { return floats != null ? floats[i] : ints[i]; }

    /** The same content under another name. */
    public Blob renamed(String newName) { return new Blob(newName, type, floats, ints); }

    /**
     * Content hash: the first 16 hex digits of SHA-256 over the type text and the values as
     * little-endian 32-bit words. Stable across runs and machines.
     */
    public String hash() {
        String h = hash;
        if (h == null) {
            hash = h = computeHash();
        }
        return h;
    }

    private String computeHash() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(type.text().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
            int n = size();
            for (int i = 0; i < n; i++) {
                if (!buf.hasRemaining()) {
                    md.update(buf.array(), 0, buf.position());
                    buf.clear();
                }
                if (floats != null) buf.putInt(Float.floatToRawIntBits(floats[i]));
                else buf.putInt(ints[i]);
            }
            md.update(buf.array(), 0, buf.position());
            return HexFormat.of().formatHex(md.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }

    @Override public boolean equals(Object o) {
        return o instanceof Blob b && name.equals(b.name) && type.equals(b.type) && hash().equals(b.hash());
    }

    @Override public int hashCode() { return Objects.hash(name, type); }

    @Override public String toString() { return "@" + name + " : " + type.text(); }
}

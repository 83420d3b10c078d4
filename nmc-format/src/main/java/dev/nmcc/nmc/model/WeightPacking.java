package dev.nmcc.nmc.model;

/**
 * Signed weights packed at their true bit width (1, 2, 4 or 8 bits), little-endian within bytes;
 * 1-bit weights encode ±1 (bit 1 is +1, bit 0 is −1). The layout of {@link SynapseBlock#packed()}.
 */
public final class WeightPacking {
    private WeightPacking() {}

    /** Bytes that {@code n} weights of {@code bits} bits occupy. */
    public static long packedBytes(long n, int bits) { return (n * bits + 7) / 8; }

    /** Whether {@code bits} is a width the format stores. */
    public static boolean isSupported(int bits) { return bits == 1 || bits == 2 || bits == 4 || bits == 8; }

    /** Smallest storable value at {@code bits}. */
    public static int min(int bits) { return bits == 1 ? -1 : -(1 << (bits - 1)); }

    /** Largest storable value at {@code bits}. */
    public static int max(int bits) { return bits == 1 ? 1 : (1 << (bits - 1)) - 1; }

    /**
     * Packs {@code values} at {@code bits} bits.
     *
     * @throws IllegalArgumentException when a value does not fit (1 bit: is not ±1)
     */
    public static byte[] pack(int[] values, int bits) {
        if (!isSupported(bits)) throw new IllegalArgumentException("unsupported weight width " + bits);
        byte[] out = new byte[Math.toIntExact(packedBytes(values.length, bits))];
        int mask = (1 << bits) - 1;
        for (int k = 0; k < values.length; k++) {
            int v = values[k];
            int code;
            if (bits == 1) {
                if (v != 1 && v != -1) throw new IllegalArgumentException("weight " + k + " is " + v + "; 1-bit weights are -1 or +1");
                code = v > 0 ? 1 : 0;
            } else {
                if (v < min(bits) || v > max(bits)) {
                    throw new IllegalArgumentException("weight " + k + " is " + v + ", outside the " + bits + "-bit range [" + min(bits)
                            + ", " + max(bits) + "]");
                }
                code = v & mask;
            }
            long bit = (long) k * bits;
            out[(int) (bit >>> 3)] |= (byte) (code << (bit & 7));
        }
        return out;
    }

    /** Value {@code k} of a packed array. */
    public static int get(byte[] packed, int bits, long k) {
        long bit = k * bits;
        int code = (packed[(int) (bit >>> 3)] >>> (bit & 7)) & ((1 << bits) - 1);
        if (bits == 1) return code == 1 ? 1 : -1;
        return (code << (32 - bits)) >> (32 - bits);
    }

    /** Unpacks {@code n} values. */
    public static int[] unpack(byte[] packed, int bits, int n) {
        int[] out = new int[n];
        for (int k = 0; k < n; k++) out[k] = get(packed, bits, k);
        return out;
    }
}

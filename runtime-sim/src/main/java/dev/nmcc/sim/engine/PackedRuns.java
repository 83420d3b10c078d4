package dev.nmcc.sim.engine;

/**
 * Adds a run of packed weights (the layout of {@code SynapseBlock.packed()}: two's complement at
 * 1, 2, 4 or 8 bits, little-endian within bytes; 1 bit is ±1) to an int vector, unpacking on the
 * fly: {@code out[o + j] += w[start + j]} for {@code j < n}. A dense block stores each input's
 * weights as one such run, so a spike costs one pass over {@code n · bits / 8} bytes and the
 * simulator needs no unpacked copy of the weights. Runs may start and end mid-byte.
 */
final class PackedRuns {
    private PackedRuns() {}

    static void add(int[] out, int o, byte[] p, int bits, long start, int n) {
        if (n <= 0) return;
        switch (bits) {
            case 8 -> add8(out, o, p, (int) start, n);
            case 4 -> add4(out, o, p, start, n);
            case 2 -> add2(out, o, p, start, n);
            default -> add1(out, o, p, start, n);
        }
    }

    private static void add8(int[] out, int o, byte[] p, int b, int n) {
        for (int j = 0; j < n; j++) out[o + j] += p[b + j];
    }

    /** Two values per byte: the low nibble first; a byte's sign extension gives the high nibble's with one shift. */
    private static void add4(int[] out, int o, byte[] p, long start, int n) {
        int b = (int) (start >>> 1), q = o, end = o + n;
        if ((start & 1) != 0 && q < end) out[q++] += p[b++] >> 4;
        int pairs = (end - q) >> 1;
        for (int m = 0; m < pairs; m++) {
            int v = p[b + m];
            out[q + 2 * m] += (v << 28) >> 28;
            out[q + 2 * m + 1] += v >> 4;
        }
        q += 2 * pairs;
        b += pairs;
        if (q < end) out[q] += (p[b] << 28) >> 28;
    }

    private static void add2(int[] out, int o, byte[] p, long start, int n) {
        long bit = start * 2;
        int b = (int) (bit >>> 3), shift = (int) (bit & 7), v = p[b];
        for (int j = 0; j < n; j++) {
            if (shift == 8) {
                v = p[++b];
                shift = 0;
            }
            out[o + j] += (v << (30 - shift)) >> 30;
            shift += 2;
        }
    }

    /** 1-bit codes: 1 is +1, 0 is −1. */
    private static void add1(int[] out, int o, byte[] p, long start, int n) {
        int b = (int) (start >>> 3), shift = (int) (start & 7), v = p[b];
        for (int j = 0; j < n; j++) {
            if (shift == 8) {
                v = p[++b];
                shift = 0;
            }
            out[o + j] += ((v >>> shift) & 1) * 2 - 1;
            shift++;
        }
    }
}

package dev.nmcc.ir.text;

import dev.nmcc.ir.blob.Blob;
import dev.nmcc.ir.type.ElementType;
import java.io.IOException;
import java.util.Arrays;

/**
 * The byte layout of blob data in the {@code resources} section, and its base64 coding.
 * Elements are little-endian: f32 as its raw IEEE 754 bits (4 bytes), i32 as 4 bytes, and
 * i8/i4/i2/i1 as one signed byte each. Encoding streams line by line; decoding is done by the
 * parser on the source text directly (see {@link ResourceDecoder}).
 */
final class BlobData {
    private BlobData() {}

    static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();

    /** Value of each base64 character, -1 for others. */
    static final byte[] DECODE = new byte[128];

    static {
        Arrays.fill(DECODE, (byte) -1);
        for (int i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET[i]] = (byte) i;
    }

    /** Bytes per element in the resource layout. */
    static int width(ElementType t) {
        return switch (t) {
            case F32, I32 -> 4;
            case I8, I4, I2, I1 -> 1;
        };
    }

    /**
     * Appends the blob's bytes as base64 (with padding), in lines of {@code lineChars}
     * characters (a multiple of 4), each preceded by {@code linePrefix}.
     */
    static void appendBase64(Blob b, String linePrefix, int lineChars, Appendable out) throws IOException {
        int w = width(b.type().elementType());
        long total = (long) b.size() * w;
        int lineBytes = lineChars / 4 * 3;
        byte[] buf = new byte[lineBytes];
        char[] chars = new char[lineChars];
        StringBuilder line = new StringBuilder(lineChars);
        float[] floats = b.isFloat() ? b.floats() : null;
        int[] ints = b.isFloat() ? null : b.ints();
        for (long pos = 0; pos < total; pos += lineBytes) {
            int len = (int) Math.min(lineBytes, total - pos);
            for (int j = 0; j < len; j++) {
                long p = pos + j;
                if (w == 4) {
                    int e = (int) (p >>> 2);
                    int bits = floats != null ? Float.floatToRawIntBits(floats[e]) : ints[e];
                    buf[j] = (byte) (bits >>> (8 * (int) (p & 3)));
                } else {
                    buf[j] = (byte) ints[(int) p];
                }
            }
            int n = encode(buf, len, chars);
            line.setLength(0);
            line.append(chars, 0, n);
            out.append(linePrefix).append(line);
        }
    }

    /** Encodes buf[0, len) into out; returns the number of characters written. */
    private static int encode(byte[] buf, int len, char[] out) {
        int o = 0;
        int i = 0;
        for (; i + 3 <= len; i += 3) {
            int v = (buf[i] & 0xff) << 16 | (buf[i + 1] & 0xff) << 8 | (buf[i + 2] & 0xff);
            out[o++] = ALPHABET[v >>> 18];
            out[o++] = ALPHABET[(v >>> 12) & 63];
            out[o++] = ALPHABET[(v >>> 6) & 63];
            out[o++] = ALPHABET[v & 63];
        }
        int rest = len - i;
        if (rest > 0) {
            int v = (buf[i] & 0xff) << 16 | (rest == 2 ? (buf[i + 1] & 0xff) << 8 : 0);
            out[o++] = ALPHABET[v >>> 18];
            out[o++] = ALPHABET[(v >>> 12) & 63];
            out[o++] = rest == 2 ? ALPHABET[(v >>> 6) & 63] : '=';
            out[o++] = '=';
        }
        return o;
    }
}

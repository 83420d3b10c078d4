package dev.nmcc.frontend.numpy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** An array as read: the raw data bytes, decoded on request. */
record NpyData(String dtype, int[] shape, long elementCount, NpyDtype kind, ByteOrder order, byte[] data)
        implements NpyArray {

    @Override public int[] shape() { return shape.clone(); }

    @Override public float[] asFloats() {
        int n = (int) elementCount;
        float[] out = new float[n];
        ByteBuffer b = ByteBuffer.wrap(data).order(order);
        for (int i = 0; i < n; i++) {
            out[i] = switch (kind) {
                case F2 -> Float.float16ToFloat(b.getShort());
                case F4 -> b.getFloat();
                case F8 -> (float) b.getDouble();
                case I1 -> b.get();
                case I2 -> b.getShort();
                case I4 -> b.getInt();
                case I8 -> b.getLong();
                case U1, B1 -> b.get() & 0xff;
                case U2 -> b.getShort() & 0xffff;
                case U4 -> b.getInt() & 0xffffffffL;
                case U8 -> unsignedToFloat(b.getLong());
            };
        }
        return out;
    }

    @Override public long[] asLongs() {
        int n = (int) elementCount;
        long[] out = new long[n];
        ByteBuffer b = ByteBuffer.wrap(data).order(order);
        for (int i = 0; i < n; i++) {
            out[i] = switch (kind) {
                case F2, F4, F8 -> {
                    double v = kind == NpyDtype.F2 ? Float.float16ToFloat(b.getShort())
                            : kind == NpyDtype.F4 ? b.getFloat() : b.getDouble();
                    if (v != Math.rint(v) || Math.abs(v) > 0x1p62) {
                        throw new ArithmeticException("element " + i + " (" + v + ") of a " + dtype + " array is not an integer");
                    }
                    yield (long) v;
                }
                case I1 -> b.get();
                case I2 -> b.getShort();
                case I4 -> b.getInt();
                case I8 -> b.getLong();
                case U1, B1 -> b.get() & 0xff;
                case U2 -> b.getShort() & 0xffff;
                case U4 -> b.getInt() & 0xffffffffL;
                case U8 -> {
                    long v = b.getLong();
                    if (v < 0) throw new ArithmeticException("element " + i + " of a " + dtype + " array exceeds the long range");
                    yield v;
                }
            };
        }
        return out;
    }

    private static float unsignedToFloat(long v) {
        return v >= 0 ? v : (float) ((v >>> 1) * 2.0 + (v & 1));
    }

    @Override public String toString() {
        StringBuilder sb = new StringBuilder("NpyArray(").append(dtype).append(", [");
        for (int i = 0; i < shape.length; i++) sb.append(i > 0 ? ", " : "").append(shape[i]);
        return sb.append("])").toString();
    }
}

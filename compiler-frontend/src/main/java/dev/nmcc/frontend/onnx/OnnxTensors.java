package dev.nmcc.frontend.onnx;

import dev.nmcc.frontend.onnx.proto.OnnxProto.StringStringEntryProto;
import dev.nmcc.frontend.onnx.proto.OnnxProto.TensorProto;
import dev.nmcc.frontend.onnx.proto.OnnxProto.TensorProto.DataType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Decodes ONNX {@code TensorProto}s (raw little-endian bytes, typed fields, or external data
 * files) into {@link ConstTensor}s, checking that the data agrees with the declared dims.
 */
final class OnnxTensors {
    private OnnxTensors() {}

    /** A tensor that cannot be decoded; the message says why. */
    static final class BadTensor extends Exception {
        BadTensor(String message) { super(message, null, false, false); }
    }

    /** Decodes; {@code notes} receives remarks such as "float64 converted to float32". */
    static ConstTensor decode(TensorProto t, Path modelDir, List<String> notes) throws BadTensor {
        long[] dims = new long[t.getDimsCount()];
        long count = 1;
        for (int i = 0; i < dims.length; i++) {
            dims[i] = t.getDims(i);
            if (dims[i] < 0) throw new BadTensor("negative dimension " + dims[i]);
            try {
                count = Math.multiplyExact(count, dims[i]);
            } catch (ArithmeticException e) {
                count = -1;
            }
            if (count < 0 || count > Integer.MAX_VALUE) throw new BadTensor("too many elements for dims " + java.util.Arrays.toString(dims));
        }
        int n = (int) count;
        ByteBuffer raw = rawBytes(t, modelDir);
        DataType type = DataType.forNumber(t.getDataType());
        if (type == null) throw new BadTensor("unknown data type " + t.getDataType());
        return switch (type) {
            case FLOAT -> ConstTensor.ofFloats(dims, floats(t, raw, n));
            case DOUBLE -> {
                notes.add("float64 initializer converted to float32");
                double[] d = new double[n];
                if (raw != null) {
                    expectBytes(raw, n, 8);
                    for (int i = 0; i < n; i++) d[i] = raw.getDouble(i * 8);
                } else {
                    expectCount(t.getDoubleDataCount(), n);
                    for (int i = 0; i < n; i++) d[i] = t.getDoubleData(i);
                }
                float[] f = new float[n];
                for (int i = 0; i < n; i++) f[i] = (float) d[i];
                yield ConstTensor.ofFloats(dims, f);
            }
            case FLOAT16 -> {
                notes.add("float16 initializer converted to float32");
                float[] f = new float[n];
                if (raw != null) {
                    expectBytes(raw, n, 2);
                    for (int i = 0; i < n; i++) f[i] = Float.float16ToFloat(raw.getShort(i * 2));
                } else {
                    expectCount(t.getInt32DataCount(), n);
                    for (int i = 0; i < n; i++) f[i] = Float.float16ToFloat((short) t.getInt32Data(i));
                }
                yield ConstTensor.ofFloats(dims, f);
            }
            case INT64 -> {
                long[] v = new long[n];
                if (raw != null) {
                    expectBytes(raw, n, 8);
                    for (int i = 0; i < n; i++) v[i] = raw.getLong(i * 8);
                } else {
                    expectCount(t.getInt64DataCount(), n);
                    for (int i = 0; i < n; i++) v[i] = t.getInt64Data(i);
                }
                yield ConstTensor.ofLongs(dims, v);
            }
            case INT32, INT16, INT8, UINT8, UINT16, BOOL -> {
                int width = switch (type) { case INT32 -> 4; case INT16, UINT16 -> 2; default -> 1; };
                long[] v = new long[n];
                if (raw != null) {
                    expectBytes(raw, n, width);
                    for (int i = 0; i < n; i++) {
                        v[i] = switch (type) {
                            case INT32 -> raw.getInt(i * 4);
                            case INT16 -> raw.getShort(i * 2);
                            case UINT16 -> raw.getShort(i * 2) & 0xFFFF;
                            case INT8 -> raw.get(i);
                            default -> raw.get(i) & 0xFF;
                        };
                    }
                } else {
                    expectCount(t.getInt32DataCount(), n);
                    for (int i = 0; i < n; i++) v[i] = t.getInt32Data(i);
                }
                yield ConstTensor.ofLongs(dims, v);
            }
            default -> throw new BadTensor("data type " + type + " is not supported");
        };
    }

    private static float[] floats(TensorProto t, ByteBuffer raw, int n) throws BadTensor {
        float[] f = new float[n];
        if (raw != null) {
            expectBytes(raw, n, 4);
            raw.asFloatBuffer().get(f);
        } else {
            expectCount(t.getFloatDataCount(), n);
            for (int i = 0; i < n; i++) f[i] = t.getFloatData(i);
        }
        return f;
    }

    private static void expectBytes(ByteBuffer raw, int n, int width) throws BadTensor {
        if ((long) raw.remaining() != (long) n * width) {
            throw new BadTensor("holds " + raw.remaining() + " bytes of data but its dims need " + ((long) n * width));
        }
    }

    private static void expectCount(int have, int n) throws BadTensor {
        if (have != n) throw new BadTensor("holds " + have + " values but its dims need " + n);
    }

    /** The raw little-endian bytes, from raw_data or an external file; null when typed fields are used. */
    private static ByteBuffer rawBytes(TensorProto t, Path modelDir) throws BadTensor {
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            String location = null;
            long offset = 0;
            long length = -1;
            for (StringStringEntryProto e : t.getExternalDataList()) {
                switch (e.getKey()) {
                    case "location" -> location = e.getValue();
                    case "offset" -> offset = parseLong(e.getValue(), "offset");
                    case "length" -> length = parseLong(e.getValue(), "length");
                    default -> { }
                }
            }
            if (location == null) throw new BadTensor("external data without a location");
            Path file = modelDir.resolve(location).normalize();
            if (!Files.isRegularFile(file)) throw new BadTensor("external data file '" + location + "' not found next to the model");
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = ch.size();
                if (length < 0) length = size - offset;
                if (offset < 0 || offset + length > size || length > Integer.MAX_VALUE) {
                    throw new BadTensor("external data range [" + offset + ", " + (offset + length) + ") lies outside '" + location + "' (" + size + " bytes)");
                }
                ByteBuffer buf = ByteBuffer.allocate((int) length);
                while (buf.hasRemaining()) {
                    if (ch.read(buf, offset + buf.position()) < 0) break;
                }
                return buf.flip().order(ByteOrder.LITTLE_ENDIAN);
            } catch (IOException e) {
                throw new BadTensor("cannot read external data '" + location + "': " + e.getMessage());
            }
        }
        if (!t.hasRawData()) return null;
        return t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    private static long parseLong(String s, String what) throws BadTensor {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new BadTensor("external data " + what + " '" + s + "' is not a number");
        }
    }
}

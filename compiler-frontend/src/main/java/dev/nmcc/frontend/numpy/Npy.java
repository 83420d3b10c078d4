package dev.nmcc.frontend.numpy;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads and writes NumPy {@code .npy} and {@code .npz} files (float32, float64, uint8, int64,
 * and the other plain numeric dtypes). Malformed files raise {@link NpyFormatException} with a
 * message naming the file and the problem; declared sizes are checked against the file size
 * before anything is allocated.
 *
 * <p>Format (numpy.lib.format): the magic {@code \x93NUMPY}, a major and a minor version byte,
 * the header length (2 bytes little-endian in version 1, 4 bytes in versions 2 and 3), then the
 * header, a Python dict literal {@code {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }}
 * padded with spaces and a newline, then the raw data in C order. An {@code .npz} file is a zip
 * archive (stored or deflated) of {@code NAME.npy} entries.
 *
 * <p>Supported dtypes: {@code f2 f4 f8 i1 i2 i4 i8 u1 u2 u4 u8 b1}, little- or big-endian. Only
 * C order: a Fortran-ordered array is refused (write it with {@code np.ascontiguousarray}).
 */
public final class Npy {
    private Npy() {}

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** Largest raw data size read into one array: the Java array limit. */
    static final long MAX_DATA_BYTES = Integer.MAX_VALUE - 16;

    /** Reads one {@code .npy} file. */
    public static NpyArray read(Path file) throws IOException {
        String where = file.toString();
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(where, null, "no such file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, size, where);
        }
    }

    /** Every array of an {@code .npz} archive, by name (without the {@code .npy} suffix), in archive order. */
    public static Map<String, NpyArray> readNpz(Path file) throws IOException {
        String where = file.toString();
        if (!Files.exists(file)) throw new NoSuchFileException(where, null, "no such file");
        Map<String, NpyArray> out = new LinkedHashMap<>();
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new NpyFormatException(where + ": not an .npz file (not a valid zip archive: " + e.getMessage() + ")");
        }
        try (zip) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                if (e.isDirectory()) continue;
                String name = e.getName();
                if (!name.endsWith(".npy")) {
                    throw new NpyFormatException(where + ": entry '" + name + "' is not an .npy array");
                }
                String key = name.substring(0, name.length() - 4);
                try (InputStream in = zip.getInputStream(e)) {
                    out.put(key, read(in, e.getSize(), where + "[" + name + "]"));
                } catch (ZipException ze) {
                    throw new NpyFormatException(where + "[" + name + "]: corrupt archive entry: " + ze.getMessage());
                }
            }
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new NpyFormatException(where + ": corrupt archive: " + e.getMessage());
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * Reads one array from a stream.
     *
     * @param size the number of bytes the stream holds, or -1 when unknown; when known, the
     *     header is checked against it before the data is allocated; when unknown, the data is
     *     read in growing chunks so that memory follows what is really there
     */
    static NpyArray read(InputStream in, long size, String where) throws IOException {
        byte[] pre = readUpTo(in, 10);
        if (pre.length < 10 || !Arrays.equals(Arrays.copyOf(pre, 6), MAGIC)) {
            throw new NpyFormatException(where + ": not a NumPy .npy file (bad magic)");
        }
        int major = pre[6] & 0xff;
        int minor = pre[7] & 0xff;
        long headerLen;
        int prefix;
        if (major == 1) {
            headerLen = (pre[8] & 0xff) | ((pre[9] & 0xff) << 8);
            prefix = 10;
        } else if (major == 2 || major == 3) {
            byte[] more = readUpTo(in, 2);
            if (more.length < 2) throw new NpyFormatException(where + ": truncated header");
            headerLen = (pre[8] & 0xffL) | ((pre[9] & 0xffL) << 8) | ((more[0] & 0xffL) << 16) | ((more[1] & 0xffL) << 24);
            prefix = 12;
        } else {
            throw new NpyFormatException(where + ": unsupported .npy format version " + major + "." + minor);
        }
        if (headerLen > 1 << 20 || (size >= 0 && prefix + headerLen > size)) {
            throw new NpyFormatException(where + ": truncated header (declares " + headerLen + " bytes)");
        }
        byte[] hb = readUpTo(in, (int) headerLen);
        if (hb.length < headerLen) throw new NpyFormatException(where + ": truncated header");
        String header = new String(hb, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        NpyHeader h = NpyHeader.parse(header, where);
        long dataBytes = h.dataBytes();
        if (dataBytes > MAX_DATA_BYTES) {
            throw new NpyFormatException(where + ": array of shape " + h.shapeText() + " (" + h.elementCount()
                    + " elements, " + dataBytes + " bytes) is too large to read");
        }
        if (size >= 0) {
            long available = size - prefix - headerLen;
            if (available < dataBytes) {
                throw new NpyFormatException(where + ": truncated data: shape " + h.shapeText() + " of " + h.descr()
                        + " needs " + dataBytes + " bytes, the file holds " + available);
            }
        }
        byte[] data = readData(in, (int) dataBytes);
        if (data.length < dataBytes) {
            throw new NpyFormatException(where + ": truncated data: shape " + h.shapeText() + " of " + h.descr()
                    + " needs " + dataBytes + " bytes, the file holds " + data.length);
        }
        return new NpyData(h.descr(), h.shape(), h.elementCount(), h.dtype(), h.order(), data);
    }

    /** Reads at most n bytes (fewer only at end of stream). */
    private static byte[] readUpTo(InputStream in, int n) throws IOException {
        return in.readNBytes(n);
    }

    /** Reads up to n bytes in chunks that grow with what was read, never allocating n at once up front. */
    private static byte[] readData(InputStream in, int n) throws IOException {
        final int chunk = 1 << 20;
        if (n <= chunk) return in.readNBytes(n);
        List<byte[]> parts = new ArrayList<>();
        int total = 0;
        int next = chunk;
        while (total < n) {
            byte[] part = in.readNBytes(Math.min(next, n - total));
            if (part.length == 0) break;
            parts.add(part);
            total += part.length;
            if (part.length < Math.min(next, n - total + part.length)) break;
            next = (int) Math.min((long) next * 2, Integer.MAX_VALUE - 16);
        }
        byte[] out = new byte[total];
        int pos = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, pos, p.length);
            pos += p.length;
        }
        return out;
    }

    /**
     * Writes a float32 array to {@code out} (not closed). Writing it to a file is the caller's
     * business: the driver writes atomically and follows symlinks and devices.
     */
    public static void writeFloats(OutputStream out, int[] shape, float[] data) throws IOException {
        write(out, "<f4", shape, data.length, (buf, i) -> buf.putFloat(data[i]));
    }

    /** Writes a float64 array to {@code out} (exact for integers up to 2^53: decoded potentials, counts). */
    public static void writeDoubles(OutputStream out, int[] shape, double[] data) throws IOException {
        write(out, "<f8", shape, data.length, (buf, i) -> buf.putDouble(data[i]));
    }

    /** Writes a float32 array to a new or replaced file (plainly: for tests and tools). */
    public static void writeFloats(Path file, int[] shape, float[] data) throws IOException {
        checkShape(shape, data.length);
        try (OutputStream out = Files.newOutputStream(file)) {
            writeFloats(out, shape, data);
        }
    }

    /** Writes a float64 array to a new or replaced file (plainly: for tests and tools). */
    public static void writeDoubles(Path file, int[] shape, double[] data) throws IOException {
        checkShape(shape, data.length);
        try (OutputStream out = Files.newOutputStream(file)) {
            writeDoubles(out, shape, data);
        }
    }

    /** Puts element i into the buffer. */
    private interface ElementWriter {
        void put(ByteBuffer buf, int i);
    }

    /** Refuses a shape that does not hold {@code length} values, before anything is written. */
    private static void checkShape(int[] shape, int length) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            n *= d;
        }
        if (n != length) {
            throw new IllegalArgumentException(length + " values for shape " + Arrays.toString(shape));
        }
    }

    private static void write(OutputStream sink, String descr, int[] shape, int length, ElementWriter element) throws IOException {
        checkShape(shape, length);
        OutputStream out = new BufferedOutputStream(sink, 1 << 16);
        out.write(headerBytes(descr, shape));
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < length; i++) {
            if (buf.remaining() < 8) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            element.put(buf, i);
        }
        out.write(buf.array(), 0, buf.position());
        out.flush();
    }

    /** A version 1.0 header: magic, version, length, dict padded so that the data starts at a multiple of 64. */
    static byte[] headerBytes(String descr, int[] shape) {
        StringBuilder dict = new StringBuilder("{'descr': '").append(descr).append("', 'fortran_order': False, 'shape': (");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) dict.append(", ");
            dict.append(shape[i]);
        }
        if (shape.length == 1) dict.append(',');
        dict.append("), }");
        int unpadded = 10 + dict.length() + 1;
        int total = (unpadded + 63) / 64 * 64;
        dict.append(" ".repeat(total - unpadded)).append('\n');
        byte[] text = dict.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(10 + text.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) text.length).put(text);
        return b.array();
    }
}

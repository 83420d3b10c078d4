package dev.nmcc.nmc.io;

import dev.nmcc.nmc.fb.Header;
import dev.nmcc.nmc.fb.NmcFile;
import dev.nmcc.nmc.model.NmcModel;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Reads and validates {@code .nmc} files (docs/binary-format.md, "Validation"). In order: the size
 * (at most 2 GiB), the file identifier, the format version, the body length and its CRC32C, then
 * the body: every vector length against the bytes that remain before anything is allocated, every
 * enum, and finally the model's semantic rules (indices, shapes, tiling, coverage). Any failure is
 * one {@link NmcFormatException} with a one-line message naming the file; never another exception,
 * never an out-of-memory from a length field, never a loop over unchecked data.
 */
public final class NmcReader {
    private NmcReader() {}

    /** The largest file read (FlatBuffers offsets are 32-bit signed). */
    public static final long MAX_FILE_BYTES = (1L << 31) - 1;

    /** Reads and validates {@code file}; messages start with its file name. */
    public static NmcModel read(Path file) {
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new NmcFormatException(name + ": " + size + " bytes is larger than the 2 GiB an .nmc file can hold");
            }
            if (Files.isDirectory(file)) throw new NmcFormatException(name + ": is a directory");
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new NmcFormatException(file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new NmcFormatException(file + ": permission denied");
        } catch (IOException e) {
            throw new NmcFormatException(file + ": cannot read: " + e.getMessage());
        }
        return read(bytes, name);
    }

    /** Reads and validates a file's bytes. */
    public static NmcModel read(byte[] bytes) { return read(bytes, "<bytes>"); }

    /** Reads and validates a file's bytes; {@code name} starts every message. */
    public static NmcModel read(byte[] bytes, String name) {
        try {
            return decode(checkedBody(bytes, name), name);
        } catch (IndexOutOfBoundsException | BufferUnderflowException | IllegalArgumentException | NegativeArraySizeException
                 | ArithmeticException e) {
            // FlatBuffers accessors follow offsets without checking them; a corrupt offset lands here.
            throw new NmcFormatException(name + ": corrupt file (an offset or length points outside the data)");
        }
    }

    /** Checks identifier, version, length and checksum; returns the header and a copy of the body bytes. */
    static Envelope checkedBody(byte[] bytes, String name) {
        if (bytes.length < 8) throw new NmcFormatException(name + ": not an .nmc file (" + bytes.length + " bytes, too short)");
        String id = identifier(bytes);
        if (!id.equals(FormatVersion.IDENTIFIER)) {
            throw new NmcFormatException(name + ": not an .nmc file (identifier '" + id + "', expected '" + FormatVersion.IDENTIFIER + "')");
        }
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        NmcFile file = NmcFile.getRootAsNmcFile(bb);
        Header h = file.header();
        if (h == null) throw new NmcFormatException(name + ": corrupt file (no header)");
        int major = h.majorVersion(), minor = h.minorVersion();
        String supported = "(" + FormatVersion.MAJOR + "." + FormatVersion.OLDEST_MINOR + " .. " + FormatVersion.current() + ")";
        if (major > FormatVersion.MAJOR || major == FormatVersion.MAJOR && minor > FormatVersion.MINOR) {
            throw new NmcFormatException(name + ": format version " + major + "." + minor + " is newer than this nmcc reads " + supported
                    + "; use a newer nmcc");
        }
        if (major < FormatVersion.MAJOR || minor < FormatVersion.OLDEST_MINOR) {
            throw new NmcFormatException(name + ": format version " + major + "." + minor + " is older than this nmcc reads " + supported
                    + "; recompile the model");
        }
        ByteBuffer body = file.bodyAsByteBuffer();
        if (body == null) throw new NmcFormatException(name + ": corrupt file (no body)");
        long stored = h.bodyLength();
        if (body.remaining() != stored || stored != file.bodyLength()) {
            throw new NmcFormatException(name + ": corrupt file (body of " + body.remaining() + " bytes, the header says " + stored + ")");
        }
        CRC32C crc = new CRC32C();
        crc.update(body.duplicate());
        if (crc.getValue() != h.bodyCrc32c()) {
            throw new NmcFormatException(String.format("%s: checksum mismatch (stored %08x, computed %08x): the file is corrupt", name,
                    h.bodyCrc32c(), crc.getValue()));
        }
        // A copy: the body's own buffer bounds every access (strings included) to the body.
        return new Envelope(major, minor, string(h.producer()), string(h.moduleName()), string(h.targetName()),
                Arrays.copyOfRange(bytes, body.position(), body.limit()));
    }

    private static NmcModel decode(Envelope env, String name) {
        NmcModel model = BodyDecoder.decode(env, name);
        try {
            ModelValidator.validate(model);
        } catch (NmcFormatException e) {
            throw new NmcFormatException(name + ": " + e.getMessage());
        }
        return model;
    }

    private static String string(String s) { return s == null ? "" : s; }

    /** The 4 identifier bytes, printable or escaped. */
    private static String identifier(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (int i = 4; i < 8; i++) {
            int c = bytes[i] & 0xFF;
            if (c >= 0x20 && c < 0x7F && c != '\'' && c != '\\') sb.append((char) c);
            else sb.append(String.format("\\x%02x", c));
        }
        return sb.toString();
    }

    /** What the header says, with a copy of the checked body bytes. */
    record Envelope(int major, int minor, String producer, String moduleName, String targetName, byte[] body) {}
}

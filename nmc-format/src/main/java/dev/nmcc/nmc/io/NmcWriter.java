package dev.nmcc.nmc.io;

import com.google.flatbuffers.FlatBufferBuilder;
import dev.nmcc.nmc.fb.Header;
import dev.nmcc.nmc.fb.NmcFile;
import dev.nmcc.nmc.model.NmcModel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.zip.CRC32C;

/**
 * Writes {@code .nmc} files (docs/binary-format.md). Deterministic: the bytes depend only on the
 * model (no timestamps, no hash-map order), so the same compile gives the same file. Atomic: a
 * file is written to a temporary file next to it and renamed over it once complete, so a reader
 * (or a failed compile) never sees half a file and an older file survives any failure.
 *
 * <p>The model is validated first (the reader's rules): writing a file that no reader accepts is a
 * bug of the producer, reported as an {@link IllegalArgumentException}.
 */
public final class NmcWriter {
    private NmcWriter() {}

    /** The file's bytes, in the current format version ({@link FormatVersion}). */
    public static byte[] toBytes(NmcModel model) { return toBytes(model, FormatVersion.MAJOR, FormatVersion.MINOR); }

    /** The bytes with another version in the header (tests of the version policy); minor 0 omits the 1.1 fields. */
    static byte[] toBytes(NmcModel model, int major, int minor) {
        try {
            ModelValidator.validate(model);
        } catch (NmcFormatException e) {
            throw new IllegalArgumentException("invalid model, not written: " + e.getMessage());
        }
        byte[] body = BodyEncoder.encode(model, major == FormatVersion.MAJOR ? minor : FormatVersion.MINOR);
        return envelope(model, body, major, minor);
    }

    /** The root table around encoded body bytes: header with version, names, length and CRC32C. */
    static byte[] envelope(NmcModel model, byte[] body, int major, int minor) {
        CRC32C crc = new CRC32C();
        crc.update(body);
        FlatBufferBuilder b = new FlatBufferBuilder(body.length + 512);
        // The body first: FlatBuffers build back to front, so it ends the file (a finished body is a
        // multiple of 4 bytes long, so no padding follows it) and a truncated file fails its length check.
        int bodyVec = NmcFile.createBodyVector(b, body);
        int producer = b.createString(model.header().producer());
        int module = b.createString(model.header().moduleName());
        int target = b.createString(model.target().name());
        int header = Header.createHeader(b, major, minor, producer, module, target, body.length, crc.getValue());
        NmcFile.finishNmcFileBuffer(b, NmcFile.createNmcFile(b, header, bodyVec));
        return b.sizedByteArray();
    }

    /**
     * Writes {@code model} to {@code file} atomically: a temporary file in the same directory,
     * flushed to disk, then renamed over {@code file}. On any failure the temporary file is
     * deleted and an existing {@code file} is untouched. A symbolic link is followed (its file is
     * replaced, the link stays); a device or named pipe ({@code /dev/null}) is written directly.
     */
    public static void write(NmcModel model, Path file) throws IOException {
        byte[] bytes = toBytes(model);
        Path abs = file.toAbsolutePath();
        if (Files.exists(abs)) abs = abs.toRealPath();
        if (Files.exists(abs) && !Files.isRegularFile(abs)) {
            Files.write(abs, bytes);
            return;
        }
        Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName() + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            }
            keepPermissions(abs, tmp);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Temporary files are private; the result gets the replaced file's permissions, or rw-r--r--. */
    private static void keepPermissions(Path target, Path tmp) throws IOException {
        if (!Files.getFileStore(tmp).supportsFileAttributeView(PosixFileAttributeView.class)) return;
        Files.setPosixFilePermissions(tmp, Files.exists(target) ? Files.getPosixFilePermissions(target)
                : PosixFilePermissions.fromString("rw-r--r--"));
    }
}

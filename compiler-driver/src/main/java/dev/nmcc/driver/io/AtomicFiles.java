package dev.nmcc.driver.io;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes files so that readers see the old content or the complete new content, never a
 * half-written file: the data goes to a temporary file in the target's directory, which is
 * renamed over the target once complete, and deleted when anything fails. A symbolic link is
 * followed (the file it points to is replaced, the link stays), and a target that exists but is
 * not a regular file ({@code /dev/null}, {@code /dev/stdout}, a named pipe) is written to directly:
 * renaming over it would replace the device with a file.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Something that writes content to a stream. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Something that writes text. */
    @FunctionalInterface
    public interface TextContent {
        void writeTo(Writer out) throws IOException;
    }

    public static void write(Path target, Content content) throws IOException {
        Path abs = resolved(target);
        if (Files.exists(abs) && !Files.isRegularFile(abs)) {
            try (OutputStream out = Files.newOutputStream(abs)) {
                content.writeTo(out);
            }
            return;
        }
        Path dir = abs.getParent();
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                content.writeTo(out);
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

    /**
     * Where writing {@code target} really goes: the path itself, or what its symbolic links point
     * to (followed one by one, also when the last one dangles: the link then gets its file).
     */
    static Path resolved(Path target) throws IOException {
        Path p = target.toAbsolutePath();
        for (int hops = 0; Files.isSymbolicLink(p); hops++) {
            if (hops == 40) throw new IOException("too many levels of symbolic links");
            p = p.resolveSibling(Files.readSymbolicLink(p)).normalize();
        }
        return p;
    }

    public static void writeText(Path target, TextContent content) throws IOException {
        write(target, out -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            content.writeTo(w);
            w.flush();
        });
    }

    /**
     * Temporary files are private (rw-------); the result gets the permissions of the file it
     * replaces, or rw-r--r-- when new, like a file written directly under the usual umask.
     */
    private static void keepPermissions(Path target, Path tmp) throws IOException {
        if (!Files.getFileStore(tmp).supportsFileAttributeView(PosixFileAttributeView.class)) return;
        Set<PosixFilePermission> perms = Files.exists(target)
                ? Files.getPosixFilePermissions(target)
                : PosixFilePermissions.fromString("rw-r--r--");
        Files.setPosixFilePermissions(tmp, perms);
    }

    /**
     * Why {@code target} cannot be written, or null when it looks writable: its directory must
     * exist and be writable, and it must not be a directory. Checked before long work starts.
     */
    public static String whyNotWritable(Path target) {
        if (target.toString().equals("-")) return "this output cannot go to stdout ('-'); give a file name";
        Path abs;
        try {
            abs = resolved(target);
        } catch (IOException e) {
            return "'" + target + "': " + e.getMessage();
        }
        if (Files.exists(abs) && !Files.isRegularFile(abs) && !Files.isDirectory(abs)) {
            return Files.isWritable(abs) ? null : "'" + target + "' is not writable";
        }
        Path dir = abs.getParent();
        if (Files.isDirectory(abs)) return "'" + target + "' is a directory";
        if (dir == null || !Files.isDirectory(dir)) return "directory '" + (target.getParent() == null ? dir : target.getParent()) + "' does not exist";
        if (!Files.isWritable(dir)) return "directory '" + dir + "' is not writable";
        return null;
    }
}

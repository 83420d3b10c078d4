package dev.nmcc.driver.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir Path dir;

    @Test
    void writesTheWholeContent() throws IOException {
        Path f = dir.resolve("out.nmir");
        AtomicFiles.writeText(f, w -> w.write("module x\n"));
        assertThat(Files.readString(f)).isEqualTo("module x\n");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-r--r--");
    }

    @Test
    void aFailureKeepsTheOldContentAndLeavesNoTemporaryFile() throws IOException {
        Path f = dir.resolve("out.npy");
        Files.writeString(f, "old");
        assertThatThrownBy(() -> AtomicFiles.write(f, out -> {
            out.write("half".getBytes(StandardCharsets.UTF_8));
            throw new IOException("disk full");
        })).hasMessage("disk full");
        assertThat(Files.readString(f)).isEqualTo("old");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("out.npy");
        }
    }

    @Test
    void explainsUnwritableTargets() {
        assertThat(AtomicFiles.whyNotWritable(dir.resolve("ok.npy"))).isNull();
        assertThat(AtomicFiles.whyNotWritable(dir.resolve("no/such/x.npy"))).contains("does not exist");
        assertThat(AtomicFiles.whyNotWritable(dir)).contains("is a directory");
    }

    @Test // -o through a symbolic link replaces the file it points to; the link stays a link
    void followsSymbolicLinks() throws IOException {
        Path real = dir.resolve("real.nmir"), link = dir.resolve("link.nmir"), dangling = dir.resolve("dangling.nmir");
        Files.writeString(real, "old");
        Files.createSymbolicLink(link, real.getFileName());
        AtomicFiles.writeText(link, w -> w.write("new"));
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readString(real)).isEqualTo("new");
        Files.createSymbolicLink(dangling, Path.of("made.nmir"));
        AtomicFiles.writeText(dangling, w -> w.write("made"));
        assertThat(Files.isSymbolicLink(dangling)).isTrue();
        assertThat(Files.readString(dir.resolve("made.nmir"))).isEqualTo("made");
        assertThat(AtomicFiles.whyNotWritable(link)).isNull();
    }

    @Test // a named pipe (like /dev/null or /dev/stdout) is written to, never replaced by a file
    void writesThroughToAPipe() throws Exception {
        Path fifo = dir.resolve("pipe");
        int rc;
        try {
            rc = new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
        } catch (IOException e) {
            rc = -1;
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(rc == 0, "mkfifo is available");
        var read = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return Files.readString(fifo);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertThat(AtomicFiles.whyNotWritable(fifo)).isNull();
        AtomicFiles.writeText(fifo, w -> w.write("through the pipe"));
        assertThat(read.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("through the pipe");
        assertThat(Files.isRegularFile(fifo)).as("still a pipe").isFalse();
        assertThat(Files.exists(fifo)).isTrue();
    }
}

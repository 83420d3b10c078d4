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
}

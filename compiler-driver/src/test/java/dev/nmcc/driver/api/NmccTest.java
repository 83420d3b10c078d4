package dev.nmcc.driver.api;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nmcc.ir.diag.CompilationException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NmccTest {
    @TempDir Path dir;

    @Test
    void refusesUnknownFormatsBeforeOpeningTheFile() {
        assertThatThrownBy(() -> Nmcc.load(dir.resolve("m.txt"))).hasMessageContaining("unknown model format");
    }

    @Test
    void missingFilesAndDirectoriesAreUserErrors() throws Exception {
        assertThatThrownBy(() -> Nmcc.load(dir.resolve("m.nmd"))).isInstanceOf(CompilationException.class)
                .hasMessageContaining("no such file");
        Path d = Files.createDirectory(dir.resolve("d.nmir"));
        assertThatThrownBy(() -> Nmcc.load(d)).hasMessageContaining("it is a directory");
    }

    @Test
    void nonUtf8IrIsAUserError() throws Exception {
        Path f = dir.resolve("bad.nmir");
        Files.write(f, new byte[] {(byte) 0xff, (byte) 0xfe, 0});
        assertThatThrownBy(() -> Nmcc.load(f)).isInstanceOf(CompilationException.class).hasMessageContaining("not UTF-8");
    }
}

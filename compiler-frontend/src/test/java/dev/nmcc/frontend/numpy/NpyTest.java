package dev.nmcc.frontend.numpy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The .npy/.npz reader against files written by numpy (make_fixtures.py), and the float32 writer. */
class NpyTest {
    private static final Path DIR = Path.of("src/test/resources/numpy");

    private static NpyArray read(String name) throws IOException { return Npy.read(DIR.resolve(name)); }

    /** Every supported signed dtype reads as 0, -1, 2, -3, 4, -5 with shape (2, 3), in both byte orders. */
    @ParameterizedTest
    @ValueSource(strings = {"f4", "f8", "i1", "i2", "i4", "i8", "be_f4", "be_i4", "f2"})
    void readsSignedDtypes(String name) throws IOException {
        NpyArray a = read(name + ".npy");
        assertThat(a.shape()).containsExactly(2, 3);
        assertThat(a.elementCount()).isEqualTo(6);
        assertThat(a.asFloats()).containsExactly(0f, -1f, 2f, -3f, 4f, -5f);
        assertThat(a.asLongs()).containsExactly(0, -1, 2, -3, 4, -5);
    }

    /** Unsigned dtypes read as 0..5. */
    @ParameterizedTest
    @ValueSource(strings = {"u1", "u2", "u4"})
    void readsUnsignedDtypes(String name) throws IOException {
        NpyArray a = read(name + ".npy");
        assertThat(a.asFloats()).containsExactly(0f, 1f, 2f, 3f, 4f, 5f);
    }

    /** The dtype string is the header's descr, verbatim. */
    @Test
    void dtypeIsTheHeaderDescr() throws IOException {
        assertThat(read("u1.npy").dtype()).isEqualTo("|u1");
        assertThat(read("be_f4.npy").dtype()).isEqualTo(">f4");
        assertThat(read("f8.npy").dtype()).isEqualTo("<f8");
    }

    /** Booleans read as 0/1, a 0-d array as one element with an empty shape. */
    @Test
    void readsBoolAndScalar() throws IOException {
        assertThat(read("b1.npy").asFloats()).containsExactly(1f, 0f, 1f);
        NpyArray s = read("scalar.npy");
        assertThat(s.shape()).isEmpty();
        assertThat(s.asFloats()).containsExactly(3.5f);
        assertThat(read("vector.npy").shape()).containsExactly(3);
    }

    /** Format versions 2.0 and 3.0 (4-byte header length) read like 1.0. */
    @ParameterizedTest
    @ValueSource(strings = {"v2.npy", "v3.npy"})
    void readsVersions2And3(String name) throws IOException {
        NpyArray a = read(name);
        assertThat(a.shape()).containsExactly(3, 2);
        assertThat(a.asFloats()).containsExactly(0f, 1f, 2f, 3f, 4f, 5f);
    }

    /** .npz archives, stored and deflated, give every array by name in archive order. */
    @ParameterizedTest
    @ValueSource(strings = {"stored.npz", "deflated.npz"})
    void readsNpz(String name) throws IOException {
        Map<String, NpyArray> m = Npy.readNpz(DIR.resolve(name));
        assertThat(m.keySet()).containsExactly("first", "second");
        assertThat(m.get("first").shape()).containsExactly(3, 4);
        assertThat(m.get("first").asFloats()[11]).isEqualTo(11f);
        assertThat(m.get("second").asLongs()).containsExactly(1, 2, 3);
    }

    /** asLongs refuses float values that are not integers. */
    @Test
    void asLongsRefusesFractions() throws IOException {
        assertThatThrownBy(() -> read("vector.npy").asLongs()).isInstanceOf(ArithmeticException.class)
                .hasMessageContaining("not an integer");
    }

    /** The writer's output reads back identically, including special values and a 0-d shape. */
    @Test
    void writerRoundTrips(@TempDir Path tmp) throws IOException {
        float[] data = {1.5f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.MIN_VALUE, 3e38f};
        Path f = tmp.resolve("out.npy");
        Npy.writeFloats(f, new int[] {3, 2}, data);
        NpyArray a = Npy.read(f);
        assertThat(a.dtype()).isEqualTo("<f4");
        assertThat(a.shape()).containsExactly(3, 2);
        assertThat(a.asFloats()).containsExactly(data);
        assertThat(Files.size(f)).isEqualTo(Files.size(DIR.resolve("f4.npy"))); // same layout as numpy's
        Npy.writeFloats(f, new int[0], new float[] {7f});
        assertThat(Npy.read(f).shape()).isEmpty();
        assertThat(Npy.read(f).asFloats()).containsExactly(7f);
        try (var files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("out.npy");
        }
    }

    /** float64 output keeps integers beyond float32's 2^24 exact (decoded potentials). */
    @Test
    void doubleWriterRoundTripsExactIntegers(@TempDir Path tmp) throws IOException {
        double[] data = {16_777_217, -(1L << 52) - 1, 0, 42};
        Path f = tmp.resolve("out.npy");
        Npy.writeDoubles(f, new int[] {2, 2}, data);
        NpyArray a = Npy.read(f);
        assertThat(a.dtype()).isEqualTo("<f8");
        assertThat(a.shape()).containsExactly(2, 2);
        assertThat(a.asLongs()).containsExactly(16_777_217L, -(1L << 52) - 1, 0L, 42L);
        assertThat(Files.size(f)).isEqualTo(Npy.headerBytes("<f8", new int[] {2, 2}).length + 4 * 8);
    }

    /** The writer's header is padded so that the data starts at a multiple of 64 bytes, as numpy does. */
    @Test
    void writerHeaderIsAligned() {
        for (int[] shape : new int[][] {{}, {1}, {3, 4}, {100000, 100000, 3}}) {
            assertThat(Npy.headerBytes("<f4", shape).length % 64).isZero();
        }
    }

    /** The writer refuses data that does not match the shape. */
    @Test
    void writerChecksShape(@TempDir Path tmp) {
        assertThatThrownBy(() -> Npy.writeFloats(tmp.resolve("x.npy"), new int[] {2, 2}, new float[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("3 values for shape [2, 2]");
    }

    /** Corrupt or unsupported files give NpyFormatException with a message saying what is wrong. */
    @Test
    void corruptFilesAreRefusedClearly() {
        assertThatThrownBy(() -> read("truncated.npy")).isInstanceOf(NpyFormatException.class)
                .hasMessageEndingWith("truncated.npy: truncated data: shape (2, 3) of <f4 needs 24 bytes, the file holds 19");
        assertThatThrownBy(() -> read("badmagic.npy")).isInstanceOf(NpyFormatException.class)
                .hasMessageEndingWith("badmagic.npy: not a NumPy .npy file (bad magic)");
        assertThatThrownBy(() -> read("fortran.npy")).isInstanceOf(NpyFormatException.class)
                .hasMessageContaining("Fortran-ordered arrays are not supported");
        assertThatThrownBy(() -> read("structured.npy")).isInstanceOf(NpyFormatException.class)
                .hasMessageContaining("structured dtypes are not supported");
        assertThatThrownBy(() -> read("complex.npy")).isInstanceOf(NpyFormatException.class)
                .hasMessageContaining("unsupported dtype '<c8'");
        assertThatThrownBy(() -> Npy.readNpz(DIR.resolve("truncated.npz"))).isInstanceOf(NpyFormatException.class)
                .hasMessageEndingWith("truncated.npz[w.npy]: truncated data: shape (2, 3) of <f4 needs 24 bytes, the file holds 19");
        assertThatThrownBy(() -> Npy.readNpz(DIR.resolve("notzip.npz"))).isInstanceOf(NpyFormatException.class)
                .hasMessageContaining("not an .npz file");
        assertThatThrownBy(() -> read("missing.npy")).isInstanceOf(NoSuchFileException.class);
    }

    /** A header claiming 10^12 elements on a tiny file is refused before anything is allocated. */
    @Test
    void absurdHeaderIsRefusedBeforeAllocating() {
        assertThatThrownBy(() -> read("huge.npy")).isInstanceOf(NpyFormatException.class)
                .hasMessageEndingWith("huge.npy: array of shape (1000000, 1000000) (1000000000000 elements, 4000000000000 bytes) is too large to read");
    }

    /** A header claiming more data than an unsized stream holds fails without allocating the claim. */
    @Test
    void unsizedStreamIsReadInChunks() {
        byte[] header = Npy.headerBytes("<f4", new int[] {100_000_000});
        byte[] file = java.util.Arrays.copyOf(header, header.length + 8);
        assertThatThrownBy(() -> Npy.read(new java.io.ByteArrayInputStream(file), -1, "s.npy"))
                .isInstanceOf(NpyFormatException.class)
                .hasMessage("s.npy: truncated data: shape (100000000,) of <f4 needs 400000000 bytes, the file holds 8");
    }
}

package dev.nmcc.nmc.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nmcc.nmc.model.CoreSlice;
import dev.nmcc.nmc.model.Layer;
import dev.nmcc.nmc.model.LayerOp;
import dev.nmcc.nmc.model.NmcModel;
import dev.nmcc.nmc.model.SynapseBlock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writer and reader: round trip, determinism, atomic writes, the version policy, the envelope's checks, the model rules. */
class NmcWriterReaderTest {
    @TempDir Path dir;

    @Test void roundTripIsExact() {
        NmcModel m = TestModels.small();
        byte[] bytes = NmcWriter.toBytes(m);
        NmcModel back = NmcReader.read(bytes);
        // Re-encoding the decoded model gives the same bytes: every field survived.
        assertThat(NmcWriter.toBytes(back)).isEqualTo(bytes);
        assertThat(back.header()).isEqualTo(m.header());
        assertThat(back.target()).isEqualTo(m.target());
        assertThat(back.reportJson()).isEqualTo(m.reportJson());
        for (int i = 0; i < m.synapses().size(); i++) {
            SynapseBlock a = m.synapses().get(i), b = back.synapses().get(i);
            assertThat(b.packed()).isEqualTo(a.packed());
            assertThat(b.bias()).isEqualTo(a.bias());
            assertThat(List.of(b.projection(), b.slice(), b.first(), b.count(), b.bits(), b.fanIn()))
                    .isEqualTo(List.of(a.projection(), a.slice(), a.first(), a.count(), a.bits(), a.fanIn()));
        }
        for (int i = 0; i < m.slices().size(); i++) {
            CoreSlice a = m.slices().get(i), b = back.slices().get(i);
            assertThat(b.thresholds()).isEqualTo(a.thresholds());
            assertThat(b.v0()).isEqualTo(a.v0());
            assertThat(b.core()).isEqualTo(a.core());
            assertThat(b.wake().sources()).isEqualTo(a.wake().sources());
            assertThat(b.wake().idleTimeoutCycles()).isEqualTo(a.wake().idleTimeoutCycles());
        }
        for (int i = 0; i < m.layers().size(); i++) {
            Layer a = m.layers().get(i), b = back.layers().get(i);
            assertThat(b.op()).isEqualTo(a.op());
            assertThat(b.shape()).isEqualTo(a.shape());
            assertThat(b.inputs()).isEqualTo(a.inputs());
            assertThat(b.name()).isEqualTo(a.name());
            assertThat(b.location()).isEqualTo(a.location());
        }
    }

    @Test void bytesAreDeterministic() {
        assertThat(NmcWriter.toBytes(TestModels.small())).isEqualTo(NmcWriter.toBytes(TestModels.small()));
        assertThat(NmcWriter.toBytes(TestModels.kws())).isEqualTo(NmcWriter.toBytes(TestModels.kws()));
    }

    @Test void writeIsAtomicAndKeepsTheOldFileOnFailure() throws IOException {
        Path file = dir.resolve("model.nmc");
        NmcWriter.write(TestModels.small(), file);
        byte[] first = Files.readAllBytes(file);
        assertThat(NmcReader.read(file).header().moduleName()).isEqualTo("small");
        // An invalid model is refused before anything is written: the old file stays, no temporary is left.
        NmcModel broken = withLayer(TestModels.small(), 3, l -> new Layer(3, l.name(), l.location(), new int[] {5}, l.shape(), l.op()));
        assertThatThrownBy(() -> NmcWriter.write(broken, file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layer 3 'c1': input 5 is not an earlier layer");
        assertThat(Files.readAllBytes(file)).isEqualTo(first);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("model.nmc");
        }
        // A missing directory fails cleanly too.
        assertThatThrownBy(() -> NmcWriter.write(TestModels.small(), dir.resolve("no/such/dir/m.nmc"))).isInstanceOf(IOException.class);
        // Replacing works and gives the new content.
        NmcWriter.write(TestModels.kws(), file);
        assertThat(NmcReader.read(file).header().moduleName()).isEqualTo("kws");
    }

    @Test void olderMinorVersionLoads() {
        byte[] v10 = NmcWriter.toBytes(TestModels.small(), 1, 0);
        NmcModel m = NmcReader.read(v10, "old.nmc");
        assertThat(m.header().minorVersion()).isZero();
        assertThat(m.reportJson()).as("1.0 files have no report").isEmpty();
        assertThat(m.layers()).hasSize(TestModels.small().layers().size());
    }

    @Test void newerVersionsAreRefusedWithTheNumbers() {
        assertThatThrownBy(() -> NmcReader.read(NmcWriter.toBytes(TestModels.small(), 1, 2), "new.nmc"))
                .isInstanceOf(NmcFormatException.class)
                .hasMessage("new.nmc: format version 1.2 is newer than this nmcc reads (1.0 .. 1.1); use a newer nmcc");
        assertThatThrownBy(() -> NmcReader.read(NmcWriter.toBytes(TestModels.small(), 3, 0), "new.nmc"))
                .isInstanceOf(NmcFormatException.class)
                .hasMessage("new.nmc: format version 3.0 is newer than this nmcc reads (1.0 .. 1.1); use a newer nmcc");
        assertThatThrownBy(() -> NmcReader.read(NmcWriter.toBytes(TestModels.small(), 0, 9), "ancient.nmc"))
                .isInstanceOf(NmcFormatException.class)
                .hasMessage("ancient.nmc: format version 0.9 is older than this nmcc reads (1.0 .. 1.1); recompile the model");
    }

    @Test void envelopeErrors() throws IOException {
        assertThatThrownBy(() -> NmcReader.read(new byte[0], "e.nmc")).hasMessage("e.nmc: not an .nmc file (0 bytes, too short)");
        byte[] text = "module @m stage hw {\n}\n".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> NmcReader.read(text, "m.nmc")).hasMessage("m.nmc: not an .nmc file (identifier 'le @', expected 'NMC1')");
        byte[] bytes = NmcWriter.toBytes(TestModels.small());
        bytes[bytes.length - 40] ^= 0x10; // inside the body
        assertThatThrownBy(() -> NmcReader.read(bytes, "m.nmc")).isInstanceOf(NmcFormatException.class)
                .hasMessageMatching("m\\.nmc: checksum mismatch \\(stored [0-9a-f]{8}, computed [0-9a-f]{8}\\): the file is corrupt");
        assertThatThrownBy(() -> NmcReader.read(dir.resolve("missing.nmc"))).hasMessageEndingWith("missing.nmc: no such file");
        Files.createDirectory(dir.resolve("d.nmc"));
        assertThatThrownBy(() -> NmcReader.read(dir.resolve("d.nmc"))).hasMessage("d.nmc: is a directory");
    }

    /** A model that breaks one rule, written without the writer's check: the reader names the rule. */
    @Test void readerValidatesTheModel() {
        NmcModel s = TestModels.small();
        assertRefused(withLayer(s, 6, l -> new Layer(6, l.name(), l.location(), l.inputs(), l.shape(), new LayerOp.Dense(10, 3, true))),
                "layer 6 'op 6': weight width 3 bits is not 1, 2, 4 or 8");
        assertRefused(withLayer(s, 2, l -> new Layer(2, l.name(), l.location(), l.inputs(), new int[] {4, 5, 6}, l.op())),
                "layer 2 'op 2': shape [4, 5, 6] does not follow from input [1, 6, 6] and window Window[kh=3, kw=3, sh=1, sw=1, padTop=1, padLeft=1, padBottom=1, padRight=1]");
        assertRefused(withBlocks(s, b -> b.subList(1, b.size())), "synapse block 0: rows [2, 4) do not continue layer 2's blocks at row 0 of 4");
        SynapseBlock b0 = s.synapses().getFirst();
        assertRefused(withBlocks(s, b -> replace(b, 0, new SynapseBlock(2, 0, 0, 2, 4, 9, java.util.Arrays.copyOf(b0.packed(), 8), b0.bias()))),
                "synapse block 0: 8 packed bytes for 18 4-bit weights (expected 9)");
        assertRefused(withBlocks(s, b -> replace(b, 0, new SynapseBlock(2, 0, 0, 2, 4, 10, b0.packed(), b0.bias()))),
                "synapse block 0: fan-in 10, layer 2 has 9");
        assertRefused(withBlocks(s, b -> replace(b, 0, new SynapseBlock(2, 0, 0, 2, 4, 9, b0.packed(), new int[1]))),
                "synapse block 0: 1 biases, expected 2");
        CoreSlice c1 = s.slices().get(1);
        assertRefused(withSlice(s, 1, new CoreSlice(1, 3, c1.core(), 60, 144, 1, c1.thresholds(), c1.v0(), 40, c1.wake())),
                "layer 3 'c1': slice 1 starts at neuron 60, expected 50 (a gap)");
        assertRefused(withSlice(s, 1, new CoreSlice(1, 3, c1.core(), 50, 144, 1, new int[] {1, 2}, c1.v0(), 40, c1.wake())),
                "slice 1: 2 thresholds, expected 1 or 3 (one per channel the slice touches)");
        assertRefused(withSlice(s, 1, new CoreSlice(1, 3, new dev.nmcc.nmc.model.CoreCoord(0, 20, 0), 50, 144, 1, c1.thresholds(), c1.v0(), 40,
                c1.wake())), "slice 1: core [0, 20, 0] is not on the target");
        assertRefused(withSlice(s, 1, new CoreSlice(1, 3, c1.core(), 50, 144, 1, c1.thresholds(), c1.v0(), 40,
                new CoreSlice.Wake(true, new int[] {4}, 1))), "slice 1: wake source 4 is not a slice");
        assertRefused(withSlice(s, 1, new CoreSlice(1, 3, c1.core(), 50, 144, 1, new int[] {120, 0, 80}, c1.v0(), 40, c1.wake())),
                "slice 1: threshold 0 is not positive");
        assertRefused(new NmcModel(s.header(), s.target(), s.io(), s.layers(), s.slices(), s.synapses(),
                List.of(new dev.nmcc.nmc.model.Route(0, new int[] {3, 2}, 1)), ""), "route 0: destinations are not ascending without repeats");
        assertRefused(withLayer(s, 12, l -> new Layer(12, l.name(), l.location(), new int[] {2}, l.shape(), l.op())),
                "layer 12 'op 12': max-pools something that is not spikes");
    }

    private static void assertRefused(NmcModel bad, String message) {
        byte[] bytes = NmcWriter.envelope(bad, BodyEncoder.encode(bad, FormatVersion.MINOR), FormatVersion.MAJOR, FormatVersion.MINOR);
        assertThatThrownBy(() -> NmcReader.read(bytes, "bad.nmc")).isInstanceOf(NmcFormatException.class).hasMessage("bad.nmc: " + message);
        assertThatThrownBy(() -> NmcWriter.toBytes(bad)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @Test void crcIsTheCastagnoliChecksumOfTheBody() {
        byte[] bytes = NmcWriter.toBytes(TestModels.small());
        var file = dev.nmcc.nmc.fb.NmcFile.getRootAsNmcFile(java.nio.ByteBuffer.wrap(bytes));
        CRC32C crc = new CRC32C();
        crc.update(file.bodyAsByteBuffer());
        assertThat(file.header().bodyCrc32c()).isEqualTo(crc.getValue());
        assertThat(new String(bytes, 4, 4, StandardCharsets.US_ASCII)).isEqualTo("NMC1");
    }

    static NmcModel withLayer(NmcModel m, int i, UnaryOperator<Layer> f) {
        List<Layer> layers = new ArrayList<>(m.layers());
        layers.set(i, f.apply(layers.get(i)));
        return new NmcModel(m.header(), m.target(), m.io(), layers, m.slices(), m.synapses(), m.routes(), m.reportJson());
    }

    static NmcModel withSlice(NmcModel m, int i, CoreSlice s) {
        List<CoreSlice> slices = new ArrayList<>(m.slices());
        slices.set(i, s);
        return new NmcModel(m.header(), m.target(), m.io(), m.layers(), slices, m.synapses(), m.routes(), m.reportJson());
    }

    static NmcModel withBlocks(NmcModel m, UnaryOperator<List<SynapseBlock>> f) {
        return new NmcModel(m.header(), m.target(), m.io(), m.layers(), m.slices(), f.apply(new ArrayList<>(m.synapses())), m.routes(),
                m.reportJson());
    }

    static <T> List<T> replace(List<T> list, int i, T value) {
        List<T> out = new ArrayList<>(list);
        out.set(i, value);
        return out;
    }
}

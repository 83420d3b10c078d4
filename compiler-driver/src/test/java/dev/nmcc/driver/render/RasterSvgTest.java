package dev.nmcc.driver.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.nmcc.driver.sim.SimReport;
import dev.nmcc.driver.sim.SpikeRaster;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class RasterSvgTest {
    private static final String SVG = "http://www.w3.org/2000/svg";
    private static final Path GOLDEN = Path.of("src/test/resources/dev/nmcc/driver/render/raster.golden.svg");

    /**
     * T = 8; a rate input of 6 neurons (not a population: no histogram), a population "h" of 4
     * neurons with 7 spikes, and "big", 300 neurons merged 3 to a row (100 rows), whose neurons 0, 1
     * and 2 share row 0: 2 spikes at t = 1 in that row make one cell.
     */
    static SpikeRaster raster() {
        SpikeRaster.Builder b = new SpikeRaster.Builder(8);
        int in = b.band("x", "rate input", 6);
        int h = b.band("h", "if", 4);
        int big = b.band("big", "lif", 300);
        b.spikes(in, 0, new int[] {0, 5}, 2);
        b.spikes(in, 3, new int[] {2}, 1);
        b.spikes(h, 2, new int[] {3, 1, 99}, 2); // only the first count entries are spikes; order does not matter
        b.spikes(h, 0, new int[] {0}, 1);
        b.spikes(h, 7, new int[] {0, 1, 2, 3}, 4);
        b.spikes(big, 1, new int[] {0, 2, 299}, 3);
        b.spikes(big, 5, new int[] {150}, 1);
        return b.build(4, 7, 3);
    }

    static SimReport report() {
        long[] hPer = {16, 0, 8, 4}; // rates over 2 samples × 8 steps: 100%, 0%, 50%, 25%
        long[] bigPer = new long[300];
        bigPer[0] = 1;
        return new SimReport("tiny.nmc", "cycle", 2, 8, 0, 1, List.of(new SimReport.LayerActivity("h", 4, 28, hPer),
                new SimReport.LayerActivity("big", 300, 1, bigPer)), new long[] {10, 20}, null, Double.NaN);
    }

    @Test
    void spikesArriveSortedByTimeThenNeuron() {
        SpikeRaster.Band h = raster().bands().get(1);
        assertThat(h.times()).containsExactly(0, 2, 2, 7, 7, 7, 7);
        assertThat(h.neurons()).containsExactly(0, 1, 3, 0, 1, 2, 3);
    }

    /** The structure a reader relies on: one band per layer, one cell per (row, timestep) with spikes, histogram bins. */
    @Test
    void structureHasABandPerLayerACellPerSpikeAndAHistogramPerPopulation() throws Exception {
        Document d = DocumentBuilderFactory.newNSInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(RasterSvg.svg(raster(), report()).getBytes(StandardCharsets.UTF_8)));
        List<Element> bands = byClass(d, "g", "band");
        assertThat(bands).extracting(e -> e.getAttribute("id")).containsExactly("band-x", "band-h", "band-big");
        assertThat(byClass(bands.get(0), "rect", "spike")).hasSize(3);
        assertThat(byClass(bands.get(1), "rect", "spike")).hasSize(7);
        // big: (row 0, t 1) holds 2 spikes, (row 99, t 1) and (row 50, t 5) one each.
        List<Element> cells = byClass(bands.get(2), "rect", "spike");
        assertThat(cells).hasSize(3);
        assertThat(cells).extracting(e -> e.getAttribute("fill-opacity")).containsExactly("1.00", "0.50", "0.50");
        List<Element> hists = byClass(d, "g", "hist");
        assertThat(hists).extracting(e -> e.getAttribute("id")).containsExactly("hist-h", "hist-big");
        // h's rates 100%, 0%, 50%, 25%: bins 19, 0, 10, 5, one neuron each.
        assertThat(byClass(hists.get(0), "rect", "bin")).hasSize(4);
        assertThat(byClass(hists.get(1), "rect", "bin")).hasSize(2); // 299 silent neurons and one at 1/16 = 6.25%: bins 0 and 1
        assertThat(text(d)).contains("Spike raster of sample 4 (label 7, predicted 3: wrong), T = 8: tiny.nmc", "3 neurons per row",
                "mean 43.8%, 1 silent", "no rate histogram: not a population");
    }

    /** The whole picture, byte for byte (deterministic output). On a change, the new file is written next to the golden one. */
    @Test
    void matchesTheGoldenFile() throws Exception {
        String actual = RasterSvg.svg(raster(), report());
        assertThat(RasterSvg.svg(raster(), report())).isEqualTo(actual);
        String expected = Files.exists(GOLDEN) ? Files.readString(GOLDEN) : "";
        if (!actual.equals(expected)) {
            Path out = Path.of("target/raster.actual.svg");
            Files.writeString(out, actual);
            fail("the raster differs from " + GOLDEN + "; the new one is " + out.toAbsolutePath() + " (diff them; copy it over to accept)");
        }
    }

    private static List<Element> byClass(Object root, String tag, String cls) {
        NodeList nodes = root instanceof Document d ? d.getElementsByTagNameNS(SVG, tag) : ((Element) root).getElementsByTagNameNS(SVG, tag);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            Element e = (Element) nodes.item(i);
            if (List.of(e.getAttribute("class").split(" ")).contains(cls)) out.add(e);
        }
        return out;
    }

    private static String text(Document d) {
        NodeList nodes = d.getElementsByTagNameNS(SVG, "text");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < nodes.getLength(); i++) sb.append(nodes.item(i).getTextContent()).append('\n');
        return sb.toString();
    }
}

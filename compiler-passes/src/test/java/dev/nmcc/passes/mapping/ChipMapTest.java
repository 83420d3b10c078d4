package dev.nmcc.passes.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nmcc.backend.target.Target;
import dev.nmcc.backend.target.Targets;
import dev.nmcc.ir.type.ElementType;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class ChipMapTest {
    static Document parse(String svg) throws Exception {
        var f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    @Test void theMapIsWellFormedWithOneRectPerNpuAndALegendEntryPerLayer() throws Exception {
        Target t = Targets.resolve("akd1500");
        var a = AllocateCores.allocate(TestNets.mlp("kws", AllocateCoresTest.KWS, ElementType.I4, 1), t, AllocateCores.Settings.defaults());
        var w = AnnotateWakeOnSpike.annotate(a.module(), t, ActivityProfile.uniform(0.02), 32);
        String svg = ChipMap.svg(a.report(), t);
        Document d = parse(svg);
        NodeList rects = d.getElementsByTagNameNS("http://www.w3.org/2000/svg", "rect");
        assertThat(rects.getLength()).isEqualTo(80);
        int used = 0;
        for (int i = 0; i < rects.getLength(); i++) if (!((Element) rects.item(i)).getAttribute("class").contains("free")) used++;
        assertThat(used).isEqualTo(48);
        assertThat(svg).contains("h1 (if): 512 neurons, 43 NPUs").contains("logits (integrator): 35 neurons, 1 NPU");
        assertThat(w.sleeping()).isPositive();
    }

    @Test void twoChipsDrawTwoMeshes() throws Exception {
        Target t = Targets.resolve("akd1500");
        var a = AllocateCores.allocate(TestNets.mlp("big", new int[] {4040, 1024, 256, 35}, ElementType.I4, 1), t,
                AllocateCores.Settings.defaults().withChips(-1));
        Document d = parse(ChipMap.svg(a.report(), t));
        assertThat(d.getElementsByTagNameNS("http://www.w3.org/2000/svg", "rect").getLength()).isEqualTo(160);
    }
}

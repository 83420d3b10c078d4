package dev.nmcc.backend.emit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nmcc.backend.target.Targets;
import dev.nmcc.ir.diag.CompilationException;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.text.IrParser;
import dev.nmcc.nmc.io.NmcReader;
import dev.nmcc.nmc.io.NmcWriter;
import dev.nmcc.nmc.model.CoreSlice;
import dev.nmcc.nmc.model.LayerOp;
import dev.nmcc.nmc.model.NmcModel;
import dev.nmcc.nmc.model.SynapseBlock;
import dev.nmcc.nmc.model.WeightPacking;
import java.util.List;
import org.junit.jupiter.api.Test;

/** hw IR → NmcModel on a small hand-written module: layers, weight blocks per slice, per-channel thresholds, errors. */
class NmcEmitterTest {
    /** conv 2→3 channels (i4) on [2,2,2] → IF with per-channel thresholds on 2 slices splitting channel 1 → avgpool → flatten → dense 1-bit → count decoder. */
    static final String HW = """
            module @net stage hw {
              blob @cw : tensor<3x2x1x1xi4> = [1, -1, 2, -2, 7, -8]
              blob @cb : tensor<3xi32> = [5, 6, 7]
              blob @th : tensor<3xi32> = [10, 20, 30]
              blob @v0 : tensor<3xi32> = [1, 2, 3]
              blob @dw : tensor<2x3xi1> = [1, -1, 1, -1, -1, 1]
              %x = snn.input {name = "x"} : tensor<2x2x2xf32> loc("n.nmd":1:1)
              %0 = snn.encode(%x) {mode = direct, input_scale = 255} : tensor<2x2x2xi32> loc("n.nmd":1:1)
              %1 = snn.conv2d(%0) {out_channels = 3, kernel = [1, 1], weight = @cw, bias = @cb} : tensor<3x2x2xi32> loc("n.nmd":2:3)
              %c = snn.if(%1) {threshold = @th, v0 = @v0, v_bits = 16, reset = zero} : spikes<3x2x2> loc("n.nmd":2:1)
              hw.core_slice(%c) {id = 1, core = [0, 0, 1], neurons = [6, 12], synapse_bytes = 4, wake = on_spike, wake_sources = [0], idle_timeout = 9}
              hw.core_slice(%c) {id = 0, core = [0, 0, 0], neurons = [0, 6], synapse_bytes = 4}
              %2 = snn.avgpool(%c) {kernel = [2, 2], weight = 2} : tensor<3x1x1xi32> loc("n.nmd":3:1)
              hw.route(%c) {src = 1, dst = [2], hops = 0}
              hw.route(%c) {src = 0, dst = [2], hops = 1}
              %3 = snn.flatten(%2) : tensor<3xi32>
              %4 = snn.dense(%3) {units = 2, weight = @dw} : tensor<2xi32>
              %h = snn.if(%4) {threshold = 4} : spikes<2>
              hw.core_slice(%h) {id = 2, core = [0, 3, 0], neurons = [0, 2], synapse_bytes = 1}
              %y = snn.decode(%h) {mode = count} : tensor<2xi32>
              snn.output(%y) {name = "y"}
            }
            """;

    static NmcModel emit(String ir) {
        Module m = IrParser.parse(ir, "net.nmir");
        return NmcEmitter.emit(m, Targets.resolve("akd1500"), 16, 3, "test", "{}");
    }

    @Test void layersSlicesAndBlocks() {
        NmcModel m = emit(HW);
        assertThat(m.layers()).extracting(l -> l.op().getClass().getSimpleName()).containsExactly("Input", "Encode", "Conv2d", "Neurons",
                "AvgPool", "Reshape", "Dense", "Neurons", "DecodeCount");
        assertThat(m.layers().get(3).op()).isEqualTo(new LayerOp.Neurons(false, 0, dev.nmcc.nmc.model.Reset.ZERO, 16));
        assertThat(m.layers().get(4).op()).isEqualTo(new LayerOp.AvgPool(new dev.nmcc.nmc.model.Window(2, 2, 2, 2, 0, 0, 0, 0), 2));
        assertThat(m.layers().get(2).location()).isEqualTo("n.nmd:2:3");
        assertThat(m.layers().get(5).location()).isEmpty();

        // Slices by id; neurons 0..5 are channel 0 and half of 1, 6..11 the rest of 1 and 2 (4 neurons per channel).
        CoreSlice s0 = m.slices().get(0), s1 = m.slices().get(1);
        assertThat(List.of(s0.neuronStart(), s0.neuronEnd(), s0.channelStart())).containsExactly(0, 6, 0);
        assertThat(s0.thresholds()).containsExactly(10, 20);
        assertThat(s0.v0()).containsExactly(1, 2);
        assertThat(s1.channelStart()).isEqualTo(1);
        assertThat(s1.thresholds()).containsExactly(20, 30);
        assertThat(s1.wake().onSpike()).isTrue();
        assertThat(s1.wake().sources()).containsExactly(0);
        assertThat(s1.wake().idleTimeoutCycles()).isEqualTo(9);
        assertThat(m.slices().get(2).thresholds()).containsExactly(4);
        assertThat(m.slices().get(2).v0()).containsExactly(0);

        // The conv's channel 1 is split between the slices: stored once, with slice 0.
        SynapseBlock b0 = m.synapses().get(0), b1 = m.synapses().get(1);
        assertThat(List.of(b0.projection(), b0.slice(), b0.first(), b0.count(), b0.bits(), b0.fanIn())).containsExactly(2, 0, 0, 2, 4, 2);
        assertThat(WeightPacking.unpack(b0.packed(), 4, 4)).containsExactly(1, -1, 2, -2);
        assertThat(List.of(b0.convWeight(1, 0), b0.convWeight(1, 1))).containsExactly(2, -2);
        assertThat(b0.bias()).containsExactly(5, 6);
        assertThat(List.of(b1.slice(), b1.first(), b1.count())).containsExactly(1, 2, 1);
        assertThat(WeightPacking.unpack(b1.packed(), 4, 2)).containsExactly(7, -8);
        // The dense feeds population h (slice 2); 1-bit weights, stored input-major: W = [[1, -1, 1], [-1, -1, 1]]
        // is stored as the runs of inputs 0, 1, 2: (1, -1), (-1, -1), (1, 1).
        SynapseBlock d = m.synapses().get(2);
        assertThat(List.of(d.projection(), d.slice(), d.bits(), d.fanIn())).containsExactly(6, 2, 1, 3);
        assertThat(WeightPacking.unpack(d.packed(), 1, 6)).containsExactly(1, -1, -1, -1, 1, 1);
        assertThat(List.of(d.denseWeight(0, 0), d.denseWeight(0, 1), d.denseWeight(0, 2), d.denseWeight(1, 0), d.denseWeight(1, 1),
                d.denseWeight(1, 2))).containsExactly(1, -1, 1, -1, -1, 1);
        assertThat(d.bias()).isEmpty();

        // Routes ordered by source; count decoding breaks ties by the population it counts.
        assertThat(m.routes()).extracting(r -> r.source()).containsExactly(0, 1);
        assertThat(m.io().outputs().getFirst().tiePopulation()).isEqualTo(7);
        assertThat(m.io().inputs().getFirst().inputScale()).isEqualTo(255);
        assertThat(m.io().timesteps()).isEqualTo(16);
        // What the emitter makes, the reader accepts.
        assertThat(NmcReader.read(NmcWriter.toBytes(m)).synapses()).hasSize(3);
    }

    @Test void whatTheFormatCannotHoldIsALocatedError() {
        assertThatThrownBy(() -> emit(HW.replace("stage hw", "stage snn").replaceAll("(?m)^ *hw\\..*\\n", "")))
                .isInstanceOf(CompilationException.class)
                .hasMessage("<unknown>: error: module @net is at stage snn; an .nmc file needs stage hw (the pipeline must run allocate-cores)");
        assertThatThrownBy(() -> emit(HW.replace("weight = 2}", "weight = 0.25}")))
                .hasMessage("n.nmd:3:1: error: snn.avgpool weight 0.25 is not an integer; hw pooling needs an integer weight (run quantize-weights)");
        assertThatThrownBy(() -> emit(HW.replace("@cw : tensor<3x2x1x1xi4> = [1, -1, 2, -2, 7, -8]",
                "@cw : tensor<3x2x1x1xf32> = [1.0, -1.0, 2.0, -2.0, 7.0, -8.0]").replace("tensor<3x2x2xi32> loc(\"n.nmd\":2:3)",
                "tensor<3x2x2xf32> loc(\"n.nmd\":2:3)")))
                .isInstanceOf(CompilationException.class).hasMessageStartingWith("n.nmd:2:3: error: weights @cw are f32");
    }
}

package dev.nmcc.tests.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nmcc.ir.attr.Attribute;
import dev.nmcc.ir.attr.Attributes;
import dev.nmcc.ir.blob.Blob;
import dev.nmcc.ir.graph.Graph;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.graph.Op;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.nmc.io.FormatVersion;
import dev.nmcc.nmc.io.NmcReader;
import dev.nmcc.nmc.io.NmcWriter;
import dev.nmcc.nmc.model.CoreSlice;
import dev.nmcc.nmc.model.Encoding;
import dev.nmcc.nmc.model.Layer;
import dev.nmcc.nmc.model.LayerOp;
import dev.nmcc.nmc.model.NmcModel;
import dev.nmcc.nmc.model.Reset;
import dev.nmcc.nmc.model.Route;
import dev.nmcc.nmc.model.SynapseBlock;
import dev.nmcc.nmc.model.TargetSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * hw IR → .nmc bytes → reader: every parameter of the file equals the IR's, walked straight from
 * the IR (ops, attributes, blobs) rather than from the emitter's logic: every weight value by value,
 * biases, thresholds and v0 per neuron, slices, routes, wake annotations, the I/O spec.
 */
class NmcRoundTripTest {
    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({"../examples/fmnist_cnn.nmd, akd1500", "../examples/fmnist_cnn.nmd, akd1000", "fixtures/fmnist/mlp.nmd, akd1500",
            "fixtures/fmnist/mlp.nmd, akd1000", "fixtures/fmnist/cnn.nmd, akd1500"})
    void everyParameterSurvivesTheRoundTrip(String model, String target) {
        HwCompile.Compiled c = HwCompile.compile(Path.of(model), target);
        byte[] bytes = NmcWriter.toBytes(c.model());
        NmcModel m = NmcReader.read(bytes, "roundtrip.nmc");
        Module ir = c.module();
        Graph g = ir.graph();

        assertEquals(FormatVersion.MAJOR, m.header().majorVersion());
        assertEquals(FormatVersion.MINOR, m.header().minorVersion());
        assertEquals(ir.name(), m.header().moduleName());
        assertEquals("nmcc test", m.header().producer());
        assertEquals(c.model().reportJson(), m.reportJson());
        assertTrue(m.reportJson().startsWith("{"), "the mapping report is stored");
        target(c, m.target());

        // Layers: one per snn op, in program order.
        Map<Integer, Integer> layerOfValue = new HashMap<>();
        List<Op> layerOps = new ArrayList<>();
        for (Op op : g.ops()) {
            if (op.kind() == OpKind.HW_CORE_SLICE || op.kind() == OpKind.HW_ROUTE || op.kind() == OpKind.SNN_OUTPUT) continue;
            Layer l = m.layers().get(layerOps.size());
            assertEquals(layerOps.size(), l.index());
            assertArrayEquals(g.type(op.result()).shape().dims(), l.shape(), l.name());
            assertArrayEquals(op.operands().stream().mapToInt(v -> layerOfValue.get(v.id())).toArray(), l.inputs());
            assertEquals(op.location().describe(), l.location());
            layerOp(ir, op, l);
            layerOfValue.put(op.result().id(), layerOps.size());
            layerOps.add(op);
        }
        assertEquals(layerOps.size(), m.layers().size());

        weights(ir, layerOps, m);
        int slices = slices(ir, layerOfValue, m);
        assertEquals(slices, m.slices().size());
        routes(g, m);
        io(g, layerOfValue, m);
    }

    /** The same compile twice (calibration, quantization, mapping and all) gives a byte-identical file. */
    @org.junit.jupiter.api.Test
    void compilingTwiceGivesTheSameBytes() {
        byte[] a = NmcWriter.toBytes(HwCompile.compile(Path.of("fixtures/fmnist/cnn.nmd"), "akd1500").model());
        byte[] b = NmcWriter.toBytes(HwCompile.compile(Path.of("fixtures/fmnist/cnn.nmd"), "akd1500").model());
        assertArrayEquals(a, b);
    }

    private static void target(HwCompile.Compiled c, TargetSpec t) {
        var want = c.target();
        assertEquals(want.name(), t.name());
        assertEquals(want.geometry().chips(), t.chips());
        assertEquals(want.geometry().nodesPerChip(), t.nodesPerChip());
        assertEquals(want.geometry().npusPerNode(), t.npusPerNode());
        assertEquals(want.geometry().meshRows(), t.meshRows());
        assertEquals(want.geometry().meshCols(), t.meshCols());
        assertEquals(want.npu().neurons(), t.neuronsPerNpu());
        assertEquals(want.npu().synapseMemoryBytes(), t.synapseMemoryBytesPerNpu());
        assertEquals(want.npu().membraneBits(), t.membraneBits());
        assertEquals(want.timing().clockMhz(), t.clockMhz());
        assertEquals(want.timing().sopsPerCyclePerNpu(), t.sopsPerCyclePerNpu());
        assertEquals(want.timing().neuronUpdateCycles(), t.neuronUpdateCycles());
        assertEquals(want.timing().hopLatencyCycles(), t.hopLatencyCycles());
        assertEquals(want.timing().linkBandwidthEventsPerCycle(), t.linkBandwidthEventsPerCycle());
        assertEquals(want.timing().interChipLatencyCycles(), t.interChipLatencyCycles());
        assertEquals(want.timing().interChipBandwidthEventsPerCycle(), t.interChipBandwidthEventsPerCycle());
        assertEquals(want.timing().wakeLatencyCycles(), t.wakeLatencyCycles());
        assertEquals(want.energy().pjPerSop(), t.pjPerSop());
        assertEquals(want.energy().pjPerNeuronUpdate(), t.pjPerNeuronUpdate());
        assertEquals(want.energy().pjPerHop(), t.pjPerHop());
        assertEquals(want.energy().pjPerInterChipHop(), t.pjPerInterChipHop());
        assertEquals(want.energy().staticPowerAwakeUw(), t.staticPowerAwakeUw());
        assertEquals(want.energy().staticPowerAsleepUw(), t.staticPowerAsleepUw());
    }

    private static void layerOp(Module ir, Op op, Layer l) {
        Attributes a = op.attributes();
        switch (op.kind()) {
            case SNN_INPUT -> assertEquals(a.getString("name", null), assertInstanceOf(LayerOp.Input.class, l.op()).inputName());
            case SNN_ENCODE -> {
                var e = assertInstanceOf(LayerOp.Encode.class, l.op());
                assertEquals(a.getString("mode", null), e.mode() == Encoding.RATE ? "rate" : "direct");
                assertEquals(a.getInt("input_scale", -1), e.inputScale());
            }
            case SNN_DENSE -> {
                var d = assertInstanceOf(LayerOp.Dense.class, l.op());
                assertEquals(a.getInt("units", -1), d.units());
                assertEquals(ir.blobs().get(a.getBlob("weight")).type().elementType().bits(), d.weightBits());
                assertEquals(a.has("bias"), d.hasBias());
            }
            case SNN_CONV2D -> {
                var c = assertInstanceOf(LayerOp.Conv2d.class, l.op());
                assertEquals(a.getInt("out_channels", -1), c.outChannels());
                assertEquals(ir.blobs().get(a.getBlob("weight")).type().elementType().bits(), c.weightBits());
                assertEquals(a.has("bias"), c.hasBias());
                window(a, new int[] {1, 1}, c.window());
            }
            case SNN_AVGPOOL -> {
                var p = assertInstanceOf(LayerOp.AvgPool.class, l.op());
                window(a, a.getInts("kernel", null), p.window());
                assertEquals(a.getNumber("weight", Double.NaN), p.weight());
            }
            case SNN_MAXPOOL -> window(a, a.getInts("kernel", null), assertInstanceOf(LayerOp.MaxPool.class, l.op()).window());
            case SNN_FLATTEN, SNN_RESHAPE -> assertInstanceOf(LayerOp.Reshape.class, l.op());
            case SNN_MERGE -> assertInstanceOf(LayerOp.Merge.class, l.op());
            case SNN_IF, SNN_LIF -> {
                var n = assertInstanceOf(LayerOp.Neurons.class, l.op());
                assertEquals(a.getInt("v_bits", 32), n.vBits());
                assertEquals(a.getString("reset", "subtract"), n.reset() == Reset.ZERO ? "zero" : "subtract");
                assertEquals(op.kind() == OpKind.SNN_LIF && a.has("leak_shift"), n.leaky());
                assertEquals(a.getInt("leak_shift", 0), n.leakShift());
            }
            case SNN_DECODE -> assertEquals(a.getString("mode", null),
                    l.op() instanceof LayerOp.DecodeCount ? "count" : assertInstanceOf(LayerOp.DecodePotential.class, l.op()) != null ? "potential" : "");
            default -> throw new AssertionError("unexpected op " + op.kind());
        }
    }

    private static void window(Attributes a, int[] defaultStride, dev.nmcc.nmc.model.Window w) {
        int[] k = a.getInts("kernel", null), s = a.getInts("stride", defaultStride), p = a.getInts("pad", new int[4]);
        assertArrayEquals(new int[] {k[0], k[1], s[0], s[1], p[0], p[1], p[2], p[3]},
                new int[] {w.kh(), w.kw(), w.sh(), w.sw(), w.padTop(), w.padLeft(), w.padBottom(), w.padRight()});
    }

    /** Every weight of every dense/conv2d op, value by value, and every bias. */
    private static void weights(Module ir, List<Op> layerOps, NmcModel m) {
        int projections = 0;
        for (int i = 0; i < layerOps.size(); i++) {
            Op op = layerOps.get(i);
            if (op.kind() != OpKind.SNN_DENSE && op.kind() != OpKind.SNN_CONV2D) continue;
            projections++;
            int layer = i;
            int[] w = ir.blobs().get(op.attributes().getBlob("weight")).ints();
            int[] bias = op.attributes().has("bias") ? ir.blobs().get(op.attributes().getBlob("bias")).ints() : null;
            int rows = (int) (op.kind() == OpKind.SNN_DENSE ? op.attributes().getInt("units", 0) : op.attributes().getInt("out_channels", 0));
            int fanIn = w.length / rows;
            boolean[] seen = new boolean[rows];
            for (SynapseBlock b : m.synapses()) {
                if (b.projection() != layer) continue;
                assertEquals(fanIn, b.fanIn());
                for (int r = 0; r < b.count(); r++) {
                    assertFalse(seen[b.first() + r], "row stored twice");
                    seen[b.first() + r] = true;
                    for (int k = 0; k < fanIn; k++) {
                        // Dense blocks are stored input-major ([in][row]), conv2d blocks [channel][in][ky][kx].
                        int want = w[(b.first() + r) * fanIn + k];
                        if (op.kind() == OpKind.SNN_DENSE) {
                            assertEquals(want, b.denseWeight(r, k), "weight " + r + "," + k);
                            assertEquals(want, b.weight((long) k * b.count() + r), "stored value " + k + "," + r);
                        } else {
                            assertEquals(want, b.convWeight(r, k), "weight " + r + "," + k);
                            assertEquals(want, b.weight((long) r * fanIn + k), "stored value " + r + "," + k);
                        }
                    }
                    if (bias != null) assertEquals(bias[b.first() + r], b.bias()[r]);
                }
                if (bias == null) assertEquals(0, b.bias().length);
            }
            for (boolean s : seen) assertTrue(s, "every row is stored");
        }
        assertTrue(projections >= 2);
    }

    /** Every hw.core_slice: placement, range, wake, and thresholds/v0 per neuron. */
    private static int slices(Module ir, Map<Integer, Integer> layerOfValue, NmcModel m) {
        Graph g = ir.graph();
        int n = 0;
        for (Op op : g.opsOf(OpKind.HW_CORE_SLICE)) {
            n++;
            Attributes a = op.attributes();
            CoreSlice s = m.slices().get((int) a.getInt("id", -1));
            assertEquals((int) layerOfValue.get(op.operand(0).id()), s.layer());
            int[] core = a.getInts("core", null), range = a.getInts("neurons", null);
            assertArrayEquals(core, new int[] {s.core().chip(), s.core().node(), s.core().npu()});
            assertArrayEquals(range, new int[] {s.neuronStart(), s.neuronEnd()});
            assertEquals(a.getInt("synapse_bytes", 0), s.synapseBytes());
            assertEquals(a.getString("wake", "always").equals("on_spike"), s.wake().onSpike());
            int[] sources = a.getInts("wake_sources", new int[0]).clone();
            Arrays.sort(sources);
            assertArrayEquals(sources, s.wake().sources());
            assertEquals(a.getInt("idle_timeout", 0), s.wake().idleTimeoutCycles());
            Op pop = g.definingOp(op.operand(0));
            if (pop.kind() == OpKind.SNN_DECODE) {
                assertEquals(0, s.thresholds().length);
                continue;
            }
            int[] shape = g.type(op.operand(0)).shape().dims();
            int size = g.type(op.operand(0)).shape().elementCount(), per = size / shape[0];
            for (int k = s.neuronStart(); k < s.neuronEnd(); k++) {
                assertEquals(param(ir, pop, "threshold", 1, k, per), fileParam(s.thresholds(), s, k, per), "threshold of neuron " + k);
                assertEquals(param(ir, pop, "v0", 0, k, per), fileParam(s.v0(), s, k, per), "v0 of neuron " + k);
            }
        }
        return n;
    }

    private static long param(Module ir, Op pop, String attr, long dflt, int neuron, int per) {
        return switch (pop.attributes().getOrNull(attr)) {
            case null -> dflt;
            case Attribute.Int(long v) -> v;
            case Attribute.Float(double v) -> (long) v;
            case Attribute.BlobRef(String name) -> {
                Blob b = ir.blobs().get(name);
                yield (long) b.get(neuron / per);
            }
            default -> throw new AssertionError(attr);
        };
    }

    private static long fileParam(int[] values, CoreSlice s, int neuron, int per) {
        return values.length == 1 ? values[0] : values[neuron / per - s.channelStart()];
    }

    private static void routes(Graph g, NmcModel m) {
        List<String> want = new ArrayList<>(), got = new ArrayList<>();
        for (Op op : g.opsOf(OpKind.HW_ROUTE)) {
            int[] dst = op.attributes().getInts("dst", null).clone();
            Arrays.sort(dst);
            want.add(op.attributes().getInt("src", -1) + "->" + Arrays.toString(dst) + " hops " + op.attributes().getInt("hops", 0));
        }
        for (Route r : m.routes()) got.add(r.source() + "->" + Arrays.toString(r.destinations()) + " hops " + r.hops());
        want.sort(null);
        List<String> sortedGot = new ArrayList<>(got);
        sortedGot.sort(null);
        assertEquals(want, sortedGot);
        assertFalse(want.isEmpty());
    }

    private static void io(Graph g, Map<Integer, Integer> layerOfValue, NmcModel m) {
        List<Op> inputs = g.opsOf(OpKind.SNN_INPUT), outputs = g.opsOf(OpKind.SNN_OUTPUT);
        assertEquals(inputs.size(), m.io().inputs().size());
        for (int i = 0; i < inputs.size(); i++) {
            var in = m.io().inputs().get(i);
            Op op = inputs.get(i);
            assertEquals(op.attributes().getString("name", null), in.name());
            assertEquals((int) layerOfValue.get(op.result().id()), in.layer());
            assertArrayEquals(g.type(op.result()).shape().dims(), in.shape());
            Op enc = g.users(op.result()).getFirst();
            assertEquals(enc.attributes().getString("mode", null), in.encoding() == Encoding.RATE ? "rate" : "direct");
            assertEquals(enc.attributes().getInt("input_scale", -1), in.inputScale());
            assertEquals(0f, in.rangeLo());
            assertEquals(1f, in.rangeHi());
        }
        assertEquals(outputs.size(), m.io().outputs().size());
        for (int i = 0; i < outputs.size(); i++) {
            var out = m.io().outputs().get(i);
            Op op = outputs.get(i);
            assertEquals(op.attributes().getString("name", null), out.name());
            assertEquals((int) layerOfValue.get(op.operand(0).id()), out.decoder());
            assertArrayEquals(g.type(op.operand(0)).shape().dims(), out.shape());
        }
        assertEquals(32, m.io().timesteps());
        assertEquals(7, m.io().seed());
    }
}

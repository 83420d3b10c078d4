package dev.nmcc.nmc.io;

import com.google.flatbuffers.FlatBufferBuilder;
import dev.nmcc.nmc.fb.Body;
import dev.nmcc.nmc.fb.CoreCoord;
import dev.nmcc.nmc.fb.CoreSlice;
import dev.nmcc.nmc.fb.InputSpec;
import dev.nmcc.nmc.fb.IoSpec;
import dev.nmcc.nmc.fb.Layer;
import dev.nmcc.nmc.fb.LayerKind;
import dev.nmcc.nmc.fb.OutputSpec;
import dev.nmcc.nmc.fb.Route;
import dev.nmcc.nmc.fb.SynapseBlock;
import dev.nmcc.nmc.fb.TargetSpec;
import dev.nmcc.nmc.fb.Window;
import dev.nmcc.nmc.model.Encoding;
import dev.nmcc.nmc.model.LayerOp;
import dev.nmcc.nmc.model.NmcModel;
import dev.nmcc.nmc.model.Reset;
import java.util.List;

/**
 * Serialises a model's body (everything but the header) into a FlatBuffer. Deterministic: the
 * builder is fed in one fixed order (the model's list order), so equal models give equal bytes.
 */
final class BodyEncoder {
    private final FlatBufferBuilder b;

    private BodyEncoder(int sizeHint) { this.b = new FlatBufferBuilder(sizeHint); }

    /** The body bytes; {@code minor} 0 leaves out the fields added in 1.1. */
    static byte[] encode(NmcModel m, int minor) {
        long hint = 1024 + m.weightBytes() + 64L * (m.layers().size() + m.slices().size() + m.synapses().size() + m.routes().size());
        BodyEncoder e = new BodyEncoder((int) Math.min(hint, Integer.MAX_VALUE - 16));
        return e.body(m, minor);
    }

    private byte[] body(NmcModel m, int minor) {
        int target = target(m.target());
        int io = io(m.io());
        int[] layers = new int[m.layers().size()];
        for (int i = 0; i < layers.length; i++) layers[i] = layer(m.layers().get(i));
        int layersVec = Body.createLayersVector(b, layers);
        int[] slices = new int[m.slices().size()];
        for (int i = 0; i < slices.length; i++) slices[i] = slice(m.slices().get(i));
        int slicesVec = Body.createSlicesVector(b, slices);
        int[] blocks = new int[m.synapses().size()];
        for (int i = 0; i < blocks.length; i++) blocks[i] = block(m.synapses().get(i));
        int blocksVec = Body.createSynapsesVector(b, blocks);
        int[] routes = new int[m.routes().size()];
        for (int i = 0; i < routes.length; i++) {
            var r = m.routes().get(i);
            int dst = Route.createDestinationsVector(b, r.destinations());
            routes[i] = Route.createRoute(b, r.source(), dst, r.hops());
        }
        int routesVec = Body.createRoutesVector(b, routes);
        int report = minor >= 1 ? b.createString(m.reportJson()) : 0;
        Body.startBody(b);
        Body.addTarget(b, target);
        Body.addIo(b, io);
        Body.addLayers(b, layersVec);
        Body.addSlices(b, slicesVec);
        Body.addSynapses(b, blocksVec);
        Body.addRoutes(b, routesVec);
        if (minor >= 1) Body.addReportJson(b, report);
        b.finish(Body.endBody(b));
        return b.sizedByteArray();
    }

    private int target(dev.nmcc.nmc.model.TargetSpec t) {
        int name = b.createString(t.name());
        return TargetSpec.createTargetSpec(b, name, t.chips(), t.nodesPerChip(), t.npusPerNode(), t.meshRows(), t.meshCols(),
                t.neuronsPerNpu(), t.synapseMemoryBytesPerNpu(), t.membraneBits(), t.clockMhz(), t.sopsPerCyclePerNpu(),
                t.neuronUpdateCycles(), t.hopLatencyCycles(), t.linkBandwidthEventsPerCycle(), t.interChipLatencyCycles(),
                t.interChipBandwidthEventsPerCycle(), t.wakeLatencyCycles(), t.pjPerSop(), t.pjPerNeuronUpdate(), t.pjPerHop(),
                t.pjPerInterChipHop(), t.staticPowerAwakeUw(), t.staticPowerAsleepUw());
    }

    private int io(dev.nmcc.nmc.model.IoSpec io) {
        List<dev.nmcc.nmc.model.IoSpec.InputSpec> ins = io.inputs();
        int[] inputs = new int[ins.size()];
        for (int i = 0; i < inputs.length; i++) {
            var in = ins.get(i);
            int name = b.createString(in.name());
            int shape = InputSpec.createShapeVector(b, in.shape());
            inputs[i] = InputSpec.createInputSpec(b, name, in.layer(), shape, in.rangeLo(), in.rangeHi(), encoding(in.encoding()),
                    in.inputScale());
        }
        int inputsVec = IoSpec.createInputsVector(b, inputs);
        List<dev.nmcc.nmc.model.IoSpec.OutputSpec> outs = io.outputs();
        int[] outputs = new int[outs.size()];
        for (int i = 0; i < outputs.length; i++) {
            var out = outs.get(i);
            int name = b.createString(out.name());
            int shape = OutputSpec.createShapeVector(b, out.shape());
            outputs[i] = OutputSpec.createOutputSpec(b, name, out.decoder(), shape, out.tiePopulation());
        }
        int outputsVec = IoSpec.createOutputsVector(b, outputs);
        return IoSpec.createIoSpec(b, io.timesteps(), io.seed(), inputsVec, outputsVec);
    }

    private int layer(dev.nmcc.nmc.model.Layer l) {
        int name = b.createString(l.name());
        int location = b.createString(l.location());
        int inputs = Layer.createInputsVector(b, l.inputs());
        int shape = Layer.createShapeVector(b, l.shape());
        int inputName = l.op() instanceof LayerOp.Input in ? b.createString(in.inputName()) : 0;
        Layer.startLayer(b);
        Layer.addName(b, name);
        Layer.addLocation(b, location);
        Layer.addInputs(b, inputs);
        Layer.addShape(b, shape);
        switch (l.op()) {
            case LayerOp.Input x -> {
                Layer.addKind(b, LayerKind.Input);
                Layer.addInputName(b, inputName);
            }
            case LayerOp.Encode x -> {
                Layer.addKind(b, LayerKind.Encode);
                Layer.addEncoding(b, encoding(x.mode()));
                Layer.addInputScale(b, x.inputScale());
            }
            case LayerOp.Dense x -> {
                Layer.addKind(b, LayerKind.Dense);
                Layer.addUnits(b, x.units());
                Layer.addWeightBits(b, x.weightBits());
                Layer.addHasBias(b, x.hasBias());
            }
            case LayerOp.Conv2d x -> {
                Layer.addKind(b, LayerKind.Conv2d);
                Layer.addOutChannels(b, x.outChannels());
                addWindow(x.window());
                Layer.addWeightBits(b, x.weightBits());
                Layer.addHasBias(b, x.hasBias());
            }
            case LayerOp.AvgPool x -> {
                Layer.addKind(b, LayerKind.AvgPool);
                addWindow(x.window());
                Layer.addPoolWeight(b, x.weight());
            }
            case LayerOp.MaxPool x -> {
                Layer.addKind(b, LayerKind.MaxPool);
                addWindow(x.window());
            }
            case LayerOp.Reshape x -> Layer.addKind(b, LayerKind.Reshape);
            case LayerOp.Merge x -> Layer.addKind(b, LayerKind.Merge);
            case LayerOp.Neurons x -> {
                Layer.addKind(b, LayerKind.Neurons);
                Layer.addLeaky(b, x.leaky());
                Layer.addLeakShift(b, x.leakShift());
                Layer.addReset(b, x.reset() == Reset.ZERO ? dev.nmcc.nmc.fb.Reset.Zero : dev.nmcc.nmc.fb.Reset.Subtract);
                Layer.addVBits(b, x.vBits());
            }
            case LayerOp.DecodePotential x -> Layer.addKind(b, LayerKind.DecodePotential);
            case LayerOp.DecodeCount x -> Layer.addKind(b, LayerKind.DecodeCount);
        }
        return Layer.endLayer(b);
    }

    /** Structs are written inline, inside the table being built. */
    private void addWindow(dev.nmcc.nmc.model.Window w) {
        Layer.addWindow(b, Window.createWindow(b, w.kh(), w.kw(), w.sh(), w.sw(), w.padTop(), w.padLeft(), w.padBottom(), w.padRight()));
    }

    private int slice(dev.nmcc.nmc.model.CoreSlice s) {
        int th = CoreSlice.createThresholdsVector(b, s.thresholds());
        int v0 = CoreSlice.createV0Vector(b, s.v0());
        int sources = CoreSlice.createWakeSourcesVector(b, s.wake().sources());
        CoreSlice.startCoreSlice(b);
        CoreSlice.addLayer(b, s.layer());
        CoreSlice.addCore(b, CoreCoord.createCoreCoord(b, s.core().chip(), s.core().node(), s.core().npu()));
        CoreSlice.addNeuronStart(b, s.neuronStart());
        CoreSlice.addNeuronEnd(b, s.neuronEnd());
        CoreSlice.addChannelStart(b, s.channelStart());
        CoreSlice.addThresholds(b, th);
        CoreSlice.addV0(b, v0);
        CoreSlice.addSynapseBytes(b, s.synapseBytes());
        CoreSlice.addWakeOnSpike(b, s.wake().onSpike());
        CoreSlice.addWakeSources(b, sources);
        CoreSlice.addIdleTimeoutCycles(b, s.wake().idleTimeoutCycles());
        return CoreSlice.endCoreSlice(b);
    }

    private int block(dev.nmcc.nmc.model.SynapseBlock s) {
        int packed = SynapseBlock.createPackedVector(b, s.packed());
        int bias = SynapseBlock.createBiasVector(b, s.bias());
        return SynapseBlock.createSynapseBlock(b, s.projection(), s.slice(), s.first(), s.count(), s.bits(), s.fanIn(), packed, bias);
    }

    private static int encoding(Encoding e) { return e == Encoding.RATE ? dev.nmcc.nmc.fb.Encoding.Rate : dev.nmcc.nmc.fb.Encoding.Direct; }
}

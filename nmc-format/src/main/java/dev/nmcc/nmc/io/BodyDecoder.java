package dev.nmcc.nmc.io;

import dev.nmcc.nmc.fb.Body;
import dev.nmcc.nmc.fb.LayerKind;
import dev.nmcc.nmc.model.CoreCoord;
import dev.nmcc.nmc.model.CoreSlice;
import dev.nmcc.nmc.model.Encoding;
import dev.nmcc.nmc.model.Header;
import dev.nmcc.nmc.model.IoSpec;
import dev.nmcc.nmc.model.Layer;
import dev.nmcc.nmc.model.LayerOp;
import dev.nmcc.nmc.model.NmcModel;
import dev.nmcc.nmc.model.Reset;
import dev.nmcc.nmc.model.Route;
import dev.nmcc.nmc.model.SynapseBlock;
import dev.nmcc.nmc.model.TargetSpec;
import dev.nmcc.nmc.model.Window;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns checked body bytes into the decoded model. Structural checks only (lengths before
 * allocation, required tables present, enums known); {@link ModelValidator} checks the meaning.
 * Every array it allocates is bounded by the body's size: a vector's length is compared with the
 * bytes it would occupy before it is read.
 */
final class BodyDecoder {
    private final String name;
    private final int bodySize;

    private BodyDecoder(String name, int bodySize) {
        this.name = name;
        this.bodySize = bodySize;
    }

    static NmcModel decode(NmcReader.Envelope env, String name) {
        return new BodyDecoder(name, env.body().length).body(env);
    }

    private NmcFormatException bad(String what) { return new NmcFormatException(name + ": " + what); }

    private NmcModel body(NmcReader.Envelope env) {
        Body body = Body.getRootAsBody(ByteBuffer.wrap(env.body()).order(ByteOrder.LITTLE_ENDIAN));
        TargetSpec target = target(required(body.target(), "the target"));
        if (!target.name().equals(env.targetName())) {
            throw bad("header names target '" + env.targetName() + "', the body '" + target.name() + "'");
        }
        IoSpec io = io(required(body.io(), "the I/O spec"));
        List<Layer> layers = new ArrayList<>(tables(body.layersLength(), "layers"));
        for (int i = 0; i < body.layersLength(); i++) layers.add(layer(i, required(body.layers(i), "layer " + i)));
        List<CoreSlice> slices = new ArrayList<>(tables(body.slicesLength(), "slices"));
        for (int i = 0; i < body.slicesLength(); i++) slices.add(slice(i, required(body.slices(i), "slice " + i)));
        List<SynapseBlock> blocks = new ArrayList<>(tables(body.synapsesLength(), "synapse blocks"));
        for (int i = 0; i < body.synapsesLength(); i++) blocks.add(block(i, required(body.synapses(i), "synapse block " + i)));
        List<Route> routes = new ArrayList<>(tables(body.routesLength(), "routes"));
        for (int i = 0; i < body.routesLength(); i++) {
            var r = required(body.routes(i), "route " + i);
            routes.add(new Route(r.source(), ints(r.destinationsLength(), r.destinationsAsByteBuffer(), "route " + i + " destinations"),
                    r.hops()));
        }
        String report = string(body.reportJson());
        Header header = new Header(env.major(), env.minor(), env.producer(), env.moduleName());
        return new NmcModel(header, target, io, layers, slices, blocks, routes, report);
    }

    private TargetSpec target(dev.nmcc.nmc.fb.TargetSpec t) {
        return new TargetSpec(string(t.name()), t.chips(), t.nodesPerChip(), t.npusPerNode(), t.meshRows(), t.meshCols(), t.neuronsPerNpu(),
                t.synapseMemoryBytesPerNpu(), t.membraneBits(), t.clockMhz(), t.sopsPerCyclePerNpu(), t.neuronUpdateCycles(),
                t.hopLatencyCycles(), t.linkBandwidthEventsPerCycle(), t.interChipLatencyCycles(), t.interChipBandwidthEventsPerCycle(),
                t.wakeLatencyCycles(), t.pjPerSop(), t.pjPerNeuronUpdate(), t.pjPerHop(), t.pjPerInterChipHop(), t.staticPowerAwakeUw(),
                t.staticPowerAsleepUw());
    }

    private IoSpec io(dev.nmcc.nmc.fb.IoSpec io) {
        List<IoSpec.InputSpec> inputs = new ArrayList<>(tables(io.inputsLength(), "inputs"));
        for (int i = 0; i < io.inputsLength(); i++) {
            var in = required(io.inputs(i), "input " + i);
            inputs.add(new IoSpec.InputSpec(string(in.name()), in.layer(), ints(in.shapeLength(), in.shapeAsByteBuffer(), "input shape"),
                    in.rangeLo(), in.rangeHi(), encoding(in.encoding(), "input " + i), in.inputScale()));
        }
        List<IoSpec.OutputSpec> outputs = new ArrayList<>(tables(io.outputsLength(), "outputs"));
        for (int i = 0; i < io.outputsLength(); i++) {
            var out = required(io.outputs(i), "output " + i);
            outputs.add(new IoSpec.OutputSpec(string(out.name()), out.decoder(),
                    ints(out.shapeLength(), out.shapeAsByteBuffer(), "output shape"), out.tiePopulation()));
        }
        return new IoSpec(io.timesteps(), io.seed(), inputs, outputs);
    }

    private Layer layer(int i, dev.nmcc.nmc.fb.Layer l) {
        String at = "layer " + i;
        int[] inputs = ints(l.inputsLength(), l.inputsAsByteBuffer(), at + " inputs");
        int[] shape = ints(l.shapeLength(), l.shapeAsByteBuffer(), at + " shape");
        LayerOp op = switch (l.kind()) {
            case LayerKind.Input -> new LayerOp.Input(string(l.inputName()));
            case LayerKind.Encode -> new LayerOp.Encode(encoding(l.encoding(), at), l.inputScale());
            case LayerKind.Dense -> new LayerOp.Dense(l.units(), l.weightBits(), l.hasBias());
            case LayerKind.Conv2d -> new LayerOp.Conv2d(l.outChannels(), window(l, at), l.weightBits(), l.hasBias());
            case LayerKind.AvgPool -> new LayerOp.AvgPool(window(l, at), l.poolWeight());
            case LayerKind.MaxPool -> new LayerOp.MaxPool(window(l, at));
            case LayerKind.Reshape -> new LayerOp.Reshape();
            case LayerKind.Merge -> new LayerOp.Merge();
            case LayerKind.Neurons -> new LayerOp.Neurons(l.leaky(), l.leakShift(), reset(l.reset(), at), l.vBits());
            case LayerKind.DecodePotential -> new LayerOp.DecodePotential();
            case LayerKind.DecodeCount -> new LayerOp.DecodeCount();
            default -> throw bad(at + ": unknown layer kind " + l.kind());
        };
        return new Layer(i, string(l.name()), string(l.location()), inputs, shape, op);
    }

    private Window window(dev.nmcc.nmc.fb.Layer l, String at) {
        var w = required(l.window(), at + "'s window");
        return new Window(w.kh(), w.kw(), w.sh(), w.sw(), w.padTop(), w.padLeft(), w.padBottom(), w.padRight());
    }

    private CoreSlice slice(int i, dev.nmcc.nmc.fb.CoreSlice s) {
        String at = "slice " + i;
        var c = required(s.core(), at + "'s core");
        var wake = new CoreSlice.Wake(s.wakeOnSpike(), ints(s.wakeSourcesLength(), s.wakeSourcesAsByteBuffer(), at + " wake sources"),
                s.idleTimeoutCycles());
        return new CoreSlice(i, s.layer(), new CoreCoord(c.chip(), c.node(), c.npu()), s.neuronStart(), s.neuronEnd(), s.channelStart(),
                ints(s.thresholdsLength(), s.thresholdsAsByteBuffer(), at + " thresholds"),
                ints(s.v0Length(), s.v0AsByteBuffer(), at + " v0"), s.synapseBytes(), wake);
    }

    private SynapseBlock block(int i, dev.nmcc.nmc.fb.SynapseBlock b) {
        String at = "synapse block " + i;
        byte[] packed = bytes(b.packedLength(), b.packedAsByteBuffer(), at + " weights");
        int[] bias = ints(b.biasLength(), b.biasAsByteBuffer(), at + " biases");
        return new SynapseBlock(b.projection(), b.slice(), b.first(), b.count(), b.bits(), b.fanIn(), packed, bias);
    }

    private <T> T required(T table, String what) {
        if (table == null) throw bad("corrupt file (" + what + " is missing)");
        return table;
    }

    /** A vector of tables: each element is a 4-byte offset, so a longer vector cannot be real. */
    private int tables(int length, String what) {
        if (length < 0 || (long) length * 4 > bodySize) throw bad("corrupt file (" + length + " " + what + " in a body of " + bodySize + " bytes)");
        return length;
    }

    private int[] ints(int length, ByteBuffer data, String what) {
        checkVector(length, data, 4, what);
        int[] out = new int[length];
        if (length > 0) data.slice().order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(out);
        return out;
    }

    private byte[] bytes(int length, ByteBuffer data, String what) {
        checkVector(length, data, 1, what);
        byte[] out = new byte[length];
        if (length > 0) data.get(out);
        return out;
    }

    /** The length field must match the bytes the vector spans, and those must lie in the body. */
    private void checkVector(int length, ByteBuffer data, int elementSize, String what) {
        long span = (long) length * elementSize;
        boolean ok = length >= 0 && span <= bodySize && (data == null ? length == 0 : data.remaining() == span);
        if (!ok) throw bad("corrupt file (" + what + ": " + length + " elements do not fit the body)");
    }

    private Encoding encoding(int code, String at) {
        return switch (code) {
            case dev.nmcc.nmc.fb.Encoding.Direct -> Encoding.DIRECT;
            case dev.nmcc.nmc.fb.Encoding.Rate -> Encoding.RATE;
            default -> throw bad(at + ": unknown encoding " + code);
        };
    }

    private Reset reset(int code, String at) {
        return switch (code) {
            case dev.nmcc.nmc.fb.Reset.Subtract -> Reset.SUBTRACT;
            case dev.nmcc.nmc.fb.Reset.Zero -> Reset.ZERO;
            default -> throw bad(at + ": unknown reset mode " + code);
        };
    }

    private static String string(String s) { return s == null ? "" : s; }
}

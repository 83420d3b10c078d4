package dev.nmcc.backend.emit;

import dev.nmcc.backend.target.Target;
import dev.nmcc.ir.analysis.LayerNames;
import dev.nmcc.ir.attr.Attribute;
import dev.nmcc.ir.attr.Attributes;
import dev.nmcc.ir.blob.Blob;
import dev.nmcc.ir.diag.CompilationException;
import dev.nmcc.ir.diag.Diagnostic;
import dev.nmcc.ir.graph.Graph;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.graph.Op;
import dev.nmcc.ir.graph.Value;
import dev.nmcc.ir.loc.Location;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.ir.op.Stage;
import dev.nmcc.nmc.io.FormatVersion;
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
import dev.nmcc.nmc.model.TargetSpec;
import dev.nmcc.nmc.model.Window;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The backend's last step: an {@code hw}-stage module (integer form, mapped on cores) becomes the
 * decoded {@code .nmc} model that {@link dev.nmcc.nmc.io.NmcWriter} serialises.
 *
 * <p>One {@link Layer} per snn op in program order ({@code snn.output} becomes an
 * {@link IoSpec.OutputSpec}); each {@code hw.core_slice} a {@link CoreSlice} with the slice's
 * thresholds and initial potentials; each {@code hw.route} a {@link Route}; the weights of each
 * dense and conv2d op are split into synapse blocks by the slices of the population they feed
 * ({@link WeightBlocks}). What the format cannot represent (float weights, a non-integer pooling
 * weight, a module before mapping) is a located error.
 */
public final class NmcEmitter {
    private final Module module;
    private final Graph g;
    private final int[] layerOf;
    private final LayerNames populationNames;
    private final List<Layer> layers = new ArrayList<>();
    /** The op of each layer. */
    private final List<Op> layerOps = new ArrayList<>();
    private final List<Op> sliceOps = new ArrayList<>();
    private final List<Op> routeOps = new ArrayList<>();
    private final List<Op> outputOps = new ArrayList<>();

    private NmcEmitter(Module module) {
        this.module = module;
        this.g = module.graph();
        this.layerOf = new int[g.valueCount()];
        Arrays.fill(layerOf, -1);
        this.populationNames = LayerNames.of(g);
    }

    /**
     * The model of {@code module}.
     *
     * @param target     the chip it was mapped on (with the chip count the mapper used)
     * @param timesteps  default timesteps of one inference
     * @param seed       default seed of the rate encoder
     * @param producer   the producing program, e.g. "nmcc 0.1.0"
     * @param reportJson the compile report as JSON, or ""
     * @throws CompilationException when the module is not at stage hw or holds something the format cannot store
     */
    public static NmcModel emit(Module module, Target target, int timesteps, long seed, String producer, String reportJson) {
        if (module.stage() != Stage.HW) {
            throw new CompilationException(Diagnostic.error(Location.UNKNOWN, "module @" + module.name() + " is at stage "
                    + module.stage().mnemonic() + "; an .nmc file needs stage hw (the pipeline must run allocate-cores)"));
        }
        return new NmcEmitter(module).run(target, timesteps, seed, producer, reportJson);
    }

    private NmcModel run(Target target, int timesteps, long seed, String producer, String reportJson) {
        List<Op> ops = g.ops();
        for (Op op : ops) {
            switch (op.kind()) {
                case HW_CORE_SLICE -> sliceOps.add(op);
                case HW_ROUTE -> routeOps.add(op);
                case SNN_OUTPUT -> outputOps.add(op);
                default -> layer(op);
            }
        }
        List<CoreSlice> slices = slices();
        List<Route> routes = routes(slices.size());
        var blocks = new WeightBlocks(module, layers, layerOps, layerOf, slices).blocks();
        IoSpec io = new IoSpec(timesteps, seed, inputs(), outputs());
        // A mapping spilled to more chips than the description has (--chips): the file holds the chips used.
        int chips = target.geometry().chips();
        for (CoreSlice s : slices) chips = Math.max(chips, s.core().chip() + 1);
        if (chips != target.geometry().chips()) target = target.withChips(chips);
        return new NmcModel(new Header(FormatVersion.MAJOR, FormatVersion.MINOR, producer, module.name()), targetSpec(target), io,
                layers, slices, blocks, routes, reportJson);
    }

    static CompilationException error(Op op, String message) {
        return new CompilationException(Diagnostic.error(op.location(), message));
    }

    private void layer(Op op) {
        if (!op.kind().admittedIn(Stage.HW) || op.results().size() != 1) {
            throw error(op, op.kind().mnemonic() + " cannot be written to an .nmc file");
        }
        Value result = op.result();
        int[] shape = g.type(result).shape().dims();
        if (shape.length == 0) throw error(op, op.kind().mnemonic() + " has a scalar result; an .nmc layer has a shape");
        Attributes a = op.attributes();
        LayerOp lop = switch (op.kind()) {
            case SNN_INPUT -> new LayerOp.Input(a.getString("name", ""));
            case SNN_ENCODE -> {
                boolean rate = a.getString("mode", "direct").equals("rate");
                if (!rate && !a.has("input_scale")) throw error(op, "direct encoding in hw needs input_scale (run quantize-weights)");
                yield new LayerOp.Encode(rate ? Encoding.RATE : Encoding.DIRECT, (int) a.getInt("input_scale", 255));
            }
            case SNN_DENSE -> new LayerOp.Dense(shape[0], weightBits(op), a.has("bias"));
            case SNN_CONV2D -> new LayerOp.Conv2d(shape[0], window(a, new int[] {1, 1}), weightBits(op), a.has("bias"));
            case SNN_AVGPOOL -> {
                int[] k = a.getInts("kernel", null);
                double w = a.getNumber("weight", 1.0 / (k[0] * k[1]));
                if (w != Math.rint(w) || Math.abs(w) > Integer.MAX_VALUE) {
                    throw error(op, "snn.avgpool weight " + w + " is not an integer; hw pooling needs an integer weight (run quantize-weights)");
                }
                yield new LayerOp.AvgPool(window(a, k), (int) w);
            }
            case SNN_MAXPOOL -> new LayerOp.MaxPool(window(a, a.getInts("kernel", null)));
            case SNN_FLATTEN, SNN_RESHAPE -> new LayerOp.Reshape();
            case SNN_MERGE -> new LayerOp.Merge();
            case SNN_IF, SNN_LIF -> neurons(op);
            case SNN_DECODE -> a.getString("mode", "").equals("count") ? new LayerOp.DecodeCount() : new LayerOp.DecodePotential();
            default -> throw error(op, op.kind().mnemonic() + " cannot be written to an .nmc file");
        };
        int[] inputs = new int[op.operands().size()];
        for (int i = 0; i < inputs.length; i++) inputs[i] = layerOf[op.operand(i).id()];
        int index = layers.size();
        int opIndex = g.definingOpIndex(result);
        String name = populationNames.get(opIndex) != null ? populationNames.get(opIndex)
                : layerName(op, g.name(result).orElse(null), opIndex);
        String location = op.location() instanceof Location.Unknown ? "" : op.location().describe();
        layers.add(new Layer(index, name, location, inputs, shape, lop));
        layerOps.add(op);
        layerOf[result.id()] = index;
    }

    /**
     * A name people recognise. Neuron layers: {@link LayerNames} (the same names as the compile
     * report). Other layers: the IR value's name; else the ONNX node the op came from; else the
     * weights' name without its suffixes ({@code conv1.weight.bn} → {@code conv1}); else {@code op N}.
     */
    private static String layerName(Op op, String valueName, int opIndex) {
        if (valueName != null) return valueName;
        if (op.location() instanceof Location.Named(String node) && !node.isEmpty()) return node;
        String weight = op.attributes().getBlob("weight");
        if (weight != null && weight.indexOf('.') > 0) return weight.substring(0, weight.indexOf('.'));
        return "op " + opIndex;
    }

    private LayerOp.Neurons neurons(Op op) {
        Attributes a = op.attributes();
        boolean leaky = false;
        int shift = 0;
        if (op.kind() == OpKind.SNN_LIF) {
            if (a.has("leak_shift")) {
                leaky = true;
                shift = (int) a.getInt("leak_shift", 0);
            } else if (a.getNumber("leak", 1.0) != 1.0) {
                throw error(op, "snn.lif has a float leak and no leak_shift; hw neurons leak by a shift (run quantize-weights)");
            }
        }
        Reset reset = a.getString("reset", "subtract").equals("zero") ? Reset.ZERO : Reset.SUBTRACT;
        return new LayerOp.Neurons(leaky, shift, reset, (int) a.getInt("v_bits", 32));
    }

    /** Bits of the op's weight blob: integers of 1, 2, 4 or 8 bits; float or wider weights cannot be stored. */
    private int weightBits(Op op) {
        Blob w = module.blobs().get(op.attributes().getBlob("weight"));
        if (w == null) throw error(op, op.kind().mnemonic() + " has no weight blob");
        return switch (w.type().elementType()) {
            case I8 -> 8;
            case I4 -> 4;
            case I2 -> 2;
            case I1 -> 1;
            default -> throw error(op, "weights @" + w.name() + " are " + w.type().elementType()
                    + "; an .nmc file stores 1, 2, 4 or 8-bit integer weights (run quantize-weights)");
        };
    }

    private static Window window(Attributes a, int[] defaultStride) {
        int[] k = a.getInts("kernel", null), s = a.getInts("stride", defaultStride), p = a.getInts("pad", new int[4]);
        return new Window(k[0], k[1], s[0], s[1], p[0], p[1], p[2], p[3]);
    }

    private List<CoreSlice> slices() {
        List<Op> byId = new ArrayList<>(sliceOps);
        byId.sort(Comparator.comparingLong(op -> op.attributes().getInt("id", -1)));
        List<CoreSlice> out = new ArrayList<>();
        for (int i = 0; i < byId.size(); i++) {
            Op op = byId.get(i);
            Attributes a = op.attributes();
            if (a.getInt("id", -1) != i) throw error(op, "core slice ids must be 0 .. " + (byId.size() - 1) + "; found id " + a.getInt("id", -1));
            int layer = layerOf[op.operand(0).id()];
            int[] core = a.getInts("core", null), neurons = a.getInts("neurons", null);
            Layer l = layers.get(layer);
            boolean onSpike = a.getString("wake", "always").equals("on_spike");
            int[] sources = a.getInts("wake_sources", new int[0]).clone();
            Arrays.sort(sources);
            var wake = new CoreSlice.Wake(onSpike, sources, a.getInt("idle_timeout", 0));
            int per = l.size() / l.shape()[0];
            int channelStart = neurons[0] / per, channels = (neurons[1] - 1) / per - channelStart + 1;
            int[] th = new int[0], v0 = new int[0];
            if (l.op() instanceof LayerOp.Neurons) {
                Op pop = layerOps.get(layer);
                th = SliceParams.perChannel(module, pop, "threshold", 1, channelStart, channels, l.shape()[0]);
                v0 = SliceParams.perChannel(module, pop, "v0", 0, channelStart, channels, l.shape()[0]);
            }
            out.add(new CoreSlice(i, layer, new CoreCoord(core[0], core[1], core[2]), neurons[0], neurons[1], channelStart, th, v0,
                    a.getInt("synapse_bytes", 0), wake));
        }
        return out;
    }

    private List<Route> routes(int slices) {
        List<Route> out = new ArrayList<>();
        for (Op op : routeOps) {
            int[] dst = op.attributes().getInts("dst", new int[0]).clone();
            Arrays.sort(dst);
            out.add(new Route((int) op.attributes().getInt("src", -1), dst, (int) op.attributes().getInt("hops", 0)));
        }
        out.sort(Comparator.comparingInt(Route::source)); // stable: program order within a source
        return out;
    }

    private List<IoSpec.InputSpec> inputs() {
        List<IoSpec.InputSpec> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            if (!(layers.get(i).op() instanceof LayerOp.Input in)) continue;
            Op op = layerOps.get(i);
            double[] range = {0.0, 1.0};
            if (op.attributes().getOrNull("range") instanceof Attribute.Array arr && arr.numbersOrNull() != null) range = arr.numbersOrNull();
            // The first encoder reading this input decides how data is fed.
            LayerOp.Encode enc = null;
            for (Layer l : layers) {
                if (l.op() instanceof LayerOp.Encode e && l.inputs()[0] == i) {
                    enc = e;
                    break;
                }
            }
            out.add(new IoSpec.InputSpec(in.inputName(), i, layers.get(i).shape(), (float) range[0], (float) range[1],
                    enc == null ? Encoding.DIRECT : enc.mode(), enc == null ? 255 : enc.inputScale()));
        }
        return out;
    }

    private List<IoSpec.OutputSpec> outputs() {
        List<IoSpec.OutputSpec> out = new ArrayList<>();
        for (Op op : outputOps) {
            Value v = op.operand(0);
            int decoder = layerOf[v.id()];
            // snn.output may name a reshaped decoder result: follow views back to the decoder.
            while (layers.get(decoder).op() instanceof LayerOp.Reshape) decoder = layers.get(decoder).inputs()[0];
            if (!(layers.get(decoder).op() instanceof LayerOp.DecodePotential || layers.get(decoder).op() instanceof LayerOp.DecodeCount)) {
                throw error(op, "snn.output must name the result of an snn.decode");
            }
            int tie = -1;
            if (layers.get(decoder).op() instanceof LayerOp.DecodeCount) {
                int src = layers.get(decoder).inputs()[0];
                while (layers.get(src).op() instanceof LayerOp.Reshape) src = layers.get(src).inputs()[0];
                if (layers.get(src).op() instanceof LayerOp.Neurons) tie = src;
            }
            out.add(new IoSpec.OutputSpec(op.attributes().getString("name", ""), decoder, g.type(v).shape().dims(), tie));
        }
        return out;
    }

    private static TargetSpec targetSpec(Target t) {
        var geo = t.geometry();
        var tm = t.timing();
        var e = t.energy();
        return new TargetSpec(t.name(), geo.chips(), geo.nodesPerChip(), geo.npusPerNode(), geo.meshRows(), geo.meshCols(), t.npu().neurons(),
                t.npu().synapseMemoryBytes(), t.npu().membraneBits(), tm.clockMhz(), tm.sopsPerCyclePerNpu(), tm.neuronUpdateCycles(),
                tm.hopLatencyCycles(), tm.linkBandwidthEventsPerCycle(), tm.interChipLatencyCycles(), tm.interChipBandwidthEventsPerCycle(),
                tm.wakeLatencyCycles(), e.pjPerSop(), e.pjPerNeuronUpdate(), e.pjPerHop(), e.pjPerInterChipHop(), e.staticPowerAwakeUw(),
                e.staticPowerAsleepUw());
    }
}

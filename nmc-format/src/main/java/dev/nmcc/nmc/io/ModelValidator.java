package dev.nmcc.nmc.io;

import dev.nmcc.nmc.model.CoreSlice;
import dev.nmcc.nmc.model.IoSpec;
import dev.nmcc.nmc.model.Layer;
import dev.nmcc.nmc.model.LayerOp;
import dev.nmcc.nmc.model.NmcModel;
import dev.nmcc.nmc.model.Route;
import dev.nmcc.nmc.model.SynapseBlock;
import dev.nmcc.nmc.model.TargetSpec;
import dev.nmcc.nmc.model.WeightPacking;
import dev.nmcc.nmc.model.Window;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The semantic rules of a decoded model (docs/binary-format.md, "Validation"): indices in range,
 * shapes consistent along the graph, parameters in their domains, weight blocks tiling each
 * projection, core slices covering each population exactly once. The reader runs it on every file
 * before handing the model out, the writer on every model before writing it, so that the simulator
 * can index arrays without checking. Linear in the size of the model.
 */
final class ModelValidator {
    private ModelValidator() {}

    /** What flows out of a layer: the analog input, currents, or spikes. */
    private enum Flow { ANALOG, CURRENT, SPIKES }

    /** @throws NmcFormatException naming the first broken rule (without a file name) */
    static void validate(NmcModel m) {
        target(m.target());
        Flow[] flows = layers(m.layers());
        slices(m);
        synapses(m);
        routes(m);
        io(m, flows);
    }

    private static NmcFormatException bad(String message) { return new NmcFormatException(message); }

    private static void target(TargetSpec t) {
        if (t.name().isEmpty()) throw bad("target: empty name");
        positive("target chips", t.chips());
        positive("target nodes_per_chip", t.nodesPerChip());
        positive("target npus_per_node", t.npusPerNode());
        positive("target mesh_rows", t.meshRows());
        positive("target mesh_cols", t.meshCols());
        if ((long) t.meshRows() * t.meshCols() < t.nodesPerChip()) {
            throw bad("target: a " + t.meshRows() + " x " + t.meshCols() + " mesh cannot hold " + t.nodesPerChip() + " nodes");
        }
        if ((long) t.chips() * t.nodesPerChip() * t.npusPerNode() > Integer.MAX_VALUE) throw bad("target: more than 2^31 NPUs");
        positive("target neurons_per_npu", t.neuronsPerNpu());
        if (t.synapseMemoryBytesPerNpu() < 1) throw bad("target synapse_memory_bytes_per_npu must be positive");
        if (t.membraneBits() < 2 || t.membraneBits() > 64) throw bad("target membrane_bits " + t.membraneBits() + " is outside 2 .. 64");
        positive("target sops_per_cycle_per_npu", t.sopsPerCyclePerNpu());
        positive("target neuron_update_cycles", t.neuronUpdateCycles());
        nonNegative("target hop_latency_cycles", t.hopLatencyCycles());
        nonNegative("target inter_chip_latency_cycles", t.interChipLatencyCycles());
        nonNegative("target wake_latency_cycles", t.wakeLatencyCycles());
        positiveReal("target clock_mhz", t.clockMhz());
        positiveReal("target link_bandwidth_events_per_cycle", t.linkBandwidthEventsPerCycle());
        positiveReal("target inter_chip_bandwidth_events_per_cycle", t.interChipBandwidthEventsPerCycle());
        double[] energies = {t.pjPerSop(), t.pjPerNeuronUpdate(), t.pjPerHop(), t.pjPerInterChipHop(), t.staticPowerAwakeUw(),
                t.staticPowerAsleepUw()};
        for (double e : energies) {
            if (!(e >= 0) || Double.isInfinite(e)) throw bad("target: energy figure " + e + " is not a finite number >= 0");
        }
    }

    private static Flow[] layers(List<Layer> layers) {
        Flow[] flows = new Flow[layers.size()];
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            String at = "layer " + i + " '" + l.name() + "'";
            if (l.index() != i) throw bad(at + ": index " + l.index() + " at position " + i);
            long size = 1;
            if (l.shape().length == 0) throw bad(at + ": empty shape");
            for (int d : l.shape()) {
                if (d < 1) throw bad(at + ": shape " + Arrays.toString(l.shape()) + " has a dimension < 1");
                size *= d;
                if (size > Integer.MAX_VALUE) throw bad(at + ": shape " + Arrays.toString(l.shape()) + " has more than 2^31 elements");
            }
            for (int in : l.inputs()) {
                if (in < 0 || in >= i) throw bad(at + ": input " + in + " is not an earlier layer");
            }
            int arity = switch (l.op()) {
                case LayerOp.Input x -> 0;
                case LayerOp.Merge x -> -2;
                default -> 1;
            };
            if (arity >= 0 ? l.inputs().length != arity : l.inputs().length < -arity) {
                throw bad(at + ": " + l.inputs().length + " inputs, a " + kindName(l.op()) + " layer takes "
                        + (arity >= 0 ? String.valueOf(arity) : "at least " + -arity));
            }
            Layer in = arity == 0 ? null : layers.get(l.inputs()[0]);
            Flow inFlow = in == null ? null : flows[in.index()];
            flows[i] = switch (l.op()) {
                case LayerOp.Input x -> {
                    if (x.inputName() == null || x.inputName().isEmpty()) throw bad(at + ": input without a name");
                    yield Flow.ANALOG;
                }
                case LayerOp.Encode x -> {
                    expect(at, inFlow == Flow.ANALOG, "encodes a layer that is not a network input");
                    sameShape(at, l, in);
                    if (x.mode() == null) throw bad(at + ": no encoding");
                    if (x.inputScale() < 0) throw bad(at + ": input_scale " + x.inputScale() + " < 0");
                    if (x.mode() == dev.nmcc.nmc.model.Encoding.DIRECT && x.inputScale() < 1) {
                        throw bad(at + ": direct encoding needs input_scale >= 1");
                    }
                    yield x.mode() == dev.nmcc.nmc.model.Encoding.RATE ? Flow.SPIKES : Flow.CURRENT;
                }
                case LayerOp.Dense x -> {
                    expect(at, inFlow != Flow.ANALOG, "reads the analog input without an encoder");
                    bits(at, x.weightBits());
                    if (x.units() < 1 || l.shape().length != 1 || l.shape()[0] != x.units()) {
                        throw bad(at + ": shape " + Arrays.toString(l.shape()) + " is not [" + x.units() + "]");
                    }
                    yield Flow.CURRENT;
                }
                case LayerOp.Conv2d x -> {
                    expect(at, inFlow != Flow.ANALOG, "reads the analog input without an encoder");
                    bits(at, x.weightBits());
                    windowed(at, l, in, x.window(), x.outChannels());
                    yield Flow.CURRENT;
                }
                case LayerOp.AvgPool x -> {
                    expect(at, inFlow != Flow.ANALOG, "reads the analog input without an encoder");
                    windowed(at, l, in, x.window(), in.shape().length == 3 ? in.shape()[0] : -1);
                    yield Flow.CURRENT;
                }
                case LayerOp.MaxPool x -> {
                    expect(at, inFlow == Flow.SPIKES, "max-pools something that is not spikes");
                    windowed(at, l, in, x.window(), in.shape().length == 3 ? in.shape()[0] : -1);
                    yield Flow.SPIKES;
                }
                case LayerOp.Reshape x -> {
                    if (size != in.size()) throw bad(at + ": reshapes " + in.size() + " elements into " + size);
                    yield inFlow;
                }
                case LayerOp.Merge x -> {
                    for (int j : l.inputs()) {
                        expect(at, flows[j] == Flow.CURRENT, "merges layer " + j + ", which is not a current");
                        sameShape(at, l, layers.get(j));
                    }
                    yield Flow.CURRENT;
                }
                case LayerOp.Neurons x -> {
                    expect(at, inFlow == Flow.CURRENT, "integrates something that is not a current");
                    sameShape(at, l, in);
                    if (x.reset() == null) throw bad(at + ": no reset mode");
                    if (x.vBits() < 2 || x.vBits() > 32) throw bad(at + ": v_bits " + x.vBits() + " is outside 2 .. 32");
                    if (x.leakShift() < 0 || x.leakShift() > 31) throw bad(at + ": leak_shift " + x.leakShift() + " is outside 0 .. 31");
                    yield Flow.SPIKES;
                }
                case LayerOp.DecodePotential x -> {
                    expect(at, inFlow == Flow.CURRENT, "decodes the potential of something that is not a current");
                    sameShape(at, l, in);
                    yield Flow.CURRENT;
                }
                case LayerOp.DecodeCount x -> {
                    expect(at, inFlow == Flow.SPIKES, "counts something that is not spikes");
                    sameShape(at, l, in);
                    yield Flow.CURRENT;
                }
            };
        }
        return flows;
    }

    private static void windowed(String at, Layer l, Layer in, Window w, int channels) {
        if (w == null) throw bad(at + ": no window");
        if (in.shape().length != 3) throw bad(at + ": reads shape " + Arrays.toString(in.shape()) + ", not [C, H, W]");
        if (w.kh() < 1 || w.kw() < 1 || w.sh() < 1 || w.sw() < 1 || w.padTop() < 0 || w.padLeft() < 0 || w.padBottom() < 0
                || w.padRight() < 0) {
            throw bad(at + ": bad window " + w);
        }
        long oh = ((long) in.shape()[1] + w.padTop() + w.padBottom() - w.kh()) / w.sh() + 1;
        long ow = ((long) in.shape()[2] + w.padLeft() + w.padRight() - w.kw()) / w.sw() + 1;
        int[] want = {channels, (int) oh, (int) ow};
        if (channels < 1 || oh < 1 || ow < 1 || oh > Integer.MAX_VALUE || ow > Integer.MAX_VALUE || !Arrays.equals(l.shape(), want)) {
            throw bad(at + ": shape " + Arrays.toString(l.shape()) + " does not follow from input " + Arrays.toString(in.shape())
                    + " and window " + w);
        }
    }

    private static void slices(NmcModel m) {
        List<Layer> layers = m.layers();
        TargetSpec t = m.target();
        int n = m.slices().size();
        for (int i = 0; i < n; i++) {
            CoreSlice s = m.slices().get(i);
            String at = "slice " + i;
            if (s.id() != i) throw bad(at + ": id " + s.id() + " at position " + i);
            if (s.layer() < 0 || s.layer() >= layers.size()) throw bad(at + ": layer " + s.layer() + " out of range");
            Layer l = layers.get(s.layer());
            boolean population = l.op() instanceof LayerOp.Neurons;
            if (!population && !(l.op() instanceof LayerOp.DecodePotential)) {
                throw bad(at + ": layer " + s.layer() + " is a " + kindName(l.op()) + ", not a population or potential decoder");
            }
            var c = s.core();
            if (c.chip() < 0 || c.chip() >= t.chips() || c.node() < 0 || c.node() >= t.nodesPerChip() || c.npu() < 0
                    || c.npu() >= t.npusPerNode()) {
                throw bad(at + ": core " + c + " is not on the target");
            }
            if (s.neuronStart() < 0 || s.neuronStart() >= s.neuronEnd() || s.neuronEnd() > l.size()) {
                throw bad(at + ": neurons [" + s.neuronStart() + ", " + s.neuronEnd() + ") outside layer " + s.layer() + " of "
                        + l.size());
            }
            int per = l.size() / l.shape()[0];
            if (s.channelStart() != s.neuronStart() / per) {
                throw bad(at + ": channel_start " + s.channelStart() + ", expected " + s.neuronStart() / per);
            }
            int channels = (s.neuronEnd() - 1) / per - s.neuronStart() / per + 1;
            if (population) {
                perChannel(at, "thresholds", s.thresholds().length, channels);
                perChannel(at, "v0", s.v0().length, channels);
                for (int th : s.thresholds()) if (th <= 0) throw bad(at + ": threshold " + th + " is not positive");
            } else if (s.thresholds().length != 0 || s.v0().length != 0) {
                throw bad(at + ": a potential decoder has no thresholds or v0");
            }
            if (s.synapseBytes() < 0) throw bad(at + ": synapse_bytes " + s.synapseBytes() + " < 0");
            var w = s.wake();
            if (w.idleTimeoutCycles() < 0) throw bad(at + ": idle timeout " + w.idleTimeoutCycles() + " < 0");
            ascendingIds(at + ": wake source", w.sources(), n);
        }
        // Each population and potential decoder: its slices cover its neurons exactly once.
        List<CoreSlice> sorted = new ArrayList<>(m.slices());
        sorted.sort(Comparator.comparingInt(CoreSlice::layer).thenComparingInt(CoreSlice::neuronStart));
        int k = 0;
        for (Layer l : layers) {
            if (!(l.op() instanceof LayerOp.Neurons || l.op() instanceof LayerOp.DecodePotential)) continue;
            int next = 0;
            while (k < sorted.size() && sorted.get(k).layer() == l.index()) {
                CoreSlice s = sorted.get(k++);
                if (s.neuronStart() != next) {
                    throw bad("layer " + l.index() + " '" + l.name() + "': slice " + s.id() + " starts at neuron " + s.neuronStart()
                            + ", expected " + next + (s.neuronStart() < next ? " (slices overlap)" : " (a gap)"));
                }
                next = s.neuronEnd();
            }
            if (next != l.size()) {
                throw bad("layer " + l.index() + " '" + l.name() + "': its core slices cover neurons [0, " + next + ") of " + l.size());
            }
        }
    }

    private static void perChannel(String at, String what, int length, int channels) {
        if (length != 1 && length != channels) {
            throw bad(at + ": " + length + " " + what + ", expected 1 or " + channels + " (one per channel the slice touches)");
        }
    }

    private static void synapses(NmcModel m) {
        List<Layer> layers = m.layers();
        int[] nextRow = new int[layers.size()];
        int lastProjection = -1;
        for (int i = 0; i < m.synapses().size(); i++) {
            SynapseBlock b = m.synapses().get(i);
            String at = "synapse block " + i;
            if (b.projection() < 0 || b.projection() >= layers.size()) throw bad(at + ": projection " + b.projection() + " out of range");
            Layer l = layers.get(b.projection());
            int rows, bits;
            long fanIn;
            boolean hasBias;
            Layer in = l.inputs().length == 1 ? layers.get(l.inputs()[0]) : null;
            switch (l.op()) {
                case LayerOp.Dense d -> {
                    rows = d.units();
                    bits = d.weightBits();
                    fanIn = in.size();
                    hasBias = d.hasBias();
                }
                case LayerOp.Conv2d c -> {
                    rows = c.outChannels();
                    bits = c.weightBits();
                    fanIn = (long) in.shape()[0] * c.window().kh() * c.window().kw();
                    hasBias = c.hasBias();
                }
                default -> throw bad(at + ": layer " + b.projection() + " is a " + kindName(l.op()) + ", not dense or conv2d");
            }
            if (b.projection() < lastProjection) throw bad(at + ": blocks are not ordered by projection");
            lastProjection = b.projection();
            if (b.slice() < -1 || b.slice() >= m.slices().size()) throw bad(at + ": slice " + b.slice() + " out of range");
            if (b.bits() != bits) throw bad(at + ": " + b.bits() + "-bit weights in a layer of " + bits + "-bit weights");
            if (b.fanIn() != fanIn) throw bad(at + ": fan-in " + b.fanIn() + ", layer " + b.projection() + " has " + fanIn);
            if (b.first() != nextRow[b.projection()] || b.count() < 1 || (long) b.first() + b.count() > rows) {
                throw bad(at + ": rows [" + b.first() + ", " + ((long) b.first() + b.count()) + ") do not continue layer "
                        + b.projection() + "'s blocks at row " + nextRow[b.projection()] + " of " + rows);
            }
            nextRow[b.projection()] = b.first() + b.count();
            long weights = (long) b.count() * b.fanIn();
            long want = WeightPacking.packedBytes(weights, bits);
            if (b.packed().length != want) {
                throw bad(at + ": " + b.packed().length + " packed bytes for " + weights + " " + bits + "-bit weights (expected " + want + ")");
            }
            int usedBits = (int) (weights * bits % 8);
            if (usedBits != 0 && (b.packed()[b.packed().length - 1] & 0xFF) >>> usedBits != 0) {
                throw bad(at + ": unused bits of the last packed byte are not zero");
            }
            if (b.bias().length != (hasBias ? b.count() : 0)) {
                throw bad(at + ": " + b.bias().length + " biases, expected " + (hasBias ? b.count() : 0));
            }
        }
        for (Layer l : layers) {
            int rows = switch (l.op()) {
                case LayerOp.Dense d -> d.units();
                case LayerOp.Conv2d c -> c.outChannels();
                default -> -1;
            };
            if (rows >= 0 && nextRow[l.index()] != rows) {
                throw bad("layer " + l.index() + " '" + l.name() + "': synapse blocks cover rows [0, " + nextRow[l.index()] + ") of " + rows);
            }
        }
    }

    private static void routes(NmcModel m) {
        int n = m.slices().size(), last = -1;
        for (int i = 0; i < m.routes().size(); i++) {
            Route r = m.routes().get(i);
            String at = "route " + i;
            if (r.source() < 0 || r.source() >= n) throw bad(at + ": source slice " + r.source() + " out of range");
            if (r.source() < last) throw bad(at + ": routes are not ordered by source slice");
            last = r.source();
            ascendingIds(at + ": destination", r.destinations(), n);
            if (r.hops() < 0) throw bad(at + ": hops " + r.hops() + " < 0");
        }
    }

    private static void io(NmcModel m, Flow[] flows) {
        IoSpec io = m.io();
        List<Layer> layers = m.layers();
        if (io.timesteps() < 1) throw bad("io: timesteps " + io.timesteps() + " < 1");
        int inputLayers = 0;
        for (Layer l : layers) if (l.op() instanceof LayerOp.Input) inputLayers++;
        if (io.inputs().size() != inputLayers) throw bad("io: " + io.inputs().size() + " inputs for " + inputLayers + " input layers");
        boolean[] seen = new boolean[layers.size()];
        for (IoSpec.InputSpec in : io.inputs()) {
            String at = "input '" + in.name() + "'";
            if (in.layer() < 0 || in.layer() >= layers.size() || !(layers.get(in.layer()).op() instanceof LayerOp.Input x)) {
                throw bad(at + ": layer " + in.layer() + " is not an input layer");
            }
            if (seen[in.layer()]) throw bad(at + ": layer " + in.layer() + " is described twice");
            seen[in.layer()] = true;
            if (!x.inputName().equals(in.name())) throw bad(at + ": its layer is input '" + x.inputName() + "'");
            if (!Arrays.equals(in.shape(), layers.get(in.layer()).shape())) throw bad(at + ": shape differs from its layer's");
            if (in.encoding() == null) throw bad(at + ": no encoding");
            if (in.inputScale() < 0) throw bad(at + ": input_scale " + in.inputScale() + " < 0");
            if (!Float.isFinite(in.rangeLo()) || !Float.isFinite(in.rangeHi()) || in.rangeLo() > in.rangeHi()) {
                throw bad(at + ": bad range [" + in.rangeLo() + ", " + in.rangeHi() + "]");
            }
        }
        for (IoSpec.OutputSpec out : io.outputs()) {
            String at = "output '" + out.name() + "'";
            if (out.decoder() < 0 || out.decoder() >= layers.size()) throw bad(at + ": decoder " + out.decoder() + " out of range");
            Layer d = layers.get(out.decoder());
            if (!(d.op() instanceof LayerOp.DecodePotential || d.op() instanceof LayerOp.DecodeCount)) {
                throw bad(at + ": layer " + out.decoder() + " is a " + kindName(d.op()) + ", not a decoder");
            }
            long size = 1;
            for (int dim : out.shape()) {
                if (dim < 1) throw bad(at + ": shape " + Arrays.toString(out.shape()) + " has a dimension < 1");
                size *= dim;
                if (size > Integer.MAX_VALUE) break;
            }
            if (size != d.size()) throw bad(at + ": shape " + Arrays.toString(out.shape()) + " does not hold decoder's " + d.size() + " values");
            int tie = out.tiePopulation();
            if (tie != -1 && (tie < 0 || tie >= layers.size() || !(layers.get(tie).op() instanceof LayerOp.Neurons))) {
                throw bad(at + ": tie population " + tie + " is not a population layer");
            }
            if (tie != -1 && !(d.op() instanceof LayerOp.DecodeCount)) throw bad(at + ": a tie population without count decoding");
        }
    }

    private static void ascendingIds(String what, int[] ids, int n) {
        for (int j = 0; j < ids.length; j++) {
            if (ids[j] < 0 || ids[j] >= n) throw bad(what + " " + ids[j] + " is not a slice");
            if (j > 0 && ids[j] <= ids[j - 1]) throw bad(what + "s are not ascending without repeats");
        }
    }

    private static void sameShape(String at, Layer l, Layer in) {
        if (!Arrays.equals(l.shape(), in.shape())) {
            throw bad(at + ": shape " + Arrays.toString(l.shape()) + " differs from input layer " + in.index() + "'s "
                    + Arrays.toString(in.shape()));
        }
    }

    private static void expect(String at, boolean ok, String what) {
        if (!ok) throw bad(at + ": " + what);
    }

    private static void bits(String at, int bits) {
        if (!WeightPacking.isSupported(bits)) throw bad(at + ": weight width " + bits + " bits is not 1, 2, 4 or 8");
    }

    private static void positive(String what, long v) {
        if (v < 1) throw bad(what + " must be positive, got " + v);
    }

    private static void nonNegative(String what, long v) {
        if (v < 0) throw bad(what + " must be >= 0, got " + v);
    }

    private static void positiveReal(String what, double v) {
        if (!(v > 0) || Double.isInfinite(v)) throw bad(what + " must be a finite number > 0, got " + v);
    }

    /** "dense", "neurons", ... for messages. */
    static String kindName(LayerOp op) {
        return switch (op) {
            case LayerOp.Input x -> "input";
            case LayerOp.Encode x -> "encode";
            case LayerOp.Dense x -> "dense";
            case LayerOp.Conv2d x -> "conv2d";
            case LayerOp.AvgPool x -> "avgpool";
            case LayerOp.MaxPool x -> "maxpool";
            case LayerOp.Reshape x -> "reshape";
            case LayerOp.Merge x -> "merge";
            case LayerOp.Neurons x -> "neurons";
            case LayerOp.DecodePotential x -> "decode-potential";
            case LayerOp.DecodeCount x -> "decode-count";
        };
    }
}

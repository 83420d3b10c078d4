package dev.nmcc.ir.interp;

import static dev.nmcc.ir.interp.SnnParameters.blob;
import static dev.nmcc.ir.interp.SnnParameters.floats;
import static dev.nmcc.ir.interp.SnnParameters.integers;
import static dev.nmcc.ir.interp.SnnParameters.integral;
import static dev.nmcc.ir.interp.SnnParameters.perNeuronFloats;
import static dev.nmcc.ir.interp.SnnParameters.perNeuronInts;
import static dev.nmcc.ir.interp.SnnParameters.transpose;

import dev.nmcc.ir.attr.Attributes;
import dev.nmcc.ir.blob.Blob;
import dev.nmcc.ir.graph.Graph;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.graph.Op;
import dev.nmcc.ir.graph.Value;
import dev.nmcc.ir.loc.Location;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.ir.op.TypeInference;
import dev.nmcc.ir.type.ElementType;
import dev.nmcc.ir.type.Shape;
import dev.nmcc.ir.type.SpikeType;
import dev.nmcc.ir.type.TensorType;
import dev.nmcc.ir.type.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The execution plan of an {@link SnnInterpreter}, built once per module: every op checked (its
 * result type re-inferred) and compiled into an {@link SnnKernel} with its weights laid out for it,
 * the kernels sorted into those that reset per sample, run once per sample (static) and run every
 * timestep; the inputs, outputs, populations and projections in program order; and the sizes of a
 * worker's {@link SnnFrame}. Immutable once built.
 */
final class SnnPlan {
    private enum Kind { SPIKES, FLOAT, INT }

    record Input(String name, int value, Shape shape) {}

    /** An output: its decoder, and the population (and its form) whose potentials break count ties, or -1. */
    record OutputInfo(String name, Shape shape, int decoder, SnnResult.Decoding decoding, boolean integer,
                      int population, boolean populationInteger) {}

    record PopulationInfo(int opIndex, String name, Location location, OpKind kind, Shape shape, boolean integer) {}

    record ProjectionInfo(int opIndex, String name, Location location, OpKind kind) {}

    /** A decoder: its size, mode and form. */
    private record DecoderInfo(int size, SnnResult.Decoding decoding, boolean integer) {}

    final Module module;
    private final int valueCount;
    private final Kind[] kind;
    final int[] size;
    private final int[] root;
    private final boolean[] isStatic;
    final List<Input> inputs = new ArrayList<>();
    final List<OutputInfo> outputs = new ArrayList<>();
    final List<PopulationInfo> populations = new ArrayList<>();
    final List<ProjectionInfo> projections = new ArrayList<>();
    final List<SnnKernel> resetting = new ArrayList<>();
    final List<SnnKernel> once = new ArrayList<>();
    final List<SnnKernel> everyStep = new ArrayList<>();
    private final List<DecoderInfo> decoders = new ArrayList<>();
    private final List<Integer> encoderSizes = new ArrayList<>();
    private final Map<Integer, Integer> populationOfOp = new HashMap<>();
    /** Decoder index by the decode op's result; the value (root) a decoder reads. */
    private final Map<Integer, Integer> decoderOfValue = new HashMap<>();
    private final Map<Integer, Integer> countSource = new HashMap<>();
    /** For each per-timestep kernel, the spike value it emits (for the observer), or -1. */
    final List<Integer> everyStepSpikes = new ArrayList<>();
    private int longScratch, floatRows, floatRowSize, intScratch, markSize, nzSize;
    /** Values constant over a sample's timesteps that need per-sample storage in a chunk: inputs and static results. */
    private int[] perSample;

    /** Builds the plan; the module must be a verified snn- or hw-stage module (the interpreter checked the stage). */
    SnnPlan(Module module) {
        this.module = module;
        Graph g = module.graph();
        valueCount = g.valueCount();
        kind = new Kind[valueCount];
        size = new int[valueCount];
        root = new int[valueCount];
        isStatic = new boolean[valueCount];
        for (int v = 0; v < valueCount; v++) {
            Type t = g.type(new Value(v));
            if (!t.shape().isAllocatable()) throw new IllegalArgumentException("value %" + v + " is too large: " + t.text());
            size[v] = t.shape().elementCount();
            root[v] = v;
            kind[v] = switch (t) {
                case SpikeType st -> Kind.SPIKES;
                case TensorType tt when tt.elementType() == ElementType.F32 -> Kind.FLOAT;
                case TensorType tt when tt.elementType() == ElementType.I32 -> Kind.INT;
                case TensorType tt -> throw new IllegalArgumentException("value %" + v + " has type " + t.text()
                        + "; currents are f32 or i32");
            };
        }
        List<Op> ops = g.ops();
        Set<String> inputNames = new LinkedHashSet<>(), outputNames = new LinkedHashSet<>();
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            String where = "op " + i + " (" + op.kind().mnemonic() + " at " + op.location().describe() + ")";
            try {
                check(op, g, inputNames, outputNames);
                compile(op, i, g);
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
        }
        if (inputs.isEmpty()) throw new IllegalArgumentException("the module has no snn.input");
        if (outputs.isEmpty()) throw new IllegalArgumentException("the module has no snn.output");
        List<Integer> ps = new ArrayList<>();
        for (int v = 0; v < valueCount; v++) {
            int value = v;
            boolean input = inputs.stream().anyMatch(in -> in.value() == value);
            if (root[v] == v && kind[v] != Kind.SPIKES && (isStatic[v] || input)) ps.add(v);
        }
        perSample = ps.stream().mapToInt(Integer::intValue).toArray();
    }

    private void check(Op op, Graph g, Set<String> inputNames, Set<String> outputNames) {
        OpKind k = op.kind();
        if (!k.admittedIn(module.stage())) throw new IllegalArgumentException("not an op of stage " + module.stage());
        if (k.isInput() || k.isOutput()) {
            String name = op.attributes().getString("name", null);
            if (name == null) throw new IllegalArgumentException((k.isInput() ? "input" : "output") + " without a name");
            if (!(k.isInput() ? inputNames : outputNames).add(name)) {
                throw new IllegalArgumentException("duplicate " + (k.isInput() ? "input" : "output") + " name '" + name + "'");
            }
            if (k.isInput()) {
                if (kind[op.result().id()] != Kind.FLOAT) throw new IllegalArgumentException("an input must be an f32 tensor");
                return;
            }
        }
        TypeInference.Result r = TypeInference.infer(k, op.operands().stream().map(g::type).toList(), op.attributes(), module.blobs());
        if (!r.isOk()) throw new IllegalArgumentException(r.error());
        if (r.type() != null && !r.type().equals(g.type(op.result()))) {
            throw new IllegalArgumentException("result type " + g.type(op.result()).text() + " should be " + r.type().text());
        }
    }

    private void compile(Op op, int index, Graph g) {
        Attributes a = op.attributes();
        int x = op.operands().isEmpty() ? -1 : root[op.operand(0).id()];
        int y = op.results().isEmpty() ? -1 : op.result().id();
        Shape in = x < 0 ? null : g.type(op.operand(0)).shape();
        String name = y >= 0 ? g.name(op.result()).map(n -> "%" + n).orElse("op " + index) : "op " + index;
        switch (op.kind()) {
            case SNN_INPUT -> inputs.add(new Input(a.getString("name", null), y, g.type(op.result()).shape()));
            case SNN_ENCODE -> {
                if (a.getString("mode", "").equals("rate")) {
                    encoderSizes.add(size[x]);
                    add(new EncodeKernels.EncodeRate(x, y, size[x], encoderSizes.size() - 1), y);
                } else {
                    isStatic[y] = true;
                    if (kind[y] == Kind.INT) {
                        long s = a.getInt("input_scale", 255);
                        if (s < 1 || s > (1 << 23)) throw new IllegalArgumentException("input_scale must be in 1 .. 2^23, got " + s);
                        add(new EncodeKernels.EncodeDirectInt(x, y, size[x], (int) s));
                    } else {
                        add(new EncodeKernels.EncodeDirectFloat(x, y, size[x]));
                    }
                }
            }
            case SNN_FLATTEN, SNN_RESHAPE -> {
                root[y] = x;
                isStatic[y] = isStatic[x];
            }
            case SNN_DENSE -> {
                int nIn = in.dim(0), nOut = size[y];
                boolean spiking = kind[x] == Kind.SPIKES, st = !spiking && isStatic[x];
                isStatic[y] = st;
                Blob w = blob(module.blobs(), a, "weight");
                Blob b = a.has("bias") ? blob(module.blobs(), a, "bias") : null;
                int proj = projection(index, name, op);
                if (kind[y] == Kind.INT) {
                    int[][] rows = transpose(integers(w, "weight"), nOut, nIn);
                    add(new DenseKernels.DenseInt(x, y, nIn, nOut, rows, b == null ? null : integers(b, "bias"), spiking, st, proj));
                } else {
                    float[][] wt = transpose(floats(w), nOut, nIn);
                    add(new DenseKernels.DenseFloat(x, y, nIn, nOut, wt, b == null ? null : floats(b), spiking, kind[x] == Kind.INT, st, proj));
                }
                longScratch = Math.max(longScratch, nOut);
                nzSize = Math.max(nzSize, nIn);
            }
            case SNN_CONV2D -> {
                Shape out = g.type(op.result()).shape();
                int[] k = a.getInts("kernel", null), s = a.getInts("stride", new int[] {1, 1}), p = a.getInts("pad", new int[4]);
                Geometry geo = new Geometry(in.dim(0), in.dim(1), in.dim(2), out.dim(1), out.dim(2), k[0], k[1],
                        s[0], s[1], p[0], p[1]);
                int oc = out.dim(0), c = in.dim(0), kk = k[0] * k[1];
                boolean spiking = kind[x] == Kind.SPIKES, st = !spiking && isStatic[x];
                isStatic[y] = st;
                Blob w = blob(module.blobs(), a, "weight");
                Blob b = a.has("bias") ? blob(module.blobs(), a, "bias") : null;
                int proj = projection(index, name, op);
                // [oc][c][ky][kx] -> [c][ky][kx][oc]
                if (kind[y] == Kind.INT) {
                    int[] src = integers(w, "weight"), wt = new int[src.length];
                    for (int o = 0; o < oc; o++) for (int q = 0; q < c * kk; q++) wt[q * oc + o] = src[o * c * kk + q];
                    add(new ConvKernels.ConvInt(x, y, geo, oc, wt, b == null ? null : integers(b, "bias"), spiking, st, proj));
                    longScratch = Math.max(longScratch, size[y]);
                } else {
                    float[] src = floats(w);
                    float[][] wt = new float[c * kk][oc];
                    for (int o = 0; o < oc; o++) for (int q = 0; q < c * kk; q++) wt[q][o] = src[o * c * kk + q];
                    add(new ConvKernels.ConvFloat(x, y, geo, oc, wt, b == null ? null : floats(b), spiking, kind[x] == Kind.INT, st, proj));
                    floatRows = Math.max(floatRows, out.dim(1) * out.dim(2));
                    floatRowSize = Math.max(floatRowSize, oc);
                }
            }
            case SNN_AVGPOOL, SNN_MAXPOOL -> {
                Shape out = g.type(op.result()).shape();
                int[] k = a.getInts("kernel", null), s = a.getInts("stride", k), p = a.getInts("pad", new int[4]);
                Geometry geo = new Geometry(in.dim(0), in.dim(1), in.dim(2), out.dim(1), out.dim(2), k[0], k[1],
                        s[0], s[1], p[0], p[1]);
                if (op.kind() == OpKind.SNN_MAXPOOL) {
                    add(new PoolKernels.MaxPool(x, y, geo), y);
                    markSize = Math.max(markSize, size[y]);
                    break;
                }
                boolean spiking = kind[x] == Kind.SPIKES, st = !spiking && isStatic[x], intOut = kind[y] == Kind.INT;
                isStatic[y] = st;
                double weight = a.getNumber("weight", 1.0 / (k[0] * k[1]));
                add(new PoolKernels.AvgPool(x, y, geo, s[0], s[1], p[0], p[1], weight, spiking, kind[x] == Kind.INT, intOut, st,
                        projection(index, name, op)));
                if (spiking) intScratch = Math.max(intScratch, size[y]);
            }
            case SNN_MERGE -> {
                int[] xs = new int[op.operands().size()];
                boolean st = true;
                for (int j = 0; j < xs.length; j++) {
                    xs[j] = root[op.operand(j).id()];
                    st &= isStatic[xs[j]];
                }
                isStatic[y] = st;
                add(new NeuronKernels.Merge(xs, y, size[y], kind[y] == Kind.INT, st));
                longScratch = Math.max(longScratch, size[y]);
            }
            case SNN_IF, SNN_LIF -> compilePopulation(op, index, name, x, y, in);
            case SNN_DECODE -> {
                int d = decoders.size();
                if (a.getString("mode", "").equals("count")) {
                    decoders.add(new DecoderInfo(size[x], SnnResult.Decoding.COUNT, true));
                    add(new DecodeKernels.DecodeCount(x, size[x], d));
                } else {
                    boolean integer = kind[x] == Kind.INT;
                    decoders.add(new DecoderInfo(size[x], SnnResult.Decoding.POTENTIAL, integer));
                    add(new DecodeKernels.DecodePotential(x, size[x], d, integer));
                }
                decoderOfValue.put(y, d);
                countSource.put(y, x);
            }
            case SNN_OUTPUT -> {
                Integer d = decoderOfValue.get(x);
                if (d == null) {
                    throw new IllegalArgumentException("snn.output must name the result of an snn.decode (possibly reshaped), not "
                            + g.definingOp(new Value(x)).kind().mnemonic());
                }
                DecoderInfo dec = decoders.get(d);
                SnnResult.Decoding mode = dec.decoding();
                int pop = -1;
                boolean popInt = false;
                if (mode == SnnResult.Decoding.COUNT) {
                    Integer p = populationOfOp.get(g.definingOpIndex(new Value(countSource.get(x))));
                    if (p != null) {
                        pop = p;
                        popInt = populations.get(p).integer();
                    }
                }
                outputs.add(new OutputInfo(a.getString("name", null), in, d, mode, dec.integer(), pop, popInt));
            }
            case HW_CORE_SLICE, HW_ROUTE -> { }
            default -> throw new IllegalArgumentException(op.kind().mnemonic() + " is not an snn op");
        }
    }

    private void compilePopulation(Op op, int index, String name, int x, int y, Shape in) {
        Attributes a = op.attributes();
        boolean lif = op.kind() == OpKind.SNN_LIF;
        boolean subtract = !a.getString("reset", "subtract").equals("zero");
        int p = populations.size();
        boolean integer = kind[x] == Kind.INT;
        populations.add(new PopulationInfo(index, name, op.location(), op.kind(), in, integer));
        populationOfOp.put(index, p);
        if (integer) {
            long th = integral(a, "threshold", 1), v0 = integral(a, "v0", 0);
            long[] ths = perNeuronInts(module.blobs(), a, "threshold", size[x]), v0s = perNeuronInts(module.blobs(), a, "v0", size[x]);
            int vBits = (int) a.getInt("v_bits", 32);
            if (vBits < 2 || vBits > 32) throw new IllegalArgumentException("v_bits must be in 2 .. 32, got " + vBits);
            boolean leaky = false;
            int shift = 0;
            if (lif && a.has("leak_shift")) {
                long s = a.getInt("leak_shift", 0);
                if (s < 0 || s > 31) throw new IllegalArgumentException("leak_shift must be in 0 .. 31, got " + s);
                leaky = true;
                shift = (int) s;
            } else if (lif && a.has("leak") && a.getNumber("leak", 1) != 1.0) {
                throw new IllegalArgumentException("an integer-form snn.lif needs 'leak_shift' (it has only a float 'leak')");
            }
            add(new NeuronKernels.NeuronInt(x, y, size[x], p, leaky, shift, th, v0, subtract, vBits, ths, v0s), y);
        } else {
            double leak = 1.0;
            if (lif && a.has("leak")) leak = a.getNumber("leak", 1.0);
            else if (lif && a.has("leak_shift")) leak = 1.0 - Math.scalb(1.0, -(int) a.getInt("leak_shift", 0));
            float th = (float) a.getNumber("threshold", 1.0), v0 = (float) a.getNumber("v0", 0.0);
            add(new NeuronKernels.NeuronFloat(x, y, size[x], p, lif && leak != 1.0, (float) leak, th, v0, subtract,
                    perNeuronFloats(module.blobs(), a, "threshold", size[x]), perNeuronFloats(module.blobs(), a, "v0", size[x])), y);
        }
    }

    private int projection(int index, String name, Op op) {
        projections.add(new ProjectionInfo(index, name, op.location(), op.kind()));
        return projections.size() - 1;
    }

    private void add(SnnKernel k) {
        add(k, -1);
    }

    /** Adds a kernel; {@code spikes} is the spike value it emits, or -1. */
    private void add(SnnKernel k, int spikes) {
        if (hasReset(k)) resetting.add(k);
        if (k.isStatic) {
            once.add(k);
        } else {
            everyStep.add(k);
            everyStepSpikes.add(spikes);
        }
    }

    private static boolean hasReset(SnnKernel k) {
        return k instanceof EncodeKernels.EncodeRate || k instanceof NeuronKernels.NeuronFloat || k instanceof NeuronKernels.NeuronInt
                || k instanceof DecodeKernels.DecodeCount || k instanceof DecodeKernels.DecodePotential;
    }

    /** Zeroed counters for this plan's populations and projections. */
    SnnCounters newCounters() {
        int[] sizes = new int[populations.size()];
        for (int p = 0; p < sizes.length; p++) sizes[p] = populations.get(p).shape().elementCount();
        return new SnnCounters(sizes, projections.size());
    }

    /** A worker's frame for chunks of {@code chunk} samples, every buffer allocated. */
    SnnFrame newFrame(int chunk) {
        SnnFrame f = new SnnFrame(valueCount, populations.size(), decoders.size(), encoderSizes.size(), longScratch, floatRows,
                floatRowSize, intScratch, markSize, chunk, perSample, nzSize);
        for (int v = 0; v < valueCount; v++) {
            if (root[v] != v) continue;
            switch (kind[v]) {
                case SPIKES -> f.spikes[v] = new int[size[v]];
                case FLOAT -> f.f[v] = new float[size[v]];
                case INT -> f.i[v] = new int[size[v]];
            }
        }
        for (int v : perSample) {
            if (kind[v] == Kind.FLOAT) f.fs[v] = new float[chunk][size[v]];
            else f.is[v] = new int[chunk][size[v]];
        }
        f.bind(0);
        for (int p = 0; p < populations.size(); p++) {
            int n = populations.get(p).shape().elementCount();
            if (populations.get(p).integer()) f.ipot[p] = new int[n];
            else f.fpot[p] = new float[n];
        }
        for (int d = 0; d < decoders.size(); d++) {
            DecoderInfo dec = decoders.get(d);
            if (dec.decoding() == SnnResult.Decoding.COUNT) f.counts[d] = new int[dec.size()];
            else if (dec.integer()) f.lacc[d] = new long[dec.size()];
            else f.facc[d] = new float[dec.size()];
        }
        for (int e = 0; e < encoderSizes.size(); e++) {
            int n = encoderSizes.get(e);
            f.active[e] = new int[n];
            f.activeThreshold[e] = new int[n];
            f.activeKey[e] = new long[n];
        }
        return f;
    }
}

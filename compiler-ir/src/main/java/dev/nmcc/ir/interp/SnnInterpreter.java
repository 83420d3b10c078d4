package dev.nmcc.ir.interp;

import dev.nmcc.ir.attr.Attribute;
import dev.nmcc.ir.attr.Attributes;
import dev.nmcc.ir.blob.Blob;
import dev.nmcc.ir.graph.Graph;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.graph.Op;
import dev.nmcc.ir.graph.Value;
import dev.nmcc.ir.loc.Location;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.ir.op.Stage;
import dev.nmcc.ir.op.TypeInference;
import dev.nmcc.ir.type.ElementType;
import dev.nmcc.ir.type.Shape;
import dev.nmcc.ir.type.SpikeType;
import dev.nmcc.ir.type.TensorType;
import dev.nmcc.ir.type.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;

/**
 * Reference 2 of DESIGN §3: executes an {@code snn}- or {@code hw}-stage module for T timesteps
 * per sample, exactly as docs/snn-semantics.md says, in float form, integer form, or a mix of
 * both (a projection is integer when its weight blob is; a population is integer when its
 * current is). {@code hw.*} annotations are ignored.
 *
 * <p><b>Numbers.</b> Float form: currents, membrane potentials and potential decoders are
 * float32; a projection's current is summed from its bias, then over its inputs in increasing
 * index, so the result does not depend on how the work is scheduled (and equals a dense loop
 * over the same inputs bit for bit). Integer form: 64-bit sums clamped to i32, potentials
 * saturated to {@code v_bits}, arithmetic-shift leak, 64-bit potential decoders.
 *
 * <p><b>Event-driven.</b> A projection reading spikes walks only this timestep's spikes and adds
 * each one's synapses (dense weights are stored transposed, {@code [in][out]}, so a spike's
 * fan-out is contiguous; a convolution scatters each spike's kernel into a position-major
 * accumulator). A projection of direct (analog) input is computed once per sample, as its input
 * does not change over time, and its current reused at every timestep.
 *
 * <p><b>Parallel and deterministic.</b> Samples are independent: {@code run} splits the batch
 * into chunks run on the fork-join common pool, each worker with its own {@link SnnFrame}
 * (reused across chunks and runs: the hot loop allocates nothing). Statistics are exact integer
 * sums. The rate encoder's PRNG is keyed by the sample's index in the data set
 * ({@code firstSampleIndex + s}), so samples 100…199 run alone give the spikes they give in a
 * full run. The interpreter is immutable apart from its frame pool and may be used by several
 * threads at once.
 */
public final class SnnInterpreter {
    /**
     * Default number of samples one task runs: their static kernels together (a dense projection
     * of direct input streams its weights once per chunk), then their timesteps one sample after
     * the other.
     */
    public static final int DEFAULT_SAMPLES_PER_CHUNK = 8;

    private enum Kind { SPIKES, FLOAT, INT }

    private record Input(String name, int value, Shape shape) {}

    /** An output: its decoder, and the population (and its form) whose potentials break count ties, or -1. */
    private record OutputInfo(String name, Shape shape, int decoder, SnnResult.Decoding decoding, boolean integer,
                              int population, boolean populationInteger) {}

    private record PopulationInfo(int opIndex, String name, Location location, OpKind kind, Shape shape, boolean integer) {}

    private record ProjectionInfo(int opIndex, String name, Location location, OpKind kind) {}

    private final Module module;
    private final int chunk;
    private final int valueCount;
    private final Kind[] kind;
    private final int[] size;
    private final int[] root;
    private final boolean[] isStatic;
    private final List<Input> inputs = new ArrayList<>();
    private final List<OutputInfo> outputs = new ArrayList<>();
    private final List<PopulationInfo> populations = new ArrayList<>();
    private final List<ProjectionInfo> projections = new ArrayList<>();
    private final List<SnnKernel> resetting = new ArrayList<>();
    private final List<SnnKernel> once = new ArrayList<>();
    private final List<SnnKernel> everyStep = new ArrayList<>();
    /** A decoder: its size, mode and form. */
    private record DecoderInfo(int size, SnnResult.Decoding decoding, boolean integer) {}

    private final List<DecoderInfo> decoders = new ArrayList<>();
    private final List<Integer> encoderSizes = new ArrayList<>();
    private final Map<Integer, Integer> populationOfOp = new HashMap<>();
    /** Decoder index by the decode op's result; the value (root) a decoder reads. */
    private final Map<Integer, Integer> decoderOfValue = new HashMap<>();
    private final Map<Integer, Integer> countSource = new HashMap<>();
    /** For each per-timestep kernel, the spike value it emits (for the observer), or -1. */
    private final List<Integer> everyStepSpikes = new ArrayList<>();
    private int longScratch, floatRows, floatRowSize, intScratch, markSize, nzSize;
    /** Values constant over a sample's timesteps that need per-sample storage in a chunk: inputs and static results. */
    private int[] perSample;
    private final ConcurrentLinkedQueue<SnnFrame> frames = new ConcurrentLinkedQueue<>();

    /** Prepares an execution plan; the module must be a verified snn- or hw-stage module. */
    public SnnInterpreter(Module module) {
        this(module, DEFAULT_SAMPLES_PER_CHUNK);
    }

    /**
     * Prepares an execution plan whose tasks run {@code samplesPerChunk} samples each.
     *
     * @throws IllegalArgumentException when the module is not of stage snn or hw, or holds
     *     something this interpreter cannot run (the message names the op)
     */
    public SnnInterpreter(Module module, int samplesPerChunk) {
        if (module.stage() != Stage.SNN && module.stage() != Stage.HW) {
            throw new IllegalArgumentException("SnnInterpreter runs snn- or hw-stage modules, not " + module.stage());
        }
        if (samplesPerChunk < 1) throw new IllegalArgumentException("samplesPerChunk must be positive");
        this.module = module;
        this.chunk = samplesPerChunk;
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
                Blob w = blob(a, "weight");
                Blob b = a.has("bias") ? blob(a, "bias") : null;
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
                Blob w = blob(a, "weight");
                Blob b = a.has("bias") ? blob(a, "bias") : null;
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
            long[] ths = perNeuronInts(a, "threshold", size[x]), v0s = perNeuronInts(a, "v0", size[x]);
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
                    perNeuronFloats(a, "threshold", size[x]), perNeuronFloats(a, "v0", size[x])), y);
        }
    }

    /**
     * A per-channel neuron parameter (a blob of shape [C], as quantize-weights writes per-channel
     * thresholds) expanded to one value per neuron (channel = neuron / (n / C)); null when the
     * attribute is a number or absent.
     */
    private long[] perNeuronInts(Attributes a, String attr, int n) {
        Blob b = a.getBlob(attr) == null ? null : module.blobs().get(a.getBlob(attr));
        if (b == null) return null;
        long[] out = new long[n];
        int per = n / b.size();
        for (int k = 0; k < n; k++) {
            double v = b.get(k / per);
            if (v != Math.rint(v)) {
                throw new IllegalArgumentException("'" + attr + "' @" + b.name() + " of an integer-form population must hold integers");
            }
            out[k] = (long) v;
        }
        return out;
    }

    private float[] perNeuronFloats(Attributes a, String attr, int n) {
        Blob b = a.getBlob(attr) == null ? null : module.blobs().get(a.getBlob(attr));
        if (b == null) return null;
        float[] out = new float[n];
        int per = n / b.size();
        for (int k = 0; k < n; k++) out[k] = (float) b.get(k / per);
        return out;
    }

    private static long integral(Attributes a, String attr, long dflt) {
        return switch (a.getOrNull(attr)) {
            case null -> dflt;
            case Attribute.BlobRef r -> dflt; // per-channel: perNeuronInts
            case Attribute.Int(long v) -> v;
            case Attribute.Float(double v) when v == Math.rint(v) && Math.abs(v) < 0x1p62 -> (long) v;
            default -> throw new IllegalArgumentException("'" + attr + "' of an integer-form population must be an integer, got "
                    + a.getOrNull(attr).text());
        };
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

    private Blob blob(Attributes a, String attr) {
        Blob b = module.blobs().get(a.getBlob(attr));
        if (b == null) throw new IllegalArgumentException("unknown blob @" + a.getBlob(attr));
        return b;
    }

    /** Rows of the transposed matrix: {@code out[i][j] = src[j · cols + i]} for a row-major {@code rows × cols} src. */
    static int[][] transpose(int[] src, int rows, int cols) {
        int[][] out = new int[cols][rows];
        // In bands of 16 source rows: the reads stream along 16 rows, each write fills 16 neighbours.
        for (int j0 = 0; j0 < rows; j0 += 16) {
            int j1 = Math.min(rows, j0 + 16);
            for (int i = 0; i < cols; i++) {
                int[] o = out[i];
                for (int j = j0; j < j1; j++) o[j] = src[j * cols + i];
            }
        }
        return out;
    }

    /** As {@link #transpose(int[], int, int)}. */
    static float[][] transpose(float[] src, int rows, int cols) {
        float[][] out = new float[cols][rows];
        for (int j0 = 0; j0 < rows; j0 += 16) {
            int j1 = Math.min(rows, j0 + 16);
            for (int i = 0; i < cols; i++) {
                float[] o = out[i];
                for (int j = j0; j < j1; j++) o[j] = src[j * cols + i];
            }
        }
        return out;
    }

    private static float[] floats(Blob b) {
        if (b.isFloat()) return b.floats();
        float[] out = new float[b.size()];
        for (int i = 0; i < out.length; i++) out[i] = (float) b.get(i);
        return out;
    }

    /** An integer blob's values; a float blob only when every value is an integer in the i32 range. */
    private static int[] integers(Blob b, String what) {
        if (!b.isFloat()) return b.ints();
        float[] f = b.floats();
        int[] out = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            if (f[i] != Math.rint(f[i]) || Math.abs(f[i]) > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("integer-form projection with a non-integer " + what + " (@" + b.name() + "[" + i
                        + "] = " + f[i] + ")");
            }
            out[i] = (int) f[i];
        }
        return out;
    }

    /** The module this plan runs. */
    public Module module() { return module; }

    /** How many samples one task runs. */
    public int samplesPerChunk() { return chunk; }

    /** Input names and their sample shapes, in program order. */
    public Map<String, Shape> inputShapes() {
        Map<String, Shape> m = new LinkedHashMap<>();
        for (Input in : inputs) m.put(in.name(), in.shape());
        return m;
    }

    /** Output names and their sample shapes, in program order. */
    public Map<String, Shape> outputShapes() {
        Map<String, Shape> m = new LinkedHashMap<>();
        for (OutputInfo o : outputs) m.put(o.name(), o.shape());
        return m;
    }

    /** Runs a single-input module with seed 0, the samples numbered from 0. */
    public SnnResult run(Batch input, int timesteps) {
        return run(input, timesteps, 0, 0);
    }

    /** Runs a single-input module; see {@link #run(Map, int, long, long)}. */
    public SnnResult run(Batch input, int timesteps, long seed, long firstSampleIndex) {
        if (inputs.size() != 1) {
            throw new IllegalArgumentException("run(Batch, ...) needs a module with one input; this one has " + inputs.size());
        }
        return run(Map.of(inputs.getFirst().name(), input), timesteps, seed, firstSampleIndex);
    }

    /**
     * Runs every sample for {@code timesteps} timesteps. Inputs are keyed by their {@code name}
     * attribute; sample s is number {@code firstSampleIndex + s} for the rate encoder's PRNG.
     *
     * @throws IllegalArgumentException when an input is missing or unknown, has the wrong sample
     *     shape, the inputs disagree on the number of samples, or {@code timesteps < 1}
     */
    public SnnResult run(Map<String, Batch> given, int timesteps, long seed, long firstSampleIndex) {
        return execute(given, timesteps, seed, firstSampleIndex, null);
    }

    /** As {@link #run(Map, int, long, long)}, showing every spike train to {@code observer}. */
    public SnnResult run(Map<String, Batch> given, int timesteps, long seed, long firstSampleIndex, SpikeObserver observer) {
        if (observer == null) throw new NullPointerException("observer");
        return execute(given, timesteps, seed, firstSampleIndex, observer);
    }

    private SnnResult execute(Map<String, Batch> given, int timesteps, long seed, long firstSampleIndex, SpikeObserver observer) {
        if (timesteps < 1) throw new IllegalArgumentException("timesteps must be at least 1, got " + timesteps);
        if (firstSampleIndex < 0) throw new IllegalArgumentException("firstSampleIndex must not be negative");
        float[][] inputData = new float[inputs.size()][];
        int n = -1;
        for (int i = 0; i < inputs.size(); i++) {
            Input in = inputs.get(i);
            Batch b = given.get(in.name());
            if (b == null) throw new IllegalArgumentException("missing input '" + in.name() + "'; expected inputs " + inputShapes());
            if (!b.sampleShape().equals(in.shape())) {
                throw new IllegalArgumentException("input '" + in.name() + "' has sample shape " + b.sampleShape() + ", expected "
                        + in.shape() + (b.sampleSize() == size[in.value()] ? " (same size: reshape the batch)" : ""));
            }
            if (n >= 0 && b.samples() != n) {
                throw new IllegalArgumentException("input '" + in.name() + "' has " + b.samples() + " samples, others have " + n);
            }
            n = b.samples();
            inputData[i] = b.data();
        }
        for (String name : given.keySet()) {
            if (inputs.stream().noneMatch(in -> in.name().equals(name))) {
                throw new IllegalArgumentException("unknown input '" + name + "'; expected inputs " + inputShapes());
            }
        }
        int samples = n;
        double[][] values = new double[outputs.size()][], ties = new double[outputs.size()][];
        for (int o = 0; o < outputs.size(); o++) {
            OutputInfo info = outputs.get(o);
            int len = Math.multiplyExact(samples, info.shape().elementCount());
            values[o] = new double[len];
            if (info.population() >= 0) ties[o] = new double[len];
        }
        ConcurrentLinkedQueue<SnnCounters> counters = new ConcurrentLinkedQueue<>();
        long[] spikesPerSample = new long[samples], sopsPerSample = new long[samples];
        int chunks = (samples + chunk - 1) / chunk;
        if (chunks <= 1) {
            for (int c = 0; c < chunks; c++) runChunk(c * chunk, Math.min(chunk, samples - c * chunk), inputData, values, ties,
                    timesteps, seed, firstSampleIndex, counters, observer, spikesPerSample, sopsPerSample);
        } else {
            IntStream.range(0, chunks).parallel().forEach(c -> runChunk(c * chunk, Math.min(chunk, samples - c * chunk), inputData,
                    values, ties, timesteps, seed, firstSampleIndex, counters, observer, spikesPerSample, sopsPerSample));
        }
        SnnCounters total = newCounters();
        for (SnnCounters c : counters) c.addTo(total);
        List<SnnResult.Output> outs = new ArrayList<>();
        for (int o = 0; o < outputs.size(); o++) {
            OutputInfo info = outputs.get(o);
            int sz = info.shape().elementCount();
            int[] pred = new int[samples];
            for (int s = 0; s < samples; s++) pred[s] = SnnResult.predict(values[o], ties[o], s * sz, sz);
            outs.add(new SnnResult.Output(info.name(), info.shape(), info.decoding(), info.integer(), values[o], ties[o], pred));
        }
        return new SnnResult(samples, timesteps, outs, stats(total, samples, timesteps, spikesPerSample, sopsPerSample));
    }

    private SnnCounters newCounters() {
        int[] sizes = new int[populations.size()];
        for (int p = 0; p < sizes.length; p++) sizes[p] = populations.get(p).shape().elementCount();
        return new SnnCounters(sizes, projections.size());
    }

    private SnnStats stats(SnnCounters total, int samples, int timesteps, long[] spikesPerSample, long[] sopsPerSample) {
        List<SnnStats.Population> pops = new ArrayList<>();
        double steps = (double) samples * timesteps;
        for (int p = 0; p < populations.size(); p++) {
            PopulationInfo info = populations.get(p);
            long[] perNeuron = total.neuronSpikes[p];
            long sum = 0, max = 0;
            for (long c : perNeuron) {
                sum += c;
                max = Math.max(max, c);
            }
            double rate = steps == 0 ? 0 : sum / (steps * perNeuron.length), maxRate = steps == 0 ? 0 : max / steps;
            pops.add(new SnnStats.Population(info.opIndex(), info.name(), info.location(), info.kind(), info.shape(), sum, perNeuron,
                    rate, maxRate));
        }
        List<SnnStats.Projection> projs = new ArrayList<>();
        for (int p = 0; p < projections.size(); p++) {
            ProjectionInfo info = projections.get(p);
            projs.add(new SnnStats.Projection(info.opIndex(), info.name(), info.location(), info.kind(), total.events[p], total.sops[p]));
        }
        return new SnnStats(samples, timesteps, pops, projs, total.inputSpikes, spikesPerSample, sopsPerSample);
    }

    private void runChunk(int start, int n, float[][] inputData, double[][] values, double[][] ties, int timesteps, long seed,
                          long first, ConcurrentLinkedQueue<SnnCounters> counterPool, SpikeObserver observer,
                          long[] spikesPerSample, long[] sopsPerSample) {
        SnnFrame f = frames.poll();
        if (f == null) f = newFrame();
        SnnCounters counters = counterPool.poll();
        if (counters == null) counters = newCounters();
        try {
            f.counters = counters;
            f.seed = seed;
            f.timesteps = timesteps;
            // The static kernels of the chunk's samples first (each kernel for all of them), then each sample's timesteps.
            for (int c = 0; c < n; c++) {
                f.bind(c);
                for (int i = 0; i < inputs.size(); i++) {
                    int v = inputs.get(i).value();
                    System.arraycopy(inputData[i], (start + c) * size[v], f.f[v], 0, size[v]);
                }
                f.onceSops[c] = 0;
            }
            for (SnnKernel k : once) k.runChunk(f, n);
            for (int s = start; s < start + n; s++) {
                f.bind(s - start);
                f.sample = first + s;
                long spikes0 = counters.spikes, sops0 = counters.sopTotal - f.onceSops[s - start];
                for (SnnKernel k : resetting) k.reset(f);
                if (observer == null) {
                    for (int t = 0; t < timesteps; t++) {
                        f.t = t;
                        for (SnnKernel k : everyStep) k.run(f);
                    }
                } else {
                    for (int t = 0; t < timesteps; t++) {
                        f.t = t;
                        for (int k = 0; k < everyStep.size(); k++) {
                            everyStep.get(k).run(f);
                            int v = everyStepSpikes.get(k);
                            if (v >= 0) observer.observe(new Value(v), s, t, f.spikes[v], f.spikeCount[v]);
                        }
                    }
                }
                for (int o = 0; o < outputs.size(); o++) writeOutput(f, outputs.get(o), s, values[o], ties[o]);
                spikesPerSample[s] = counters.spikes - spikes0;
                sopsPerSample[s] = counters.sopTotal - sops0;
            }
        } finally {
            f.counters = null;
            counterPool.offer(counters);
            frames.offer(f);
        }
    }

    private void writeOutput(SnnFrame f, OutputInfo info, int s, double[] values, double[] ties) {
        int d = info.decoder(), sz = info.shape().elementCount(), off = s * sz;
        switch (info.decoding()) {
            case COUNT -> {
                int[] c = f.counts[d];
                for (int i = 0; i < sz; i++) values[off + i] = c[i];
                if (ties != null) {
                    int p = info.population();
                    if (info.populationInteger()) {
                        int[] v = f.ipot[p];
                        for (int i = 0; i < sz; i++) ties[off + i] = v[i];
                    } else {
                        float[] v = f.fpot[p];
                        for (int i = 0; i < sz; i++) ties[off + i] = v[i];
                    }
                }
            }
            case POTENTIAL -> {
                if (info.integer()) {
                    long[] a = f.lacc[d];
                    for (int i = 0; i < sz; i++) values[off + i] = a[i];
                } else {
                    float[] a = f.facc[d];
                    for (int i = 0; i < sz; i++) values[off + i] = a[i];
                }
            }
        }
    }

    private SnnFrame newFrame() {
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

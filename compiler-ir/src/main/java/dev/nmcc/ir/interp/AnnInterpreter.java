package dev.nmcc.ir.interp;

import dev.nmcc.ir.attr.Attributes;
import dev.nmcc.ir.blob.Blob;
import dev.nmcc.ir.graph.Graph;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.graph.Op;
import dev.nmcc.ir.graph.Value;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.ir.op.Stage;
import dev.nmcc.ir.op.TypeInference;
import dev.nmcc.ir.type.Shape;
import dev.nmcc.ir.type.TensorType;
import dev.nmcc.ir.type.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;

/**
 * Reference 1 of DESIGN §3: executes an {@code ann}-stage module in float32 on a batch of
 * samples, in parallel across samples, on primitive arrays.
 *
 * <p><b>Semantics</b> follow PyTorch in eval mode (see {@link dev.nmcc.ir.op.OpKind} for each
 * op): dense {@code y = W x + b}; conv2d is cross-correlation with zero padding
 * {@code [top, left, bottom, right]}; batchnorm uses the running statistics,
 * {@code y = (x - mean) · gamma / sqrt(var + eps) + beta}, folded once into a per-channel
 * scale and shift computed in double; avgpool divides by the window ({@code count_include_pad})
 * or by the input elements it covers; maxpool pads with -inf; dropout and identity pass values
 * through. Products and sums are float32, like PyTorch's CPU kernels, but summed in a fixed
 * order of our own, so results match PyTorch to rounding (well inside 1e-4 for the networks
 * we compile), and match themselves bit for bit whatever the chunking and thread schedule.
 *
 * <p><b>Plan.</b> The constructor checks the module (stage, op kinds, every result type
 * re-inferred from the type rules), then compiles one {@link Kernel} per computing op. Views
 * (flatten, reshape, dropout, identity) cost nothing: they share their operand's storage.
 * Computed values get buffer slots by liveness (a slot is reused once its value is dead), and
 * relu, batchnorm and add write over their operand when it dies there. Weights are laid out once
 * for the kernels (dense weights transposed).
 *
 * <p><b>Execution.</b> {@code run} splits the batch into chunks of {@link #samplesPerChunk()}
 * samples and runs them on the fork-join common pool (the calling thread helps). Each worker
 * takes a {@link Frame} (its slot arrays and scratch) from a pool and gives it back, so after
 * the first run nothing is allocated but the output arrays. Within a chunk each op runs for all
 * of the chunk's samples before the next, which lets a dense layer stream its weights once per
 * chunk rather than once per sample. The interpreter is immutable apart from that pool and may
 * be used by several threads at once.
 */
public final class AnnInterpreter {
    /** Default number of samples a worker carries through the graph together. */
    public static final int DEFAULT_SAMPLES_PER_CHUNK = 8;

    /** Rows of a transposed dense weight matrix walked together (about 32 KiB of weights). */
    private static final int DENSE_BLOCK_BYTES = 32 * 1024;

    private record Input(String name, int value, Shape shape) {}

    private record OutputInfo(String name, int value, Shape shape) {}

    /** One op of the program: its kernel (null for inputs, constants and views) and its result. */
    private record Step(Kernel kernel, int result) {}

    private final Module module;
    private final int chunk;
    private final int valueCount;
    private final int[] size;
    private final int[] root;
    private final Value[] valueObjects;
    private final List<Input> inputs = new ArrayList<>();
    private final List<OutputInfo> outputs = new ArrayList<>();
    private final List<Step> steps = new ArrayList<>();
    /** Constant data by value id (roots only), else null. */
    private final float[][] constants;
    /** Slot index by value id for computed roots, else -1. */
    private final int[] slotOf;
    private final int[] slotSize;
    /** Scratch sizes of a frame: im2col row lengths, conv accumulator, widest dense layer, largest dense block. */
    private final int[] colRows;
    private final int accSize;
    private final int denseOut;
    private final int denseBlock;
    private final ConcurrentLinkedQueue<Frame> frames = new ConcurrentLinkedQueue<>();

    /** Prepares an execution plan; the module must be a verified ann-stage module. */
    public AnnInterpreter(Module module) {
        this(module, DEFAULT_SAMPLES_PER_CHUNK);
    }

    /**
     * Prepares an execution plan that carries {@code samplesPerChunk} samples through the graph
     * together (larger chunks reuse dense weights more but need more buffer memory per worker).
     */
    public AnnInterpreter(Module module, int samplesPerChunk) {
        if (module.stage() != Stage.ANN) {
            throw new IllegalArgumentException("AnnInterpreter runs ann-stage modules, not " + module.stage());
        }
        if (samplesPerChunk < 1) throw new IllegalArgumentException("samplesPerChunk must be positive");
        this.module = module;
        this.chunk = samplesPerChunk;
        Graph g = module.graph();
        valueCount = g.valueCount();
        size = new int[valueCount];
        root = new int[valueCount];
        valueObjects = new Value[valueCount];
        constants = new float[valueCount][];
        for (int v = 0; v < valueCount; v++) {
            Value val = new Value(v);
            valueObjects[v] = val;
            Type t = g.type(val);
            if (!(t instanceof TensorType tt)) {
                throw new IllegalArgumentException("value " + val + " has type " + t.text() + "; the ann interpreter runs tensors only");
            }
            if (!tt.shape().isAllocatable()) throw new IllegalArgumentException("value " + val + " is too large: " + t.text());
            size[v] = tt.shape().elementCount();
            root[v] = v;
        }
        int[] lastUse = new int[valueCount];
        List<Op> ops = g.ops();
        Set<String> inputNames = new LinkedHashSet<>(), outputNames = new LinkedHashSet<>();
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            check(op, g, i, inputNames, outputNames);
            if (isView(op.kind())) root[op.result().id()] = root[op.operand(0).id()];
            for (Value r : op.results()) lastUse[r.id()] = i;
            for (Value v : op.operands()) lastUse[root[v.id()]] = Math.max(lastUse[root[v.id()]], i);
        }
        // Slot assignment by liveness, in program order.
        slotOf = new int[valueCount];
        Arrays.fill(slotOf, -1);
        int[] sizes = new int[valueCount], owner = new int[valueCount];
        boolean[] free = new boolean[valueCount];
        int slots = 0;
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            if (op.results().isEmpty() || !computes(op.kind())) continue;
            int r = op.result().id();
            int slot = -1;
            if (op.kind() == OpKind.ANN_RELU || op.kind() == OpKind.ANN_BATCHNORM || op.kind() == OpKind.ANN_ADD) {
                for (Value v : op.operands()) {
                    int o = root[v.id()];
                    if (slotOf[o] >= 0 && lastUse[o] == i && owner[slotOf[o]] == o) {
                        slot = slotOf[o];
                        break;
                    }
                }
            }
            if (slot < 0) {
                slot = takeSlot(size[r], sizes, free, slots);
                if (slot == slots) slots++;
            }
            slotOf[r] = slot;
            owner[slot] = r;
            for (Value v : op.operands()) {
                int o = root[v.id()];
                if (slotOf[o] >= 0 && lastUse[o] == i && owner[slotOf[o]] == o) free[slotOf[o]] = true;
            }
            if (lastUse[r] == i) free[slot] = true;
        }
        slotSize = Arrays.copyOf(sizes, slots);
        // Kernels, and the scratch they need.
        int maxK = 0, acc = 0, dOut = 0, dBlock = 0;
        for (Op op : ops) {
            Kernel k = compile(op, g);
            steps.add(new Step(k, op.results().isEmpty() ? -1 : op.result().id()));
            switch (k) {
                case Kernel.Conv c -> {
                    maxK = Math.max(maxK, c.k());
                    acc = Math.max(acc, c.p());
                }
                case Kernel.Pool p -> acc = Math.max(acc, p.ow());
                case Kernel.Dense d -> {
                    dOut = Math.max(dOut, d.out());
                    dBlock = Math.max(dBlock, d.block());
                }
                case null, default -> { }
            }
        }
        colRows = new int[maxK];
        for (Step st : steps) {
            if (st.kernel() instanceof Kernel.Conv c) for (int k = 0; k < c.k(); k++) colRows[k] = Math.max(colRows[k], c.p());
        }
        accSize = acc;
        denseOut = dOut;
        denseBlock = dBlock;
    }

    /** Best fit among the free slots; else the largest free slot, grown; else slot {@code count} (new). */
    private static int takeSlot(int need, int[] sizes, boolean[] free, int count) {
        int best = -1, largest = -1;
        for (int s = 0; s < count; s++) {
            if (!free[s]) continue;
            if (sizes[s] >= need && (best < 0 || sizes[s] < sizes[best])) best = s;
            if (largest < 0 || sizes[s] > sizes[largest]) largest = s;
        }
        int s = best >= 0 ? best : largest >= 0 ? largest : count;
        sizes[s] = Math.max(sizes[s], need);
        free[s] = false;
        return s;
    }

    private static boolean isView(OpKind k) {
        return k == OpKind.ANN_FLATTEN || k == OpKind.ANN_RESHAPE || k == OpKind.ANN_DROPOUT || k == OpKind.ANN_IDENTITY;
    }

    /** Ops whose result needs a buffer of its own (not an input, constant or view). */
    private static boolean computes(OpKind k) {
        return !isView(k) && k != OpKind.ANN_INPUT && k != OpKind.ANN_CONST && k != OpKind.ANN_OUTPUT;
    }

    private void check(Op op, Graph g, int index, Set<String> inputNames, Set<String> outputNames) {
        OpKind k = op.kind();
        String where = "op " + index + " (" + k.mnemonic() + " at " + op.location().describe() + ")";
        if (!k.admittedIn(Stage.ANN)) throw new IllegalArgumentException(where + ": not an ann op");
        if (k.isInput()) {
            String name = op.attributes().getString("name", null);
            if (name == null) throw new IllegalArgumentException(where + ": input without a name");
            if (!inputNames.add(name)) throw new IllegalArgumentException(where + ": duplicate input name '" + name + "'");
            inputs.add(new Input(name, op.result().id(), g.type(op.result()).shape()));
            return;
        }
        if (k.isOutput()) {
            String name = op.attributes().getString("name", null);
            if (name == null) throw new IllegalArgumentException(where + ": output without a name");
            if (!outputNames.add(name)) throw new IllegalArgumentException(where + ": duplicate output name '" + name + "'");
        }
        TypeInference.Result r = TypeInference.infer(k, op.operands().stream().map(g::type).toList(), op.attributes(), module.blobs());
        if (!r.isOk()) throw new IllegalArgumentException(where + ": " + r.error());
        if (r.type() != null && !r.type().equals(g.type(op.result()))) {
            throw new IllegalArgumentException(where + ": result type " + g.type(op.result()).text() + " should be " + r.type().text());
        }
    }

    private Kernel compile(Op op, Graph g) {
        Attributes a = op.attributes();
        OpKind kind = op.kind();
        int x = op.operands().isEmpty() ? -1 : root[op.operand(0).id()];
        int y = op.results().isEmpty() ? -1 : op.result().id();
        Shape in = x < 0 ? null : g.type(op.operand(0)).shape();
        return switch (kind) {
            case ANN_INPUT -> null;
            case ANN_CONST -> {
                constants[y] = floats(blob(a, "value"));
                yield null;
            }
            case ANN_FLATTEN, ANN_RESHAPE, ANN_DROPOUT, ANN_IDENTITY -> null;
            case ANN_OUTPUT -> {
                outputs.add(new OutputInfo(a.getString("name", null), x, in));
                yield new Kernel.Output(x, outputs.size() - 1, size[x]);
            }
            case ANN_DENSE -> {
                int nIn = in.dim(0), nOut = size[y];
                float[] w = floats(blob(a, "weight"));
                float[][] wt = new float[nIn][nOut];
                for (int j = 0; j < nOut; j++) for (int i = 0; i < nIn; i++) wt[i][j] = w[j * nIn + i];
                int block = Math.min(nIn, Math.max(4, DENSE_BLOCK_BYTES / (4 * nOut)));
                yield new Kernel.Dense(x, y, nIn, nOut, wt, optionalBlob(a, "bias"), block);
            }
            case ANN_CONV2D -> {
                int[] k = a.getInts("kernel", null), st = a.getInts("stride", new int[] {1, 1}), p = a.getInts("pad", new int[4]);
                Shape out = g.type(op.result()).shape();
                yield new Kernel.Conv(x, y, in.dim(0), in.dim(1), in.dim(2), out.dim(0), k[0], k[1], st[0], st[1], p[0], p[1],
                        out.dim(1), out.dim(2), floats(blob(a, "weight")), optionalBlob(a, "bias"));
            }
            case ANN_BATCHNORM -> {
                int c = in.dim(0);
                double eps = a.getNumber("epsilon", 1e-5);
                Blob gamma = blob(a, "gamma"), beta = blob(a, "beta"), mean = blob(a, "mean"), var = blob(a, "var");
                float[] scale = new float[c], shift = new float[c];
                for (int i = 0; i < c; i++) {
                    double s = gamma.get(i) / Math.sqrt(var.get(i) + eps);
                    scale[i] = (float) s;
                    shift[i] = (float) (beta.get(i) - mean.get(i) * s);
                }
                yield new Kernel.BatchNorm(x, y, c, size[x] / c, scale, shift);
            }
            case ANN_RELU -> new Kernel.Relu(x, y, size[y]);
            case ANN_ADD -> new Kernel.Add(x, root[op.operand(1).id()], y, size[y]);
            case ANN_AVGPOOL, ANN_MAXPOOL -> {
                int[] k = a.getInts("kernel", null), st = a.getInts("stride", k), p = a.getInts("pad", new int[4]);
                Shape out = g.type(op.result()).shape();
                yield Kernel.Pool.of(x, y, kind == OpKind.ANN_MAXPOOL, a.getBool("count_include_pad", false),
                        in.dim(0), in.dim(1), in.dim(2), k[0], k[1], st[0], st[1], p[0], p[1], out.dim(1), out.dim(2));
            }
            case ANN_GLOBAL_AVGPOOL -> new Kernel.GlobalAvgPool(x, y, in.dim(0), in.dim(1) * in.dim(2));
            case ANN_CONCAT -> {
                int axis = (int) a.getInt("axis", 0);
                int outer = 1;
                for (int d = 0; d < axis; d++) outer *= in.dim(d);
                int[] xs = new int[op.operands().size()], chunks = new int[xs.length];
                for (int j = 0; j < xs.length; j++) {
                    xs[j] = root[op.operand(j).id()];
                    chunks[j] = size[op.operand(j).id()] / outer;
                }
                yield new Kernel.Concat(xs, chunks, y, outer, size[y] / outer);
            }
            default -> throw new IllegalArgumentException(kind.mnemonic() + " is not an ann op");
        };
    }

    private Blob blob(Attributes a, String attr) {
        Blob b = module.blobs().get(a.getBlob(attr));
        if (b == null) throw new IllegalArgumentException("unknown blob @" + a.getBlob(attr));
        return b;
    }

    private float[] optionalBlob(Attributes a, String attr) { return a.has(attr) ? floats(blob(a, attr)) : null; }

    private static float[] floats(Blob b) {
        if (b.isFloat()) return b.floats();
        float[] out = new float[b.size()];
        for (int i = 0; i < out.length; i++) out[i] = (float) b.get(i);
        return out;
    }

    /** The module this plan runs. */
    public Module module() { return module; }

    /** How many samples a worker carries through the graph together. */
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

    /**
     * Runs every sample. Inputs and outputs are keyed by their {@code name} attribute; outputs
     * come in program order.
     *
     * @throws IllegalArgumentException when an input is missing or unknown, has the wrong sample
     *     shape, or the inputs disagree on the number of samples
     */
    public Map<String, Batch> run(Map<String, Batch> inputs) {
        return execute(inputs, null);
    }

    /**
     * Runs every sample and shows every op result of every sample to {@code observer} (see
     * {@link ActivationObserver} for the order, threads and ownership of the data).
     */
    public Map<String, Batch> run(Map<String, Batch> inputs, ActivationObserver observer) {
        if (observer == null) throw new NullPointerException("observer");
        return execute(inputs, observer);
    }

    /** Runs a single-input, single-output module. */
    public Batch run(Batch input) {
        return runSingle(input, null);
    }

    /** Runs a single-input, single-output module, showing every op result to {@code observer}. */
    public Batch run(Batch input, ActivationObserver observer) {
        if (observer == null) throw new NullPointerException("observer");
        return runSingle(input, observer);
    }

    private Batch runSingle(Batch input, ActivationObserver observer) {
        if (inputs.size() != 1 || outputs.size() != 1) {
            throw new IllegalArgumentException("run(Batch) needs a module with one input and one output; this one has "
                    + inputs.size() + " inputs and " + outputs.size() + " outputs");
        }
        return execute(Map.of(inputs.getFirst().name(), input), observer).values().iterator().next();
    }

    private Map<String, Batch> execute(Map<String, Batch> given, ActivationObserver observer) {
        float[][] inputData = new float[inputs.size()][];
        int n = -1;
        for (int i = 0; i < inputs.size(); i++) {
            Input in = inputs.get(i);
            Batch b = given.get(in.name());
            if (b == null) throw new IllegalArgumentException("missing input '" + in.name() + "'; expected inputs " + inputShapes());
            if (!b.sampleShape().equals(in.shape())) {
                throw new IllegalArgumentException("input '" + in.name() + "' has sample shape " + b.sampleShape() + ", expected " + in.shape());
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
        if (n < 0) n = 1; // no inputs: a constant network computes one sample
        int samples = n;
        float[][] results = new float[outputs.size()][];
        for (int o = 0; o < outputs.size(); o++) results[o] = new float[Math.multiplyExact(samples, size[outputs.get(o).value()])];
        int chunks = (samples + chunk - 1) / chunk;
        if (chunks <= 1) {
            for (int c = 0; c < chunks; c++) runChunk(c * chunk, Math.min(chunk, samples - c * chunk), inputData, results, observer);
        } else {
            IntStream.range(0, chunks).parallel()
                    .forEach(c -> runChunk(c * chunk, Math.min(chunk, samples - c * chunk), inputData, results, observer));
        }
        Map<String, Batch> out = new LinkedHashMap<>();
        for (int o = 0; o < outputs.size(); o++) out.put(outputs.get(o).name(), new Batch(samples, outputs.get(o).shape(), results[o]));
        return out;
    }

    private void runChunk(int start, int n, float[][] inputData, float[][] results, ActivationObserver observer) {
        Frame f = frames.poll();
        if (f == null) f = newFrame();
        try {
            f.start = start;
            f.results = results;
            for (int i = 0; i < inputs.size(); i++) {
                int v = inputs.get(i).value();
                for (int s = 0; s < n; s++) System.arraycopy(inputData[i], (start + s) * size[v], f.data[v][s], 0, size[v]);
            }
            for (Step step : steps) {
                if (step.kernel() != null) step.kernel().run(f, n);
                if (observer != null && step.result() >= 0) {
                    int v = step.result();
                    float[][] d = f.data[root[v]];
                    for (int s = 0; s < n; s++) observer.observe(valueObjects[v], start + s, d[s], 0, size[v]);
                }
            }
        } finally {
            f.results = null;
            frames.offer(f);
        }
    }

    private Frame newFrame() {
        Frame f = new Frame(chunk, valueCount, colRows, accSize, denseOut, denseBlock);
        float[][][] slots = new float[slotSize.length][chunk][];
        for (int s = 0; s < slots.length; s++) for (int i = 0; i < chunk; i++) slots[s][i] = new float[slotSize[s]];
        for (int v = 0; v < valueCount; v++) {
            if (root[v] != v) continue;
            if (constants[v] != null) {
                f.data[v] = new float[chunk][];
                Arrays.fill(f.data[v], constants[v]);
            } else if (slotOf[v] >= 0) {
                f.data[v] = slots[slotOf[v]];
            } else {
                f.data[v] = new float[chunk][size[v]]; // an input
            }
        }
        return f;
    }
}

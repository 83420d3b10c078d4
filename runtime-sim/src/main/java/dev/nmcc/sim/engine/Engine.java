package dev.nmcc.sim.engine;

import dev.nmcc.nmc.model.IoSpec;
import dev.nmcc.nmc.model.Layer;
import dev.nmcc.nmc.model.LayerOp;
import dev.nmcc.nmc.model.NmcModel;
import dev.nmcc.nmc.model.Reset;
import dev.nmcc.nmc.model.Window;
import dev.nmcc.sim.SpikeRecorder;
import dev.nmcc.sim.cycle.SampleCycles;
import dev.nmcc.sim.cycle.SampleTimer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A decoded model prepared for execution: one {@link Kernel} per computing layer, checked once
 * (every layer's inputs, shapes and parameters; a problem is an {@link IllegalArgumentException}
 * naming the layer), and the per-sample loop of docs/snn-semantics.md. Immutable and thread-safe;
 * the mutable state of a sample lives in a {@link Frame}.
 */
public final class Engine {
    private enum Kind { FLOAT, INT, SPIKES, NONE }

    /** A network input: its name, layer, and values per sample. */
    public record InputInfo(String name, int layer, int size) {}

    /**
     * A network output: its decoder layer, count or potential decoding, values per sample, and the
     * population (index into {@link #populations()}) whose final potentials break count ties, or -1.
     */
    public record OutputInfo(String name, int layer, boolean count, int size, int tiePopulation, int decoder) {}

    /** A population (IF/LIF layer). */
    public record PopulationInfo(int layer, String name, int neurons) {}

    /** A projection (dense, conv2d or avgpool layer). */
    public record ProjectionInfo(int layer, String name) {}

    /** One per-timestep step of a traced run: a kernel (or null: a static encoder's events) and the spikes it shows. */
    private record Step(Kernel kernel, int layer, int spikes, boolean recorded) {}

    private final NmcModel model;
    private final int layerCount;
    private final Kind[] kind;
    private final int[] size;
    private final int[] root;
    private final boolean[] isStatic;
    private final List<InputInfo> inputs = new ArrayList<>();
    private final List<OutputInfo> outputs = new ArrayList<>();
    private final List<PopulationInfo> populations = new ArrayList<>();
    private final List<ProjectionInfo> projections = new ArrayList<>();
    private final int[] populationOfLayer, decoderOfLayer;
    private final List<Kernel> resetting = new ArrayList<>(), once = new ArrayList<>(), everyStep = new ArrayList<>();
    private final List<Step> steps = new ArrayList<>();
    private final List<Integer> decoderSizes = new ArrayList<>(), encoderSizes = new ArrayList<>();
    private final List<Boolean> decoderCounts = new ArrayList<>();
    private Kernel[] resetArr, onceArr, stepArr;
    private int longScratch, intScratch, markSize;

    /** Prepares {@code model}; throws {@link IllegalArgumentException} naming the layer it cannot run. */
    public Engine(NmcModel model) {
        this.model = model;
        List<Layer> layers = model.layers();
        layerCount = layers.size();
        kind = new Kind[layerCount];
        size = new int[layerCount];
        root = new int[layerCount];
        isStatic = new boolean[layerCount];
        populationOfLayer = new int[layerCount];
        decoderOfLayer = new int[layerCount];
        Arrays.fill(populationOfLayer, -1);
        Arrays.fill(decoderOfLayer, -1);
        for (int l = 0; l < layerCount; l++) {
            Layer layer = layers.get(l);
            if (layer.index() != l) throw fail(layer, "has index " + layer.index() + " at position " + l);
            for (int x : layer.inputs()) {
                if (x < 0 || x >= l) throw fail(layer, "reads layer " + x + ", which does not come before it");
            }
            long n = 1;
            for (int d : layer.shape()) {
                if (d < 1) throw fail(layer, "has a shape with dimension " + d);
                n *= d;
                if (n > Integer.MAX_VALUE - 8) throw fail(layer, "is too large");
            }
            size[l] = (int) n;
            root[l] = l;
            compile(layer);
        }
        for (IoSpec.InputSpec in : model.io().inputs()) {
            if (in.layer() < 0 || in.layer() >= layerCount || !(layers.get(in.layer()).op() instanceof LayerOp.Input)) {
                throw new IllegalArgumentException("input '" + in.name() + "' names layer " + in.layer() + ", which is not an input layer");
            }
            inputs.add(new InputInfo(in.name(), in.layer(), size[in.layer()]));
        }
        for (IoSpec.OutputSpec out : model.io().outputs()) outputs.add(output(out, layers));
        if (inputs.isEmpty()) throw new IllegalArgumentException("the model has no input");
        if (outputs.isEmpty()) throw new IllegalArgumentException("the model has no output");
        resetArr = resetting.toArray(Kernel[]::new);
        onceArr = once.toArray(Kernel[]::new);
        stepArr = everyStep.toArray(Kernel[]::new);
    }

    static IllegalArgumentException fail(Layer layer, String message) {
        return new IllegalArgumentException("layer " + layer.index() + " '" + layer.name() + "'"
                + (layer.location().isEmpty() ? "" : " (" + layer.location() + ")") + ": " + message);
    }

    private int in(Layer layer, int k, Kind... kinds) {
        if (layer.inputs().length <= k) throw fail(layer, "needs " + (k + 1) + " input(s), has " + layer.inputs().length);
        int x = root[layer.inputs()[k]];
        for (Kind want : kinds) if (kind[x] == want) return x;
        throw fail(layer, "reads layer " + layer.inputs()[k] + ", which gives " + kind[x].name().toLowerCase()
                + " values; expected " + Arrays.toString(kinds).toLowerCase());
    }

    private void compile(Layer layer) {
        int l = layer.index();
        int[] ins = layer.inputs();
        if (!(layer.op() instanceof LayerOp.Input) && !(layer.op() instanceof LayerOp.Merge) && ins.length != 1) {
            throw fail(layer, "must read exactly one layer, reads " + ins.length);
        }
        switch (layer.op()) {
            case LayerOp.Input i -> {
                if (ins.length != 0) throw fail(layer, "an input reads no layer");
                kind[l] = Kind.FLOAT;
            }
            case LayerOp.Encode e -> {
                int x = in(layer, 0, Kind.FLOAT);
                sameSize(layer, x);
                if (e.mode() == dev.nmcc.nmc.model.Encoding.RATE) {
                    kind[l] = Kind.SPIKES;
                    encoderSizes.add(size[x]);
                    add(new Encoders.Rate(l, x, l, size[x], encoderSizes.size() - 1), l, true);
                } else {
                    if (e.inputScale() < 1 || e.inputScale() > (1 << 23)) throw fail(layer, "input scale must be in 1 … 2^23, got " + e.inputScale());
                    kind[l] = Kind.INT;
                    isStatic[l] = true;
                    add(new Encoders.Direct(l, x, l, size[x], e.inputScale()), l, false);
                }
            }
            case LayerOp.Dense d -> {
                int x = in(layer, 0, Kind.SPIKES, Kind.INT);
                if (d.units() != size[l]) throw fail(layer, "has " + d.units() + " units but " + size[l] + " outputs");
                boolean spiking = kind[x] == Kind.SPIKES, st = !spiking && isStatic[x];
                kind[l] = Kind.INT;
                isStatic[l] = st;
                Parameters.DenseBlocks w = Parameters.denseBlocks(model, layer, d.units(), size[x], d.hasBias());
                Dense k = new Dense(l, x, l, size[x], d.units(), w.blocks(), w.bias(), spiking, st, projection(layer));
                add(k, -1, false);
                if (!k.narrow) {
                    longScratch = Math.max(longScratch, d.units());
                    intScratch = Math.max(intScratch, k.maxCount);
                }
            }
            case LayerOp.Conv2d c -> {
                int x = in(layer, 0, Kind.SPIKES, Kind.INT);
                Geometry g = geometry(layer, c.window(), c.outChannels());
                boolean spiking = kind[x] == Kind.SPIKES, st = !spiking && isStatic[x];
                kind[l] = Kind.INT;
                isStatic[l] = st;
                Parameters.Weights w = Parameters.weights(model, layer, c.outChannels(), g.c * g.kh * g.kw, c.hasBias());
                Conv k = new Conv(l, x, l, g, c.outChannels(), w.w(), w.bias(), spiking, st, projection(layer));
                add(k, -1, false);
                if (k.narrow) intScratch = Math.max(intScratch, k.accSize());
                else longScratch = Math.max(longScratch, k.accSize());
            }
            case LayerOp.AvgPool p -> {
                int x = in(layer, 0, Kind.SPIKES, Kind.INT);
                Geometry g = geometry(layer, p.window(), -1);
                boolean spiking = kind[x] == Kind.SPIKES, st = !spiking && isStatic[x];
                kind[l] = Kind.INT;
                isStatic[l] = st;
                Pools.Avg k = new Pools.Avg(l, x, l, g, p.weight(), spiking, st, projection(layer));
                add(k, -1, false);
                if (spiking) intScratch = Math.max(intScratch, k.outSize());
            }
            case LayerOp.MaxPool p -> {
                int x = in(layer, 0, Kind.SPIKES);
                Geometry g = geometry(layer, p.window(), -1);
                kind[l] = Kind.SPIKES;
                Pools.Max k = new Pools.Max(l, x, l, g);
                add(k, l, true);
                markSize = Math.max(markSize, k.outSize());
            }
            case LayerOp.Reshape r -> {
                int x = in(layer, 0, Kind.FLOAT, Kind.INT, Kind.SPIKES);
                sameSize(layer, x);
                root[l] = x;
                kind[l] = kind[x];
                isStatic[l] = isStatic[x];
            }
            case LayerOp.Merge m -> {
                if (ins.length < 1) throw fail(layer, "a merge reads at least one layer");
                int[] xs = new int[ins.length];
                boolean st = true;
                for (int k = 0; k < ins.length; k++) {
                    xs[k] = in(layer, k, Kind.INT);
                    sameSize(layer, xs[k]);
                    st &= isStatic[xs[k]];
                }
                kind[l] = Kind.INT;
                isStatic[l] = st;
                add(new Sums.Merge(l, xs, l, size[l], st), -1, false);
                longScratch = Math.max(longScratch, size[l]);
            }
            case LayerOp.Neurons n -> {
                int x = in(layer, 0, Kind.INT);
                sameSize(layer, x);
                if (n.vBits() < 2 || n.vBits() > 32) throw fail(layer, "v_bits must be in 2 … 32, got " + n.vBits());
                if (n.leaky() && (n.leakShift() < 0 || n.leakShift() > 31)) throw fail(layer, "leak shift must be in 0 … 31, got " + n.leakShift());
                kind[l] = Kind.SPIKES;
                Parameters.NeuronParams p = Parameters.neurons(model, layer);
                int pop = populations.size();
                populations.add(new PopulationInfo(l, layer.name(), size[l]));
                populationOfLayer[l] = pop;
                add(new Neurons(l, x, l, size[l], pop, n.leaky(), n.leakShift(), n.reset() == Reset.SUBTRACT, n.vBits(), p), l, true);
            }
            case LayerOp.DecodePotential d -> {
                int x = in(layer, 0, Kind.INT);
                sameSize(layer, x);
                kind[l] = Kind.NONE;
                decoderOfLayer[l] = decoderSizes.size();
                decoderSizes.add(size[l]);
                decoderCounts.add(false);
                add(new Sums.Potential(l, x, size[l], decoderOfLayer[l]), -1, false);
            }
            case LayerOp.DecodeCount d -> {
                int x = in(layer, 0, Kind.SPIKES);
                sameSize(layer, x);
                kind[l] = Kind.NONE;
                decoderOfLayer[l] = decoderSizes.size();
                decoderSizes.add(size[l]);
                decoderCounts.add(true);
                add(new Sums.Count(l, x, size[l], decoderOfLayer[l]), -1, false);
            }
        }
    }

    private void sameSize(Layer layer, int x) {
        if (size[x] != size[layer.index()]) {
            throw fail(layer, "has " + size[layer.index()] + " elements but its input has " + size[x]);
        }
    }

    /** The window seen from the input layer's [C, H, W] and this layer's [C', OH, OW]; {@code outChannels} -1: pooling (C' = C). */
    private Geometry geometry(Layer layer, Window w, int outChannels) {
        Layer input = model.layers().get(layer.inputs()[0]);
        int[] is = input.shape(), os = layer.shape();
        if (is.length != 3 || os.length != 3) throw fail(layer, "a window needs [C, H, W] input and output shapes");
        if (w.kh() < 1 || w.kw() < 1 || w.sh() < 1 || w.sw() < 1 || w.padTop() < 0 || w.padLeft() < 0 || w.padBottom() < 0
                || w.padRight() < 0) {
            throw fail(layer, "has an invalid window " + w);
        }
        int oh = (is[1] + w.padTop() + w.padBottom() - w.kh()) / w.sh() + 1, ow = (is[2] + w.padLeft() + w.padRight() - w.kw()) / w.sw() + 1;
        int oc = outChannels < 0 ? is[0] : outChannels;
        if (os[0] != oc || os[1] != oh || os[2] != ow) {
            throw fail(layer, "has shape " + Arrays.toString(os) + "; its window on " + Arrays.toString(is) + " gives ["
                    + oc + ", " + oh + ", " + ow + "]");
        }
        return new Geometry(is[0], is[1], is[2], oh, ow, w.kh(), w.kw(), w.sh(), w.sw(), w.padTop(), w.padLeft());
    }

    private int projection(Layer layer) {
        projections.add(new ProjectionInfo(layer.index(), layer.name()));
        return projections.size() - 1;
    }

    /** Adds a kernel; {@code spikes}: the layer whose spike list it shows (-1: none); {@code recorded}: shown to a SpikeRecorder. */
    private void add(Kernel k, int spikes, boolean recorded) {
        if (k instanceof Encoders.Rate || k instanceof Neurons || k instanceof Sums.Count || k instanceof Sums.Potential) resetting.add(k);
        if (k.isStatic) {
            once.add(k);
            if (spikes >= 0) steps.add(new Step(null, k.layer, spikes, false));
        } else {
            everyStep.add(k);
            steps.add(new Step(k, k.layer, spikes, recorded));
        }
    }

    private OutputInfo output(IoSpec.OutputSpec out, List<Layer> layers) {
        int d = out.decoder();
        if (d < 0 || d >= layerCount || decoderOfLayer[d] < 0) {
            throw new IllegalArgumentException("output '" + out.name() + "' names layer " + d + ", which is not a decoder");
        }
        boolean count = layers.get(d).op() instanceof LayerOp.DecodeCount;
        int tie = -1;
        if (count && out.tiePopulation() >= 0) {
            int p = out.tiePopulation();
            if (p >= layerCount || populationOfLayer[p] < 0 || size[p] != size[d]) {
                throw new IllegalArgumentException("output '" + out.name() + "' breaks ties by layer " + p
                        + ", which is not a population of its size");
            }
            tie = populationOfLayer[p];
        }
        return new OutputInfo(out.name(), d, count, size[d], tie, decoderOfLayer[d]);
    }

    public NmcModel model() { return model; }

    public List<InputInfo> inputs() { return List.copyOf(inputs); }

    public List<OutputInfo> outputs() { return List.copyOf(outputs); }

    public List<PopulationInfo> populations() { return List.copyOf(populations); }

    public List<ProjectionInfo> projections() { return List.copyOf(projections); }

    /** Fresh statistics counters for one worker of one run. */
    public Counters newCounters() {
        int[] sizes = new int[populations.size()];
        for (int p = 0; p < sizes.length; p++) sizes[p] = populations.get(p).neurons();
        return new Counters(sizes, projections.size());
    }

    /** A frame for one worker. */
    public Frame newFrame() {
        Frame f = new Frame(layerCount, populations.size(), decoderSizes.size(), encoderSizes.size(), longScratch, intScratch, markSize);
        for (int l = 0; l < layerCount; l++) {
            if (root[l] != l) continue;
            switch (kind[l]) {
                case FLOAT -> f.f[l] = new float[size[l]];
                case INT -> {
                    f.i[l] = new int[size[l]];
                    if (model.layers().get(l).op() instanceof LayerOp.Encode) f.spikes[l] = new int[size[l]];
                }
                case SPIKES -> f.spikes[l] = new int[size[l]];
                case NONE -> { }
            }
        }
        for (int p = 0; p < populations.size(); p++) f.pot[p] = new int[populations.get(p).neurons()];
        for (int d = 0; d < decoderSizes.size(); d++) {
            if (decoderCounts.get(d)) f.counts[d] = new int[decoderSizes.get(d)];
            else f.acc[d] = new long[decoderSizes.get(d)];
        }
        for (int e = 0; e < encoderSizes.size(); e++) {
            int n = encoderSizes.get(e);
            f.active[e] = new int[n];
            f.activeThreshold[e] = new int[n];
            f.activeKey[e] = new long[n];
        }
        return f;
    }

    /**
     * Runs sample {@code s} of {@code data} (one array per {@link #inputs()} entry, samples after
     * one another) for {@code timesteps} steps in {@code f}, counting into {@code counters}.
     * {@code recorder} (may be null) sees every spiking layer's spikes; {@code timer} (may be null)
     * is driven by the {@link SampleTimer} protocol and its numbers returned (else null).
     */
    public SampleCycles runSample(Frame f, float[][] data, int s, long sampleIndex, long seed, int timesteps, Counters counters,
                                  SpikeRecorder recorder, SampleTimer timer) {
        for (int k = 0; k < inputs.size(); k++) {
            InputInfo in = inputs.get(k);
            System.arraycopy(data[k], s * in.size(), f.f[in.layer()], 0, in.size());
        }
        f.sample = sampleIndex;
        f.seed = seed;
        f.timesteps = timesteps;
        f.counters = counters;
        try {
            for (Kernel k : resetArr) k.reset(f);
            for (Kernel k : onceArr) k.run(f);
            if (recorder == null && timer == null) {
                Kernel[] ks = stepArr;
                for (int t = 0; t < timesteps; t++) {
                    f.t = t;
                    for (Kernel k : ks) k.run(f);
                }
                return null;
            }
            if (timer != null) timer.begin();
            for (int t = 0; t < timesteps; t++) {
                f.t = t;
                for (Step st : steps) {
                    if (st.kernel() != null) st.kernel().run(f);
                    if (st.spikes() < 0) continue;
                    int[] idx = f.spikes[st.spikes()];
                    int c = f.spikeCount[st.spikes()];
                    if (recorder != null && st.recorded()) recorder.spikes(t, st.layer(), idx, c);
                    if (timer != null) timer.spikes(t, st.layer(), idx, c);
                }
                if (timer != null) timer.endTimestep(t);
            }
            return timer == null ? null : timer.finish();
        } finally {
            f.counters = null;
        }
    }

    /**
     * Writes output {@code o} of the sample just run in {@code f} at {@code [s · size, (s + 1) · size)}
     * of {@code values} and, for count decoding with a tie population, its final potentials into {@code ties}.
     */
    public void readOutput(Frame f, int o, int s, double[] values, double[] ties) {
        OutputInfo info = outputs.get(o);
        int n = info.size(), off = s * n;
        if (info.count()) {
            int[] c = f.counts[info.decoder()];
            for (int k = 0; k < n; k++) values[off + k] = c[k];
            if (ties != null && info.tiePopulation() >= 0) {
                int[] v = f.pot[info.tiePopulation()];
                for (int k = 0; k < n; k++) ties[off + k] = v[k];
            }
        } else {
            long[] a = f.acc[info.decoder()];
            for (int k = 0; k < n; k++) values[off + k] = a[k];
        }
    }

    /**
     * The predicted class of one sample: the index of the largest value; among equal values the
     * one with the larger tie-break potential (when given), then the lower index.
     */
    public static int predict(double[] values, double[] ties, int offset, int size) {
        int best = 0;
        for (int i = 1; i < size; i++) {
            double v = values[offset + i], b = values[offset + best];
            if (v > b) best = i;
            else if (v == b && ties != null && ties[offset + i] > ties[offset + best]) best = i;
        }
        return best;
    }
}

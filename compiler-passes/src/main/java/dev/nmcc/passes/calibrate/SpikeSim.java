package dev.nmcc.passes.calibrate;

import dev.nmcc.ir.attr.Attributes;
import dev.nmcc.ir.blob.Blob;
import dev.nmcc.ir.graph.Graph;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.graph.Op;
import dev.nmcc.ir.graph.Value;
import dev.nmcc.ir.interp.Batch;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.ir.type.Shape;
import dev.nmcc.ir.type.SpikeType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;

/**
 * A float-form SNN runner for the ops {@link SnnLowering} produces, following
 * docs/snn-semantics.md (float form: direct and rate encoding, dense/conv2d/avgpool projections,
 * maxpool as OR, flatten/reshape, merge, IF with reset by subtraction or to zero, potential and
 * count decoding). It serves calibration (the report and {@code target-rate}) and the accuracy
 * bench; the reference for the whole snn stage (integer form, LIF, hw) is
 * {@code dev.nmcc.ir.interp.SnnInterpreter}.
 *
 * <p>Event-driven where it pays: a projection reading spikes adds one weight column per
 * spike (work ∝ spikes × fan-out); time-invariant values (direct-encoded input and the
 * projections and pools of it) are computed once per sample. Samples run in parallel on the
 * common fork-join pool; all statistics are sums, so results do not depend on the schedule.
 *
 * <p>Because the dynamics are causal and do not depend on T, one run of T steps gives the
 * predictions at every checkpoint t ≤ T (the network run for t steps).
 */
final class SpikeSim {
    /** What one run measured. */
    record Result(int samples, int timesteps, int[] checkpoints, int[][] predictions, float[][] outputs,
                  int[] populations, long[][] neuronSpikes, int[][][] perSample, long[] spikesAt, long neurons) {
        /** Mean firing rate of all populations over the first checkpoints[c] steps. */
        double meanRateAt(int c) {
            return neurons == 0 ? 0 : (double) spikesAt[c] / ((double) neurons * checkpoints[c] * samples);
        }

        /** Mean firing rate of population p (spikes over neurons × T × samples). */
        double avgRate(int p) {
            long s = 0;
            for (long x : neuronSpikes[p]) s += x;
            return (double) s / ((double) neuronSpikes[p].length * timesteps * samples);
        }

        /** The highest per-neuron firing rate of population p, averaged over samples. */
        double maxRate(int p) {
            long m = 0;
            for (long x : neuronSpikes[p]) m = Math.max(m, x);
            return (double) m / ((double) timesteps * samples);
        }

        /** Mean rate over every neuron of every population. */
        double meanRate() {
            long s = 0, n = 0;
            for (long[] a : neuronSpikes) {
                for (long x : a) s += x;
                n += a.length;
            }
            return n == 0 ? 0 : (double) s / ((double) n * timesteps * samples);
        }

        double accuracy(int checkpoint, int[] labels) {
            int ok = 0;
            for (int s = 0; s < samples; s++) if (predictions[checkpoint][s] == labels[s]) ok++;
            return (double) ok / samples;
        }
    }

    private enum K { INPUT, RATE, DIRECT, DENSE, CONV, AVGPOOL, MAXPOOL, VIEW, MERGE, IF, DECODE_POT, DECODE_COUNT, OUTPUT }

    /** One op, prepared. */
    private static final class Node {
        K kind;
        int out = -1;
        int[] in;
        boolean isStatic;
        boolean spikes;
        int size;
        // projections
        float[] wt;     // dense: [in][units]; conv: [c][ky][kx][o]
        float[] bias;   // per output channel (conv) or unit (dense)
        int units, cin, h, w, cout, ho, wo, kh, kw, sh, sw, pt, pl;
        float poolWeight;
        // IF
        float threshold, v0;
        boolean resetZero;
        int population = -1;
    }

    private final List<Node> nodes = new ArrayList<>();
    private final int valueCount;
    private final int inputValue, inputSize, outputValue, outputSize;
    private final int[] populationValues;
    private final int countSource; // IF node feeding a count decode (for ties), or -1

    SpikeSim(Module m) {
        Graph g = m.graph();
        valueCount = g.valueCount();
        int inV = -1, outV = -1, cs = -1;
        List<Integer> pops = new ArrayList<>();
        boolean[] isStatic = new boolean[valueCount];
        boolean[] spikes = new boolean[valueCount];
        int[] nodeOf = new int[valueCount];
        for (Op op : g.ops()) {
            Node n = new Node();
            n.in = op.operands().stream().mapToInt(Value::id).toArray();
            if (!op.results().isEmpty()) {
                n.out = op.result().id();
                n.size = g.type(op.result()).shape().elementCount();
                n.spikes = g.type(op.result()) instanceof SpikeType;
            }
            boolean allStatic = Arrays.stream(n.in).allMatch(i -> isStatic[i]);
            Attributes a = op.attributes();
            switch (op.kind()) {
                case SNN_INPUT -> { n.kind = K.INPUT; n.isStatic = true; inV = n.out; }
                case SNN_ENCODE -> {
                    boolean rate = a.getString("mode", "").equals("rate");
                    n.kind = rate ? K.RATE : K.DIRECT;
                    n.isStatic = !rate;
                }
                case SNN_DENSE -> {
                    n.kind = K.DENSE;
                    Blob wb = m.blobs().get(a.getBlob("weight"));
                    n.units = (int) a.getInt("units", 0);
                    int nin = wb.size() / n.units;
                    float[] wsrc = weights(wb, a);
                    n.wt = new float[wsrc.length];
                    for (int j = 0; j < n.units; j++) for (int i = 0; i < nin; i++) n.wt[i * n.units + j] = wsrc[j * nin + i];
                    n.bias = a.getBlob("bias") == null ? new float[n.units] : floats(m.blobs().get(a.getBlob("bias")));
                    n.isStatic = allStatic;
                }
                case SNN_CONV2D -> {
                    n.kind = K.CONV;
                    Shape s = g.type(op.operand(0)).shape(), o = g.type(op.result()).shape();
                    n.cin = s.dim(0); n.h = s.dim(1); n.w = s.dim(2);
                    n.cout = o.dim(0); n.ho = o.dim(1); n.wo = o.dim(2);
                    int[] k = a.getInts("kernel", null), st = a.getInts("stride", new int[] {1, 1}), p = a.getInts("pad", new int[4]);
                    n.kh = k[0]; n.kw = k[1]; n.sh = st[0]; n.sw = st[1]; n.pt = p[0]; n.pl = p[1];
                    float[] wsrc = weights(m.blobs().get(a.getBlob("weight")), a);
                    n.wt = new float[wsrc.length];
                    for (int oc = 0; oc < n.cout; oc++)
                        for (int c = 0; c < n.cin; c++)
                            for (int y = 0; y < n.kh; y++)
                                for (int x = 0; x < n.kw; x++)
                                    n.wt[((c * n.kh + y) * n.kw + x) * n.cout + oc] = wsrc[((oc * n.cin + c) * n.kh + y) * n.kw + x];
                    n.bias = a.getBlob("bias") == null ? new float[n.cout] : floats(m.blobs().get(a.getBlob("bias")));
                    n.isStatic = allStatic;
                }
                case SNN_AVGPOOL, SNN_MAXPOOL -> {
                    n.kind = op.kind() == OpKind.SNN_AVGPOOL ? K.AVGPOOL : K.MAXPOOL;
                    Shape s = g.type(op.operand(0)).shape(), o = g.type(op.result()).shape();
                    n.cin = s.dim(0); n.h = s.dim(1); n.w = s.dim(2);
                    n.cout = o.dim(0); n.ho = o.dim(1); n.wo = o.dim(2);
                    int[] k = a.getInts("kernel", null), p = a.getInts("pad", new int[4]);
                    int[] st = a.getInts("stride", k);
                    n.kh = k[0]; n.kw = k[1]; n.sh = st[0]; n.sw = st[1]; n.pt = p[0]; n.pl = p[1];
                    n.poolWeight = (float) a.getNumber("weight", 1.0 / (k[0] * k[1]));
                    n.isStatic = allStatic && n.kind == K.AVGPOOL;
                }
                case SNN_FLATTEN, SNN_RESHAPE -> { n.kind = K.VIEW; n.isStatic = allStatic; }
                case SNN_MERGE -> { n.kind = K.MERGE; n.isStatic = allStatic; }
                case SNN_IF -> {
                    n.kind = K.IF;
                    n.threshold = (float) a.getNumber("threshold", 1);
                    n.v0 = (float) a.getNumber("v0", 0);
                    n.resetZero = a.getString("reset", "subtract").equals("zero");
                    n.population = pops.size();
                    pops.add(n.out);
                }
                case SNN_DECODE -> {
                    boolean count = a.getString("mode", "").equals("count");
                    n.kind = count ? K.DECODE_COUNT : K.DECODE_POT;
                    if (count && g.definingOp(op.operand(0)).kind() == OpKind.SNN_IF) cs = nodeOf[op.operand(0).id()];
                    if (outV < 0) outV = n.out;
                }
                case SNN_OUTPUT -> n.kind = K.OUTPUT;
                default -> throw new IllegalArgumentException("SpikeSim does not run " + op.kind().mnemonic());
            }
            if (n.out >= 0) {
                isStatic[n.out] = n.isStatic;
                spikes[n.out] = n.spikes;
                nodeOf[n.out] = nodes.size();
            }
            nodes.add(n);
        }
        if (inV < 0 || outV < 0) throw new IllegalArgumentException("SpikeSim needs one input and one decoded output");
        inputValue = inV;
        inputSize = g.type(new Value(inV)).shape().elementCount();
        outputValue = outV;
        outputSize = g.type(new Value(outV)).shape().elementCount();
        populationValues = pops.stream().mapToInt(Integer::intValue).toArray();
        countSource = cs;
    }

    private static float[] floats(Blob b) {
        if (b.isFloat()) return b.floats();
        float[] f = new float[b.size()];
        for (int i = 0; i < f.length; i++) f[i] = (float) b.get(i);
        return f;
    }

    private static float[] weights(Blob w, Attributes a) {
        float[] f = floats(w);
        double scale = a.getNumber("weight_scale", 1.0);
        if (scale == 1.0) return f;
        float[] out = new float[f.length];
        for (int i = 0; i < f.length; i++) out[i] = (float) (f[i] * scale);
        return out;
    }

    int populations() { return populationValues.length; }

    /** Per-worker state, reused across samples. */
    private final class State {
        final float[][] val = new float[valueCount][];
        final int[][] active = new int[valueCount][];
        final int[] nActive = new int[valueCount];
        final float[][] v = new float[nodes.size()][];
        final long[][] counts;
        final int[][] sampleCounts;
        final long[] spikesAt;
        long total;
        private float[] scratch = new float[0];

        float[] scratch(int n) {
            if (scratch.length < n) scratch = new float[n];
            return scratch;
        }

        State() {
            for (int i = 0; i < nodes.size(); i++) {
                Node n = nodes.get(i);
                if (n.out < 0) continue;
                if (n.kind == K.VIEW) continue;
                val[n.out] = new float[n.size];
                if (n.spikes) active[n.out] = new int[n.size];
                if (n.kind == K.IF || n.kind == K.DECODE_POT || n.kind == K.DECODE_COUNT) v[i] = new float[n.size];
            }
            spikesAt = new long[64];
            counts = new long[populationValues.length][];
            sampleCounts = new int[populationValues.length][];
            for (int p = 0; p < populationValues.length; p++) {
                counts[p] = new long[val[populationValues[p]].length];
                sampleCounts[p] = new int[counts[p].length];
            }
        }
    }

    /**
     * Runs every sample of {@code input} for {@code timesteps} steps.
     *
     * @param checkpoints step counts (1..timesteps) at which predictions are taken
     * @param keepPerSample keep per-sample, per-neuron spike counts (memory: samples × neurons)
     */
    Result run(Batch input, int timesteps, int[] checkpoints, long seed, boolean keepPerSample) {
        int samples = input.samples();
        if (input.sampleSize() != inputSize) throw new IllegalArgumentException("input has " + input.sampleSize() + " values, expected " + inputSize);
        int[][] predictions = new int[checkpoints.length][samples];
        float[][] outputs = new float[samples][];
        int[][][] perSample = keepPerSample ? new int[samples][][] : null;
        ConcurrentLinkedQueue<State> all = new ConcurrentLinkedQueue<>();
        ThreadLocal<State> local = ThreadLocal.withInitial(() -> {
            State s = new State();
            all.add(s);
            return s;
        });
        IntStream.range(0, samples).parallel().forEach(s -> {
            State st = local.get();
            runSample(st, input, s, timesteps, checkpoints, seed, predictions, outputs);
            if (perSample != null) {
                perSample[s] = new int[st.sampleCounts.length][];
                for (int p = 0; p < st.sampleCounts.length; p++) perSample[s][p] = st.sampleCounts[p].clone();
            }
        });
        if (checkpoints.length > 64) throw new IllegalArgumentException("at most 64 checkpoints");
        long[] spikesAt = new long[checkpoints.length];
        for (State st : all) for (int c = 0; c < checkpoints.length; c++) { spikesAt[c] += st.spikesAt[c]; }
        long neurons = 0;
        long[][] counts = new long[populationValues.length][];
        for (int p = 0; p < counts.length; p++) {
            counts[p] = new long[nodes.isEmpty() ? 0 : sizeOfValue(populationValues[p])];
            for (State st : all) for (int i = 0; i < counts[p].length; i++) counts[p][i] += st.counts[p][i];
            neurons += counts[p].length;
        }
        return new Result(samples, timesteps, checkpoints.clone(), predictions, outputs, populationValues.clone(), counts, perSample, spikesAt, neurons);
    }

    private int sizeOfValue(int value) {
        for (Node n : nodes) if (n.out == value) return n.size;
        throw new IllegalStateException();
    }

    private void runSample(State st, Batch input, int sample, int timesteps, int[] checkpoints, long seed,
                           int[][] predictions, float[][] outputs) {
        float[][] val = st.val;
        for (int p = 0; p < populationValues.length; p++) Arrays.fill(st.sampleCounts[p], 0);
        st.total = 0;
        for (int t = 0; t < timesteps; t++) {
            for (int ni = 0; ni < nodes.size(); ni++) {
                Node n = nodes.get(ni);
                if (n.isStatic && t > 0) continue;
                switch (n.kind) {
                    case INPUT -> System.arraycopy(input.data(), sample * inputSize, val[n.out], 0, inputSize);
                    case DIRECT -> System.arraycopy(val[n.in[0]], 0, val[n.out], 0, n.size);
                    case RATE -> rate(st, n, val[n.in[0]], seed, sample, t);
                    case VIEW -> {
                        val[n.out] = val[n.in[0]];
                        st.active[n.out] = st.active[n.in[0]];
                        st.nActive[n.out] = st.nActive[n.in[0]];
                    }
                    case DENSE -> dense(st, n);
                    case CONV -> conv(st, n);
                    case AVGPOOL -> avgpool(st, n);
                    case MAXPOOL -> maxpool(st, n);
                    case MERGE -> {
                        float[] o = val[n.out];
                        System.arraycopy(val[n.in[0]], 0, o, 0, n.size);
                        for (int k = 1; k < n.in.length; k++) {
                            float[] x = val[n.in[k]];
                            for (int i = 0; i < n.size; i++) o[i] += x[i];
                        }
                    }
                    case IF -> fire(st, ni, n, t);
                    case DECODE_POT -> {
                        float[] acc = st.v[ni];
                        if (t == 0) Arrays.fill(acc, 0f);
                        float[] x = val[n.in[0]];
                        for (int i = 0; i < n.size; i++) acc[i] += x[i];
                        val[n.out] = acc;
                    }
                    case DECODE_COUNT -> {
                        float[] acc = st.v[ni];
                        if (t == 0) Arrays.fill(acc, 0f);
                        int[] act = st.active[n.in[0]];
                        for (int k = 0, e = st.nActive[n.in[0]]; k < e; k++) acc[act[k]] += 1f;
                        val[n.out] = acc;
                    }
                    case OUTPUT -> {}
                }
            }
            for (int c = 0; c < checkpoints.length; c++) {
                if (checkpoints[c] == t + 1) {
                    predictions[c][sample] = argmax(st, val[outputValue]);
                    st.spikesAt[c] += st.total;
                }
            }
        }
        outputs[sample] = val[outputValue].clone();
    }

    private int argmax(State st, float[] y) {
        float[] tie = countSource >= 0 ? st.v[countSource] : null;
        int best = 0;
        for (int i = 1; i < y.length; i++) {
            if (y[i] > y[best] || (y[i] == y[best] && tie != null && tie[i] > tie[best])) best = i;
        }
        return best;
    }

    private void clearSpikes(State st, int out) {
        float[] o = st.val[out];
        int[] act = st.active[out];
        for (int k = 0, e = st.nActive[out]; k < e; k++) o[act[k]] = 0f;
        st.nActive[out] = 0;
    }

    private void rate(State st, Node n, float[] x, long seed, int sample, int t) {
        clearSpikes(st, n.out);
        float[] o = st.val[n.out];
        int[] act = st.active[n.out];
        int na = 0;
        for (int i = 0; i < n.size; i++) {
            long xq = Math.max(0, Math.min(255, (long) Math.floor(255.0 * (double) x[i] + 0.5)));
            if (xq == 0) continue;
            long u16 = prng(seed, sample, i, t);
            if (u16 * 255 < xq * 65536) {
                o[i] = 1f;
                act[na++] = i;
            }
        }
        st.nActive[n.out] = na;
    }

    /** The counter-based PRNG of docs/snn-semantics.md: a 16-bit draw for (seed, sample, element, t). */
    static long prng(long seed, long sample, long element, long t) {
        final long c = 0x9E3779B97F4A7C15L;
        long h = mix(seed + c);
        h = mix((h ^ sample) + c);
        h = mix((h ^ element) + c);
        h = mix((h ^ t) + c);
        return h >>> 48;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private void dense(State st, Node n) {
        float[] o = st.val[n.out];
        System.arraycopy(n.bias, 0, o, 0, n.units);
        int src = n.in[0];
        float[] wt = n.wt;
        int u = n.units;
        if (st.active[src] != null) {
            int[] act = st.active[src];
            for (int k = 0, e = st.nActive[src]; k < e; k++) {
                int base = act[k] * u;
                for (int j = 0; j < u; j++) o[j] += wt[base + j];
            }
        } else {
            float[] x = st.val[src];
            for (int i = 0; i < x.length; i++) {
                float a = x[i];
                if (a == 0f) continue;
                int base = i * u;
                for (int j = 0; j < u; j++) o[j] += a * wt[base + j];
            }
        }
    }

    private void conv(State st, Node n) {
        // Accumulate in HWC order (output channel innermost, like the transposed weights) so the
        // inner loop of a scatter is contiguous; then transpose to the value's CHW order.
        float[] acc = st.scratch(n.size);
        int hw = n.ho * n.wo, cout = n.cout;
        for (int p = 0; p < hw; p++) System.arraycopy(n.bias, 0, acc, p * cout, cout);
        int src = n.in[0];
        if (st.active[src] != null) {
            int[] act = st.active[src];
            for (int k = 0, e = st.nActive[src]; k < e; k++) scatter(n, acc, act[k], 1f);
        } else {
            float[] x = st.val[src];
            for (int i = 0; i < x.length; i++) if (x[i] != 0f) scatter(n, acc, i, x[i]);
        }
        float[] o = st.val[n.out];
        for (int p = 0; p < hw; p++) {
            int base = p * cout;
            for (int oc = 0; oc < cout; oc++) o[oc * hw + p] = acc[base + oc];
        }
    }

    /** Adds input element i (value a) to every output it reaches (acc in HWC order). */
    private static void scatter(Node n, float[] acc, int i, float a) {
        int plane = n.h * n.w;
        int c = i / plane, r = i - c * plane, y = r / n.w, x = r - y * n.w;
        int cout = n.cout;
        float[] wt = n.wt;
        for (int ky = 0; ky < n.kh; ky++) {
            int ny = y + n.pt - ky;
            if (ny < 0 || ny % n.sh != 0) continue;
            int oy = ny / n.sh;
            if (oy >= n.ho) continue;
            for (int kx = 0; kx < n.kw; kx++) {
                int nx = x + n.pl - kx;
                if (nx < 0 || nx % n.sw != 0) continue;
                int ox = nx / n.sw;
                if (ox >= n.wo) continue;
                int wbase = ((c * n.kh + ky) * n.kw + kx) * cout;
                int obase = (oy * n.wo + ox) * cout;
                if (a == 1f) for (int oc = 0; oc < cout; oc++) acc[obase + oc] += wt[wbase + oc];
                else for (int oc = 0; oc < cout; oc++) acc[obase + oc] += a * wt[wbase + oc];
            }
        }
    }

    private void avgpool(State st, Node n) {
        float[] o = st.val[n.out], x = st.val[n.in[0]];
        for (int c = 0; c < n.cout; c++) {
            for (int oy = 0; oy < n.ho; oy++) {
                for (int ox = 0; ox < n.wo; ox++) {
                    float s = 0;
                    for (int ky = 0; ky < n.kh; ky++) {
                        int y = oy * n.sh - n.pt + ky;
                        if (y < 0 || y >= n.h) continue;
                        for (int kx = 0; kx < n.kw; kx++) {
                            int xx = ox * n.sw - n.pl + kx;
                            if (xx < 0 || xx >= n.w) continue;
                            s += x[(c * n.h + y) * n.w + xx];
                        }
                    }
                    o[(c * n.ho + oy) * n.wo + ox] = n.poolWeight * s;
                }
            }
        }
    }

    private void maxpool(State st, Node n) {
        clearSpikes(st, n.out);
        float[] o = st.val[n.out], x = st.val[n.in[0]];
        int[] act = st.active[n.out];
        int na = 0;
        for (int c = 0; c < n.cout; c++) {
            for (int oy = 0; oy < n.ho; oy++) {
                for (int ox = 0; ox < n.wo; ox++) {
                    boolean any = false;
                    for (int ky = 0; ky < n.kh && !any; ky++) {
                        int y = oy * n.sh - n.pt + ky;
                        if (y < 0 || y >= n.h) continue;
                        for (int kx = 0; kx < n.kw; kx++) {
                            int xx = ox * n.sw - n.pl + kx;
                            if (xx >= 0 && xx < n.w && x[(c * n.h + y) * n.w + xx] != 0f) { any = true; break; }
                        }
                    }
                    if (any) {
                        int i = (c * n.ho + oy) * n.wo + ox;
                        o[i] = 1f;
                        act[na++] = i;
                    }
                }
            }
        }
        st.nActive[n.out] = na;
    }

    private void fire(State st, int ni, Node n, int t) {
        float[] v = st.v[ni];
        if (t == 0) Arrays.fill(v, n.v0);
        clearSpikes(st, n.out);
        float[] cur = st.val[n.in[0]], o = st.val[n.out];
        int[] act = st.active[n.out];
        long[] counts = st.counts[n.population];
        int[] sc = st.sampleCounts[n.population];
        int na = 0;
        float th = n.threshold;
        for (int i = 0; i < n.size; i++) {
            float p = v[i] + cur[i];
            if (p >= th) {
                p = n.resetZero ? 0f : p - th;
                o[i] = 1f;
                act[na++] = i;
                counts[i]++;
                sc[i]++;
                st.total++;
            }
            v[i] = p;
        }
        st.nActive[n.out] = na;
    }
}

package dev.nmcc.ir.interp;

import dev.nmcc.ir.attr.Attributes;
import dev.nmcc.ir.blob.Blob;
import dev.nmcc.ir.blob.BlobTable;
import dev.nmcc.ir.graph.GraphBuilder;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.graph.Value;
import dev.nmcc.ir.loc.Location;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.ir.op.Stage;
import dev.nmcc.ir.type.ElementType;
import dev.nmcc.ir.type.Shape;
import dev.nmcc.ir.type.TensorType;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Throughput of {@link SnnInterpreter} on a random spiking MLP 784-512-256-10 (rate-encoded input
 * at about 10 %, IF hidden layers firing at about 10 %, potential decoding), T = 32, in float form
 * and in integer form (8-bit weights): samples/s and synaptic operations/s, as wall time of whole
 * parallel runs and as CPU time of one thread, beside a dense (not event-driven) loop over the same
 * network on one thread. Run by {@code bench/snn-interpreter}; not a test.
 *
 * <p>Then the same measurement for a spiking CNN of the Fashion-MNIST shape (conv 1→16 k3 p1, IF,
 * max pool 2, conv 16→32 k3 p1, IF, max pool 2, dense 1568→128, IF, dense 128→10), where the
 * convolutions scatter each spike's kernel.
 *
 * <p>Arguments: {@code [samples=1000] [rounds=5] [timesteps=32]}.
 */
public final class SnnInterpreterBench {
    private SnnInterpreterBench() {}

    private static final int[] LAYERS = {784, 512, 256, 10};

    public static void main(String[] args) {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        SplittableRandom rnd = new SplittableRandom(1);
        float[] x = new float[samples * 784];
        for (int i = 0; i < x.length; i++) x[i] = (float) (rnd.nextDouble() * 0.2);
        Batch in = new Batch(samples, Shape.of(784), x);
        float[][] w = new float[3][];
        for (int l = 0; l < 3; l++) {
            int nIn = LAYERS[l], nOut = LAYERS[l + 1];
            w[l] = new float[nOut * nIn];
            double mean = 0.1 / (0.1 * nIn), spread = 3.5 * mean; // mean current 0.1 per step at 10 % input activity
            for (int i = 0; i < w[l].length; i++) w[l][i] = (float) (mean + (rnd.nextDouble() * 2 - 1) * spread);
        }
        int threads = java.util.concurrent.ForkJoinPool.getCommonPoolParallelism() + 1;
        System.out.printf(Locale.ROOT, "model: spiking MLP 784-512-256-10, rate input, T = %d; %d samples/run; up to %d threads%n",
                steps, samples, threads);
        double floatCpu = 0;
        for (boolean integer : new boolean[] {false, true}) {
            Module m = mlp(w, integer);
            SnnInterpreter interp = new SnnInterpreter(m);
            SnnResult warm = null;
            for (int k = 0; k < 3; k++) warm = interp.run(in, steps, 1, 0);
            SnnStats st = warm.stats();
            StringBuilder rates = new StringBuilder();
            for (SnnStats.Population p : st.populations()) rates.append(String.format(Locale.ROOT, " %s %.1f%%", p.name(), 100 * p.firingRate()));
            double inputRate = 100.0 * st.inputSpikes() / ((double) samples * steps * 784);
            double sopsPerSample = st.sopsPerSample();
            double best = Double.MAX_VALUE, total = 0;
            for (int r = 0; r < rounds; r++) {
                long s = System.nanoTime();
                interp.run(in, steps, 1, 0);
                double sec = (System.nanoTime() - s) / 1e9;
                best = Math.min(best, sec);
                total += sec;
            }
            double mean = total / rounds;
            System.out.printf(Locale.ROOT, "%n[%s form] firing: input %.1f%%,%s; %,.0f SOPs/sample%n", integer ? "integer" : "float",
                    inputRate, rates, sopsPerSample);
            System.out.printf(Locale.ROOT, "  wall: %,.0f samples/s, %.2f GSOP/s (mean of %d runs); %,.0f samples/s (best)%n",
                    samples / mean, samples * sopsPerSample / mean / 1e9, rounds, samples / best);
            // one thread: a single chunk runs on the calling thread
            Batch few = new Batch(16, in.sampleShape(), java.util.Arrays.copyOf(x, 16 * 784));
            SnnInterpreter one = new SnnInterpreter(m, 16);
            double perSample = cpuPerSample(() -> one.run(few, steps, 1, 0), 16, rounds);
            System.out.printf(Locale.ROOT, "  one core: %.1f us/sample, %,.0f samples/s, %.2f GSOP/s; parallel speed-up %.2fx%n",
                    perSample * 1e6, 1 / perSample, sopsPerSample / perSample / 1e9, perSample * samples / mean);
            if (!integer) floatCpu = perSample;
        }
        // the dense baseline: every input, spiking or not, times its whole weight column, every step
        float[][][] wt = new float[3][][];
        for (int l = 0; l < 3; l++) {
            int nIn = LAYERS[l], nOut = LAYERS[l + 1];
            wt[l] = new float[nIn][nOut];
            for (int j = 0; j < nOut; j++) for (int i = 0; i < nIn; i++) wt[l][i][j] = w[l][j * nIn + i];
        }
        double[] sink = new double[1];
        double densePerSample = cpuPerSample(() -> {
            for (int s = 0; s < 16; s++) sink[0] += denseSample(wt, x, s, steps);
        }, 16, rounds);
        long macs = 0;
        for (int l = 0; l < 3; l++) macs += (long) LAYERS[l] * LAYERS[l + 1];
        System.out.printf(Locale.ROOT, "%n[dense baseline, float] one core: %.1f us/sample, %,.0f samples/s, %.2f GMAC/s (%,d MACs/sample)%n",
                densePerSample * 1e6, 1 / densePerSample, macs * steps / densePerSample / 1e9, macs * steps);
        System.out.printf(Locale.ROOT, "event-driven float form vs dense baseline, one core: %.1fx faster%n", densePerSample / floatCpu);
        cnn(samples, rounds, steps);
        System.out.println("load average while measuring: " + loadAverage() + "(checksum " + sink[0] + ")");
    }

    private static void cnn(int samples, int rounds, int steps) {
        SplittableRandom rnd = new SplittableRandom(2);
        int n = Math.max(16, samples / 4);
        float[] x = new float[n * 784];
        for (int i = 0; i < x.length; i++) x[i] = (float) (rnd.nextDouble() * 0.2);
        Batch in = new Batch(n, Shape.of(1, 28, 28), x);
        System.out.printf(Locale.ROOT, "%nmodel: spiking CNN conv16-pool-conv32-pool-128-10, rate input, T = %d; %d samples/run%n", steps, n);
        for (boolean integer : new boolean[] {false, true}) {
            Module m = cnnModule(integer);
            SnnInterpreter interp = new SnnInterpreter(m);
            SnnResult warm = null;
            for (int k = 0; k < 2; k++) warm = interp.run(in, steps, 1, 0);
            SnnStats st = warm.stats();
            StringBuilder rates = new StringBuilder();
            for (SnnStats.Population p : st.populations()) rates.append(String.format(Locale.ROOT, " %s %.1f%%", p.name(), 100 * p.firingRate()));
            Batch few = new Batch(8, in.sampleShape(), java.util.Arrays.copyOf(x, 8 * 784));
            SnnInterpreter one = new SnnInterpreter(m, 8);
            double perSample = cpuPerSample(() -> one.run(few, steps, 1, 0), 8, rounds);
            System.out.printf(Locale.ROOT, "[%s form] firing:%s; %,.0f SOPs/sample%n", integer ? "integer" : "float", rates, st.sopsPerSample());
            System.out.printf(Locale.ROOT, "  one core: %.1f us/sample, %,.0f samples/s, %.2f GSOP/s%n", perSample * 1e6, 1 / perSample,
                    st.sopsPerSample() / perSample / 1e9);
        }
    }

    /** The spiking CNN: weights uniform around a mean that gives each layer a current of about 0.1 θ per step. */
    static Module cnnModule(boolean integer) {
        SplittableRandom rnd = new SplittableRandom(3);
        BlobTable.Builder blobs = BlobTable.builder();
        GraphBuilder g = new GraphBuilder(blobs);
        Value h = g.input(OpKind.SNN_INPUT, TensorType.f32(1, 28, 28), Attributes.builder().putString("name", "x").build(), Location.UNKNOWN);
        h = g.add(OpKind.SNN_ENCODE, List.of(h), Attributes.builder().putSymbol("mode", "rate").build(), Location.UNKNOWN);
        int[][] convs = {{1, 16}, {16, 32}};
        double[] inRate = {0.1, 0.3};
        for (int c = 0; c < 2; c++) {
            int cin = convs[c][0], cout = convs[c][1], fanIn = cin * 9;
            float[] w = weights(rnd, cout * fanIn, 0.1 / (fanIn * inRate[c]));
            String name = "conv" + c;
            addWeights(blobs, name, w, integer, Shape.of(cout, cin, 3, 3));
            Value cur = g.add(OpKind.SNN_CONV2D, List.of(h), Attributes.builder().putInt("out_channels", cout).putInts("kernel", 3, 3)
                    .putInts("pad", 1, 1, 1, 1).putBlob("weight", name).build(), Location.UNKNOWN);
            h = g.add(OpKind.SNN_IF, List.of(cur), population(integer, w), Location.UNKNOWN);
            h = g.add(OpKind.SNN_MAXPOOL, List.of(h), Attributes.builder().putInts("kernel", 2, 2).build(), Location.UNKNOWN);
        }
        h = g.add(OpKind.SNN_FLATTEN, List.of(h), Attributes.EMPTY, Location.UNKNOWN);
        int[][] fcs = {{1568, 128}, {128, 10}};
        double[] fcRate = {0.3, 0.1};
        for (int l = 0; l < 2; l++) {
            float[] w = weights(rnd, fcs[l][0] * fcs[l][1], 0.1 / (fcs[l][0] * fcRate[l]));
            String name = "fc" + l;
            addWeights(blobs, name, w, integer, Shape.of(fcs[l][1], fcs[l][0]));
            Value cur = g.add(OpKind.SNN_DENSE, List.of(h), Attributes.builder().putInt("units", fcs[l][1]).putBlob("weight", name).build(),
                    Location.UNKNOWN);
            h = l == 0 ? g.add(OpKind.SNN_IF, List.of(cur), population(integer, w), Location.UNKNOWN)
                    : g.add(OpKind.SNN_DECODE, List.of(cur), Attributes.builder().putSymbol("mode", "potential").build(), Location.UNKNOWN);
        }
        g.add(OpKind.SNN_OUTPUT, List.of(h), Attributes.builder().putString("name", "logits").build(), Location.UNKNOWN);
        return new Module("cnn", integer ? Stage.HW : Stage.SNN, blobs.build(), g.build());
    }

    private static float[] weights(SplittableRandom rnd, int n, double mean) {
        float[] w = new float[n];
        for (int i = 0; i < n; i++) w[i] = (float) (mean + (rnd.nextDouble() * 2 - 1) * 3.5 * mean);
        return w;
    }

    private static double scaleOf(float[] w) {
        float max = 0;
        for (float v : w) max = Math.max(max, Math.abs(v));
        return max / 127.0;
    }

    private static void addWeights(BlobTable.Builder blobs, String name, float[] w, boolean integer, Shape shape) {
        if (!integer) {
            blobs.add(Blob.ofFloats(name, new TensorType(shape, ElementType.F32), w));
            return;
        }
        double scale = scaleOf(w);
        int[] q = new int[w.length];
        for (int i = 0; i < q.length; i++) q[i] = (int) Math.round(w[i] / scale);
        blobs.add(Blob.ofInts(name, new TensorType(shape, ElementType.I8), q));
    }

    private static Attributes population(boolean integer, float[] w) {
        return integer ? Attributes.builder().putInt("threshold", Math.round(1 / scaleOf(w))).build()
                : Attributes.builder().putFloat("threshold", 1.0).build();
    }

    private static double cpuPerSample(Runnable run, int samplesPerCall, int rounds) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (int k = 0; k < 20; k++) run.run();
        long best = Long.MAX_VALUE;
        for (int r = 0; r < rounds; r++) {
            long s = mx.getCurrentThreadCpuTime();
            for (int k = 0; k < 5; k++) run.run();
            best = Math.min(best, (mx.getCurrentThreadCpuTime() - s) / 5);
        }
        return best / 1e9 / samplesPerCall;
    }

    /** One sample through the same network with dense loops (the same rate encoder, float IF, potential decoding). */
    private static double denseSample(float[][][] wt, float[] x, int s, int steps) {
        float[] in = new float[784];
        float[][] cur = {new float[512], new float[256], new float[10]};
        float[][] v = {new float[512], new float[256]};
        float[] h1 = new float[512], h2 = new float[256], out = new float[10];
        long key = RateEncoder.sampleKey(1, s);
        long[] keys = new long[784];
        int[] level = new int[784];
        for (int i = 0; i < 784; i++) {
            keys[i] = RateEncoder.elementKey(key, i);
            level[i] = RateEncoder.level(x[s * 784 + i]);
        }
        for (int t = 0; t < steps; t++) {
            for (int i = 0; i < 784; i++) in[i] = RateEncoder.spikes(RateEncoder.u16(keys[i], t), level[i]) ? 1f : 0f;
            float[][] act = {in, h1, h2};
            for (int l = 0; l < 3; l++) {
                int nIn = LAYERS[l], nOut = LAYERS[l + 1];
                float[] c = cur[l], a = act[l];
                float[][] wl = wt[l];
                java.util.Arrays.fill(c, 0f);
                for (int i = 0; i < nIn; i++) {
                    float ai = a[i];
                    float[] row = wl[i];
                    for (int j = 0; j < nOut; j++) c[j] += ai * row[j];
                }
                if (l < 2) {
                    float[] vl = v[l], next = act[l + 1];
                    for (int j = 0; j < nOut; j++) {
                        float u = vl[j] + c[j];
                        if (u >= 1f) {
                            next[j] = 1f;
                            u -= 1f;
                        } else {
                            next[j] = 0f;
                        }
                        vl[j] = u;
                    }
                } else {
                    for (int j = 0; j < nOut; j++) out[j] += c[j];
                }
            }
        }
        return out[0];
    }

    /** The MLP as a module: float weights, or 8-bit weights with the threshold scaled alike (θ_q = round(1 / s)). */
    static Module mlp(float[][] w, boolean integer) {
        BlobTable.Builder blobs = BlobTable.builder();
        GraphBuilder g = new GraphBuilder(blobs);
        Value x = g.input(OpKind.SNN_INPUT, TensorType.f32(784), Attributes.builder().putString("name", "x").build(), Location.UNKNOWN);
        Value h = g.add(OpKind.SNN_ENCODE, List.of(x), Attributes.builder().putSymbol("mode", "rate").build(), Location.UNKNOWN);
        for (int l = 0; l < 3; l++) {
            int nIn = LAYERS[l], nOut = LAYERS[l + 1];
            String name = "fc" + l;
            long threshold = 1;
            if (integer) {
                float max = 0;
                for (float v : w[l]) max = Math.max(max, Math.abs(v));
                double scale = max / 127.0;
                int[] q = new int[w[l].length];
                for (int i = 0; i < q.length; i++) q[i] = (int) Math.round(w[l][i] / scale);
                blobs.add(Blob.ofInts(name, new TensorType(Shape.of(nOut, nIn), ElementType.I8), q));
                threshold = Math.round(1 / scale);
            } else {
                blobs.add(Blob.ofFloats(name, TensorType.f32(nOut, nIn), w[l]));
            }
            Value cur = g.add(OpKind.SNN_DENSE, List.of(h), Attributes.builder().putInt("units", nOut).putBlob("weight", name).build(),
                    Location.UNKNOWN);
            if (l == 2) {
                h = g.add(OpKind.SNN_DECODE, List.of(cur), Attributes.builder().putSymbol("mode", "potential").build(), Location.UNKNOWN);
            } else {
                Attributes.Builder a = Attributes.builder();
                if (integer) a.putInt("threshold", threshold);
                else a.putFloat("threshold", 1.0);
                h = g.add(OpKind.SNN_IF, List.of(cur), a.build(), Location.UNKNOWN);
            }
        }
        g.add(OpKind.SNN_OUTPUT, List.of(h), Attributes.builder().putString("name", "logits").build(), Location.UNKNOWN);
        return new Module("mlp", integer ? Stage.HW : Stage.SNN, blobs.build(), g.build());
    }

    private static String loadAverage() {
        try {
            String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2] + " ";
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown ";
        }
    }
}

package dev.nmcc.sim;

import dev.nmcc.nmc.model.Encoding;
import dev.nmcc.nmc.model.NmcModel;
import dev.nmcc.nmc.model.Reset;
import dev.nmcc.sim.engine.RateCode;
import dev.nmcc.nmc.io.NmcReader;
import dev.nmcc.nmc.io.NmcWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Throughput of the simulator's functional mode (and cycle mode, when the cycle model exists) on
 * a random spiking MLP of the KWS shape 4040→512→256→128→35 with 4-bit weights (rate input at
 * about 10 %, IF layers at roughly 10 %, potential decoding), T = 32: synaptic operations per
 * second per core and images per second, beside a dense loop (not event-driven: every weight
 * every timestep) over the same network on one core, whose outputs must equal the simulator's;
 * and the heap the loaded model and the prepared simulator retain beside the {@code .nmc} size.
 * Run by {@code bench/simulator}; not a test.
 *
 * <p>Arguments: {@code [samples=200] [rounds=3] [timesteps=32]}, or {@code --memory FILE.nmc...}: the
 * memory line of each file alone.
 */
public final class SimulatorBench {
    private SimulatorBench() {}

    static final int[] KWS = {4040, 512, 256, 128, 35};

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("--memory")) {
            for (int k = 1; k < args.length; k++) System.out.println(Path.of(args[k]).getFileName() + ": " + memory(Path.of(args[k])));
            return;
        }
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        SplittableRandom rnd = new SplittableRandom(1);
        int[][] w = new int[KWS.length - 1][];
        for (int l = 0; l < w.length; l++) {
            w[l] = new int[KWS[l] * KWS[l + 1]];
            for (int i = 0; i < w[l].length; i++) w[l][i] = rnd.nextInt(13) - 5; // 4-bit, mean 1
        }
        NmcModel model = mlp(w, steps);
        float[] x = new float[samples * KWS[0]];
        for (int i = 0; i < x.length; i++) x[i] = (float) (rnd.nextDouble() * 0.2);
        Map<String, InputBatch> in = Map.of("x", new InputBatch(samples, x));
        System.out.printf(Locale.ROOT, "model: spiking MLP %s (KWS shape), 4-bit weights, rate input, T = %d; %d samples per run%n",
                Arrays.toString(KWS), steps, samples);
        System.out.println("memory: " + memory(model));
        Report functional = measure("functional", model, in, new SimOptions(Mode.FUNCTIONAL, steps, 1, 0), rounds);
        int denseSamples = Math.min(samples, 40); // the dense loop is slow: time it on the first samples only
        double[] dense = denseBaseline(w, x, denseSamples, steps, 1);
        double denseSec = dense[dense.length - 1];
        boolean same = Arrays.equals(Arrays.copyOf(dense, dense.length - 1),
                Arrays.copyOf(functional.result.output("out").values(), denseSamples * KWS[KWS.length - 1]));
        System.out.printf(Locale.ROOT, "%ndense loop (one core, every weight every step, %d samples): %,.1f samples/s, %.2f G MAC/s; outputs %s%n",
                denseSamples, denseSamples / denseSec, denseMacs() * steps * denseSamples / denseSec / 1e9,
                same ? "identical to the simulator's" : "DIFFER from the simulator's");
        System.out.printf(Locale.ROOT, "event-driven speed-up over the dense loop (one core): %.1fx%n",
                denseSec / denseSamples / (functional.oneCoreSeconds / samples));
        try {
            Report cycle = measure("cycle", model, in, new SimOptions(Mode.CYCLE, steps, 1, 0), rounds);
            System.out.printf(Locale.ROOT, "cycle mode is %.1fx slower than functional (one core)%n", cycle.oneCoreSeconds / functional.oneCoreSeconds);
        } catch (UnsupportedOperationException e) {
            System.out.println("cycle mode: not available (" + e.getMessage() + ")");
        }
    }

    /**
     * The heap a loaded model retains, beside its {@code .nmc} size: the model is written to a
     * temporary file, read back with {@link NmcReader#read(Path)} and prepared with
     * {@code new Simulator(model)}; the retained bytes are the heap in use after full collections,
     * minus the same before reading (after a first load and preparation that loads the classes).
     */
    public static String memory(NmcModel model) {
        try {
            Path file = Files.createTempFile("nmcc-bench", ".nmc");
            try {
                Files.write(file, NmcWriter.toBytes(model));
                return memory(file);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@link #memory(NmcModel)} of a file. */
    public static String memory(Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        new Simulator(NmcReader.read(file)); // warm-up: class loading and static state, not counted
        heapAfterGc(); // the first call sets up the management beans
        long base = heapAfterGc();
        NmcModel m = NmcReader.read(file);
        long loaded = heapAfterGc() - base;
        Simulator sim = new Simulator(m);
        long prepared = heapAfterGc() - base;
        Reference.reachabilityFence(m);
        Reference.reachabilityFence(sim);
        return String.format(Locale.ROOT, ".nmc %,d bytes (packed weights %,d); heap retained by the loaded model %,d bytes (%.2fx the file),"
                + " with the prepared simulator %,d bytes (%.2fx)", size, m.weightBytes(), loaded, (double) loaded / size, prepared,
                (double) prepared / size);
    }

    /** Heap in use after full collections (the bench runs with the parallel collector, whose System.gc() is a full, compacting one). */
    private static long heapAfterGc() {
        long used = Long.MAX_VALUE;
        for (int k = 0; k < 4; k++) {
            System.gc();
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** What one mode measured: the last result and the best one-core time of a whole run. */
    record Report(SimResult result, double oneCoreSeconds) {}

    static Report measure(String name, NmcModel model, Map<String, InputBatch> in, SimOptions opt, int rounds) {
        int samples = in.values().iterator().next().samples();
        Simulator parallel = new Simulator(model), single = new Simulator(model, samples);
        SimResult r = null;
        for (int k = 0; k < 2; k++) r = parallel.run(in, opt, null); // warm-up
        long sops = 0;
        for (long s : r.sampleSops()) sops += s;
        StringBuilder rates = new StringBuilder();
        for (SimResult.PopulationStats p : r.populations()) {
            rates.append(String.format(Locale.ROOT, " %s %.1f%%", p.name(), 100 * p.firingRate(opt.timesteps(), samples)));
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double bestCpu = Double.MAX_VALUE, bestWall = Double.MAX_VALUE;
        for (int k = 0; k < rounds; k++) {
            long c0 = mx.getCurrentThreadCpuTime();
            single.run(in, opt, null); // one chunk: runs on this thread alone
            bestCpu = Math.min(bestCpu, (mx.getCurrentThreadCpuTime() - c0) / 1e9);
            long w0 = System.nanoTime();
            parallel.run(in, opt, null);
            bestWall = Math.min(bestWall, (System.nanoTime() - w0) / 1e9);
        }
        System.out.printf(Locale.ROOT, "%n[%s] firing:%s; %,.0f SOPs/sample%n", name, rates, (double) sops / samples);
        System.out.printf(Locale.ROOT, "  one core (CPU time): %,.0f samples/s, %.0f M SOPs/s per core%n", samples / bestCpu, sops / bestCpu / 1e6);
        System.out.printf(Locale.ROOT, "  all cores (wall, %d threads): %,.0f samples/s, %.0f M SOPs/s%n",
                java.util.concurrent.ForkJoinPool.getCommonPoolParallelism() + 1, samples / bestWall, sops / bestWall / 1e6);
        return new Report(r, bestCpu);
    }

    /** The MLP as a binary: rate encoder, IF layers with θ = fan-in (about 10 % firing at 10 % input), potential decoder. */
    static NmcModel mlp(int[][] w, int steps) {
        ModelBuilder b = new ModelBuilder();
        b.timesteps = steps;
        int x = b.input("x", KWS[0]);
        int prev = b.encode(x, Encoding.RATE, 255);
        for (int l = 0; l < w.length; l++) {
            int d = b.dense(prev, KWS[l + 1], 4, w[l], null, 128);
            if (l == w.length - 1) {
                b.decodePotential(d, "out");
            } else {
                prev = b.neurons(d, false, 0, Reset.SUBTRACT, 32, new int[] {KWS[l]}, new int[] {0});
            }
        }
        return b.build();
    }

    private static long denseMacs() {
        long n = 0;
        for (int l = 0; l + 1 < KWS.length; l++) n += (long) KWS[l] * KWS[l + 1];
        return n;
    }

    /**
     * The same network as dense loops on one core: every timestep, every layer computes
     * {@code I = W · s} over all its inputs. Returns the decoded outputs, with the best time of a
     * run appended as the last element.
     */
    static double[] denseBaseline(int[][] w, float[] x, int samples, int steps, int rounds) {
        int layers = w.length, outSize = KWS[layers];
        byte[][] wb = new byte[layers][];
        for (int l = 0; l < layers; l++) {
            wb[l] = new byte[w[l].length];
            for (int i = 0; i < w[l].length; i++) wb[l][i] = (byte) w[l][i];
        }
        double[] out = new double[samples * outSize + 1];
        double best = Double.MAX_VALUE;
        int[][] s = new int[layers][], v = new int[layers][];
        for (int l = 0; l < layers; l++) {
            s[l] = new int[KWS[l]];
            v[l] = new int[KWS[l + 1]];
        }
        long[] acc = new long[outSize];
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (int r = 0; r < rounds + 1; r++) {
            long c0 = mx.getCurrentThreadCpuTime();
            for (int n = 0; n < samples; n++) {
                for (int l = 0; l < layers; l++) Arrays.fill(v[l], 0);
                Arrays.fill(acc, 0);
                long sk = RateCode.sampleKey(1, n);
                for (int t = 0; t < steps; t++) {
                    for (int i = 0; i < KWS[0]; i++) {
                        int level = RateCode.quantize(x[n * KWS[0] + i], 255);
                        s[0][i] = level != 0 && RateCode.spikes(RateCode.u16(RateCode.elementKey(sk, i), t), level) ? 1 : 0;
                    }
                    for (int l = 0; l < layers; l++) {
                        int nIn = KWS[l], nOut = KWS[l + 1];
                        byte[] wl = wb[l];
                        int[] in = s[l];
                        for (int j = 0; j < nOut; j++) {
                            int sum = 0, base = j * nIn;
                            for (int i = 0; i < nIn; i++) sum += wl[base + i] * in[i];
                            if (l == layers - 1) {
                                acc[j] += sum;
                            } else {
                                int u = v[l][j] + sum;
                                boolean fire = u >= nIn;
                                s[l + 1][j] = fire ? 1 : 0;
                                v[l][j] = fire ? u - nIn : u;
                            }
                        }
                    }
                }
                for (int j = 0; j < outSize; j++) out[n * outSize + j] = acc[j];
            }
            double sec = (mx.getCurrentThreadCpuTime() - c0) / 1e9;
            if (r > 0) best = Math.min(best, sec); // the first run warms up
        }
        out[out.length - 1] = best;
        return Arrays.copyOf(out, out.length);
    }
}

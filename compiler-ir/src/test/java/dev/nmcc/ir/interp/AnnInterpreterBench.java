package dev.nmcc.ir.interp;

import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.graph.Op;
import dev.nmcc.ir.type.Shape;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Throughput of {@link AnnInterpreter} on the small Fashion-MNIST CNN (see
 * {@link TestNet#smallCnn}): samples/s and multiply-accumulates/s after warm-up, as wall time of
 * whole parallel runs and as CPU time of one thread (the cost per core, which other load on the
 * machine disturbs much less). Run by {@code bench/float-interpreter}; not a test.
 *
 * <p>Arguments: {@code [samples=1000] [rounds=10] [samplesPerChunk=8]}.
 */
public final class AnnInterpreterBench {
    private AnnInterpreterBench() {}

    public static void main(String[] args) {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int chunk = args.length > 2 ? Integer.parseInt(args[2]) : AnnInterpreter.DEFAULT_SAMPLES_PER_CHUNK;
        Module m = TestNet.smallCnn(42);
        long macs = macsPerSample(m);
        SplittableRandom rnd = new SplittableRandom(1);
        float[] x = new float[samples * 784];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextDouble();
        Batch in = new Batch(samples, Shape.of(1, 28, 28), x);

        long t0 = System.nanoTime();
        AnnInterpreter interp = new AnnInterpreter(m, chunk);
        long planNs = System.nanoTime() - t0;
        int threads = java.util.concurrent.ForkJoinPool.getCommonPoolParallelism() + 1;
        System.out.printf(Locale.ROOT, "model: small CNN, %,d MACs/sample; %d samples/run; %d samples/chunk; up to %d threads; plan %.1f ms%n",
                macs, samples, chunk, threads, planNs / 1e6);
        float checksum = 0;
        for (int w = 0; w < 5; w++) checksum += interp.run(in).data()[0]; // warm-up: JIT compiles the kernels
        double best = Double.MAX_VALUE, total = 0;
        for (int r = 0; r < rounds; r++) {
            long s = System.nanoTime();
            checksum += interp.run(in).data()[0];
            double sec = (System.nanoTime() - s) / 1e9;
            best = Math.min(best, sec);
            total += sec;
        }
        double mean = total / rounds;
        System.out.printf(Locale.ROOT, "wall time of a run of %d samples: mean %.1f ms, best %.1f ms%n", samples, mean * 1e3, best * 1e3);
        System.out.printf(Locale.ROOT, "wall throughput: %,.0f samples/s, %.2f GMAC/s (mean); %,.0f samples/s, %.2f GMAC/s (best)%n",
                samples / mean, samples * macs / mean / 1e9, samples / best, samples * macs / best / 1e9);

        // One thread: a batch of one chunk runs on the calling thread; its CPU time is what one
        // core costs, and depends little on what else the machine is running.
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        Batch oneChunk = new Batch(chunk, in.sampleShape(), java.util.Arrays.copyOf(x, chunk * 784));
        for (int w = 0; w < 200; w++) checksum += interp.run(oneChunk).data()[0];
        long bestCpu = Long.MAX_VALUE;
        for (int r = 0; r < rounds; r++) {
            long s = mx.getCurrentThreadCpuTime();
            for (int k = 0; k < 50; k++) checksum += interp.run(oneChunk).data()[0];
            bestCpu = Math.min(bestCpu, (mx.getCurrentThreadCpuTime() - s) / 50);
        }
        double perSample = bestCpu / 1e9 / chunk;
        System.out.printf(Locale.ROOT, "one core (thread CPU time, best): %.1f us/sample, %,.0f samples/s, %.2f GMAC/s%n",
                perSample * 1e6, 1 / perSample, macs / perSample / 1e9);
        System.out.printf(Locale.ROOT, "parallel speed-up over one core: %.2fx (mean), %.2fx (best)%n",
                perSample * samples / mean, perSample * samples / best);
        System.out.println("load average while measuring: " + loadAverage() + "(checksum " + checksum + ")");
    }

    private static String loadAverage() {
        try {
            String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2] + " ";
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown ";
        }
    }

    /** Multiply-accumulates of one sample: dense in × out, conv out elements × in channels × kernel. */
    static long macsPerSample(Module m) {
        long macs = 0;
        for (Op op : m.graph().ops()) {
            switch (op.kind()) {
                case ANN_DENSE -> macs += (long) m.graph().type(op.operand(0)).shape().elementCount() * m.graph().type(op.result()).shape().elementCount();
                case ANN_CONV2D -> {
                    Shape in = m.graph().type(op.operand(0)).shape();
                    int[] k = op.attributes().getInts("kernel", null);
                    macs += (long) m.graph().type(op.result()).shape().elementCount() * in.dim(0) * k[0] * k[1];
                }
                default -> { }
            }
        }
        return macs;
    }
}

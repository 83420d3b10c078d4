package dev.nmcc.tests.sim;

import dev.nmcc.driver.api.ModelSummary;
import dev.nmcc.driver.api.Nmcc;
import dev.nmcc.ir.interp.Batch;
import dev.nmcc.ir.type.Shape;
import dev.nmcc.nmc.io.NmcWriter;
import dev.nmcc.nmc.model.NmcModel;
import dev.nmcc.sim.InputBatch;
import dev.nmcc.sim.Mode;
import dev.nmcc.sim.SimOptions;
import dev.nmcc.sim.SimResult;
import dev.nmcc.sim.Simulator;
import dev.nmcc.tests.fixtures.FmnistFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * Throughput of the simulator on the compiled Fashion-MNIST fixtures (default pipeline, akd1500,
 * T = 32), direct and rate input, functional and cycle mode: samples/s and SOPs/s per core (CPU
 * time of one thread running every sample), and samples/s of parallel runs (wall time). Run by
 * {@code bench/simulator}; not a test. Arguments: {@code [samples=500] [rounds=3] [dir]}; run from the
 * {@code tests} directory. With {@code dir}, each compiled model is also written there as
 * {@code <model>-<encoding>.nmc} (for the bench's memory measurement, in a fresh JVM).
 */
public final class SimulatorFixturesBench {
    private SimulatorFixturesBench() {}

    public static void main(String[] args) {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path saveTo = args.length > 2 ? Path.of(args[2]) : null;
        String[] models = {"../examples/fmnist_cnn.nmd", "fixtures/fmnist/mlp.onnx", "fixtures/fmnist/cnn.onnx", "fixtures/fmnist/resnet.onnx"};
        Batch images = FmnistFixtures.images("test_images.npy");
        Batch calibAll = FmnistFixtures.images("calib_images.npy");
        Batch calib = new Batch(200, calibAll.sampleShape(), Arrays.copyOf(calibAll.data(), 200 * calibAll.sampleSize()));
        System.out.printf(Locale.ROOT, "%nFashion-MNIST fixtures, akd1500, T = 32, %d test images per run%n", samples);
        System.out.printf(Locale.ROOT, "%-28s %-7s %-10s %12s %14s %14s%n", "model", "input", "mode", "SOPs/sample", "samples/s/core",
                "M SOPs/s/core");
        for (String file : models) {
            Shape shape = ModelSummary.of(Nmcc.load(Path.of(file))).inputs().getFirst().type().shape();
            for (String enc : new String[] {"direct", "rate"}) {
                NmcModel m = SimulatorAgreementTest.compile(Path.of(file), "akd1500", enc, "potential",
                        new Batch(calib.samples(), shape, calib.data()), 32).model();
                String base = Path.of(file).getFileName().toString().replaceAll("\\.[^.]*$", "");
                if (saveTo != null) save(m, saveTo.resolve(base + "-" + enc + ".nmc"));
                float[] x = Arrays.copyOf(images.data(), samples * images.sampleSize());
                Map<String, InputBatch> in = Map.of(m.io().inputs().getFirst().name(), new InputBatch(samples, x));
                double functional = 0;
                for (Mode mode : Mode.values()) {
                    double[] r = measure(m, in, mode, rounds);
                    if (mode == Mode.FUNCTIONAL) functional = r[1];
                    System.out.printf(Locale.ROOT, "%-28s %-7s %-10s %,12.0f %,14.0f %,14.0f%s%n", file, enc, mode.name().toLowerCase(Locale.ROOT),
                            r[0] / samples, samples / r[1], r[0] / r[1] / 1e6,
                            mode == Mode.CYCLE ? String.format(Locale.ROOT, "   (%.1fx functional's time)", r[1] / functional) : "");
                }
            }
        }
    }

    private static void save(NmcModel m, Path file) {
        try {
            NmcWriter.write(m, file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {total SOPs, best one-thread CPU seconds of a whole run}. */
    private static double[] measure(NmcModel m, Map<String, InputBatch> in, Mode mode, int rounds) {
        int samples = in.values().iterator().next().samples();
        Simulator single = new Simulator(m, samples);
        SimOptions opt = new SimOptions(mode, 32, m.io().seed(), 0);
        SimResult r = single.run(in, opt, null); // warm-up
        long sops = Arrays.stream(r.sampleSops()).sum();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double best = Double.MAX_VALUE;
        for (int k = 0; k < rounds; k++) {
            long c0 = mx.getCurrentThreadCpuTime();
            single.run(in, opt, null);
            best = Math.min(best, (mx.getCurrentThreadCpuTime() - c0) / 1e9);
        }
        return new double[] {sops, best};
    }
}

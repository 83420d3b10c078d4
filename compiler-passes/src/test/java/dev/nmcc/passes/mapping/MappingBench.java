package dev.nmcc.passes.mapping;

import dev.nmcc.backend.target.Target;
import dev.nmcc.backend.target.Targets;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.type.ElementType;
import java.util.Locale;

/**
 * bench/mapping: allocate-cores on the KWS MLP shape (4040→512→256→128→35) and the CNN fixture's
 * shape, 4-bit, on akd1500, plus a larger CNN where placement has room to matter. Weights are
 * random integers (the mapper reads only shapes and bit widths) and every neuron fires at the
 * default rate 0.1 (uniform traffic). Prints, side by side: cores used vs the lower bound, and
 * spike traffic × hops per timestep of the chosen placement, the greedy one, and the naive
 * in-order one (slice i on NPU i), plus the allocation time after warm-up.
 */
public final class MappingBench {
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("scale")) {
            scale();
            return;
        }
        Target t = Targets.resolve(args.length > 0 ? args[0] : "akd1500");
        record Case(String name, Module module, int chips) {}
        Case[] cases = {
                new Case("kws-mlp 4040-512-256-128-35", TestNets.mlp("kws", new int[] {4040, 512, 256, 128, 35}, ElementType.I4, 1), 0),
                new Case("cnn fixture 1x28x28 c16 c32 d128", TestNets.cnn(ElementType.I4, 1), 0),
                new Case("cnn 3x64x64 c32 c64 d256 (chips=auto)", TestNets.cnn("cnn64", 3, 64, 32, 64, 256, 10, ElementType.I4, 1), -1),
        };
        System.out.printf(Locale.ROOT, "target %s: %d NPUs of %d neurons and %,d B synapse memory; default firing rate 0.1, random 4-bit weights%n%n",
                t.name(), t.totalNpus(), t.npu().neurons(), t.npu().synapseMemoryBytes());
        System.out.printf(Locale.ROOT, "%-40s %6s %6s %7s | %12s %12s %12s %9s | %8s%n", "network", "cores", "bound", "above",
                "traffic*hops", "greedy", "in-order", "vs naive", "time ms");
        for (Case c : cases) {
            AllocateCores.Settings s = AllocateCores.Settings.defaults().withChips(c.chips());
            for (int i = 0; i < 5; i++) AllocateCores.allocate(c.module(), t, s); // warm-up
            int reps = 10;
            long t0 = System.nanoTime();
            AllocateCores.Allocation a = null;
            for (int i = 0; i < reps; i++) a = AllocateCores.allocate(c.module(), t, s);
            double ms = (System.nanoTime() - t0) / 1e6 / reps;
            MappingReport r = a.report();
            double above = 100.0 * (r.coresUsed() - r.lowerBound()) / r.lowerBound();
            double vsNaive = r.naiveTrafficHops() > 0 ? 100.0 * (r.trafficHops() / r.naiveTrafficHops() - 1) : 0;
            System.out.printf(Locale.ROOT, "%-40s %6d %6d %6.1f%% | %12.1f %12.1f %12.1f %8.1f%% | %8.2f%n", c.name(), r.coresUsed(),
                    r.lowerBound(), above, r.trafficHops(), r.greedyTrafficHops(), r.naiveTrafficHops(), vsNaive, ms);
        }
        System.out.println();
        System.out.println("above: cores used over the lower bound (target <= 5%); vs naive: traffic*hops change against in-order (target <= -30% on the CNN)");
    }

    /** allocate-cores alone on w→w→w→10 MLPs of about 2 M, 8 M, 32 M and 98 M synapses (chips=auto), one run each. */
    static void scale() {
        Target t = Targets.resolve("akd1500");
        System.out.printf(Locale.ROOT, "%12s %8s %6s %10s %10s%n", "synapses", "slices", "chips", "edges", "time ms");
        for (int w : new int[] {1000, 2000, 4000, 7000}) {
            Module m = TestNets.mlp("s", new int[] {w, w, w, 10}, ElementType.I4, 1);
            long t0 = System.nanoTime();
            AllocateCores.Allocation a = AllocateCores.allocate(m, t, AllocateCores.Settings.defaults().withChips(-1));
            double ms = (System.nanoTime() - t0) / 1e6;
            System.out.printf(Locale.ROOT, "%,12d %8d %6d %10d %10.0f%n", a.report().totalSynapses(), a.slices().size(), a.report().chips(),
                    a.edges().size(), ms);
        }
    }
}

package dev.nmcc.sim.cycle;

import dev.nmcc.nmc.model.CoreCoord;
import dev.nmcc.nmc.model.CoreSlice;
import dev.nmcc.nmc.model.NmcModel;
import dev.nmcc.nmc.model.Route;
import dev.nmcc.nmc.model.TargetSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cycle-level model of a binary's chip (docs/simulator.md): per-core input FIFOs, synaptic
 * operations per cycle, the neuron-update phase, spike emission, the mesh with hop latency and
 * link contention, inter-chip links, and sleep/wake as annotated. Prepared once per model
 * (event paths through the graph, the (source, destination) pairs events use, their routes);
 * immutable and thread-safe. Each worker thread takes its own {@link #newTimer()}.
 *
 * <p>Preparing checks what the model needs from the binary, each failure an
 * {@link IllegalArgumentException} naming the layer or slice: slices on distinct NPUs of the
 * target, every population's slices covering its neurons one after another, every pair of slices
 * that spikes can travel between listed in the routing table, and a graph whose projections read
 * events (not another projection's current).
 */
public final class CycleModel {
    final NmcModel model;
    final EventPaths paths;
    final Network net;
    final int[] neurons;
    final boolean[] onSpike;
    final long[] timeout;
    final long totalNeurons;

    public CycleModel(NmcModel model) {
        this.model = model;
        TargetSpec t = model.target();
        List<CoreSlice> slices = model.slices();
        int n = slices.size();
        CoreCoord[] coords = new CoreCoord[n];
        neurons = new int[n];
        onSpike = new boolean[n];
        timeout = new long[n];
        Map<CoreCoord, Integer> taken = new HashMap<>();
        long total = 0;
        for (int i = 0; i < n; i++) {
            CoreSlice s = slices.get(i);
            if (s.id() != i) throw new IllegalArgumentException("core slice " + i + " has id " + s.id());
            CoreCoord c = s.core();
            if (c.chip() < 0 || c.chip() >= t.chips() || c.node() < 0 || c.node() >= t.nodesPerChip() || c.npu() < 0 || c.npu() >= t.npusPerNode()) {
                throw new IllegalArgumentException("core slice " + i + " sits at " + c + ", not an NPU of target '" + t.name() + "' (" + t.chips()
                        + " chips × " + t.nodesPerChip() + " nodes × " + t.npusPerNode() + " NPUs)");
            }
            Integer other = taken.putIfAbsent(c, i);
            if (other != null) throw new IllegalArgumentException("core slices " + other + " and " + i + " both sit on NPU " + c);
            coords[i] = c;
            neurons[i] = s.neurons();
            onSpike[i] = s.wake().onSpike();
            timeout[i] = Math.max(0, s.wake().idleTimeoutCycles());
            total += s.neurons();
        }
        totalNeurons = total;
        paths = new EventPaths(model);
        boolean[] pairs = new boolean[(n + 1) * n];
        FanoutWalker collect = FanoutWalker.collecting(paths, n, pairs);
        int[] all = new int[0];
        for (EventPaths.Producer p : paths.producers) {
            if (p == null) continue;
            int size = model.layers().get(p.layer()).size();
            if (all.length < size) {
                all = new int[size];
                for (int i = 0; i < size; i++) all[i] = i;
            }
            collect.events(p.layer(), all, size);
        }
        checkRoutes(model, pairs, n);
        net = new Network(t, coords, pairs);
    }

    /** Every slice-to-slice pair events use must be in the routing table (host input has no routes). */
    private static void checkRoutes(NmcModel model, boolean[] pairs, int n) {
        boolean[] routed = new boolean[n * n];
        for (Route r : model.routes()) {
            if (r.source() < 0 || r.source() >= n) throw new IllegalArgumentException("a route starts at slice " + r.source() + ", which does not exist");
            for (int d : r.destinations()) {
                if (d < 0 || d >= n) throw new IllegalArgumentException("the route of slice " + r.source() + " leads to slice " + d + ", which does not exist");
                routed[r.source() * n + d] = true;
            }
        }
        for (int s = 0; s < n; s++) {
            for (int d = 0; d < n; d++) {
                if (pairs[s * n + d] && !routed[s * n + d]) {
                    CoreSlice a = model.slices().get(s), b = model.slices().get(d);
                    throw new IllegalArgumentException("spikes of core slice " + s + " (layer '" + model.layers().get(a.layer()).name()
                            + "') reach core slice " + d + " (layer '" + model.layers().get(b.layer()).name() + "'), but no route sends them there");
                }
            }
        }
    }

    /** A timer for one worker thread. */
    public SampleTimer newTimer() { return new ChipTimer(this); }

    /** Sums the samples (in sample order) into the run's numbers. */
    public CycleStats stats(List<SampleCycles> samples, int timesteps) {
        int n = neurons.length;
        long[] sampleCycles = new long[samples.size()], stepCycles = new long[timesteps];
        double[] energy = new double[samples.size()];
        long[] busy = new long[n], idle = new long[n], asleep = new long[n], sops = new long[n], wakes = new long[n];
        long hops = 0, chipHops = 0, updates = 0;
        double dynamic = 0, stat = 0, always = 0;
        for (int k = 0; k < samples.size(); k++) {
            SampleCycles c = samples.get(k);
            if (c.timestepCycles().length != timesteps) {
                throw new IllegalArgumentException("sample " + k + " ran " + c.timestepCycles().length + " timesteps, not " + timesteps);
            }
            sampleCycles[k] = c.cycles();
            energy[k] = c.energyPj();
            for (int t = 0; t < timesteps; t++) stepCycles[t] += c.timestepCycles()[t];
            for (int d = 0; d < n; d++) {
                busy[d] += c.coreBusy()[d]; idle[d] += c.coreIdle()[d]; asleep[d] += c.coreAsleep()[d];
                sops[d] += c.coreSops()[d]; wakes[d] += c.coreWakes()[d];
            }
            hops += c.hops();
            chipHops += c.interChipHops();
            updates += c.neuronUpdates();
            dynamic += c.dynamicPj();
            stat += c.staticPj();
            always += c.alwaysAwakePj();
        }
        List<CycleStats.CoreStats> cores = new ArrayList<>(n);
        for (int d = 0; d < n; d++) cores.add(new CycleStats.CoreStats(d, busy[d], idle[d], asleep[d], sops[d], wakes[d]));
        return new CycleStats(model.target().clockMhz(), sampleCycles, stepCycles, cores, hops, chipHops, updates, energy, dynamic, stat, always);
    }

    /** The model this was prepared for. */
    public NmcModel model() { return model; }

    /** Mesh and chip-link hops of one event from slice (or, for {@code src == slices}, the host) src to slice dst; for tests and reports. */
    int[] hops(int src, int dst) {
        int s = net.slotOf[src * neurons.length + dst];
        return s < 0 ? null : new int[] {net.onChipHops[s], net.interChipHops[s]};
    }
}

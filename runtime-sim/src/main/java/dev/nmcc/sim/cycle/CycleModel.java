package dev.nmcc.sim.cycle;

import dev.nmcc.nmc.model.NmcModel;
import java.util.List;

/**
 * The cycle-level model of a binary's chip (docs/simulator.md): per-core input FIFOs, synaptic
 * operations per cycle, the neuron-update phase, spike emission, the mesh with hop latency and
 * link contention, inter-chip links, and sleep/wake as annotated. Prepared once per model
 * (event fan-out tables, routes, hop distances); immutable and thread-safe.
 */
public final class CycleModel {
    private final NmcModel model;

    public CycleModel(NmcModel model) {
        this.model = model;
        throw new UnsupportedOperationException("cycle model: not implemented yet");
    }

    /** A timer for one worker thread. */
    public SampleTimer newTimer() {
        throw new UnsupportedOperationException("cycle model: not implemented yet");
    }

    /** Sums the samples (in sample order) into the run's numbers. */
    public CycleStats stats(List<SampleCycles> samples, int timesteps) {
        throw new UnsupportedOperationException("cycle model: not implemented yet");
    }
}

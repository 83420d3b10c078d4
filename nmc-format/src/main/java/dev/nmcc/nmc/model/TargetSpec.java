package dev.nmcc.nmc.model;

import java.util.Objects;

/**
 * The facts of the target chip the simulator needs, copied from the target description at compile
 * time (docs/targets.md has their meaning and sources), so that a {@code .nmc} file runs without
 * the description it was compiled for.
 *
 * <p>Geometry: {@code chips} chips, each a {@code meshRows × meshCols} mesh holding
 * {@code nodesPerChip} nodes (row-major), each node {@code npusPerNode} NPUs. Routing: 0 hops
 * within a node; Manhattan distance between nodes of one chip; between chips, from the node to
 * mesh position (0, 0), over |chip difference| inter-chip links, then to the destination node.
 */
public record TargetSpec(String name, int chips, int nodesPerChip, int npusPerNode, int meshRows, int meshCols,
                         int neuronsPerNpu, long synapseMemoryBytesPerNpu, int membraneBits,
                         double clockMhz, int sopsPerCyclePerNpu, int neuronUpdateCycles, int hopLatencyCycles,
                         double linkBandwidthEventsPerCycle, int interChipLatencyCycles, double interChipBandwidthEventsPerCycle,
                         int wakeLatencyCycles,
                         double pjPerSop, double pjPerNeuronUpdate, double pjPerHop, double pjPerInterChipHop,
                         double staticPowerAwakeUw, double staticPowerAsleepUw) {
    public TargetSpec {
        Objects.requireNonNull(name, "name");
    }

    /** NPUs on all chips. */
    public int totalNpus() { return chips * nodesPerChip * npusPerNode; }

    /** Mesh links (on-chip hops) a spike crosses from {@code a} to {@code b}. */
    public int onChipHops(CoreCoord a, CoreCoord b) {
        if (a.chip() == b.chip()) {
            return Math.abs(row(a) - row(b)) + Math.abs(col(a) - col(b));
        }
        return row(a) + col(a) + row(b) + col(b);
    }

    /** Chip-to-chip links a spike crosses from {@code a} to {@code b}. */
    public int interChipHops(CoreCoord a, CoreCoord b) { return Math.abs(a.chip() - b.chip()); }

    /** Mesh row of the node holding {@code c}. */
    public int row(CoreCoord c) { return c.node() / meshCols; }

    /** Mesh column of the node holding {@code c}. */
    public int col(CoreCoord c) { return c.node() % meshCols; }

    /** {@code cycles} in microseconds at this clock. */
    public double micros(long cycles) { return cycles / clockMhz; }
}

package dev.nmcc.backend.target;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One chip (or board of chips) nmcc compiles for: geometry, per-NPU capacity, per-layer limits,
 * the cycle model and the energy model. Immutable; read from JSON by {@link TargetLoader},
 * written back by {@link TargetJson}. The mapper, the verifier and the simulator read chip facts
 * only from here (STYLE.md: chip facts are data files).
 *
 * @param name        short identifier ({@code akd1000}); letters, digits, '-', '_' and '.'
 * @param description one line for people
 * @param geometry    chips × nodes × NPUs and the node mesh
 * @param npu         capacity of one NPU
 * @param layers      per-layer limits (kernel and stride sets, input width)
 * @param timing      the cycle model
 * @param energy      the energy model
 * @param sources     where each number comes from, by JSON field name (documentation; kept in
 *                    file order, not part of the model's meaning but part of equality)
 */
public record Target(String name, String description, Geometry geometry, Npu npu, LayerLimits layers, Timing timing, Energy energy,
                     Map<String, String> sources) {
    public Target {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(geometry, "geometry");
        Objects.requireNonNull(npu, "npu");
        Objects.requireNonNull(layers, "layers");
        Objects.requireNonNull(timing, "timing");
        Objects.requireNonNull(energy, "energy");
        if (!TargetFields.isValidName(name)) throw new IllegalArgumentException("bad target name '" + name + "'");
        for (String k : sources.keySet()) {
            if (!TargetFields.isField(k)) throw new IllegalArgumentException("source for unknown field '" + k + "'");
        }
        sources = Collections.unmodifiableMap(new LinkedHashMap<>(sources));
    }

    /** NPUs on all chips. */
    public int totalNpus() { return geometry.totalNpus(); }

    /** Synapse memory of all NPUs, in bytes: {@code totalNpus × synapseMemoryBytes}. */
    public long totalSynapseMemoryBytes() { return (long) totalNpus() * npu.synapseMemoryBytes(); }

    /** Neurons of all NPUs: {@code totalNpus × neurons}. */
    public long totalNeurons() { return (long) totalNpus() * npu.neurons(); }

    /** Where NPU {@code index} sits (see {@link NpuCoord} for the numbering). */
    public NpuCoord coordinates(int index) {
        if (index < 0 || index >= totalNpus()) {
            throw new IndexOutOfBoundsException("NPU " + index + " out of range [0, " + totalNpus() + ")");
        }
        int perChip = geometry.npusPerChip();
        int chip = index / perChip;
        int rest = index % perChip;
        int node = rest / geometry.npusPerNode();
        return new NpuCoord(index, chip, node, rest % geometry.npusPerNode(), geometry.nodeRow(node), geometry.nodeCol(node));
    }

    /** The global number of NPU {@code npu} of node {@code node} on chip {@code chip}. */
    public int index(int chip, int node, int npu) {
        if (chip < 0 || chip >= geometry.chips() || node < 0 || node >= geometry.nodesPerChip() || npu < 0 || npu >= geometry.npusPerNode()) {
            throw new IndexOutOfBoundsException("no NPU (chip " + chip + ", node " + node + ", npu " + npu + ")");
        }
        return (chip * geometry.nodesPerChip() + node) * geometry.npusPerNode() + npu;
    }

    /**
     * The links a spike crosses from NPU {@code from} to NPU {@code to}: 0 within a node; the
     * Manhattan distance of the two nodes on one chip; across chips, both nodes' distances to the
     * chip link at mesh position (0, 0) plus |chip difference| inter-chip links (see {@link Geometry}).
     */
    public Hops hops(int from, int to) {
        NpuCoord a = coordinates(from);
        NpuCoord b = coordinates(to);
        if (a.chip() == b.chip()) return new Hops(Math.abs(a.row() - b.row()) + Math.abs(a.col() - b.col()), 0);
        return new Hops(a.row() + a.col() + b.row() + b.col(), Math.abs(a.chip() - b.chip()));
    }

    /** Links crossed from {@code from} to {@code to}, on-chip and inter-chip alike ({@link Hops#total()}). */
    public int hopDistance(int from, int to) { return hops(from, to).total(); }

    /** Cycles for one spike event from {@code from} to {@code to}, without contention: hops × their latencies. */
    public long routeLatencyCycles(int from, int to) {
        Hops h = hops(from, to);
        return (long) h.onChip() * timing.hopLatencyCycles() + (long) h.interChip() * timing.interChipLatencyCycles();
    }

    /** Energy of moving one spike event from {@code from} to {@code to}, in pJ: hops × their energies. */
    public double routeEnergyPj(int from, int to) {
        Hops h = hops(from, to);
        return h.onChip() * energy.pjPerHop() + h.interChip() * energy.pjPerInterChipHop();
    }

    /** The same target with {@code chips} chips (for {@code --chips N}). */
    public Target withChips(int chips) {
        Geometry g = new Geometry(chips, geometry.nodesPerChip(), geometry.npusPerNode(), geometry.meshRows(), geometry.meshCols());
        return new Target(name, description, g, npu, layers, timing, energy, sources);
    }
}

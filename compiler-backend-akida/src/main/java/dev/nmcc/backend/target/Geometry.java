package dev.nmcc.backend.target;

/**
 * How the NPUs are arranged: {@code chips} identical chips, each a mesh of {@code meshRows} ×
 * {@code meshCols} positions holding {@code nodesPerChip} nodes (row-major: node n sits at row
 * {@code n / meshCols}, column {@code n % meshCols}), each node holding {@code npusPerNode} NPUs.
 *
 * <p>Routing: within a node a spike travels 0 hops; between nodes of one chip, the Manhattan
 * distance between their mesh positions; between chips, the chips form a chain (chip c linked to
 * c−1 and c+1) whose links attach at mesh position (0, 0) of each chip, so a spike goes from its
 * node to (0, 0), over |c_a − c_b| inter-chip links, then from (0, 0) to its destination node.
 *
 * @param chips        number of chips (≥ 1)
 * @param nodesPerChip nodes on one chip (≥ 1)
 * @param npusPerNode  NPUs (neural processing units, "cores") in one node (≥ 1)
 * @param meshRows     rows of the node mesh (≥ 1)
 * @param meshCols     columns of the node mesh (≥ 1); {@code meshRows * meshCols ≥ nodesPerChip}
 */
public record Geometry(int chips, int nodesPerChip, int npusPerNode, int meshRows, int meshCols) {
    public Geometry {
        Checks.positive("chips", chips);
        Checks.positive("nodes_per_chip", nodesPerChip);
        Checks.positive("npus_per_node", npusPerNode);
        Checks.positive("mesh_rows", meshRows);
        Checks.positive("mesh_cols", meshCols);
        if ((long) meshRows * meshCols < nodesPerChip) {
            throw new IllegalArgumentException("a " + meshRows + " x " + meshCols + " mesh cannot hold " + nodesPerChip + " nodes");
        }
        if ((long) chips * nodesPerChip * npusPerNode > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("more than " + Integer.MAX_VALUE + " NPUs");
        }
    }

    /** NPUs on one chip: {@code nodesPerChip × npusPerNode}. */
    public int npusPerChip() { return nodesPerChip * npusPerNode; }

    /** NPUs on all chips: {@code chips × nodesPerChip × npusPerNode}. */
    public int totalNpus() { return chips * npusPerChip(); }

    /** Mesh row of node {@code node} (0-based, row-major). */
    public int nodeRow(int node) { return node / meshCols; }

    /** Mesh column of node {@code node} (0-based, row-major). */
    public int nodeCol(int node) { return node % meshCols; }
}

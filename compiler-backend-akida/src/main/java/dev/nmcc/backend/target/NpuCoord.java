package dev.nmcc.backend.target;

/**
 * Where NPU number {@code index} (0-based over all chips) sits: NPUs are numbered chip by
 * chip, node by node (row-major on the mesh), NPU by NPU within a node.
 *
 * @param index the global NPU number
 * @param chip  its chip (0-based)
 * @param node  its node on that chip (0-based)
 * @param npu   its position within the node (0-based)
 * @param row   the node's mesh row
 * @param col   the node's mesh column
 */
public record NpuCoord(int index, int chip, int node, int npu, int row, int col) {
    @Override public String toString() { return "(chip " + chip + ", node " + node + " at " + row + "," + col + ", npu " + npu + ")"; }
}

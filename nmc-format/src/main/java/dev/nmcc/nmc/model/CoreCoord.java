package dev.nmcc.nmc.model;

/** Where a core slice sits: chip, node on that chip (row-major on the mesh), NPU within the node. */
public record CoreCoord(int chip, int node, int npu) {
    @Override public String toString() { return "[" + chip + ", " + node + ", " + npu + "]"; }
}

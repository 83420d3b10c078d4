package dev.nmcc.backend.target;

/**
 * The route of a spike between two NPUs, counted in links.
 *
 * @param onChip    node-to-node mesh hops (summed over both chips when the route crosses chips)
 * @param interChip chip-to-chip link traversals
 */
public record Hops(int onChip, int interChip) {
    /** Total links traversed, on-chip and inter-chip alike. */
    public int total() { return onChip + interChip; }
}

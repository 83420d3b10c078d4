package dev.nmcc.sim.cycle;

/**
 * One projection on an event's way from its producer to the core slices it reaches. An
 * intermediate average pooling ({@link Kind#POOL_MID}) turns events into the non-zero elements
 * of its output (each window that holds an event), which are the next projection's events; a
 * terminal projection ({@link Kind#DENSE}, {@link Kind#CONV}, {@link Kind#POOL_END}) feeds the
 * neurons of its destination layers (through reshapes and merges), whose slices do its SOPs.
 */
final class Stage {
    enum Kind { POOL_MID, DENSE, CONV, POOL_END }

    final Kind kind;
    /** The projection's layer index. */
    final int layer;
    /** Window ops: the geometry; null for dense. */
    final WindowGeometry g;
    /** Conv: output channels; dense: units. */
    final int outChannels;
    /** POOL_MID: the pool's weight is 0, so its output is all zero and feeds no events on. */
    final boolean zeroWeight;
    /** POOL_MID: index of the timer's per-timestep stamp array over this pool's outputs. */
    final int stampIndex;
    /** POOL_MID: the projections reading this pool's output. */
    Stage[] next = new Stage[0];
    /** Terminal: the slices of every layer its current feeds. */
    Dest[] dests = new Dest[0];
    /** POOL_MID: the slice charged with the pool's SOPs of an event that reaches no slice. */
    int fallbackSlice = -1;

    Stage(Kind kind, int layer, WindowGeometry g, int outChannels, boolean zeroWeight, int stampIndex) {
        this.kind = kind; this.layer = layer; this.g = g; this.outChannels = outChannels; this.zeroWeight = zeroWeight;
        this.stampIndex = stampIndex;
    }

    /** The slices of one destination layer (population or potential decoder), in neuron order. */
    record Dest(int layer, int[] slice, int[] start, int[] end) {}
}

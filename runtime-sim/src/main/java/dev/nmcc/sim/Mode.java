package dev.nmcc.sim;

/** How the simulator runs a binary. */
public enum Mode {
    /** Event-driven integer semantics only: outputs, spikes, SOPs. Fast. */
    FUNCTIONAL,
    /** The same spikes and outputs, plus the cycle-level model of every core, the mesh and sleep/wake. */
    CYCLE
}

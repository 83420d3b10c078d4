package dev.nmcc.sim.cycle;

/**
 * One inference as the cycle model saw it. Per-core arrays are indexed by core slice id.
 *
 * @param cycles         cycles of the whole inference (latency)
 * @param timestepCycles cycles of each timestep
 * @param coreBusy       cycles each core spent on synaptic operations and neuron updates
 * @param coreIdle       cycles each core was awake without work
 * @param coreAsleep     cycles each core slept
 * @param coreSops       synaptic operations per core
 * @param coreWakes      wake-ups per core
 * @param hops           mesh-link crossings
 * @param interChipHops  chip-to-chip link crossings
 * @param neuronUpdates  neuron updates
 * @param dynamicPj      SOP + neuron-update + hop energy
 * @param staticPj       static energy, with sleep as annotated
 * @param alwaysAwakePj  total energy had every core stayed awake
 */
public record SampleCycles(long cycles, long[] timestepCycles, long[] coreBusy, long[] coreIdle, long[] coreAsleep, long[] coreSops,
                           long[] coreWakes, long hops, long interChipHops, long neuronUpdates, double dynamicPj, double staticPj,
                           double alwaysAwakePj) {
    /** dynamic + static energy of the inference, in pJ. */
    public double energyPj() { return dynamicPj + staticPj; }
}

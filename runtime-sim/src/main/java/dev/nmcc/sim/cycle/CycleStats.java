package dev.nmcc.sim.cycle;

import java.util.List;

/**
 * The cycle model's numbers for a run (docs/simulator.md).
 *
 * @param clockMhz             the target clock, for converting cycles to time
 * @param sampleCycles         cycles of each inference (all T timesteps), the latency
 * @param timestepCycles       cycles of each timestep summed over samples (index t)
 * @param cores                per used core: busy, idle (awake without work) and asleep cycles, summed over samples
 * @param hops                 mesh-link crossings of spike events, summed over samples
 * @param interChipHops        chip-to-chip link crossings, summed over samples
 * @param neuronUpdates        neuron updates, summed over samples
 * @param sampleEnergyPj       energy of each inference with wake-on-spike as annotated, in pJ
 * @param dynamicEnergyPj      SOP, neuron-update and hop energy summed over samples
 * @param staticEnergyPj       static energy summed over samples (awake and asleep power × time)
 * @param energyAlwaysAwakePj  the energy of the same run with every core always awake, summed over samples
 */
public record CycleStats(double clockMhz, long[] sampleCycles, long[] timestepCycles, List<CoreStats> cores, long hops, long interChipHops,
                         long neuronUpdates, double[] sampleEnergyPj, double dynamicEnergyPj, double staticEnergyPj,
                         double energyAlwaysAwakePj) {
    public CycleStats {
        cores = List.copyOf(cores);
    }

    /**
     * One core's time, summed over samples.
     *
     * @param slice  the core slice id
     * @param busy   cycles spent on synaptic operations and neuron updates
     * @param idle   cycles awake without work
     * @param asleep cycles asleep (wake-on-spike)
     * @param sops   synaptic operations it performed
     * @param wakes  times it woke up
     */
    public record CoreStats(int slice, long busy, long idle, long asleep, long sops, long wakes) {}
}

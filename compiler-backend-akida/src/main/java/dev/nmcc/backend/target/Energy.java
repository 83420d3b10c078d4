package dev.nmcc.backend.target;

/**
 * The energy model (DESIGN.md section 7). Dynamic energy is counted per event; static power per
 * NPU, awake or asleep (wake-on-spike), is integrated over time.
 *
 * <pre>
 * E = pjPerSop·SOPs + pjPerNeuronUpdate·updates + pjPerHop·hops + pjPerInterChipHop·interChipHops
 *   + Σ_npu (staticPowerAwakeUw·t_awake + staticPowerAsleepUw·t_asleep)      [pJ; µW·µs = pJ]
 * </pre>
 *
 * @param pjPerSop            energy of one synaptic operation, in picojoules
 * @param pjPerNeuronUpdate   energy of updating one neuron for one timestep, in picojoules
 * @param pjPerHop            energy of moving one spike event across one mesh link, in picojoules
 * @param pjPerInterChipHop   energy of moving one spike event across one chip-to-chip link, in picojoules
 * @param staticPowerAwakeUw  static (leakage and clock) power of one awake NPU, in microwatts
 * @param staticPowerAsleepUw static power of one sleeping NPU, in microwatts (≤ awake)
 */
public record Energy(double pjPerSop, double pjPerNeuronUpdate, double pjPerHop, double pjPerInterChipHop, double staticPowerAwakeUw,
                     double staticPowerAsleepUw) {
    public Energy {
        Checks.nonNegative("pj_per_sop", pjPerSop);
        Checks.nonNegative("pj_per_neuron_update", pjPerNeuronUpdate);
        Checks.nonNegative("pj_per_hop", pjPerHop);
        Checks.nonNegative("pj_per_inter_chip_hop", pjPerInterChipHop);
        Checks.nonNegative("static_power_awake_uw", staticPowerAwakeUw);
        Checks.nonNegative("static_power_asleep_uw", staticPowerAsleepUw);
        if (staticPowerAsleepUw > staticPowerAwakeUw) {
            throw new IllegalArgumentException("static_power_asleep_uw (" + staticPowerAsleepUw + ") exceeds static_power_awake_uw ("
                    + staticPowerAwakeUw + ")");
        }
    }
}

package dev.nmcc.backend.target;

/**
 * The cycle model (DESIGN.md section 7): what one NPU and the network-on-chip do per clock cycle.
 *
 * @param clockMhz                         clock frequency of the neural fabric, in MHz
 * @param sopsPerCyclePerNpu               synaptic operations (one weight read and accumulate per
 *                                         incoming spike and synapse) one NPU performs per cycle
 * @param neuronUpdateCycles               cycles to update one neuron once per timestep (leak,
 *                                         threshold compare, reset)
 * @param hopLatencyCycles                 cycles for a spike event to cross one node-to-node mesh link
 *                                         (router plus link)
 * @param linkBandwidthEventsPerCycle      spike events one mesh link carries per cycle
 * @param interChipLatencyCycles           cycles for a spike event to cross one chip-to-chip link
 * @param interChipBandwidthEventsPerCycle spike events one chip-to-chip link carries per cycle
 * @param wakeLatencyCycles                cycles a sleeping NPU needs before it processes its first event
 */
public record Timing(double clockMhz, int sopsPerCyclePerNpu, int neuronUpdateCycles, int hopLatencyCycles,
                     double linkBandwidthEventsPerCycle, int interChipLatencyCycles, double interChipBandwidthEventsPerCycle,
                     int wakeLatencyCycles) {
    public Timing {
        Checks.positive("clock_mhz", clockMhz);
        Checks.positive("sops_per_cycle_per_npu", sopsPerCyclePerNpu);
        Checks.positive("neuron_update_cycles", neuronUpdateCycles);
        Checks.nonNegative("hop_latency_cycles", hopLatencyCycles);
        Checks.positive("link_bandwidth_events_per_cycle", linkBandwidthEventsPerCycle);
        Checks.nonNegative("inter_chip_latency_cycles", interChipLatencyCycles);
        Checks.positive("inter_chip_bandwidth_events_per_cycle", interChipBandwidthEventsPerCycle);
        Checks.nonNegative("wake_latency_cycles", wakeLatencyCycles);
    }

    /** Length of one cycle in nanoseconds: {@code 1000 / clockMhz}. */
    public double cycleNs() { return 1000.0 / clockMhz; }

    /** {@code cycles} expressed in microseconds at this clock: {@code cycles / clockMhz}. */
    public double micros(long cycles) { return cycles / clockMhz; }
}

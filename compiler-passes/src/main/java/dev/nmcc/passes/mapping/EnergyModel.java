package dev.nmcc.passes.mapping;

import dev.nmcc.backend.target.Hops;
import dev.nmcc.backend.target.Target;
import dev.nmcc.passes.mapping.NetworkLayers.Input;
import dev.nmcc.passes.mapping.NetworkLayers.Layer;
import dev.nmcc.passes.mapping.Traffic.Edge;
import dev.nmcc.passes.mapping.Traffic.Slice;
import java.util.List;

/**
 * The compile-time estimate of one inference's activity, time and energy on a mapped network
 * (the same energy model as the simulator, DESIGN §7 and docs/targets.md; only the activity is
 * expected instead of counted). Per timestep:
 *
 * <pre>
 * SOPs(slice)      = SOPs(layer) · neurons(slice) / neurons(layer)     (SOPs(layer): {@link ExpectedSops}, as the interpreter counts)
 * events_in(slice) = Σ_edges into it events(a, b)  (+ input elements · density for network-input layers)
 * busy(slice)      = ceil(SOPs / sops_per_cycle_per_npu) + neurons · neuron_update_cycles        [cycles]
 * timestep         = Σ_layers ( max_slices busy + max_routes into the layer route latency )      [cycles]
 * hops             = Σ_edges events(a, b) · hops(a, b)   (on-chip and inter-chip separately)
 * E_dynamic        = pj_per_sop · SOPs + pj_per_neuron_update · neurons + pj_per_hop · hops
 *                    + pj_per_inter_chip_hop · chip_hops
 * E_static         = Σ_used NPUs ( P_awake · t_awake + P_asleep · t_asleep )     (µW · µs = pJ)
 *   always awake:       t_awake = timestep
 *   wake = on_spike:    t_awake = (1 − e^(−events_in)) · min(timestep, wake_latency + busy + idle_timeout)
 * E_inference      = T · (E_dynamic + E_static)
 * </pre>
 *
 * Unused NPUs are taken as power-gated (not counted). Neuron updates are counted for every
 * neuron every timestep, asleep or not (a leaky core catches its leak up on waking).
 */
public final class EnergyModel {
    private EnergyModel() {}

    /**
     * The estimate.
     *
     * @param timestepCycles   cycles of one timestep
     * @param busyCycles       per slice, busy cycles per timestep
     * @param eventsIn         per slice, expected input events per timestep
     * @param sops             synaptic operations per inference
     * @param neuronUpdates    neuron updates per inference
     * @param hops             on-chip hop traversals per inference
     * @param chipHops         inter-chip link traversals per inference
     * @param latencyUs        one inference's time, µs
     * @param dynamicPj        dynamic energy per inference, pJ
     * @param staticAlwaysPj   static energy per inference with every used core awake, pJ
     * @param staticWakePj     static energy per inference with the wake annotations, pJ
     */
    public record Estimate(long timestepCycles, long[] busyCycles, double[] eventsIn, double sops, double neuronUpdates,
                           double hops, double chipHops, double latencyUs, double dynamicPj, double staticAlwaysPj,
                           double staticWakePj) {
        public double totalAlwaysPj() { return dynamicPj + staticAlwaysPj; }

        public double totalWakePj() { return dynamicPj + staticWakePj; }
    }

    /**
     * @param npuOf    NPU index of each slice
     * @param onSpike  per slice, whether it sleeps between events (null: all awake)
     * @param timeout  per slice, idle timeout in cycles (used where onSpike)
     */
    public static Estimate estimate(Target target, NetworkLayers net, List<Slice> slices, int[] npuOf, List<Edge> edges,
                                    ActivityProfile activity, int timesteps, boolean[] onSpike, long[] timeout) {
        int n = slices.size();
        double[] sops = new double[n];
        double[] eventsIn = new double[n];
        long[] busy = new long[n];
        double[] layerSops = ExpectedSops.perLayer(net, activity);
        var timing = target.timing();
        double totalSops = 0, updates = 0;
        for (int s = 0; s < n; s++) {
            Slice sl = slices.get(s);
            Layer l = net.layer(sl.layer());
            sops[s] = layerSops[l.index()] * sl.neurons() / l.neurons(); // a layer's synapses are spread evenly over its neurons
            for (Input in : l.inputs()) {
                if (in.fromNetworkInput()) eventsIn[s] += activity.inputDensity() * inputElements(in);
            }
            busy[s] = (long) Math.ceil(sops[s] / timing.sopsPerCyclePerNpu()) + (long) sl.neurons() * timing.neuronUpdateCycles();
            totalSops += sops[s];
            updates += sl.neurons();
        }
        double hops = 0, chipHops = 0;
        long[] routeLatency = new long[net.layers().size()];
        for (Edge e : edges) {
            eventsIn[e.dst()] += e.events();
            Hops h = target.hops(npuOf[e.src()], npuOf[e.dst()]);
            hops += e.events() * h.onChip();
            chipHops += e.events() * h.interChip();
            int layer = slices.get(e.dst()).layer();
            routeLatency[layer] = Math.max(routeLatency[layer], target.routeLatencyCycles(npuOf[e.src()], npuOf[e.dst()]));
        }
        long[] phase = new long[net.layers().size()];
        for (int s = 0; s < n; s++) phase[slices.get(s).layer()] = Math.max(phase[slices.get(s).layer()], busy[s]);
        long step = 0;
        for (int l = 0; l < phase.length; l++) step += phase[l] + routeLatency[l];
        step = Math.max(1, step);
        double stepUs = timing.micros(step);
        var en = target.energy();
        double dynamic = en.pjPerSop() * totalSops + en.pjPerNeuronUpdate() * updates + en.pjPerHop() * hops
                + en.pjPerInterChipHop() * chipHops;
        double staticAlways = n * en.staticPowerAwakeUw() * stepUs;
        double staticWake = 0;
        for (int s = 0; s < n; s++) {
            if (onSpike == null || !onSpike[s]) {
                staticWake += en.staticPowerAwakeUw() * stepUs;
            } else {
                double pActive = 1 - Math.exp(-eventsIn[s]);
                long awakeCycles = Math.min(step, timing.wakeLatencyCycles() + busy[s] + timeout[s]);
                double awakeUs = pActive * timing.micros(awakeCycles);
                staticWake += en.staticPowerAwakeUw() * awakeUs + en.staticPowerAsleepUw() * (stepUs - awakeUs);
            }
        }
        return new Estimate(step, busy, eventsIn, timesteps * totalSops, timesteps * updates, timesteps * hops,
                timesteps * chipHops, timesteps * stepUs, timesteps * dynamic, timesteps * staticAlways, timesteps * staticWake);
    }

    /** Elements of the network input reaching a path (the first step's operand). */
    static long inputElements(Input in) {
        return in.steps().isEmpty() ? 0 : in.steps().getFirst().inShape().elementCount();
    }
}

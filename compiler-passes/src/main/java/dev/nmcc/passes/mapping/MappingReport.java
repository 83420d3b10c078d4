package dev.nmcc.passes.mapping;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the mapping passes tell the user: the data of the compile report's mapping lines, of
 * {@code --report-json} and of the {@code --map} picture. {@code allocate-cores} stores one in
 * the {@link dev.nmcc.passes.PassContext} ({@code context.get(MappingReport.class)});
 * {@code annotate-wake-on-spike} replaces it with one that has the wake annotations and the energy
 * with them. Memory is counted in bytes; {@link #lines()} prints MB meaning 2^20 bytes (as
 * docs/targets.md reads the published "2 MB"/"8 MB").
 *
 * @param target          target name
 * @param chips           chips of the target as mapped
 * @param encoding        the network input's encoding ("direct", "rate", or "none")
 * @param timesteps       T
 * @param layers          per layer, in order
 * @param slices          per core slice, by id
 * @param coresAvailable  NPUs of all chips
 * @param npusPerChip     NPUs of one chip
 * @param memoryAvailable synapse memory of all chips, bytes
 * @param npuNeurons      neurons one NPU holds
 * @param npuMemory       synapse memory of one NPU, bytes
 * @param pjPerSop        the target's energy per synaptic operation, pJ
 * @param trafficHops     expected spike events × hops per timestep of the chosen placement
 * @param greedyTrafficHops the same for the greedy placement (before local search)
 * @param naiveTrafficHops  the same for slice i on NPU i
 * @param rateSource      where the firing rates come from
 * @param avgRate         mean firing rate over all firing neurons
 * @param energy          the estimate (static energy with wake annotations when {@code wakeAnnotated})
 * @param wakeAnnotated   whether annotate-wake-on-spike has run
 */
public record MappingReport(String target, int chips, String encoding, int timesteps, List<LayerInfo> layers, List<SliceInfo> slices,
                            int coresAvailable, int npusPerChip, long memoryAvailable, int npuNeurons, long npuMemory, double pjPerSop,
                            double trafficHops, double greedyTrafficHops, double naiveTrafficHops, String rateSource,
                            double avgRate, EnergyModel.Estimate energy, boolean wakeAnnotated) {
    public MappingReport {
        layers = List.copyOf(layers);
        slices = List.copyOf(slices);
    }

    /**
     * One layer.
     *
     * @param kind        if, lif or integrator
     * @param synapses    weight entries of its weighted projections
     * @param fanIn       synapses per neuron
     * @param weightBits  width of its weights (0: none)
     * @param slices      core slices used
     * @param lowerBound  slices its memory and neuron limits force
     * @param bytes       synapse memory over its slices
     * @param rate        mean firing rate (0 for the integrator)
     */
    public record LayerInfo(String name, String kind, int neurons, long synapses, long fanIn, int weightBits, int slices,
                            int lowerBound, long bytes, double rate) {}

    /** One core slice: where it is and what it holds. {@code wake} is "always" or "on_spike". */
    public record SliceInfo(int id, int layer, int chip, int node, int npu, int start, int end, long bytes, String wake,
                            long idleTimeout) {
        public int neurons() { return end - start; }
    }

    public long totalNeurons() { return layers.stream().mapToLong(LayerInfo::neurons).sum(); }

    public long totalSynapses() { return layers.stream().mapToLong(LayerInfo::synapses).sum(); }

    public int coresUsed() { return slices.size(); }

    /** Sum over layers of the slices their limits force. */
    public int lowerBound() { return layers.stream().mapToInt(LayerInfo::lowerBound).sum(); }

    public long memoryUsed() { return slices.stream().mapToLong(SliceInfo::bytes).sum(); }

    /** Chips that hold at least one slice. */
    public int chipsUsed() { return (int) slices.stream().mapToInt(SliceInfo::chip).distinct().count(); }

    /** The same report after wake annotation. */
    public MappingReport withWake(List<SliceInfo> annotated, EnergyModel.Estimate estimate) {
        return new MappingReport(target, chips, encoding, timesteps, layers, annotated, coresAvailable, npusPerChip, memoryAvailable,
                npuNeurons, npuMemory, pjPerSop, trafficHops, greedyTrafficHops, naiveTrafficHops, rateSource, avgRate, estimate, true);
    }

    /**
     * Memory with the unit that reads best, two decimals, trailing zeros dropped: "640 bytes",
     * "18.41 KB", "1.12 MB", "2 MB" (KB = 2^10, MB = 2^20 bytes).
     */
    public static String memory(long bytes) {
        if (bytes < 1024) return bytes + (bytes == 1 ? " byte" : " bytes");
        boolean kb = bytes < 1048576;
        String s = String.format(Locale.ROOT, "%.2f", bytes / (kb ? 1024.0 : 1048576.0));
        return s.replaceAll("\\.?0+$", "") + (kb ? " KB" : " MB");
    }

    /** A number without trailing zeros: 0.8, 1.6, 12.5. */
    static String trim(double v) {
        String t = String.format(Locale.ROOT, "%.4f", v).replaceAll("0+$", "");
        return t.endsWith(".") ? t.substring(0, t.length() - 1) : t;
    }

    /** Events × hops: grouped digits, one decimal below 100 (a small network's traffic is a fraction of an event). */
    static String traffic(double v) { return v < 100 ? String.format(Locale.ROOT, "%.1f", v) : grouped(v); }

    static String grouped(double v) { return String.format(Locale.ROOT, "%,d", Math.round(v)); }

    /** An SI-shortened count: 312K, 66.2M. */
    static String shortCount(double v) {
        if (v >= 1e9) return String.format(Locale.ROOT, "%.3gG", v / 1e9);
        if (v >= 1e6) return String.format(Locale.ROOT, "%.3gM", v / 1e6);
        if (v >= 1e3) return String.format(Locale.ROOT, "%.3gK", v / 1e3);
        return String.format(Locale.ROOT, "%.3g", v);
    }

    /** Energy in the unit that reads best: nJ, µJ or mJ. */
    static String energy(double pj) {
        if (pj >= 1e9) return String.format(Locale.ROOT, "%.3g mJ", pj / 1e9);
        if (pj >= 1e6) return String.format(Locale.ROOT, "%.3g µJ", pj / 1e6);
        if (pj >= 1e3) return String.format(Locale.ROOT, "%.3g nJ", pj / 1e3);
        return String.format(Locale.ROOT, "%.3g pJ", pj);
    }

    /**
     * The mapping lines of the compile report (the driver adds the compile time and the passes'
     * other lines): target, network, neurons, synapses, cores, memory, SOPs and energy, then one
     * line per layer.
     */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add("Target: " + target);
        out.add("Network: " + layers.size() + " layers (input encoding: " + encoding + ")");
        StringBuilder per = new StringBuilder();
        for (LayerInfo l : layers) per.append(per.isEmpty() ? "" : " + ").append(l.neurons());
        out.add("Total neurons: " + grouped(totalNeurons()) + " (" + per + ")");
        out.add("Total synapses: " + grouped(totalSynapses()) + " weight entries");
        int used = chipsUsed();
        out.add("Core allocation: " + coresUsed() + " cores used (of " + coresAvailable + " available) on " + used
                + (used == 1 ? " chip" : " chips"));
        out.add("Core lower bound: " + lowerBound() + " cores (what memory and neuron limits force); "
                + String.format(Locale.ROOT, "%.1f", lowerBound() == 0 ? 0 : 100.0 * (coresUsed() - lowerBound()) / lowerBound()) + "% above");
        out.add("Synapse memory: " + memory(memoryUsed()) + " (of " + memory(memoryAvailable) + " available)");
        out.add("Spike traffic: " + traffic(trafficHops) + " events × hops per timestep (in-order placement: " + traffic(naiveTrafficHops) + ")");
        out.add("Firing rates: " + rateSource);
        out.add("Estimated SOPs/inference: " + grouped(energy.sops()) + " (at " + String.format(Locale.ROOT, "%.1f", 100 * avgRate)
                + "% avg firing rate)");
        var e = energy;
        double total = wakeAnnotated ? e.totalWakePj() : e.totalAlwaysPj();
        out.add("Estimated energy/inference: " + energy(total) + " (" + trim(pjPerSop) + " pJ/SOP × " + shortCount(e.sops()) + " SOPs"
                + " + neuron updates + hops + static over " + String.format(Locale.ROOT, "%.3g", e.latencyUs()) + " µs"
                + (wakeAnnotated ? "; without wake-on-spike: " + energy(e.totalAlwaysPj()) : "") + ")");
        for (int i = 0; i < layers.size(); i++) {
            LayerInfo l = layers.get(i);
            out.add(String.format(Locale.ROOT, "  layer %-12s %-10s %7d neurons  fan-in %6d  %d-bit  %3d slices (lower bound %d)  %s",
                    l.name(), l.kind(), l.neurons(), l.fanIn(), l.weightBits(), l.slices(), l.lowerBound(), memory(l.bytes())));
        }
        return out;
    }

    /**
     * The report as a JSON object (for {@code --report-json}): every field above, the derived
     * totals, the energy estimate in pJ and µs, per layer and per slice. Keys are snake_case;
     * memory in bytes; fractional numbers to 9 significant digits. One field per line, one line
     * per layer and per slice, so that the file reads and diffs well.
     */
    public String json() {
        Fields top = new Fields("  ", ",\n");
        top.put("target", q(target)).put("chips", chips).put("chips_used", chipsUsed()).put("input_encoding", q(encoding))
                .put("timesteps", timesteps).put("total_neurons", totalNeurons()).put("total_synapses", totalSynapses())
                .put("cores_used", coresUsed()).put("cores_available", coresAvailable).put("cores_lower_bound", lowerBound())
                .put("synapse_memory_bytes", memoryUsed()).put("synapse_memory_available_bytes", memoryAvailable)
                .put("traffic_hops_per_timestep", num(trafficHops)).put("greedy_traffic_hops_per_timestep", num(greedyTrafficHops))
                .put("in_order_traffic_hops_per_timestep", num(naiveTrafficHops)).put("firing_rates", q(rateSource))
                .put("avg_firing_rate", num(avgRate)).put("sops_per_inference", num(energy.sops()))
                .put("neuron_updates_per_inference", num(energy.neuronUpdates())).put("hops_per_inference", num(energy.hops()))
                .put("inter_chip_hops_per_inference", num(energy.chipHops())).put("timestep_cycles", energy.timestepCycles())
                .put("latency_us", num(energy.latencyUs())).put("dynamic_energy_pj", num(energy.dynamicPj()))
                .put("energy_pj_always_awake", num(energy.totalAlwaysPj()))
                .put("energy_pj", num(wakeAnnotated ? energy.totalWakePj() : energy.totalAlwaysPj())).put("wake_annotated", wakeAnnotated);
        StringBuilder ls = new StringBuilder("[\n");
        for (int i = 0; i < layers.size(); i++) {
            LayerInfo l = layers.get(i);
            Fields f = new Fields("", ", ");
            f.put("name", q(l.name())).put("kind", q(l.kind())).put("neurons", l.neurons()).put("synapses", l.synapses())
                    .put("fan_in", l.fanIn()).put("weight_bits", l.weightBits()).put("slices", l.slices()).put("lower_bound", l.lowerBound())
                    .put("synapse_memory_bytes", l.bytes()).put("firing_rate", num(l.rate()));
            ls.append("    {").append(f).append(i + 1 < layers.size() ? "},\n" : "}\n");
        }
        top.put("layers", ls.append("  ]"));
        StringBuilder ss = new StringBuilder("[\n");
        for (int i = 0; i < slices.size(); i++) {
            SliceInfo s = slices.get(i);
            Fields f = new Fields("", ", ");
            f.put("id", s.id()).put("layer", q(layers.get(s.layer()).name()))
                    .put("core", "[" + s.chip() + ", " + s.node() + ", " + s.npu() + "]")
                    .put("neurons", "[" + s.start() + ", " + s.end() + "]").put("synapse_bytes", s.bytes()).put("wake", q(s.wake()))
                    .put("idle_timeout", s.idleTimeout());
            ss.append("    {").append(f).append(i + 1 < slices.size() ? "},\n" : "}\n");
        }
        top.put("slices", ss.append("  ]"));
        return "{\n" + top + "\n}\n";
    }

    /** "key": value pairs joined by a separator, each after an indent. */
    private static final class Fields {
        private final StringBuilder b = new StringBuilder();
        private final String indent, separator;

        Fields(String indent, String separator) {
            this.indent = indent;
            this.separator = separator;
        }

        Fields put(String key, Object value) {
            if (!b.isEmpty()) b.append(separator);
            b.append(indent).append('"').append(key).append("\": ").append(value);
            return this;
        }

        @Override public String toString() { return b.toString(); }
    }

    private static String num(double v) {
        if (!Double.isFinite(v)) return "null";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return new java.math.BigDecimal(v).round(new java.math.MathContext(9)).stripTrailingZeros().toPlainString();
    }

    private static String q(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> {
                    if (c < 0x20) b.append(String.format(Locale.ROOT, "\\u%04x", (int) c)); else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }
}

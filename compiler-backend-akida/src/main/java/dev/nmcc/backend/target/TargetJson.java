package dev.nmcc.backend.target;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.util.List;
import java.util.Map;

/**
 * Writes a target in the canonical form of its file format (docs/targets.md): sections and fields
 * in schema order, two-space indentation, lists on one line, {@code sources} last. Loading the
 * output gives an equal target; the bundled files are in this form.
 */
public final class TargetJson {
    private TargetJson() {}

    public static String write(Target t) {
        StringBuilder sb = new StringBuilder("{\n");
        sb.append("  \"name\": ").append(quote(t.name())).append(",\n");
        sb.append("  \"description\": ").append(quote(t.description())).append(",\n");
        List<String> sections = TargetFields.SECTIONS;
        for (int s = 0; s < sections.size(); s++) {
            String section = sections.get(s);
            sb.append("  ").append(quote(section)).append(": {\n");
            List<TargetFields.Field> fields = TargetFields.of(section);
            for (int i = 0; i < fields.size(); i++) {
                TargetFields.Field f = fields.get(i);
                sb.append("    ").append(quote(f.name())).append(": ").append(value(t, f.name()));
                sb.append(i + 1 < fields.size() ? ",\n" : "\n");
            }
            sb.append("  }").append(s + 1 < sections.size() || !t.sources().isEmpty() ? ",\n" : "\n");
        }
        if (!t.sources().isEmpty()) {
            sb.append("  \"sources\": {\n");
            int i = 0;
            for (Map.Entry<String, String> e : t.sources().entrySet()) {
                sb.append("    ").append(quote(e.getKey())).append(": ").append(quote(e.getValue()));
                sb.append(++i < t.sources().size() ? ",\n" : "\n");
            }
            sb.append("  }\n");
        }
        return sb.append("}\n").toString();
    }

    /** The JSON text of field {@code name} of {@code t}. */
    static String value(Target t, String name) {
        Geometry g = t.geometry();
        Npu n = t.npu();
        LayerLimits l = t.layers();
        Timing tm = t.timing();
        Energy e = t.energy();
        return switch (name) {
            case "name" -> quote(t.name());
            case "description" -> quote(t.description());
            case "chips" -> Integer.toString(g.chips());
            case "nodes_per_chip" -> Integer.toString(g.nodesPerChip());
            case "npus_per_node" -> Integer.toString(g.npusPerNode());
            case "mesh_rows" -> Integer.toString(g.meshRows());
            case "mesh_cols" -> Integer.toString(g.meshCols());
            case "neurons" -> Integer.toString(n.neurons());
            case "synapse_memory_bytes" -> Long.toString(n.synapseMemoryBytes());
            case "weight_bits" -> list(n.weightBits());
            case "activation_bits" -> list(n.activationBits());
            case "max_fan_in" -> Integer.toString(n.maxFanIn());
            case "membrane_bits" -> Integer.toString(n.membraneBits());
            case "input_bits" -> Integer.toString(l.inputBits());
            case "input_channels" -> list(l.inputChannels());
            case "input_max_width" -> Integer.toString(l.inputMaxWidth());
            case "input_conv_kernel_sizes" -> list(l.inputConvKernelSizes());
            case "input_conv_strides" -> list(l.inputConvStrides());
            case "conv_kernel_sizes" -> list(l.convKernelSizes());
            case "conv_strides" -> list(l.convStrides());
            case "max_pool_sizes" -> list(l.maxPoolSizes());
            case "clock_mhz" -> Numbers.text(tm.clockMhz());
            case "sops_per_cycle_per_npu" -> Integer.toString(tm.sopsPerCyclePerNpu());
            case "neuron_update_cycles" -> Integer.toString(tm.neuronUpdateCycles());
            case "hop_latency_cycles" -> Integer.toString(tm.hopLatencyCycles());
            case "link_bandwidth_events_per_cycle" -> Numbers.text(tm.linkBandwidthEventsPerCycle());
            case "inter_chip_latency_cycles" -> Integer.toString(tm.interChipLatencyCycles());
            case "inter_chip_bandwidth_events_per_cycle" -> Numbers.text(tm.interChipBandwidthEventsPerCycle());
            case "wake_latency_cycles" -> Integer.toString(tm.wakeLatencyCycles());
            case "pj_per_sop" -> Numbers.text(e.pjPerSop());
            case "pj_per_neuron_update" -> Numbers.text(e.pjPerNeuronUpdate());
            case "pj_per_hop" -> Numbers.text(e.pjPerHop());
            case "pj_per_inter_chip_hop" -> Numbers.text(e.pjPerInterChipHop());
            case "static_power_awake_uw" -> Numbers.text(e.staticPowerAwakeUw());
            case "static_power_asleep_uw" -> Numbers.text(e.staticPowerAsleepUw());
            default -> throw new IllegalArgumentException("no field '" + name + "'");
        };
    }

    private static String list(List<Integer> xs) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < xs.size(); i++) sb.append(i == 0 ? "" : ", ").append(xs.get(i));
        return sb.append(']').toString();
    }

    static String quote(String s) { return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\""; }
}

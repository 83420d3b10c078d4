package dev.nmcc.driver.api;

import dev.nmcc.ir.analysis.LayerStats;
import dev.nmcc.ir.analysis.ModelStats;
import dev.nmcc.ir.graph.Graph;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.graph.Op;
import dev.nmcc.ir.op.Stage;
import dev.nmcc.ir.type.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code nmcc check} prints: the module's name, stage, inputs and outputs, and its size
 * ({@link ModelStats}: layers, neurons, synapses, parameters).
 */
public record ModelSummary(String name, Stage stage, List<Port> inputs, List<Port> outputs, ModelStats stats) {
    /** A network input or output: its name and the type of one sample. */
    public record Port(String name, Type type) {}

    public ModelSummary {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    public static ModelSummary of(Module module) {
        Graph g = module.graph();
        List<Port> ins = new ArrayList<>();
        List<Port> outs = new ArrayList<>();
        for (Op op : g.ops()) {
            String name = op.attributes().getString("name", "?");
            if (op.kind().isInput()) ins.add(new Port(name, g.type(op.result())));
            else if (op.kind().isOutput()) outs.add(new Port(name, g.type(op.operand(0))));
        }
        return new ModelSummary(module.name(), module.stage(), ins, outs, ModelStats.of(module));
    }

    /** The human-readable text form (stable: tests match it). */
    public String text() {
        StringBuilder sb = new StringBuilder();
        sb.append("module ").append(name).append(": verified\n");
        row(sb, "stage", stage.mnemonic());
        for (Port p : inputs) row(sb, "input", p.name() + " " + p.type().text());
        for (Port p : outputs) row(sb, "output", p.name() + " " + p.type().text());
        row(sb, "layers", Long.toString(stats.layerCount()));
        row(sb, "neurons", Long.toString(stats.neurons()));
        row(sb, "synapses", Long.toString(stats.synapses()));
        row(sb, "parameters", Long.toString(stats.parameters()));
        if (!stats.layers().isEmpty()) {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"layer", "op", "output", "neurons", "synapses", "parameters"});
            for (LayerStats l : stats.layers()) {
                rows.add(new String[] {l.name() == null ? "-" : l.name(), l.kind().mnemonic(), l.outputType().text(),
                    Long.toString(l.neurons()), Long.toString(l.synapses()), Long.toString(l.parameters())});
            }
            sb.append('\n').append(Tables.render(rows, i -> i >= 3));
        }
        return sb.toString();
    }

    private static void row(StringBuilder sb, String key, String value) {
        sb.append(String.format(Locale.ROOT, "  %-11s %s%n", key + ":", value).replace(System.lineSeparator(), "\n"));
    }
}

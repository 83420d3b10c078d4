package dev.nmcc.driver.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.nmcc.ir.analysis.ConversionAdvice;
import dev.nmcc.ir.analysis.ConversionAdvisor;
import dev.nmcc.ir.analysis.LayerStats;
import dev.nmcc.ir.analysis.ModelStats;
import dev.nmcc.ir.diag.Diagnostic;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.graph.Op;
import dev.nmcc.ir.loc.Location;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code nmcc analyze} reports before conversion: per layer its op, input and output
 * shapes, neurons, synapses (connections), parameters and fan-in; the model's totals; and the
 * conversion diagnostics, each with a suggestion. Frontend notes (a dropped Softmax, a Clip
 * imported as ReLU) are listed with them.
 */
public record PreConversionReport(String model, String source, ModelSummary summary, List<Layer> layers,
                                  List<ConversionAdvice> advice, List<Diagnostic> frontendNotes) {
    /** One layer's row. */
    public record Layer(String name, String op, String input, String output, long neurons, long synapses,
                        long parameters, long fanIn) {}

    public PreConversionReport {
        layers = List.copyOf(layers);
        advice = List.copyOf(advice);
        frontendNotes = List.copyOf(frontendNotes);
    }

    public static PreConversionReport of(Module module, String source, List<Diagnostic> frontendNotes, long maxFanIn) {
        ModelSummary summary = ModelSummary.of(module);
        List<Layer> layers = new ArrayList<>();
        for (LayerStats l : summary.stats().layers()) {
            Op op = module.graph().ops().get(l.opIndex());
            layers.add(new Layer(layerName(l, op), l.kind().mnemonic(), module.graph().type(op.operand(0)).text(),
                    l.outputType().text(), l.neurons(), l.synapses(), l.parameters(), ConversionAdvisor.fanIn(module.graph(), op)));
        }
        return new PreConversionReport(module.name(), source, summary, layers, ConversionAdvisor.advise(module, maxFanIn), frontendNotes);
    }

    /** The DSL value name, else the ONNX node name, else the op's position. */
    private static String layerName(LayerStats l, Op op) {
        if (l.name() != null) return l.name();
        if (op.location() instanceof Location.Named n) return n.name();
        return "op" + l.opIndex();
    }

    public String text() {
        StringBuilder sb = new StringBuilder();
        ModelStats s = summary.stats();
        sb.append("Model: ").append(model).append(" (").append(source).append("), stage ").append(summary.stage().mnemonic()).append('\n');
        for (ModelSummary.Port p : summary.inputs()) sb.append("Input:  ").append(p.name()).append(' ').append(p.type().text()).append('\n');
        for (ModelSummary.Port p : summary.outputs()) sb.append("Output: ").append(p.name()).append(' ').append(p.type().text()).append('\n');
        sb.append('\n');
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"#", "layer", "op", "input", "output", "neurons", "synapses", "params", "fan-in"});
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            rows.add(new String[] {Integer.toString(i), l.name(), l.op(), l.input(), l.output(), num(l.neurons()),
                num(l.synapses()), num(l.parameters()), num(l.fanIn())});
        }
        rows.add(new String[] {"", "total", "", "", "", num(s.neurons()), num(s.synapses()), num(s.parameters()), ""});
        sb.append(Tables.render(rows, i -> i == 0 || i >= 5));
        sb.append('\n');
        List<Diagnostic> all = diagnostics();
        if (all.isEmpty()) {
            sb.append("Conversion diagnostics: none; the network converts as it is.\n");
        } else {
            sb.append("Conversion diagnostics (").append(all.size()).append("):\n");
            for (Diagnostic d : all) {
                sb.append("  ").append(d.severity().label()).append(": ").append(d.message()).append('\n');
            }
        }
        return sb.toString();
    }

    /** Frontend notes first (they describe the import), then the advice in program order. */
    public List<Diagnostic> diagnostics() {
        List<Diagnostic> all = new ArrayList<>(frontendNotes);
        for (ConversionAdvice a : advice) all.add(a.toDiagnostic());
        return all;
    }

    public boolean hasErrors() {
        return advice.stream().anyMatch(a -> a.severity() == dev.nmcc.ir.diag.Severity.ERROR);
    }

    private static String num(long v) { return String.format(Locale.ROOT, "%,d", v); }

    /** The same content as JSON (numbers as numbers, no thousands separators). */
    public String json() {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("model", model);
            g.writeStringField("source", source);
            g.writeStringField("stage", summary.stage().mnemonic());
            g.writeArrayFieldStart("inputs");
            for (ModelSummary.Port p : summary.inputs()) port(g, p);
            g.writeEndArray();
            g.writeArrayFieldStart("outputs");
            for (ModelSummary.Port p : summary.outputs()) port(g, p);
            g.writeEndArray();
            g.writeArrayFieldStart("layers");
            for (Layer l : layers) {
                g.writeStartObject();
                g.writeStringField("name", l.name());
                g.writeStringField("op", l.op());
                g.writeStringField("input", l.input());
                g.writeStringField("output", l.output());
                g.writeNumberField("neurons", l.neurons());
                g.writeNumberField("synapses", l.synapses());
                g.writeNumberField("parameters", l.parameters());
                g.writeNumberField("fan_in", l.fanIn());
                g.writeEndObject();
            }
            g.writeEndArray();
            ModelStats s = summary.stats();
            g.writeObjectFieldStart("totals");
            g.writeNumberField("layers", s.layerCount());
            g.writeNumberField("neurons", s.neurons());
            g.writeNumberField("synapses", s.synapses());
            g.writeNumberField("parameters", s.parameters());
            g.writeEndObject();
            g.writeArrayFieldStart("diagnostics");
            for (Diagnostic d : frontendNotes) diagnostic(g, d.severity().label(), d.location().describe(), d.message(), null);
            for (ConversionAdvice a : advice) {
                diagnostic(g, a.severity().label(), a.location().describe(), a.subject() + ": " + a.problem(), a.suggestion());
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w + "\n";
    }

    private static void port(JsonGenerator g, ModelSummary.Port p) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", p.name());
        g.writeStringField("type", p.type().text());
        g.writeEndObject();
    }

    private static void diagnostic(JsonGenerator g, String severity, String location, String message, String suggestion) throws IOException {
        g.writeStartObject();
        g.writeStringField("severity", severity);
        g.writeStringField("location", location);
        g.writeStringField("message", message);
        if (suggestion != null) g.writeStringField("suggestion", suggestion);
        g.writeEndObject();
    }
}

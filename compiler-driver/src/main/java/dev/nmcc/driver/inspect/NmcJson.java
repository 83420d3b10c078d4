package dev.nmcc.driver.inspect;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.nmcc.nmc.model.CoreSlice;
import dev.nmcc.nmc.model.Encoding;
import dev.nmcc.nmc.model.IoSpec;
import dev.nmcc.nmc.model.Layer;
import dev.nmcc.nmc.model.LayerOp;
import dev.nmcc.nmc.model.NmcModel;
import dev.nmcc.nmc.model.Route;
import dev.nmcc.nmc.model.Window;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code nmcc inspect --json}: the facts of {@link NmcSummary#text()} as one JSON object (keys in a
 * fixed order; the stored report is embedded as parsed JSON when it is an object).
 */
final class NmcJson {
    private static final JsonFactory FACTORY = new JsonFactory();
    private final NmcModel m;
    private final NmcSummary s;
    private final long fileBytes;

    NmcJson(NmcModel m, NmcSummary s, long fileBytes) {
        this.m = m;
        this.s = s;
        this.fileBytes = fileBytes;
    }

    String render() {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("format", m.header().majorVersion() + "." + m.header().minorVersion());
            g.writeStringField("producer", m.header().producer());
            g.writeStringField("module", m.header().moduleName());
            g.writeNumberField("file_bytes", fileBytes);
            target(g);
            io(g);
            layers(g);
            slices(g);
            g.writeObjectFieldStart("memory");
            g.writeNumberField("synapse_bytes_used", s.memoryUsed());
            g.writeNumberField("synapse_bytes_available", m.target().synapseMemoryBytesPerNpu() * m.target().totalNpus());
            g.writeNumberField("npus_used", m.slices().size());
            g.writeNumberField("packed_weight_bytes", m.weightBytes());
            g.writeNumberField("synapse_blocks", m.synapses().size());
            g.writeEndObject();
            g.writeObjectFieldStart("routing");
            g.writeNumberField("routes", m.routes().size());
            g.writeNumberField("destinations", s.destinations());
            g.writeNumberField("hops", s.hops());
            g.writeArrayFieldStart("table");
            for (Route r : m.routes()) {
                g.writeStartObject();
                g.writeNumberField("source", r.source());
                ints(g, "destinations", r.destinations());
                g.writeNumberField("hops", r.hops());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeObjectFieldStart("wake_on_spike");
            g.writeNumberField("cores", m.slices().size());
            g.writeNumberField("may_sleep", s.sleepers());
            g.writeEndObject();
            g.writeFieldName("report");
            report(g, m.reportJson());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w + "\n";
    }

    private void target(JsonGenerator g) throws IOException {
        var t = m.target();
        g.writeObjectFieldStart("target");
        g.writeStringField("name", t.name());
        g.writeNumberField("chips", t.chips());
        g.writeNumberField("nodes_per_chip", t.nodesPerChip());
        g.writeNumberField("npus_per_node", t.npusPerNode());
        g.writeNumberField("mesh_rows", t.meshRows());
        g.writeNumberField("mesh_cols", t.meshCols());
        g.writeNumberField("neurons_per_npu", t.neuronsPerNpu());
        g.writeNumberField("synapse_memory_bytes_per_npu", t.synapseMemoryBytesPerNpu());
        g.writeNumberField("membrane_bits", t.membraneBits());
        g.writeNumberField("clock_mhz", t.clockMhz());
        g.writeEndObject();
    }

    private void io(JsonGenerator g) throws IOException {
        g.writeNumberField("timesteps", m.io().timesteps());
        g.writeNumberField("seed", m.io().seed());
        g.writeArrayFieldStart("inputs");
        for (IoSpec.InputSpec in : m.io().inputs()) {
            g.writeStartObject();
            g.writeStringField("name", in.name());
            g.writeNumberField("layer", in.layer());
            ints(g, "shape", in.shape());
            g.writeStringField("encoding", in.encoding() == Encoding.RATE ? "rate" : "direct");
            g.writeNumberField("input_scale", in.inputScale());
            g.writeArrayFieldStart("range");
            g.writeNumber(in.rangeLo());
            g.writeNumber(in.rangeHi());
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("outputs");
        for (IoSpec.OutputSpec out : m.io().outputs()) {
            g.writeStartObject();
            g.writeStringField("name", out.name());
            g.writeNumberField("decoder", out.decoder());
            ints(g, "shape", out.shape());
            g.writeStringField("decoding", m.layers().get(out.decoder()).op() instanceof LayerOp.DecodeCount ? "count" : "potential");
            g.writeNumberField("tie_population", out.tiePopulation());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private void layers(JsonGenerator g) throws IOException {
        g.writeArrayFieldStart("layers");
        for (Layer l : m.layers()) {
            g.writeStartObject();
            g.writeNumberField("index", l.index());
            g.writeStringField("name", l.name());
            g.writeStringField("kind", NmcSummary.kind(l.op()));
            ints(g, "shape", l.shape());
            ints(g, "inputs", l.inputs());
            g.writeStringField("location", l.location());
            switch (l.op()) {
                case LayerOp.Input x -> g.writeStringField("input_name", x.inputName());
                case LayerOp.Encode x -> {
                    g.writeStringField("encoding", x.mode() == Encoding.RATE ? "rate" : "direct");
                    g.writeNumberField("input_scale", x.inputScale());
                }
                case LayerOp.Dense x -> {
                    g.writeNumberField("units", x.units());
                    weights(g, l, x.weightBits(), x.hasBias());
                }
                case LayerOp.Conv2d x -> {
                    g.writeNumberField("out_channels", x.outChannels());
                    window(g, x.window());
                    weights(g, l, x.weightBits(), x.hasBias());
                }
                case LayerOp.AvgPool x -> {
                    window(g, x.window());
                    g.writeNumberField("weight", x.weight());
                }
                case LayerOp.MaxPool x -> window(g, x.window());
                case LayerOp.Neurons x -> {
                    g.writeBooleanField("leaky", x.leaky());
                    g.writeNumberField("leak_shift", x.leakShift());
                    g.writeStringField("reset", x.reset().name().toLowerCase(java.util.Locale.ROOT));
                    g.writeNumberField("v_bits", x.vBits());
                }
                default -> { }
            }
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private void weights(JsonGenerator g, Layer l, int bits, boolean bias) throws IOException {
        g.writeNumberField("weight_bits", bits);
        g.writeBooleanField("bias", bias);
        g.writeNumberField("weight_bytes", s.weightBytes(l.index()));
    }

    private static void window(JsonGenerator g, Window w) throws IOException {
        ints(g, "kernel", new int[] {w.kh(), w.kw()});
        ints(g, "stride", new int[] {w.sh(), w.sw()});
        ints(g, "pad", new int[] {w.padTop(), w.padLeft(), w.padBottom(), w.padRight()});
    }

    private void slices(JsonGenerator g) throws IOException {
        g.writeArrayFieldStart("cores");
        for (CoreSlice c : m.slices()) {
            g.writeStartObject();
            g.writeNumberField("slice", c.id());
            g.writeNumberField("layer", c.layer());
            ints(g, "core", new int[] {c.core().chip(), c.core().node(), c.core().npu()});
            ints(g, "neurons", new int[] {c.neuronStart(), c.neuronEnd()});
            g.writeNumberField("channel_start", c.channelStart());
            ints(g, "thresholds", c.thresholds());
            ints(g, "v0", c.v0());
            g.writeNumberField("synapse_bytes", c.synapseBytes());
            g.writeStringField("wake", c.wake().onSpike() ? "on_spike" : "always");
            ints(g, "wake_sources", c.wake().sources());
            g.writeNumberField("idle_timeout", c.wake().idleTimeoutCycles());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void ints(JsonGenerator g, String name, int[] v) throws IOException {
        g.writeArrayFieldStart(name);
        for (int x : v) g.writeNumber(x);
        g.writeEndArray();
    }

    /** The stored report: embedded when it is a JSON object, else as a string (null when absent). */
    private static void report(JsonGenerator g, String report) throws IOException {
        if (report.isEmpty()) {
            g.writeNull();
            return;
        }
        if (isOneObject(report)) {
            try (JsonParser p = FACTORY.createParser(report)) {
                p.nextToken();
                g.copyCurrentStructure(p);
                return;
            }
        }
        g.writeString(report);
    }

    /** Whether {@code text} is exactly one well-formed JSON object (checked before copying any of it). */
    private static boolean isOneObject(String text) {
        try (JsonParser p = FACTORY.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return false;
            p.skipChildren();
            return p.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    /** The "report" lines of a stored compile report, or the whole text when it has none. */
    static List<String> reportLines(String report) {
        List<String> out = new ArrayList<>();
        try (JsonParser p = FACTORY.createParser(report)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return List.of(report);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                if (field.equals("report") && v == JsonToken.START_ARRAY) {
                    while (p.nextToken() == JsonToken.VALUE_STRING) out.add(p.getText());
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            return List.of(report);
        }
        return out;
    }
}

package dev.nmcc.driver.inspect;

import dev.nmcc.nmc.model.CoreSlice;
import dev.nmcc.nmc.model.Encoding;
import dev.nmcc.nmc.model.IoSpec;
import dev.nmcc.nmc.model.Layer;
import dev.nmcc.nmc.model.LayerOp;
import dev.nmcc.nmc.model.NmcModel;
import dev.nmcc.nmc.model.Reset;
import dev.nmcc.nmc.model.Route;
import dev.nmcc.nmc.model.SynapseBlock;
import dev.nmcc.nmc.model.Window;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What {@code nmcc inspect} shows of a validated .nmc model, computed once and rendered as text for
 * people ({@link #text()}) or JSON for scripts ({@link #json()}): the same facts in both.
 */
public final class NmcSummary {
    private final NmcModel m;
    private final long fileBytes;
    private final long[] weightBytesOfLayer;
    private final int[] slicesOfLayer;

    public NmcSummary(NmcModel model, long fileBytes) {
        this.m = model;
        this.fileBytes = fileBytes;
        weightBytesOfLayer = new long[model.layers().size()];
        for (SynapseBlock b : model.synapses()) weightBytesOfLayer[b.projection()] += b.packed().length;
        slicesOfLayer = new int[model.layers().size()];
        for (CoreSlice s : model.slices()) slicesOfLayer[s.layer()]++;
    }

    /** "conv2d", "neurons", ... */
    static String kind(LayerOp op) {
        return switch (op) {
            case LayerOp.Input x -> "input";
            case LayerOp.Encode x -> "encode";
            case LayerOp.Dense x -> "dense";
            case LayerOp.Conv2d x -> "conv2d";
            case LayerOp.AvgPool x -> "avgpool";
            case LayerOp.MaxPool x -> "maxpool";
            case LayerOp.Reshape x -> "reshape";
            case LayerOp.Merge x -> "merge";
            case LayerOp.Neurons x -> x.leaky() ? "lif" : "if";
            case LayerOp.DecodePotential x -> "decode-potential";
            case LayerOp.DecodeCount x -> "decode-count";
        };
    }

    /** The layer's parameters in words. */
    String params(Layer l) {
        return switch (l.op()) {
            case LayerOp.Input x -> "input '" + x.inputName() + "'";
            case LayerOp.Encode x -> x.mode() == Encoding.RATE ? "rate" : "direct, input_scale " + x.inputScale();
            case LayerOp.Dense x -> x.units() + " units, " + x.weightBits() + "-bit weights" + (x.hasBias() ? ", bias" : "") + ", "
                    + weightBytesOfLayer[l.index()] + " bytes";
            case LayerOp.Conv2d x -> x.outChannels() + " channels, " + window(x.window()) + ", " + x.weightBits() + "-bit weights"
                    + (x.hasBias() ? ", bias" : "") + ", " + weightBytesOfLayer[l.index()] + " bytes";
            case LayerOp.AvgPool x -> window(x.window()) + ", weight " + x.weight();
            case LayerOp.MaxPool x -> window(x.window());
            case LayerOp.Reshape x -> "";
            case LayerOp.Merge x -> "";
            case LayerOp.Neurons x -> "reset " + (x.reset() == Reset.ZERO ? "zero" : "subtract") + ", v_bits " + x.vBits()
                    + (x.leaky() ? ", leak_shift " + x.leakShift() : "") + ", " + slicesOfLayer[l.index()] + " slices";
            case LayerOp.DecodePotential x -> slicesOfLayer[l.index()] + " slices";
            case LayerOp.DecodeCount x -> "";
        };
    }

    private static String window(Window w) {
        return "kernel " + w.kh() + "x" + w.kw() + " stride " + w.sh() + "x" + w.sw() + " pad [" + w.padTop() + ", " + w.padLeft() + ", "
                + w.padBottom() + ", " + w.padRight() + "]";
    }

    static String shape(int[] shape) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < shape.length; i++) sb.append(i > 0 ? "x" : "").append(shape[i]);
        return sb.toString();
    }

    long memoryUsed() { return m.slices().stream().mapToLong(CoreSlice::synapseBytes).sum(); }

    long destinations() { return m.routes().stream().mapToLong(r -> r.destinations().length).sum(); }

    long hops() { return m.routes().stream().mapToLong(Route::hops).sum(); }

    long sleepers() { return m.slices().stream().filter(s -> s.wake().onSpike()).count(); }

    /** The report for people. */
    public String text() {
        var h = m.header();
        var t = m.target();
        StringBuilder sb = new StringBuilder();
        sb.append("Format: .nmc ").append(h.majorVersion()).append('.').append(h.minorVersion()).append(", written by ").append(h.producer())
                .append(", ").append(fileBytes).append(" bytes\n");
        sb.append("Module: @").append(h.moduleName()).append('\n');
        sb.append("Target: ").append(t.name()).append(" (").append(t.chips()).append(t.chips() == 1 ? " chip" : " chips").append(" x ")
                .append(t.nodesPerChip()).append(" nodes x ").append(t.npusPerNode()).append(" NPUs = ").append(t.totalNpus())
                .append(" NPUs, ").append(t.neuronsPerNpu()).append(" neurons and ").append(t.synapseMemoryBytesPerNpu())
                .append(" synapse bytes per NPU, ").append(fmt(t.clockMhz())).append(" MHz)\n");
        sb.append("Timesteps: ").append(m.io().timesteps()).append(", seed ").append(m.io().seed()).append('\n');
        sb.append("\nInputs:\n");
        for (IoSpec.InputSpec in : m.io().inputs()) {
            sb.append("  ").append(in.name()).append("  ").append(shape(in.shape())).append("  ")
                    .append(in.encoding() == Encoding.RATE ? "rate" : "direct, input_scale " + in.inputScale()).append(", range [")
                    .append(fmt(in.rangeLo())).append(", ").append(fmt(in.rangeHi())).append("]  (layer ").append(in.layer()).append(")\n");
        }
        sb.append("Outputs:\n");
        for (IoSpec.OutputSpec out : m.io().outputs()) {
            Layer d = m.layers().get(out.decoder());
            sb.append("  ").append(out.name()).append("  ").append(shape(out.shape())).append("  ")
                    .append(d.op() instanceof LayerOp.DecodeCount ? "spike counts" : "potentials").append(" of layer ").append(d.index());
            if (out.tiePopulation() >= 0) sb.append(", ties broken by layer ").append(out.tiePopulation());
            sb.append('\n');
        }
        sb.append("\nLayers (").append(m.layers().size()).append("):\n");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"#", "name", "kind", "shape", "inputs", "parameters"});
        for (Layer l : m.layers()) {
            rows.add(new String[] {String.valueOf(l.index()), l.name(), kind(l.op()), shape(l.shape()),
                    l.inputs().length == 0 ? "-" : join(l.inputs()), params(l)});
        }
        table(sb, rows);
        sb.append("\nCores (").append(m.slices().size()).append(" slices):\n");
        rows = new ArrayList<>();
        rows.add(new String[] {"slice", "layer", "core", "neurons", "thresholds", "v0", "synapse bytes", "wake"});
        for (CoreSlice s : m.slices()) {
            rows.add(new String[] {String.valueOf(s.id()), s.layer() + " " + m.layers().get(s.layer()).name(), s.core().toString(),
                    "[" + s.neuronStart() + ", " + s.neuronEnd() + ")", values(s.thresholds()), values(s.v0()), String.valueOf(s.synapseBytes()),
                    wake(s)});
        }
        table(sb, rows);
        long available = m.target().synapseMemoryBytesPerNpu() * m.target().totalNpus();
        sb.append("\nMemory: ").append(memoryUsed()).append(" synapse bytes used on ").append(m.slices().size()).append(" of ")
                .append(m.target().totalNpus()).append(" NPUs (").append(pct(memoryUsed(), available)).append(" of ").append(available)
                .append("); packed weights ").append(m.weightBytes()).append(" bytes in ").append(m.synapses().size()).append(" blocks\n");
        sb.append("Routing: ").append(m.routes().size()).append(" routes, ").append(destinations()).append(" destinations, ")
                .append(hops()).append(hops() == 1 ? " hop\n" : " hops\n");
        for (Route r : m.routes()) {
            sb.append("  slice ").append(r.source()).append(" -> ").append(join(r.destinations())).append("  (").append(r.hops())
                    .append(r.hops() == 1 ? " hop)\n" : " hops)\n");
        }
        sb.append("Wake-on-spike: ").append(sleepers()).append(" of ").append(m.slices().size()).append(" cores may sleep\n");
        sb.append("\nReport:\n");
        if (m.reportJson().isEmpty()) sb.append("  (none stored)\n");
        else for (String line : NmcJson.reportLines(m.reportJson())) sb.append("  ").append(line).append('\n');
        return sb.toString();
    }

    /** Per-slice parameters: "-" (a decoder), the values when few, else their range and count. */
    private static String values(int[] v) {
        if (v.length == 0) return "-";
        if (v.length <= 4) return join(v);
        int min = Arrays.stream(v).min().orElse(0), max = Arrays.stream(v).max().orElse(0);
        return min + ".." + max + " (" + v.length + " channels)";
    }

    private static String wake(CoreSlice s) {
        if (!s.wake().onSpike()) return "always";
        return "on spike from " + join(s.wake().sources()) + ", idle " + s.wake().idleTimeoutCycles();
    }

    static String join(int[] v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length; i++) sb.append(i > 0 ? "," : "").append(v[i]);
        return sb.toString();
    }

    private static void table(StringBuilder sb, List<String[]> rows) {
        int[] w = new int[rows.getFirst().length];
        for (String[] r : rows) for (int i = 0; i < r.length; i++) w[i] = Math.max(w[i], r[i].length());
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder("  ");
            for (int i = 0; i < r.length; i++) {
                line.append(r[i]);
                if (i < r.length - 1) line.append(" ".repeat(w[i] - r[i].length() + 2));
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
    }

    private static String pct(long a, long b) { return b == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * a / b); }

    static String fmt(double v) { return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v); }

    /** The same facts for scripts. */
    public String json() { return new NmcJson(m, this, fileBytes).render(); }

    NmcModel model() { return m; }

    long weightBytes(int layer) { return weightBytesOfLayer[layer]; }
}

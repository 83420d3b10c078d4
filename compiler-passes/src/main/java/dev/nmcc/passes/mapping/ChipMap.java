package dev.nmcc.passes.mapping;

import dev.nmcc.backend.target.Geometry;
import dev.nmcc.backend.target.Target;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Draws a mapping as an SVG picture ({@code nmcc compile --map FILE.svg}): per chip, its node
 * mesh; per node, its NPUs as squares (the only {@code <rect>} elements: one per NPU, class
 * {@code npu}), filled with the colour of the layer whose slice it holds (unused NPUs light grey,
 * sleeping-capable ones with a dashed border), labelled with the slice id, and with two bars
 * along the bottom: synapse memory used (dark) and neurons used (light), as fractions of the NPU's
 * capacity. A legend lists the layers with their colours, slices and memory; a tooltip
 * ({@code <title>}) on each NPU gives the exact numbers. Written by hand, no dependencies.
 */
public final class ChipMap {
    private ChipMap() {}

    private static final String[] PALETTE = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
            "#9c755f", "#bab0ac", "#1f77b4", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#17becf"};

    static final int CELL = 48, GAP = 4, NODE_PAD = 6, NODE_GAP = 14, MARGIN = 20, TITLE = 44;

    /** The SVG text of {@code report}'s mapping on {@code target} (its chip count is taken from the report). */
    public static String svg(MappingReport report, Target target) {
        Target t = report.chips() != target.geometry().chips() ? target.withChips(report.chips()) : target;
        Geometry g = t.geometry();
        int perRow = (int) Math.ceil(Math.sqrt(g.npusPerNode()));
        int perCol = (int) Math.ceil(g.npusPerNode() / (double) perRow);
        int nodeW = 2 * NODE_PAD + perRow * CELL + (perRow - 1) * GAP;
        int nodeH = 2 * NODE_PAD + perCol * CELL + (perCol - 1) * GAP;
        int chipW = g.meshCols() * nodeW + (g.meshCols() - 1) * NODE_GAP;
        int chipH = g.meshRows() * nodeH + (g.meshRows() - 1) * NODE_GAP;
        // Wide enough for the longest legend line (about 6.5 px per character at font-size 11).
        int legendChars = 0;
        for (MappingReport.LayerInfo l : report.layers()) legendChars = Math.max(legendChars, legendLine(l).length());
        int legendW = Math.max(330, 40 + (int) Math.ceil(6.5 * legendChars));
        int width = MARGIN * 2 + g.chips() * chipW + (g.chips() - 1) * 2 * MARGIN + legendW;
        int legendH = 24 * (report.layers().size() + 4);
        int height = TITLE + MARGIN * 2 + Math.max(chipH + 20, legendH);

        Map<Integer, MappingReport.SliceInfo> byNpu = new HashMap<>();
        for (MappingReport.SliceInfo s : report.slices()) byNpu.put(t.index(s.chip(), s.node(), s.npu()), s);

        StringBuilder sb = new StringBuilder();
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"sans-serif\" font-size=\"11\">\n", width, height, width, height));
        sb.append("<style>.npu{stroke:#333;stroke-width:1}.free{fill:#eeeeee;stroke:#bbb}.sleep{stroke-dasharray:3 2}"
                + ".lbl{fill:#fff;font-weight:bold;text-anchor:middle}.dim{fill:#666}</style>\n");
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"15\" font-weight=\"bold\">%s</text>\n", MARGIN, MARGIN + 6,
                esc(report.target() + ": " + report.coresUsed() + " of " + report.coresAvailable() + " NPUs used (lower bound "
                        + report.lowerBound() + "), " + MappingReport.memory(report.memoryUsed()) + " of " + MappingReport.memory(report.memoryAvailable())
                        + " synapse memory")));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"dim\">%s</text>\n", MARGIN, MARGIN + 24,
                esc("Each square is one NPU, coloured by layer; bars: synapse memory (dark) and neurons (light) used. Dashed: may sleep.")));
        int top = TITLE + MARGIN;
        for (int c = 0; c < g.chips(); c++) {
            int x0 = MARGIN + c * (chipW + 2 * MARGIN);
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">chip %d</text>\n", x0, top - 4, c));
            for (int n = 0; n < g.nodesPerChip(); n++) {
                int nx = x0 + g.nodeCol(n) * (nodeW + NODE_GAP), ny = top + 4 + g.nodeRow(n) * (nodeH + NODE_GAP);
                sb.append(String.format(Locale.ROOT, "<path d=\"M%d %dh%dv%dh%dz\" fill=\"#fafafa\" stroke=\"#999\"><title>node %d (row %d, column %d)</title></path>\n",
                        nx, ny, nodeW, nodeH, -nodeW, n, g.nodeRow(n), g.nodeCol(n)));
                for (int p = 0; p < g.npusPerNode(); p++) {
                    int npu = t.index(c, n, p);
                    int cx = nx + NODE_PAD + (p % perRow) * (CELL + GAP), cy = ny + NODE_PAD + (p / perRow) * (CELL + GAP);
                    MappingReport.SliceInfo s = byNpu.get(npu);
                    if (s == null) {
                        sb.append(String.format(Locale.ROOT, "<rect class=\"npu free\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"><title>%s</title></rect>\n",
                                cx, cy, CELL, CELL, esc("chip " + c + ", node " + n + ", npu " + p + ": unused")));
                        continue;
                    }
                    MappingReport.LayerInfo l = report.layers().get(s.layer());
                    double mem = s.bytes() / (double) report.npuMemory(), neu = s.neurons() / (double) report.npuNeurons();
                    String tip = String.format(Locale.ROOT, "chip %d, node %d, npu %d: slice %d of layer %s, neurons [%d, %d), %d bytes (%.0f%% of memory), %.1f%% of neurons, wake %s",
                            c, n, p, s.id(), l.name(), s.start(), s.end(), s.bytes(), 100 * mem, 100 * neu, s.wake());
                    sb.append(String.format(Locale.ROOT, "<rect class=\"npu%s\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"><title>%s</title></rect>\n",
                            s.wake().equals("on_spike") ? " sleep" : "", cx, cy, CELL, CELL, PALETTE[s.layer() % PALETTE.length], esc(tip)));
                    sb.append(String.format(Locale.ROOT, "<text class=\"lbl\" x=\"%d\" y=\"%d\">%d</text>\n", cx + CELL / 2, cy + 20, s.id()));
                    bar(sb, cx + 3, cy + CELL - 14, CELL - 6, mem, "#222");
                    bar(sb, cx + 3, cy + CELL - 7, CELL - 6, neu, "#ddd");
                }
            }
        }
        int lx = width - legendW + 10, ly = top + 10;
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">layers</text>\n", lx, ly));
        for (int i = 0; i < report.layers().size(); i++) {
            MappingReport.LayerInfo l = report.layers().get(i);
            int y = ly + 20 + 22 * i;
            sb.append(String.format(Locale.ROOT, "<path d=\"M%d %dh14v14h-14z\" fill=\"%s\" stroke=\"#333\"/>\n", lx, y - 11, PALETTE[i % PALETTE.length]));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>\n", lx + 20, y,
                    esc(legendLine(l))));
        }
        int y = ly + 30 + 22 * report.layers().size();
        sb.append(String.format(Locale.ROOT, "<path d=\"M%d %dh14v14h-14z\" fill=\"#eeeeee\" stroke=\"#bbb\"/>\n", lx, y - 11));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">unused NPU</text>\n", lx + 20, y));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"dim\">KB = 2^10, MB = 2^20 bytes</text>\n", lx, y + 22));
        sb.append("</svg>\n");
        return sb.toString();
    }

    private static String legendLine(MappingReport.LayerInfo l) {
        return l.name() + " (" + l.kind() + "): " + l.neurons() + " neurons, " + l.slices() + " NPU" + (l.slices() == 1 ? "" : "s")
                + ", " + MappingReport.memory(l.bytes()) + ", " + l.weightBits() + "-bit";
    }

    private static void bar(StringBuilder sb, int x, int y, int w, double frac, String color) {
        int len = (int) Math.round(Math.max(0, Math.min(1, frac)) * w);
        sb.append(String.format(Locale.ROOT, "<path d=\"M%d %dh%dv4h%dz\" fill=\"#ffffff\" fill-opacity=\"0.6\"/>", x, y, w, -w));
        if (len > 0) sb.append(String.format(Locale.ROOT, "<path d=\"M%d %dh%dv4h%dz\" fill=\"%s\"/>", x, y, len, -len, color));
        sb.append('\n');
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** Writes the picture to a file. */
    public static void write(MappingReport report, Target target, java.nio.file.Path file) throws java.io.IOException {
        java.nio.file.Files.writeString(file, svg(report, target));
    }
}

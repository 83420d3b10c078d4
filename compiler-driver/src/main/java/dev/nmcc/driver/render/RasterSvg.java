package dev.nmcc.driver.render;

import dev.nmcc.driver.sim.SimReport;
import dev.nmcc.driver.sim.SpikeRaster;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Draws {@code nmcc validate --raster FILE.svg}: one horizontal band per spiking layer of one
 * sample (time on x, neuron on y, labelled on the left), and on the right of each population the
 * histogram of its neurons' firing rates over the whole validation run, so that silent and
 * saturated layers show at a glance.
 *
 * <p>A band has at most {@value #MAX_ROWS} rows: a larger layer merges consecutive neurons into
 * one row, and a cell's opacity is the fraction of the row's neurons that spiked at that timestep.
 * Elements a test can count: one {@code <g class="band">} per layer, one {@code <rect class="spike">}
 * per non-empty (row, timestep) cell, one {@code <rect class="bin">} per histogram bin with
 * neurons. The output is deterministic: same raster and report, same bytes.
 */
public final class RasterSvg {
    private RasterSvg() {}

    static final int MAX_ROWS = 128;
    static final int BINS = 20;
    private static final int MARGIN = 20, TITLE = 66, LABEL_W = 180, GAP = 36, HIST_W = 200, BAND_GAP = 40, MIN_BAND_H = 56;
    private static final String[] PALETTE = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#b07aa1", "#9c755f", "#edc948"};

    /** The SVG of {@code raster}, with firing-rate histograms from {@code report}'s layers. */
    public static String svg(SpikeRaster raster, SimReport report) {
        int t = raster.timesteps();
        int colW = Math.max(1, 640 / t); // about 640 px of time, whatever T
        int plotW = colW * t;
        int plotX = MARGIN + LABEL_W, histX = plotX + plotW + GAP;
        int width = histX + HIST_W + MARGIN;
        int height = TITLE + MARGIN;
        for (SpikeRaster.Band b : raster.bands()) height += bandHeight(b) + BAND_GAP;
        height = Math.max(height, TITLE + MARGIN + 20);

        Map<String, SimReport.LayerActivity> activity = new HashMap<>();
        for (SimReport.LayerActivity l : report.layers()) activity.put(l.name(), l);

        StringBuilder sb = new StringBuilder();
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.append(f("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" "
                + "font-size=\"11\">\n", width, height, width, height));
        sb.append("<style>.dim{fill:#666}.name{font-weight:bold}.axis{stroke:#999;fill:none}.frame{fill:#fafafa;stroke:#ccc}"
                + ".end{text-anchor:end}.mid{text-anchor:middle}</style>\n");
        String outcome = raster.label() >= 0
                ? "label " + raster.label() + ", predicted " + raster.prediction() + (raster.label() == raster.prediction() ? "" : ": wrong")
                : "predicted " + raster.prediction();
        text(sb, MARGIN, MARGIN + 6, "font-size=\"15\" font-weight=\"bold\"",
                "Spike raster of sample " + raster.sample() + " (" + outcome + "), T = " + t + ": " + report.model());
        text(sb, MARGIN, MARGIN + 24, "class=\"dim\"", "One band per spiking layer: x is the timestep, y the neuron; in large layers a row "
                + "merges several neurons and the darker its shade, the more of them spiked.");
        text(sb, MARGIN, MARGIN + 38, "class=\"dim\"", "Right: how the layer's neurons' firing rates are distributed over the "
                + report.samples() + " validated samples (" + report.engine() + ").");

        int y = TITLE + MARGIN;
        for (int i = 0; i < raster.bands().size(); i++) {
            SpikeRaster.Band b = raster.bands().get(i);
            band(sb, b, t, colW, plotX, y, PALETTE[i % PALETTE.length]);
            SimReport.LayerActivity l = activity.get(b.name());
            if (l != null) histogram(sb, l, report, histX, y, bandHeight(b), PALETTE[i % PALETTE.length]);
            else text(sb, histX, y + 14, "class=\"dim\"", "no rate histogram: not a population");
            y += bandHeight(b) + BAND_GAP;
        }
        if (raster.bands().isEmpty()) text(sb, MARGIN, y + 14, "class=\"dim\"", "(the model has no spiking layer)");
        sb.append("</svg>\n");
        return sb.toString();
    }

    /** Neurons merged into one row of a band of {@code size} neurons. */
    static int group(int size) { return Math.max(1, (size + MAX_ROWS - 1) / MAX_ROWS); }

    static int rows(int size) { return Math.max(1, (size + group(size) - 1) / group(size)); }

    static int rowHeight(int size) { return Math.max(1, Math.min(8, MAX_ROWS / rows(size))); }

    /** Neurons in row {@code r} (the last row of a merged band may hold fewer). */
    private static int inRow(int size, int group, int r) { return Math.min(group, size - r * group); }

    static int bandHeight(SpikeRaster.Band b) { return Math.max(MIN_BAND_H, rows(b.size()) * rowHeight(b.size())); }

    private static void band(StringBuilder sb, SpikeRaster.Band b, int t, int colW, int x0, int y0, String colour) {
        int group = group(b.size()), rows = rows(b.size()), rowH = rowHeight(b.size());
        int plotH = rows * rowH;
        double rate = b.size() == 0 ? 0 : (double) b.spikes() / ((double) b.size() * t);
        sb.append(f("<g class=\"band\" id=\"%s\"><title>%s</title>\n", esc("band-" + b.name()),
                esc(b.name() + " (" + b.kind() + "): " + b.size() + " neurons" + (group > 1 ? ", " + group + " per row" : "") + "; "
                        + b.spikes() + " spikes in this sample, " + pct(rate) + " of neurons × timesteps")));
        text(sb, MARGIN, y0 + 12, "class=\"name\"", b.name());
        text(sb, MARGIN, y0 + 26, "class=\"dim\"", b.kind() + ", " + f("%,d", b.size()) + " neurons");
        text(sb, MARGIN, y0 + 40, "class=\"dim\"", f("%,d", b.spikes()) + " spikes (" + pct(rate) + ")");
        if (group > 1) text(sb, MARGIN, y0 + 54, "class=\"dim\"", group + " neurons per row");
        sb.append(f("<rect class=\"frame\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>\n", x0, y0, t * colW, plotH));

        int[] counts = new int[rows * t];
        for (int k = 0; k < b.spikes(); k++) counts[(b.neurons()[k] / group) * t + b.times()[k]]++;
        // A merged row's shade is its spiking fraction relative to the band's busiest cell, so that
        // a sparse layer still shows its structure; the label says what the darkest shade means.
        double busiest = 0;
        for (int r = 0; r < rows; r++) {
            for (int s = 0; s < t; s++) busiest = Math.max(busiest, (double) counts[r * t + s] / inRow(b.size(), group, r));
        }
        if (group > 1 && busiest > 0) text(sb, MARGIN, y0 + 68, "class=\"dim\"", "darkest: " + pct(busiest) + " of a row spiked");
        sb.append(f("<g fill=\"%s\">\n", colour));
        int w = Math.max(1, colW - 1);
        for (int r = 0; r < rows; r++) {
            for (int s = 0; s < t; s++) {
                int c = counts[r * t + s];
                if (c == 0) continue;
                String shade = group == 1 ? "" : f(" fill-opacity=\"%.2f\"", Math.max(0.12, (double) c / inRow(b.size(), group, r) / busiest));
                sb.append(f("<rect class=\"spike\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"%s/>\n", x0 + s * colW, y0 + r * rowH, w, rowH,
                        shade));
            }
        }
        sb.append("</g>\n");
        // Axes: timesteps below, first and last neuron on the left of the plot.
        for (int s = 0; s <= t; s += Math.max(1, tickStep(t))) {
            int x = x0 + s * colW;
            sb.append(f("<path class=\"axis\" d=\"M%d %dv4\"/>\n", x, y0 + plotH));
            text(sb, x, y0 + plotH + 15, "class=\"dim mid\"", Integer.toString(s));
        }
        text(sb, x0 + t * colW, y0 + plotH + 28, "class=\"dim end\"", "timestep");
        text(sb, x0 - 4, y0 + 9, "class=\"dim end\"", "0");
        text(sb, x0 - 4, y0 + plotH, "class=\"dim end\"", Integer.toString(b.size() - 1));
        sb.append("</g>\n");
    }

    /** A tick every 1, 2, 4, 8, ... timesteps: at most 8 labels. */
    static int tickStep(int t) {
        int step = 1;
        while (t / step > 8) step *= 2;
        return step;
    }

    private static void histogram(StringBuilder sb, SimReport.LayerActivity l, SimReport report, int x0, int y0, int h, String colour) {
        long[] bins = new long[BINS];
        double denom = (double) report.timesteps() * Math.max(1, report.samples());
        int silent = 0;
        for (long s : l.spikesPerNeuron()) {
            if (s == 0) silent++;
            bins[Math.min(BINS - 1, (int) (s / denom * BINS))]++;
        }
        long max = 1;
        for (long c : bins) max = Math.max(max, c);
        int plotH = h - 4, binW = HIST_W / BINS;
        sb.append(f("<g class=\"hist\" id=\"%s\">\n", esc("hist-" + l.name())));
        sb.append(f("<path class=\"axis\" d=\"M%d %dv%dh%d\"/>\n", x0, y0, plotH, HIST_W));
        for (int i = 0; i < BINS; i++) {
            if (bins[i] == 0) continue;
            int bh = (int) Math.max(1, Math.round((double) bins[i] / max * (plotH - 14)));
            sb.append(f("<rect class=\"bin\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"><title>%s</title></rect>\n",
                    x0 + i * binW + 1, y0 + plotH - bh, binW - 1, bh, colour,
                    esc(f("%,d", bins[i]) + " neurons fire at " + (i * 100 / BINS) + "–" + ((i + 1) * 100 / BINS) + "% of timesteps")));
        }
        text(sb, x0, y0 + plotH + 15, "class=\"dim mid\"", "0%");
        text(sb, x0 + HIST_W / 2, y0 + plotH + 15, "class=\"dim mid\"", "50%");
        text(sb, x0 + HIST_W, y0 + plotH + 15, "class=\"dim mid\"", "100%");
        text(sb, x0 + HIST_W, y0 + 9, "class=\"dim end\"", "mean " + pct(l.firingRate(report.timesteps(), report.samples()))
                + (silent > 0 ? f(", %,d silent", silent) : ""));
        text(sb, x0 + HIST_W, y0 + plotH + 28, "class=\"dim end\"", "firing rate per neuron");
        sb.append("</g>\n");
    }

    private static void text(StringBuilder sb, int x, int y, String attrs, String s) {
        sb.append(f("<text x=\"%d\" y=\"%d\" %s>%s</text>\n", x, y, attrs, esc(s)));
    }

    private static String pct(double r) { return f("%.1f%%", 100 * r); }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String f(String format, Object... args) { return String.format(Locale.ROOT, format, args); }
}

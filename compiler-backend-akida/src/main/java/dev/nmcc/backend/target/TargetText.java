package dev.nmcc.backend.target;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Targets for people: the table of {@code nmcc targets} and the full description of one target. */
public final class TargetText {
    private TargetText() {}

    /** One row per target: name, NPUs, total synapse memory, weight bits, clock, description. */
    public static String table(List<Target> targets) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"name", "NPUs", "synapse memory", "weight bits", "clock", "description"});
        for (Target t : targets) {
            rows.add(new String[] {t.name(), Integer.toString(t.totalNpus()), bytes(t.totalSynapseMemoryBytes()), bits(t.npu().weightBits()),
                Numbers.text(t.timing().clockMhz()) + " MHz", t.description()});
        }
        int cols = rows.getFirst().length;
        int[] w = new int[cols];
        for (String[] r : rows) for (int i = 0; i < cols; i++) w[i] = Math.max(w[i], r[i].length());
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder("  ");
            for (int i = 0; i < cols; i++) {
                if (i > 0) line.append("  ");
                String pad = " ".repeat(w[i] - r[i].length());
                line.append(i == 1 ? pad + r[i] : r[i] + pad); // the NPU count is right-aligned
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    /** Every field with its unit, the derived totals, then the sources. */
    public static String describe(Target t) {
        StringBuilder sb = new StringBuilder();
        sb.append("target ").append(t.name()).append(": ").append(t.description()).append('\n');
        int width = 0;
        for (TargetFields.Field f : TargetFields.all()) width = Math.max(width, f.name().length());
        for (String section : TargetFields.SECTIONS) {
            sb.append(section).append(":\n");
            for (TargetFields.Field f : TargetFields.of(section)) {
                String v = TargetJson.value(t, f.name()).replace("[", "").replace("]", "");
                String unit = f.unit().isEmpty() || f.kind() == TargetFields.Kind.SIZES && f.unit().startsWith("k (") ? "" : " " + f.unit();
                sb.append("  ").append(f.name()).append(": ").append(" ".repeat(width - f.name().length())).append(v).append(unit).append('\n');
            }
        }
        Geometry g = t.geometry();
        sb.append("derived:\n");
        sb.append(String.format(Locale.ROOT, "  total NPUs:            %d (%d chip%s x %d nodes x %d NPUs; node n at row n / %d, column n %% %d)%n",
                t.totalNpus(), g.chips(), g.chips() == 1 ? "" : "s", g.nodesPerChip(), g.npusPerNode(), g.meshCols(), g.meshCols()));
        sb.append(String.format(Locale.ROOT, "  total synapse memory:  %d bytes (%s)%n", t.totalSynapseMemoryBytes(), bytes(t.totalSynapseMemoryBytes())));
        sb.append(String.format(Locale.ROOT, "  total neurons:         %d%n", t.totalNeurons()));
        sb.append(String.format(Locale.ROOT, "  cycle:                 %s ns%n", Numbers.text(Math.round(t.timing().cycleNs() * 1000) / 1000.0)));
        if (!t.sources().isEmpty()) {
            sb.append("sources:\n");
            for (Map.Entry<String, String> e : t.sources().entrySet()) sb.append("  ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
        }
        return sb.toString();
    }

    /** Bytes in binary units: {@code 8.0 MiB}, {@code 102.4 KiB}, {@code 512 B}. */
    static String bytes(long b) {
        if (b >= 1L << 30) return String.format(Locale.ROOT, "%.1f GiB", b / (double) (1L << 30));
        if (b >= 1L << 20) return String.format(Locale.ROOT, "%.1f MiB", b / (double) (1L << 20));
        if (b >= 1L << 10) return String.format(Locale.ROOT, "%.1f KiB", b / (double) (1L << 10));
        return b + " B";
    }

    private static String bits(List<Integer> bits) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < bits.size(); i++) sb.append(i == 0 ? "" : ",").append(bits.get(i));
        return sb.toString();
    }
}

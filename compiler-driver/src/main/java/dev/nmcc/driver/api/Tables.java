package dev.nmcc.driver.api;

import java.util.List;
import java.util.function.IntPredicate;

/** Plain-text tables for reports: text columns left-aligned, number columns right-aligned. */
final class Tables {
    private Tables() {}

    /**
     * @param rightAligned which columns are right-aligned (numbers); the others are left-aligned
     */
    static String render(List<String[]> rows, IntPredicate rightAligned) {
        int cols = rows.getFirst().length;
        int[] w = new int[cols];
        for (String[] r : rows) for (int i = 0; i < cols; i++) w[i] = Math.max(w[i], r[i].length());
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder("  ");
            for (int i = 0; i < cols; i++) {
                if (i > 0) line.append("  ");
                String pad = " ".repeat(w[i] - r[i].length());
                line.append(rightAligned.test(i) ? pad + r[i] : r[i] + pad);
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }
}

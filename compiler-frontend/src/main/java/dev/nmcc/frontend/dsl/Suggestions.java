package dev.nmcc.frontend.dsl;

import java.util.Collection;

/** "Did you mean" for misspelt names: the closest candidate by edit distance, when close enough. */
final class Suggestions {
    private Suggestions() {}

    /** The closest candidate within (length + 1) / 3 edits (none for names of one or two letters), or null. Ties go to the first. */
    static String closest(String word, Collection<String> candidates) {
        String best = null;
        int bestD = Integer.MAX_VALUE;
        int limit = (word.length() + 1) / 3;
        if (limit == 0) return null;
        for (String c : candidates) {
            if (c.equals(word)) continue;
            int d = distance(word, c, limit);
            if (d <= limit && d < bestD) {
                best = c;
                bestD = d;
            }
        }
        return best;
    }

    /** {@code "; did you mean 'x'?"}, or empty. */
    static String didYouMean(String word, Collection<String> candidates) {
        String c = closest(word, candidates);
        return c == null ? "" : "; did you mean '" + c + "'?";
    }

    /** Levenshtein distance with transpositions counted as one edit; stops early above limit. */
    static int distance(String a, String b, int limit) {
        if (Math.abs(a.length() - b.length()) > limit) return limit + 1;
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    v = Math.min(v, d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
            }
        }
        return d[a.length()][b.length()];
    }
}

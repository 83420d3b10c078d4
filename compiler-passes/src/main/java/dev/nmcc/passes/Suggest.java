package dev.nmcc.passes;

import java.util.Collection;

/** "Did you mean" for names typed by a user: the closest candidate by edit distance, if close. */
final class Suggest {
    private Suggest() {}

    /** The candidate closest to {@code word}, or null when none is within a third of its length (at least 2 edits). */
    static String closest(String word, Collection<String> candidates) {
        String best = null;
        int bestDist = Integer.MAX_VALUE;
        int limit = Math.max(2, word.length() / 3);
        for (String c : candidates) {
            int d = distance(word, c);
            if (d < bestDist) {
                bestDist = d;
                best = c;
            }
        }
        return bestDist <= limit ? best : null;
    }

    /** "; did you mean 'x'?" or the empty string. */
    static String didYouMean(String word, Collection<String> candidates) {
        String c = closest(word, candidates);
        return c == null ? "" : "; did you mean '" + c + "'?";
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}

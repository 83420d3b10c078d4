package dev.nmcc.frontend.dsl;

import dev.nmcc.frontend.numpy.NpyArray;
import java.util.List;
import java.util.Map;

/** The arrays of one {@code params "file.npz";} statement, as written and as read. */
record Params(String writtenPath, Map<String, NpyArray> arrays) {
    /** "a, b, c, d, e and 3 more": a few of the available keys, for error messages. */
    String someKeys() {
        List<String> keys = List.copyOf(arrays.keySet());
        if (keys.isEmpty()) return "no arrays";
        int shown = Math.min(5, keys.size());
        String head = String.join(", ", keys.subList(0, shown));
        return keys.size() > shown ? head + " and " + (keys.size() - shown) + " more" : head;
    }
}

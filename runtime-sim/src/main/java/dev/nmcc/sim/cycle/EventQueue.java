package dev.nmcc.sim.cycle;

import java.util.Arrays;

/**
 * A binary min-heap of timed events on primitive arrays, ordered by time, then by insertion
 * (so equal times are served first come, first served, deterministically). Reused across
 * timesteps; grows, never shrinks.
 */
final class EventQueue {
    private long[] time = new long[64], seq = new long[64];
    private int[] kind = new int[64], arg = new int[64], arg2 = new int[64];
    private int size;
    private long next;

    /** The last popped event's fields. */
    long t;
    int k, a, b;

    boolean isEmpty() { return size == 0; }

    void push(long when, int what, int x, int y) {
        if (size == time.length) {
            int cap = size * 2;
            time = Arrays.copyOf(time, cap); seq = Arrays.copyOf(seq, cap);
            kind = Arrays.copyOf(kind, cap); arg = Arrays.copyOf(arg, cap); arg2 = Arrays.copyOf(arg2, cap);
        }
        int i = size++;
        long s = next++;
        while (i > 0) {
            int p = (i - 1) >>> 1;
            if (!before(when, s, time[p], seq[p])) break;
            move(p, i);
            i = p;
        }
        set(i, when, s, what, x, y);
    }

    /** Removes the earliest event into {@link #t}, {@link #k}, {@link #a}, {@link #b}. */
    void pop() {
        t = time[0]; k = kind[0]; a = arg[0]; b = arg2[0];
        int last = --size;
        if (last == 0) return;
        long lt = time[last], ls = seq[last];
        int lk = kind[last], la = arg[last], lb = arg2[last];
        int i = 0;
        while (true) {
            int c = 2 * i + 1;
            if (c >= last) break;
            if (c + 1 < last && before(time[c + 1], seq[c + 1], time[c], seq[c])) c++;
            if (!before(time[c], seq[c], lt, ls)) break;
            move(c, i);
            i = c;
        }
        set(i, lt, ls, lk, la, lb);
    }

    private static boolean before(long t1, long s1, long t2, long s2) { return t1 < t2 || (t1 == t2 && s1 < s2); }

    private void move(int from, int to) {
        time[to] = time[from]; seq[to] = seq[from]; kind[to] = kind[from]; arg[to] = arg[from]; arg2[to] = arg2[from];
    }

    private void set(int i, long when, long s, int what, int x, int y) {
        time[i] = when; seq[i] = s; kind[i] = what; arg[i] = x; arg2[i] = y;
    }
}

package dev.nmcc.sim.cycle;

import dev.nmcc.nmc.model.CoreCoord;
import dev.nmcc.nmc.model.TargetSpec;
import java.util.Arrays;

/**
 * The network-on-chip as the timer sees it: channels (each source's injection port, every directed
 * mesh link, every directed chip-to-chip link) with a latency and a bandwidth, and for each
 * (source, destination) pair that events use — a <em>slot</em> — the channels its packets cross.
 *
 * <p>Routing (TargetSpec, targets.md): within a chip, dimension-ordered XY routing — along the
 * row to the destination's column first, then along the column; between chips, XY to mesh
 * position (0, 0), the chain of chip links, then XY from (0, 0). The host interface sits at mesh
 * position (0, 0) of chip 0 and injects through its own port. Source ids: slices 0 … n−1, the
 * host n. Slots are numbered by source, then destination (the order a source emits its packets).
 */
final class Network {
    static final int EAST = 0, WEST = 1, SOUTH = 2, NORTH = 3;

    final int slices, host, slots;
    final long[] latency;
    final double[] bandwidth;
    /** slotOf[src · slices + dst], or -1. */
    final int[] slotOf;
    final int[] slotSrc, slotDst, onChipHops, interChipHops;
    /** Uncontended latency of a slot's path (the sum of its channels' latencies). */
    final long[] slotLatency;
    /** Channels after the injection port, slot s: {@code path[pathStart[s] … pathStart[s+1])}. */
    final int[] pathStart, path;
    /** Slots of source src: {@code [srcStart[src], srcStart[src+1])}, by destination. */
    final int[] srcStart;
    /** Per slice: the sources that may send it events (whose end-of-timestep it waits for). */
    final int[] sourcesOf;

    private final TargetSpec t;
    private final int meshBase, chipBase;

    Network(TargetSpec t, CoreCoord[] coords, boolean[] pairs) {
        this.t = t;
        slices = coords.length;
        host = slices;
        meshBase = slices + 1;
        chipBase = meshBase + t.chips() * t.meshRows() * t.meshCols() * 4;
        int channels = chipBase + t.chips() * 2;
        latency = new long[channels];
        bandwidth = new double[channels];
        Arrays.fill(bandwidth, 0, meshBase, t.linkBandwidthEventsPerCycle());
        Arrays.fill(latency, meshBase, chipBase, t.hopLatencyCycles());
        Arrays.fill(bandwidth, meshBase, chipBase, t.linkBandwidthEventsPerCycle());
        Arrays.fill(latency, chipBase, channels, t.interChipLatencyCycles());
        Arrays.fill(bandwidth, chipBase, channels, t.interChipBandwidthEventsPerCycle());

        int count = 0;
        for (boolean b : pairs) if (b) count++;
        slots = count;
        slotOf = new int[pairs.length];
        Arrays.fill(slotOf, -1);
        slotSrc = new int[count]; slotDst = new int[count]; onChipHops = new int[count]; interChipHops = new int[count];
        slotLatency = new long[count];
        pathStart = new int[count + 1];
        srcStart = new int[slices + 2];
        sourcesOf = new int[slices];
        int[] buf = new int[64];
        int[] all = new int[16];
        int used = 0, s = 0;
        for (int src = 0; src <= slices; src++) {
            srcStart[src] = s;
            CoreCoord a = src == host ? new CoreCoord(0, 0, 0) : coords[src];
            for (int d = 0; d < slices; d++) {
                if (!pairs[src * slices + d]) continue;
                slotOf[src * slices + d] = s;
                slotSrc[s] = src; slotDst[s] = d;
                sourcesOf[d]++;
                int len = route(a, coords[d], buf);
                if (buf.length < len) { buf = new int[len]; route(a, coords[d], buf); }
                long lat = 0;
                for (int k = 0; k < len; k++) {
                    lat += latency[buf[k]];
                    if (buf[k] >= chipBase) interChipHops[s]++;
                    else onChipHops[s]++;
                }
                slotLatency[s] = lat;
                if (used + len > all.length) all = Arrays.copyOf(all, Math.max(all.length * 2, used + len));
                System.arraycopy(buf, 0, all, used, len);
                used += len;
                pathStart[s + 1] = used;
                s++;
            }
        }
        srcStart[slices + 1] = s;
        path = Arrays.copyOf(all, used);
    }

    /** The injection port of a source. */
    int port(int src) { return src; }

    /** Writes the links from a to b into out (as many as fit) and returns how many there are. */
    private int route(CoreCoord a, CoreCoord b, int[] out) {
        int n = 0;
        if (a.chip() == b.chip()) return xy(a.chip(), t.row(a), t.col(a), t.row(b), t.col(b), out, 0);
        n = xy(a.chip(), t.row(a), t.col(a), 0, 0, out, n);
        int step = b.chip() > a.chip() ? 1 : -1;
        for (int c = a.chip(); c != b.chip(); c += step) n = put(out, n, chipBase + c * 2 + (step > 0 ? 0 : 1));
        return xy(b.chip(), 0, 0, t.row(b), t.col(b), out, n);
    }

    private int xy(int chip, int r, int c, int r2, int c2, int[] out, int n) {
        while (c != c2) {
            int dir = c2 > c ? EAST : WEST;
            n = put(out, n, meshLink(chip, r, c, dir));
            c += c2 > c ? 1 : -1;
        }
        while (r != r2) {
            int dir = r2 > r ? SOUTH : NORTH;
            n = put(out, n, meshLink(chip, r, c, dir));
            r += r2 > r ? 1 : -1;
        }
        return n;
    }

    private static int put(int[] out, int n, int ch) {
        if (n < out.length) out[n] = ch;
        return n + 1;
    }

    /** The directed mesh link leaving position (r, c) of a chip in direction dir. */
    int meshLink(int chip, int r, int c, int dir) { return meshBase + ((chip * t.meshRows() + r) * t.meshCols() + c) * 4 + dir; }

    int channels() { return latency.length; }
}

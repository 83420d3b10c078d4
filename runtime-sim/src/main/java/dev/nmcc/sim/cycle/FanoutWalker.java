package dev.nmcc.sim.cycle;

/**
 * Follows each event of a producer to the core slices it reaches and counts the synaptic
 * operations it causes there, exactly as docs/snn-semantics.md counts them: dense, {@code units};
 * conv2d, output channels × the output positions whose window covers the input; average pooling,
 * the windows covering it. Behind an average pooling the next projection's events are the pool's
 * non-zero outputs, each counted once per timestep (a per-timestep stamp per pool output).
 *
 * <p>Two uses: {@link #collecting} marks every (source, destination) pair an event can use (once,
 * over every index, when the model is prepared); {@link #accumulating} adds each timestep's events
 * into per-packet counters ({@code copies}, {@code sops}, {@code lastSops}, indexed by slot). One
 * copy of an event goes to each slice it reaches, however many paths lead there (unicast).
 * Nothing is allocated per event.
 */
final class FanoutWalker {
    private final EventPaths paths;
    private final int n;
    private final boolean[] pairs;
    private final int[] slotOf;
    /** Per slot: events, SOPs, and SOPs of the last event added (the packet's tail) in this timestep. */
    final int[] copies;
    final long[] sops, lastSops;
    /** Per slice: SOPs of events that reach no slice (pooling work with nothing behind it). */
    final long[] orphanSops;
    private final int[] destStamp;
    private final int[][] poolStamp;
    private int eventSerial, stepSerial = 1;
    private int src, firstSlot, fallback;
    private long poolSops;

    private FanoutWalker(EventPaths paths, int slices, boolean[] pairs, int[] slotOf, int slots) {
        this.paths = paths;
        this.n = slices;
        this.pairs = pairs;
        this.slotOf = slotOf;
        copies = new int[slots];
        sops = new long[slots];
        lastSops = new long[slots];
        orphanSops = new long[slices];
        destStamp = new int[slices];
        poolStamp = new int[paths.poolOutputs.length][];
        for (int k = 0; k < poolStamp.length; k++) poolStamp[k] = new int[paths.poolOutputs[k]];
    }

    /** A walker that marks {@code pairs[src · slices + dst]} for every pair an event uses. */
    static FanoutWalker collecting(EventPaths paths, int slices, boolean[] pairs) {
        return new FanoutWalker(paths, slices, pairs, null, 0);
    }

    /** A walker that adds events into per-slot counters; {@code slotOf[src · slices + dst]} is the slot. */
    static FanoutWalker accumulating(EventPaths paths, int slices, int[] slotOf, int slots) {
        return new FanoutWalker(paths, slices, null, slotOf, slots);
    }

    /** The next timestep: pool outputs count as new events again. */
    void nextTimestep() { stepSerial++; }

    /** Adds the events {@code indices[0 … count)} of layer {@code layer}. */
    void events(int layer, int[] indices, int count) {
        EventPaths.Producer p = layer >= 0 && layer < paths.producers.length ? paths.producers[layer] : null;
        if (p == null) throw new IllegalArgumentException("layer " + layer + " does not produce events");
        Stage[] roots = p.roots();
        for (int k = 0; k < count; k++) {
            int i = indices[k];
            src = p.source(i, paths.host);
            eventSerial++;
            firstSlot = -1;
            fallback = -1;
            poolSops = 0;
            for (Stage s : roots) visit(s, i, true);
            if (poolSops > 0 && pairs == null) {
                if (firstSlot >= 0) {
                    sops[firstSlot] += poolSops;
                    lastSops[firstSlot] += poolSops;
                } else {
                    orphanSops[fallback] += poolSops;
                }
            }
        }
    }

    private void visit(Stage st, int idx, boolean counting) {
        switch (st.kind) {
            case POOL_MID -> {
                WindowGeometry g = st.g;
                int plane = g.plane(), c = idx / plane, rem = idx - c * plane, iy = rem / g.w, ix = rem - iy * g.w;
                int y0 = g.yLo[iy], y1 = g.yHi[iy], x0 = g.xLo[ix], x1 = g.xHi[ix];
                if (counting) {
                    poolSops += (long) Math.max(0, y1 - y0 + 1) * Math.max(0, x1 - x0 + 1);
                    if (fallback < 0) fallback = st.fallbackSlice;
                }
                int[] stamp = poolStamp[st.stampIndex];
                int base = c * g.outPlane();
                for (int oy = y0; oy <= y1; oy++) {
                    for (int ox = x0; ox <= x1; ox++) {
                        int w = base + oy * g.ow + ox;
                        boolean fresh = counting && !st.zeroWeight && stamp[w] != stepSerial;
                        if (fresh) stamp[w] = stepSerial;
                        for (Stage nx : st.next) visit(nx, w, fresh);
                    }
                }
            }
            case DENSE -> {
                for (Stage.Dest d : st.dests) {
                    for (int k = 0; k < d.slice().length; k++) reach(d.slice()[k], d.end()[k] - d.start()[k], counting);
                }
            }
            case CONV -> {
                WindowGeometry g = st.g;
                int rem = idx % g.plane(), iy = rem / g.w, ix = rem % g.w;
                window(st, 0, st.outChannels, g.yLo[iy], g.yHi[iy], g.xLo[ix], g.xHi[ix], counting);
            }
            case POOL_END -> {
                WindowGeometry g = st.g;
                int plane = g.plane(), c = idx / plane, rem = idx - c * plane, iy = rem / g.w, ix = rem - iy * g.w;
                window(st, c, c + 1, g.yLo[iy], g.yHi[iy], g.xLo[ix], g.xHi[ix], counting);
            }
        }
    }

    private void window(Stage st, int c0, int c1, int y0, int y1, int x0, int x1, boolean counting) {
        if (y0 > y1 || x0 > x1) return;
        int plane = st.g.outPlane(), ow = st.g.ow;
        for (Stage.Dest d : st.dests) {
            int[] sl = d.slice(), s = d.start(), e = d.end();
            for (int k = 0; k < sl.length; k++) {
                long cnt = WindowGeometry.countInRange(c0, c1, plane, ow, y0, y1, x0, x1, s[k], e[k]);
                if (cnt > 0) reach(sl[k], cnt, counting);
            }
        }
    }

    private void reach(int d, long cnt, boolean counting) {
        if (pairs != null) {
            pairs[src * n + d] = true;
            return;
        }
        int slot = slotOf[src * n + d];
        if (destStamp[d] != eventSerial) {
            destStamp[d] = eventSerial;
            copies[slot]++;
            lastSops[slot] = 0;
            if (firstSlot < 0) firstSlot = slot;
        }
        if (counting) {
            sops[slot] += cnt;
            lastSops[slot] += cnt;
        }
    }
}

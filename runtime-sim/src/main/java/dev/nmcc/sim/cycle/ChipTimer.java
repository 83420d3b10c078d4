package dev.nmcc.sim.cycle;

import dev.nmcc.nmc.model.TargetSpec;
import java.util.Arrays;

/**
 * The cycle model of one inference (docs/simulator.md, "Cycle mode"). During a timestep the
 * functional engine's events are added up per packet — all events of one source for one
 * destination slice in that timestep — by the {@link FanoutWalker}; {@link #endTimestep} then runs
 * a discrete-event simulation of the timestep over those packets:
 *
 * <ul>
 *   <li>the host injects its packets at the start of the timestep; a slice injects its packets
 *       when its neuron update ends, by destination, through its port;</li>
 *   <li>a packet of n events occupies each channel it crosses for ceil(n / bandwidth) cycles
 *       (virtual cut-through: its head goes on after the channel's latency; a channel serves
 *       packets in the order their heads arrive; it cannot finish before the packet's tail has
 *       reached it);</li>
 *   <li>a core serves arriving packets in order: ceil(SOPs / sopsPerCycle) cycles, finishing no
 *       earlier than the tail's arrival plus the last event's own SOPs;</li>
 *   <li>its neuron update (neurons × neuronUpdateCycles) starts when every source has finished
 *       the timestep (end-of-timestep markers follow a source's last packet, or travel alone at
 *       the path's uncontended latency) and its packets are done;</li>
 *   <li>an on_spike core sleeps after idleTimeout cycles without work and wakes on a packet
 *       (wakeLatency cycles before it can work); asleep without input and without spikes to send,
 *       it skips the update in time (the update is still counted: it is caught up on waking).</li>
 * </ul>
 *
 * Timesteps do not overlap: timestep t + 1 starts when every core has finished t.
 */
final class ChipTimer implements SampleTimer {
    private static final int HOP = 0, ARRIVE = 1, UPDATE = 2;

    private final CycleModel m;
    private final Network net;
    private final TargetSpec target;
    private final FanoutWalker walker;
    private final EventQueue q = new EventQueue();
    private final int n;
    private final int sopsPerCycle;
    private final long wakeLatency, updateCycles;

    // per sample
    private long now;
    private int step;
    private long[] timestepCycles = new long[64];
    private final long[] busy, asleep, sops, wakes;
    private long hops, interChipHops, updates;
    // per core timeline
    private final long[] asleepSince, lastWorkEnd, coreFree, ready;
    private final int[] pending;
    private final boolean[] gotPackets;
    // per channel and slot
    private final long[] channelFree, slotTail;
    private long stepEnd;

    ChipTimer(CycleModel m) {
        this.m = m;
        this.net = m.net;
        this.target = m.model.target();
        this.n = net.slices;
        this.walker = FanoutWalker.accumulating(m.paths, n, net.slotOf, net.slots);
        this.sopsPerCycle = target.sopsPerCyclePerNpu();
        this.wakeLatency = target.wakeLatencyCycles();
        this.updateCycles = target.neuronUpdateCycles();
        busy = new long[n]; asleep = new long[n]; sops = new long[n]; wakes = new long[n];
        asleepSince = new long[n]; lastWorkEnd = new long[n]; coreFree = new long[n]; ready = new long[n];
        pending = new int[n];
        gotPackets = new boolean[n];
        channelFree = new long[net.channels()];
        slotTail = new long[net.slots];
    }

    @Override
    public void begin() {
        now = 0;
        step = 0;
        hops = interChipHops = updates = 0;
        Arrays.fill(busy, 0); Arrays.fill(asleep, 0); Arrays.fill(sops, 0); Arrays.fill(wakes, 0);
        Arrays.fill(lastWorkEnd, 0); Arrays.fill(coreFree, 0);
        for (int d = 0; d < n; d++) asleepSince[d] = m.onSpike[d] ? 0 : -1;
        Arrays.fill(channelFree, 0);
        Arrays.fill(walker.copies, 0); Arrays.fill(walker.sops, 0); Arrays.fill(walker.lastSops, 0); Arrays.fill(walker.orphanSops, 0);
        walker.nextTimestep();
    }

    @Override
    public void spikes(int timestep, int layer, int[] indices, int count) {
        if (timestep != step) throw new IllegalStateException("events of timestep " + timestep + " during timestep " + step);
        walker.events(layer, indices, count);
    }

    @Override
    public void endTimestep(int t) {
        if (t != step) throw new IllegalStateException("end of timestep " + t + " during timestep " + step);
        long t0 = now;
        stepEnd = t0;
        for (int d = 0; d < n; d++) {
            pending[d] = net.sourcesOf[d];
            ready[d] = t0;
            gotPackets[d] = false;
            if (pending[d] == 0) q.push(t0, UPDATE, d, 0);
        }
        emit(net.host, t0);
        while (!q.isEmpty()) {
            q.pop();
            switch (q.k) {
                case HOP -> hop(q.a, q.b, q.t);
                case ARRIVE -> arrive(q.a, q.t);
                default -> update(q.a, q.t);
            }
        }
        now = stepEnd;
        if (step == timestepCycles.length) timestepCycles = Arrays.copyOf(timestepCycles, step * 2);
        timestepCycles[step] = now - t0;
        for (int s = 0; s < net.slots; s++) {
            int c = walker.copies[s];
            hops += (long) c * net.onChipHops[s];
            interChipHops += (long) c * net.interChipHops[s];
            sops[net.slotDst[s]] += walker.sops[s];
            walker.copies[s] = 0;
            walker.sops[s] = 0;
            walker.lastSops[s] = 0;
        }
        for (int d = 0; d < n; d++) {
            sops[d] += walker.orphanSops[d];
            walker.orphanSops[d] = 0;
        }
        updates += m.totalNeurons;
        walker.nextTimestep();
        step++;
    }

    /** Source src (a slice, or the host) injects its packets of this timestep from cycle e on, then its end-of-timestep markers. */
    private void emit(int src, long e) {
        int port = net.port(src);
        long free = Math.max(channelFree[port], e);
        double bw = net.bandwidth[port];
        int from = net.srcStart[src], to = net.srcStart[src + 1];
        for (int s = from; s < to; s++) {
            int c = walker.copies[s];
            if (c == 0) continue;
            long start = free;
            free = start + serial(c, bw);
            slotTail[s] = free;
            q.push(start, net.pathStart[s] == net.pathStart[s + 1] ? ARRIVE : HOP, s, 0);
        }
        channelFree[port] = free;
        for (int s = from; s < to; s++) if (walker.copies[s] == 0) marker(net.slotDst[s], free + net.slotLatency[s]);
    }

    /** The head of slot s's packet reaches channel k of its path at cycle h. */
    private void hop(int s, int k, long h) {
        int ch = net.path[net.pathStart[s] + k];
        long start = Math.max(h, channelFree[ch]);
        long end = Math.max(start + serial(walker.copies[s], net.bandwidth[ch]), slotTail[s]);
        channelFree[ch] = end;
        long lat = net.latency[ch];
        slotTail[s] = end + lat;
        boolean last = net.pathStart[s] + k + 1 == net.pathStart[s + 1];
        q.push(start + lat, last ? ARRIVE : HOP, s, k + 1);
    }

    /** The head of slot s's packet reaches its destination core at cycle h. */
    private void arrive(int s, long h) {
        int d = net.slotDst[s];
        wake(d, h);
        long start = Math.max(coreFree[d], h);
        long work = ceilDiv(walker.sops[s], sopsPerCycle);
        long end = Math.max(start + work, slotTail[s] + ceilDiv(walker.lastSops[s], sopsPerCycle));
        busy[d] += work;
        coreFree[d] = end;
        lastWorkEnd[d] = end;
        gotPackets[d] = true;
        stepEnd = Math.max(stepEnd, end);
        marker(d, end);
    }

    /** One of d's sources is done with the timestep as far as d is concerned, at cycle when. */
    private void marker(int d, long when) {
        ready[d] = Math.max(ready[d], when);
        if (--pending[d] == 0) q.push(Math.max(ready[d], coreFree[d]), UPDATE, d, 0);
    }

    /** Core d's neuron update for this timestep may start at cycle u. */
    private void update(int d, long u) {
        fallAsleep(d, u);
        boolean sends = false;
        for (int s = net.srcStart[d]; s < net.srcStart[d + 1] && !sends; s++) sends = walker.copies[s] > 0;
        if (asleepSince[d] >= 0 && !gotPackets[d] && !sends) {
            stepEnd = Math.max(stepEnd, u);
            emit(d, u);
            return;
        }
        wake(d, u);
        long start = Math.max(coreFree[d], u);
        long work = (long) m.neurons[d] * updateCycles;
        long end = start + work;
        busy[d] += work;
        coreFree[d] = end;
        lastWorkEnd[d] = end;
        stepEnd = Math.max(stepEnd, end);
        emit(d, end);
    }

    /** Whether an on_spike core's idle timeout has run out by cycle t: then it has been asleep since it did. */
    private void fallAsleep(int d, long t) {
        if (asleepSince[d] < 0 && m.onSpike[d] && lastWorkEnd[d] + m.timeout[d] <= t) asleepSince[d] = lastWorkEnd[d] + m.timeout[d];
    }

    /** Core d must work from cycle h: if asleep, it wakes and can work wakeLatency cycles later. */
    private void wake(int d, long h) {
        fallAsleep(d, h);
        if (asleepSince[d] < 0) return;
        asleep[d] += h - asleepSince[d];
        asleepSince[d] = -1;
        wakes[d]++;
        coreFree[d] = Math.max(coreFree[d], h + wakeLatency);
        lastWorkEnd[d] = Math.max(lastWorkEnd[d], h + wakeLatency);
    }

    @Override
    public SampleCycles finish() {
        long end = now;
        long[] idle = new long[n], sl = new long[n];
        double staticPj = 0, sopTotal = 0;
        for (int d = 0; d < n; d++) {
            fallAsleep(d, end);
            sl[d] = asleep[d] + (asleepSince[d] >= 0 ? end - asleepSince[d] : 0);
            idle[d] = end - busy[d] - sl[d];
            staticPj += target.staticPowerAwakeUw() * target.micros(busy[d] + idle[d]) + target.staticPowerAsleepUw() * target.micros(sl[d]);
            sopTotal += sops[d];
        }
        double dynamicPj = target.pjPerSop() * sopTotal + target.pjPerNeuronUpdate() * updates + target.pjPerHop() * hops
                + target.pjPerInterChipHop() * interChipHops;
        double alwaysAwakePj = dynamicPj + n * target.staticPowerAwakeUw() * target.micros(end);
        return new SampleCycles(end, Arrays.copyOf(timestepCycles, step), busy.clone(), idle, sl, sops.clone(), wakes.clone(), hops,
                interChipHops, updates, dynamicPj, staticPj, alwaysAwakePj);
    }

    /** Cycles a channel of {@code bw} events per cycle needs for n events (at least one; exact for integral ratios). */
    static long serial(int events, double bw) {
        return Math.max(1, (long) Math.ceil(events / bw - 1e-9));
    }

    private static long ceilDiv(long a, long b) { return (a + b - 1) / b; }
}

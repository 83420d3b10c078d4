package dev.nmcc.sim.cycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Hand-computed timelines of tiny chips (TinyChip's target: 2 SOPs/cycle, 1 cycle per neuron update, 2 cycles per mesh hop,
 * 1 event/cycle links, chip links 50 cycles at 0.5 events/cycle, wake latency 10, 100 MHz). Each expectation is worked out
 * in the comments from the rules of docs/simulator.md.
 */
class TimelineTest {
    private static int[] ev(int... i) { return i; }

    @Test
    void oneCoreWithHostInputOnItsNode() {
        TinyChip c = new TinyChip(1, 2, 2, 2);
        int enc = c.rate(c.input(4));
        int h = c.neurons("h", c.dense(enc, 3));
        c.slice(h, 0, 3, 0, 0, 0);
        SampleTimer timer = new CycleModel(c.model()).newTimer();
        timer.begin();
        // t=0: 2 input events, 3 SOPs each. The host port sends them in 2 cycles (tail at 2); the core starts at 0, works
        // ceil(6/2) = 3 cycles, but not before the tail + the last event's ceil(3/2) = 2 cycles: done at 4; update 3 → 7.
        timer.spikes(0, enc, ev(0, 2), 2);
        timer.spikes(0, h, ev(1), 1);
        timer.endTimestep(0);
        // t=1: nothing arrives; the host's end-of-timestep marker is immediate (same node): update 7 → 10.
        timer.spikes(1, enc, ev(), 0);
        timer.endTimestep(1);
        SampleCycles s = timer.finish();
        assertThat(s.timestepCycles()).containsExactly(7, 3);
        assertThat(s.cycles()).isEqualTo(10);
        assertThat(s.coreBusy()).containsExactly(9);
        assertThat(s.coreIdle()).containsExactly(1);
        assertThat(s.coreAsleep()).containsExactly(0);
        assertThat(s.coreSops()).containsExactly(6);
        assertThat(s.hops()).isZero();
        assertThat(s.neuronUpdates()).isEqualTo(6);
        // 1 pJ × 6 SOPs + 2 pJ × 6 updates; 50 µW × 10 cycles / 100 MHz = 5 pJ
        assertThat(s.dynamicPj()).isCloseTo(18, within(1e-9));
        assertThat(s.staticPj()).isCloseTo(5, within(1e-9));
        assertThat(s.alwaysAwakePj()).isCloseTo(23, within(1e-9));
    }

    @Test
    void twoCoresOnAdjacentNodes() {
        TinyChip c = new TinyChip(1, 2, 2, 1);
        int enc = c.rate(c.input(4));
        int h = c.neurons("h", c.dense(enc, 2));
        int out = c.decoder(c.dense(h, 3));
        int a = c.slice(h, 0, 2, 0, 0, 0);
        int b = c.slice(out, 0, 3, 0, 1, 0);
        c.route(a, b);
        SampleTimer timer = new CycleModel(c.model()).newTimer();
        timer.begin();
        timer.spikes(0, enc, ev(1), 1);
        timer.spikes(0, h, ev(0, 1), 2);
        timer.endTimestep(0);
        SampleCycles s = timer.finish();
        // A: packet head 0, tail 1; work 1, done max(1, 1 + 1) = 2; update 2 → 4.
        // A → B: port 4..6 (tail 6); east link: 4..6, head at B at 6, tail at 8.
        // B: 6 SOPs → 3 cycles (9), but not before tail 8 + ceil(3/2) = 10; update 3 → 13.
        assertThat(s.timestepCycles()).containsExactly(13);
        assertThat(s.coreBusy()).containsExactly(1 + 2, 3 + 3);
        assertThat(s.coreIdle()).containsExactly(13 - 3, 13 - 6);
        assertThat(s.coreSops()).containsExactly(2, 6);
        assertThat(s.hops()).isEqualTo(2);
        assertThat(s.interChipHops()).isZero();
    }

    @Test
    void twoSourcesContendForOneLink() {
        TinyChip c = new TinyChip(1, 2, 2, 2);
        int enc = c.rate(c.input(2));
        int h = c.neurons("h", c.dense(enc, 4));
        int out = c.decoder(c.dense(h, 1));
        int a = c.slice(h, 0, 2, 0, 0, 0);
        int b = c.slice(h, 2, 4, 0, 0, 1);
        int d = c.slice(out, 0, 1, 0, 1, 0);
        c.route(a, d);
        c.route(b, d);
        SampleTimer timer = new CycleModel(c.model()).newTimer();
        timer.begin();
        timer.spikes(0, enc, ev(0), 1);
        timer.spikes(0, h, ev(0, 1, 2, 3), 4);
        timer.endTimestep(0);
        SampleCycles s = timer.finish();
        // host port: to A at 0 (tail 1), to B at 1 (tail 2). A done 2, update → 4; B done 3, update → 5.
        // A's packet (2 events) takes the east link 4..6, B's head arrives at 5 but waits until 6: 6..8 (not 5..7).
        // D: A's packet head 6, tail 8: done max(7, 8 + 1) = 9; B's head 8, tail 10: done max(10, 10 + 1) = 11; update → 12.
        assertThat(s.timestepCycles()).containsExactly(12);
        assertThat(s.coreBusy()).containsExactly(1 + 2, 1 + 2, 2 + 1);
        assertThat(s.hops()).isEqualTo(4);
        assertThat(s.coreSops()).containsExactly(2, 2, 4);
    }

    @Test
    void interChipTraffic() {
        TinyChip c = new TinyChip(2, 2, 2, 1);
        int enc = c.rate(c.input(2));
        int h = c.neurons("h", c.dense(enc, 1));
        int out = c.decoder(c.dense(h, 1));
        int a = c.slice(h, 0, 1, 0, 3, 0);   // chip 0, row 1, col 1
        int b = c.slice(out, 0, 1, 1, 1, 0); // chip 1, row 0, col 1
        c.route(a, b);
        CycleModel model = new CycleModel(c.model());
        assertThat(model.hops(a, b)).containsExactly(3, 1);
        assertThat(model.hops(2, a)).containsExactly(2, 0); // the host, at chip 0 (0, 0)
        SampleTimer timer = model.newTimer();
        timer.begin();
        timer.spikes(0, enc, ev(0, 1), 2);
        timer.spikes(0, h, ev(0), 1);
        timer.endTimestep(0);
        SampleCycles s = timer.finish();
        // host → A: port 0..2, east 0..2 (head 2, tail 4), south 2..4 (head 4, tail 6): A done max(5, 6 + 1) = 7, update → 8.
        // A → B: port 8..9; west 8..9 (head 10, tail 11); north 10..11 (head 12, tail 13); chip link 12..14 (1 event at 0.5/cycle),
        // head 62, tail 64; east on chip 1 62..64 (head 64, tail 66). B: done max(65, 66 + 1) = 67; update → 68.
        assertThat(s.timestepCycles()).containsExactly(68);
        assertThat(s.hops()).isEqualTo(2 * 2 + 3);
        assertThat(s.interChipHops()).isEqualTo(1);
        assertThat(s.dynamicPj()).isCloseTo(1.0 * (2 + 1) + 2.0 * 2 + 3.0 * 7 + 100.0, within(1e-9));
    }

    @Test
    void sleepAndWakeWithIdleTimeout() {
        TinyChip c = new TinyChip(1, 2, 2, 2);
        int enc = c.rate(c.input(2));
        int big = c.neurons("big", c.dense(enc, 20));
        int small = c.neurons("small", c.dense(enc, 2));
        c.slice(big, 0, 20, 0, 0, 0);
        c.sleepy(small, 0, 2, 0, 0, 1, 5);
        SampleTimer timer = new CycleModel(c.model()).newTimer();
        timer.begin();
        // t=0: host port: X at 0 (tail 1), Y at 1 (tail 2). X: 10 cycles of SOPs, done max(10, 1 + 10) = 11, update → 31.
        // Y asleep since 0 wakes at 1 (asleep 1), can work at 11: done max(12, 2 + 1) = 12, update → 14.
        timer.spikes(0, enc, ev(0), 1);
        timer.endTimestep(0);
        // t=1 (from 31): no input. X updates 31 → 51. Y timed out at 14 + 5 = 19: asleep, nothing to do, stays asleep.
        timer.spikes(1, enc, ev(), 0);
        timer.endTimestep(1);
        // t=2 (from 51): X at 51, done 62, update → 82. Y's packet at 52 wakes it (asleep 19..52 = 33), works at 62: done 63,
        // update → 65; it falls asleep at 70 and sleeps to the end, 82 (12 more).
        timer.spikes(2, enc, ev(1), 1);
        timer.endTimestep(2);
        SampleCycles s = timer.finish();
        assertThat(s.timestepCycles()).containsExactly(31, 20, 31);
        assertThat(s.cycles()).isEqualTo(82);
        assertThat(s.coreBusy()).containsExactly(80, 6);
        assertThat(s.coreAsleep()).containsExactly(0, 1 + 33 + 12);
        assertThat(s.coreIdle()).containsExactly(2, 82 - 6 - 46);
        assertThat(s.coreWakes()).containsExactly(0, 2);
        assertThat(s.neuronUpdates()).isEqualTo(66);
        // awake 36 cycles and asleep 46 at 100 MHz: 50 × 0.36 + 5 × 0.46; the other core is awake 0.82 µs.
        assertThat(s.staticPj()).isCloseTo(50 * 0.82 + 50 * 0.36 + 5 * 0.46, within(1e-9));
        assertThat(s.alwaysAwakePj()).isCloseTo(s.dynamicPj() + 2 * 50 * 0.82, within(1e-9));
    }

    @Test
    void directInputEntersAtTheHostInterfaceEveryTimestep() {
        TinyChip c = new TinyChip(1, 2, 2, 1);
        int enc = c.direct(c.input(1, 3, 3));
        int h = c.neurons("h", c.conv(enc, 2, TinyChip.window(3, 1, 1), 3, 3));
        c.slice(h, 0, 5, 0, 0, 0);   // channel 0, positions 0..4
        c.slice(h, 5, 18, 0, 3, 0);  // the rest, at row 1, column 1: two hops from the host
        SampleTimer timer = new CycleModel(c.model()).newTimer();
        timer.begin();
        for (int t = 0; t < 2; t++) {
            // the corner (0) is under 4 output positions × 2 channels; the centre (4) under 9 × 2.
            timer.spikes(t, enc, ev(0, 4), 2);
            timer.endTimestep(t);
        }
        SampleCycles s = timer.finish();
        // slice 0: corner 4 SOPs (positions 0, 1, 3, 4 of channel 0), centre 5 → 9, last 5; slice 1: 4 + 13 = 17, last 13.
        // host port: to 0 at 0..2, to 1 at 2..4; east 2..4 (head 4, tail 6), south 4..6 (head 6, tail 8).
        // slice 0: done max(0 + 5, 2 + 3) = 5, update 5 → 10. slice 1: done max(6 + 9, 8 + 7) = 15, update 13 → 28.
        assertThat(s.timestepCycles()).containsExactly(28, 28);
        assertThat(s.coreSops()).containsExactly(18, 34);
        assertThat(s.hops()).isEqualTo(2 * 2 * 2);
        assertThat(s.coreBusy()).containsExactly(2 * (5 + 5), 2 * (9 + 13));
    }

    @Test
    void poolOutputsAreCountedOncePerTimestep() {
        TinyChip c = new TinyChip(1, 1, 2, 1);
        int enc = c.rate(c.input(2));
        int p = c.neurons("p", c.reshape(c.dense(enc, 16), 1, 4, 4));
        int pool = c.avgpool(p, TinyChip.window(2, 2, 0), 2, 2);
        int q = c.neurons("q", c.conv(pool, 2, TinyChip.window(1, 1, 0), 2, 2));
        int a = c.slice(p, 0, 16, 0, 0, 0);
        int b = c.slice(q, 0, 8, 0, 1, 0);
        c.route(a, b);
        SampleTimer timer = new CycleModel(c.model()).newTimer();
        timer.begin();
        for (int t = 0; t < 2; t++) {
            timer.spikes(t, enc, ev(), 0);
            // spikes 0, 1 and 5 share window (0, 0); 15 is in window (1, 1): 4 pooling SOPs, 2 pooled events × 2 channels
            timer.spikes(t, p, ev(0, 1, 5, 15), 4);
            timer.endTimestep(t);
        }
        SampleCycles s = timer.finish();
        assertThat(s.coreSops()).containsExactly(0, 2 * (4 + 4));
        assertThat(s.hops()).isEqualTo(2 * 4);
    }
}

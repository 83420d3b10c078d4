package dev.nmcc.sim.cycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nmcc.nmc.model.LayerOp;
import dev.nmcc.nmc.model.NmcModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A mid-size network over two chips (conv with slices cut inside channels, average and max pooling, dense, a merge into the
 * decoder, sleeping cores) fed random spikes: SOPs equal a brute-force count of docs/snn-semantics.md's definition; every
 * core's busy + idle + asleep is the inference; the energy follows its formula; always-awake energy is never lower.
 */
class InvariantsTest {
    private static final int T = 12;

    private final TinyChip c = new TinyChip(2, 2, 2, 2);
    private final int enc, c1, mp, h, m, out;

    InvariantsTest() {
        enc = c.rate(c.input(1, 6, 6));
        c1 = c.neurons("c1", c.conv(enc, 4, TinyChip.window(3, 1, 1), 6, 6));
        int pool = c.avgpool(c1, TinyChip.window(2, 2, 0), 3, 3);
        h = c.neurons("h", c.dense(c.reshape(pool, 36), 10));
        mp = c.layer("mp", new int[] {c1}, new int[] {4, 3, 3}, new LayerOp.MaxPool(TinyChip.window(2, 2, 0)));
        m = c.neurons("m", c.conv(mp, 2, TinyChip.window(3, 1, 1), 3, 3));
        int fromH = c.dense(h, 3);
        int fromM = c.dense(c.reshape(m, 18), 3);
        out = c.layer("out", new int[] {c.layer("sum", new int[] {fromH, fromM}, new int[] {3}, new LayerOp.Merge())}, new int[] {3},
                new LayerOp.DecodePotential());
        int a0 = c.slice(c1, 0, 50, 0, 0, 0), a1 = c.sleepy(c1, 50, 100, 0, 1, 0, 4), a2 = c.slice(c1, 100, 144, 0, 3, 1);
        int h0 = c.sleepy(h, 0, 6, 0, 2, 0, 3), h1 = c.slice(h, 6, 10, 1, 0, 0);
        int m0 = c.sleepy(m, 0, 18, 1, 3, 1, 20);
        int o = c.slice(out, 0, 3, 0, 0, 1);
        for (int a : new int[] {a0, a1, a2}) c.route(a, h0, h1, m0);
        c.route(h0, o);
        c.route(h1, o);
        c.route(m0, o);
    }

    private static int[] pick(SplittableRandom r, int n, double p) {
        return java.util.stream.IntStream.range(0, n).filter(i -> r.nextDouble() < p).toArray();
    }

    /** Output positions of a k×k, stride-1, pad-p window over an s×s map that cover input (y, x), by enumeration. */
    private static int covering(int s, int k, int stride, int pad, int y, int x, int outSize) {
        int n = 0;
        for (int oy = 0; oy < outSize; oy++) {
            for (int ox = 0; ox < outSize; ox++) {
                int dy = y - (oy * stride - pad), dx = x - (ox * stride - pad);
                if (dy >= 0 && dy < k && dx >= 0 && dx < k) n++;
            }
        }
        return n;
    }

    private record Run(SampleCycles cycles, long referenceSops) {}

    private Run run(SampleTimer timer, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        long ref = 0;
        timer.begin();
        for (int t = 0; t < T; t++) {
            int[] in = pick(r, 36, 0.3);
            timer.spikes(t, enc, in, in.length);
            for (int i : in) ref += 4L * covering(6, 3, 1, 1, i / 6, i % 6, 6);
            int[] s1 = pick(r, 144, 0.15);
            timer.spikes(t, c1, s1, s1.length);
            boolean[] window = new boolean[36];
            for (int i : s1) {
                int ch = i / 36, y = i % 36 / 6, x = i % 6;
                ref += covering(6, 2, 2, 0, y, x, 3);
                window[ch * 9 + y / 2 * 3 + x / 2] = true;
            }
            int pooled = 0;
            for (boolean b : window) if (b) pooled++;
            ref += 10L * pooled; // the dense layer's events: non-zero pooled currents
            int[] pm = java.util.stream.IntStream.range(0, 36).filter(w -> window[w]).toArray(); // max pooling = OR
            timer.spikes(t, mp, pm, pm.length);
            for (int i : pm) ref += 2L * covering(3, 3, 1, 1, i % 9 / 3, i % 3, 3);
            int[] sh = pick(r, 10, 0.3);
            timer.spikes(t, h, sh, sh.length);
            int[] sm = pick(r, 18, 0.2);
            timer.spikes(t, m, sm, sm.length);
            ref += 3L * (sh.length + sm.length);
            timer.endTimestep(t);
        }
        return new Run(timer.finish(), ref);
    }

    @Test
    void sopsTimeAndEnergyAddUp() {
        NmcModel model = c.model();
        CycleModel cm = new CycleModel(model);
        SampleTimer timer = cm.newTimer();
        List<SampleCycles> all = new ArrayList<>();
        for (long seed = 1; seed <= 5; seed++) {
            Run run = run(timer, seed);
            SampleCycles s = run.cycles();
            all.add(s);
            assertThat(Arrays.stream(s.coreSops()).sum()).isEqualTo(run.referenceSops());
            assertThat(Arrays.stream(s.timestepCycles()).sum()).isEqualTo(s.cycles());
            long sleptSomewhere = 0;
            double stat = 0;
            for (int d = 0; d < model.slices().size(); d++) {
                assertThat(s.coreBusy()[d] + s.coreIdle()[d] + s.coreAsleep()[d]).as("core %d", d).isEqualTo(s.cycles());
                assertThat(s.coreIdle()[d]).isNotNegative();
                sleptSomewhere += s.coreAsleep()[d];
                stat += 50.0 * (s.coreBusy()[d] + s.coreIdle()[d]) / 100 + 5.0 * s.coreAsleep()[d] / 100;
                if (!model.slices().get(d).wake().onSpike()) assertThat(s.coreAsleep()[d]).isZero();
            }
            assertThat(sleptSomewhere).isPositive();
            assertThat(s.neuronUpdates()).isEqualTo((144 + 10 + 18 + 3) * (long) T);
            assertThat(s.interChipHops()).isPositive();
            double dyn = 1.0 * run.referenceSops() + 2.0 * s.neuronUpdates() + 3.0 * s.hops() + 100.0 * s.interChipHops();
            assertThat(s.dynamicPj()).isCloseTo(dyn, within(1e-6));
            assertThat(s.staticPj()).isCloseTo(stat, within(1e-6));
            assertThat(s.alwaysAwakePj()).isCloseTo(dyn + 7 * 50.0 * s.cycles() / 100, within(1e-6));
            assertThat(s.alwaysAwakePj()).isGreaterThan(s.energyPj());
        }
        // a reused timer gives what a fresh one gives
        assertThat(run(cm.newTimer(), 3).cycles()).usingRecursiveComparison().isEqualTo(all.get(2));

        CycleStats st = cm.stats(all, T);
        assertThat(st.sampleCycles()).containsExactly(all.stream().mapToLong(SampleCycles::cycles).toArray());
        assertThat(Arrays.stream(st.timestepCycles()).sum()).isEqualTo(Arrays.stream(st.sampleCycles()).sum());
        for (CycleStats.CoreStats core : st.cores()) {
            assertThat(core.busy() + core.idle() + core.asleep()).isEqualTo(Arrays.stream(st.sampleCycles()).sum());
        }
        assertThat(st.dynamicEnergyPj() + st.staticEnergyPj()).isCloseTo(Arrays.stream(st.sampleEnergyPj()).sum(), within(1e-6));
        assertThat(st.energyAlwaysAwakePj()).isGreaterThan(st.dynamicEnergyPj() + st.staticEnergyPj());
        assertThat(st.hops()).isEqualTo(all.stream().mapToLong(SampleCycles::hops).sum());
    }

    @Test
    void aMissingRouteIsAnError() {
        TinyChip t = new TinyChip(1, 2, 2, 1);
        int e = t.rate(t.input(2));
        int hh = t.neurons("hidden", t.dense(e, 2));
        int o = t.decoder(t.dense(hh, 1));
        t.slice(hh, 0, 2, 0, 0, 0);
        t.slice(o, 0, 1, 0, 1, 0);
        assertThatThrownBy(() -> new CycleModel(t.model())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("spikes of core slice 0 (layer 'hidden') reach core slice 1 (layer 'out'), but no route sends them there");
    }

    @Test
    void slicesMustCoverTheirLayerOnDistinctNpus() {
        TinyChip t = new TinyChip(1, 2, 2, 1);
        int e = t.rate(t.input(2));
        int hh = t.neurons("hidden", t.dense(e, 4));
        t.slice(hh, 0, 2, 0, 0, 0);
        t.slice(hh, 3, 4, 0, 1, 0);
        assertThatThrownBy(() -> new CycleModel(t.model())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layer 'hidden': its core slices do not cover neurons [0, 4)");
        TinyChip u = new TinyChip(1, 2, 2, 1);
        int e2 = u.rate(u.input(2));
        int h2 = u.neurons("hidden", u.dense(e2, 4));
        u.slice(h2, 0, 2, 0, 1, 0);
        u.slice(h2, 2, 4, 0, 1, 0);
        assertThatThrownBy(() -> new CycleModel(u.model())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("core slices 0 and 1 both sit on NPU [0, 1, 0]");
    }

    @Test
    void aProjectionOfACurrentIsNamed() {
        TinyChip t = new TinyChip(1, 2, 2, 1);
        int e = t.rate(t.input(2));
        int d1 = t.dense(e, 3);
        int hh = t.neurons("hidden", t.dense(d1, 2));
        t.slice(hh, 0, 2, 0, 0, 0);
        assertThatThrownBy(() -> new CycleModel(t.model())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layer 'fc3' reads the current of projection 'fc2'");
    }
}

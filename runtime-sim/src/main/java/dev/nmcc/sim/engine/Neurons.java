package dev.nmcc.sim.engine;

/**
 * An IF / LIF population, integer form: {@code u = v − (v >> leakShift) + I} (IF: {@code v + I})
 * in 64 bits, saturated to {@code [−2^(vBits−1), 2^(vBits−1) − 1]}, then fire at {@code u ≥ θ} and
 * reset by subtraction ({@code u − θ}) or to zero. Thresholds and initial potentials are per neuron,
 * expanded from the core slices; {@code v0} is saturated into the range once, here.
 */
final class Neurons extends Kernel {
    final int x, y, n, pop, shift;
    final boolean leaky, subtract;
    final long min, max;
    final int[] thresholds, v0;

    Neurons(int layer, int x, int y, int n, int pop, boolean leaky, int shift, boolean subtract, int vBits, int[] thresholds, int[] v0) {
        super(layer, false);
        this.x = x; this.y = y; this.n = n; this.pop = pop; this.leaky = leaky; this.shift = shift; this.subtract = subtract;
        this.min = -(1L << (vBits - 1));
        this.max = (1L << (vBits - 1)) - 1;
        this.thresholds = thresholds;
        this.v0 = new int[n];
        for (int k = 0; k < n; k++) this.v0[k] = (int) Math.max(min, Math.min(max, v0[k]));
    }

    @Override void reset(Frame f) { System.arraycopy(v0, 0, f.pot[pop], 0, n); }

    @Override void run(Frame f) {
        int[] v = f.pot[pop], in = f.i[x], out = f.spikes[y], th = thresholds;
        long[] cnt = f.counters.neuronSpikes[pop];
        long lo = min, hi = max;
        int m = 0;
        for (int k = 0; k < n; k++) {
            long u = v[k];
            if (leaky) u -= u >> shift;
            u += in[k];
            if (u > hi) u = hi;
            else if (u < lo) u = lo;
            if (u >= th[k]) {
                out[m++] = k;
                cnt[k]++;
                u = subtract ? u - th[k] : 0;
            }
            v[k] = (int) u;
        }
        f.spikeCount[y] = m;
        f.counters.spikes += m;
    }
}

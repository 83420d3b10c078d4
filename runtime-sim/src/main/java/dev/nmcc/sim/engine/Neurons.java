package dev.nmcc.sim.engine;

/**
 * An IF / LIF population, integer form: {@code u = v − (v >> leakShift) + I} (IF: {@code v + I})
 * in 64 bits, saturated to {@code [−2^(vBits−1), 2^(vBits−1) − 1]}, then fire at {@code u ≥ θ} and
 * reset by subtraction ({@code u − θ}) or to zero. Thresholds and initial potentials are held per
 * run of neurons sharing them (a channel, or a slice: {@link Parameters.NeuronParams}), not per
 * neuron; {@code v0} is saturated into the range once, here.
 */
final class Neurons extends Kernel {
    final int x, y, n, pop, shift;
    final boolean leaky, subtract;
    final long min, max;
    /** Runs of neurons {@code [start[s], start[s + 1])} sharing threshold {@code thresholds[s]} and saturated {@code v0[s]}. */
    final int[] start, thresholds, v0;

    Neurons(int layer, int x, int y, int n, int pop, boolean leaky, int shift, boolean subtract, int vBits, Parameters.NeuronParams p) {
        super(layer, false);
        this.x = x; this.y = y; this.n = n; this.pop = pop; this.leaky = leaky; this.shift = shift; this.subtract = subtract;
        this.min = -(1L << (vBits - 1));
        this.max = (1L << (vBits - 1)) - 1;
        this.start = p.start();
        this.thresholds = p.thresholds();
        this.v0 = new int[p.v0().length];
        for (int s = 0; s < v0.length; s++) this.v0[s] = (int) Math.max(min, Math.min(max, p.v0()[s]));
    }

    @Override void reset(Frame f) {
        int[] v = f.pot[pop];
        for (int s = 0; s < v0.length; s++) java.util.Arrays.fill(v, start[s], start[s + 1], v0[s]);
    }

    @Override void run(Frame f) {
        int[] v = f.pot[pop], in = f.i[x], out = f.spikes[y];
        long[] cnt = f.counters.neuronSpikes[pop];
        long lo = min, hi = max;
        int m = 0;
        for (int s = 0; s < thresholds.length; s++) {
            long th = thresholds[s];
            for (int k = start[s], end = start[s + 1]; k < end; k++) {
                long u = v[k];
                if (leaky) u -= u >> shift;
                u += in[k];
                if (u > hi) u = hi;
                else if (u < lo) u = lo;
                if (u >= th) {
                    out[m++] = k;
                    cnt[k]++;
                    u = subtract ? u - th : 0;
                }
                v[k] = (int) u;
            }
        }
        f.spikeCount[y] = m;
        f.counters.spikes += m;
    }
}

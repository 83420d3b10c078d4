package dev.nmcc.sim.engine;

/** Layers that combine currents or accumulate outputs: merge and the two decoders. */
final class Sums {
    private Sums() {}

    /** {@code snn.merge}: the clamped currents of its inputs added in 64 bits, clamped again. */
    static final class Merge extends Kernel {
        final int[] xs;
        final int y, n;

        Merge(int layer, int[] xs, int y, int n, boolean isStatic) {
            super(layer, isStatic);
            this.xs = xs; this.y = y; this.n = n;
        }

        @Override void run(Frame f) {
            long[] acc = f.longScratch;
            int[] first = f.i[xs[0]];
            for (int j = 0; j < n; j++) acc[j] = first[j];
            for (int k = 1; k < xs.length; k++) {
                int[] in = f.i[xs[k]];
                for (int j = 0; j < n; j++) acc[j] += in[j];
            }
            int[] out = f.i[y];
            for (int j = 0; j < n; j++) out[j] = clampI32(acc[j]);
        }
    }

    /** Count decoding: {@code c ← c + s}. */
    static final class Count extends Kernel {
        final int x, n, dec;

        Count(int layer, int x, int n, int dec) {
            super(layer, false);
            this.x = x; this.n = n; this.dec = dec;
        }

        @Override void reset(Frame f) { java.util.Arrays.fill(f.counts[dec], 0, n, 0); }

        @Override void run(Frame f) {
            int[] c = f.counts[dec], s = f.spikes[x];
            int m = f.spikeCount[x];
            for (int k = 0; k < m; k++) c[s[k]]++;
        }
    }

    /** Potential decoding: {@code a ← a + I} in 64 bits, never saturating. */
    static final class Potential extends Kernel {
        final int x, n, dec;

        Potential(int layer, int x, int n, int dec) {
            super(layer, false);
            this.x = x; this.n = n; this.dec = dec;
        }

        @Override void reset(Frame f) { java.util.Arrays.fill(f.acc[dec], 0, n, 0L); }

        @Override void run(Frame f) {
            long[] a = f.acc[dec];
            int[] in = f.i[x];
            for (int k = 0; k < n; k++) a[k] += in[k];
        }
    }
}

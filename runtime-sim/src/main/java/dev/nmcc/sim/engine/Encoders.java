package dev.nmcc.sim.engine;

/** The input encoders of docs/snn-semantics.md: direct current, and rate spikes. */
final class Encoders {
    private Encoders() {}

    /**
     * Direct input: {@code x_q = clamp(floor(S · x + 0.5), 0, S)}, the same every timestep (static).
     * Also lists the non-zero elements in {@code spikes[y]}: the input events the chip receives each
     * timestep (the cycle model's input).
     */
    static final class Direct extends Kernel {
        final int x, y, n, scale;

        Direct(int layer, int x, int y, int n, int scale) {
            super(layer, true);
            this.x = x; this.y = y; this.n = n; this.scale = scale;
        }

        @Override void run(Frame f) {
            float[] in = f.f[x];
            int[] out = f.i[y], nz = f.spikes[y];
            int m = 0;
            for (int k = 0; k < n; k++) {
                int q = RateCode.quantize(in[k], scale);
                out[k] = q;
                if (q != 0) nz[m++] = k;
            }
            f.spikeCount[y] = m;
        }
    }

    /**
     * Rate input: element k spikes at t when {@code u16(seed, sample, k, t) · 255 < level_k · 65536}.
     * The elements of level 0 never spike; the others' keys are computed once per sample, so a
     * timestep costs one hash per non-zero element.
     */
    static final class Rate extends Kernel {
        final int x, y, n, enc;

        Rate(int layer, int x, int y, int n, int enc) {
            super(layer, false);
            this.x = x; this.y = y; this.n = n; this.enc = enc;
        }

        @Override void reset(Frame f) {
            float[] in = f.f[x];
            int[] act = f.active[enc], thr = f.activeThreshold[enc];
            long[] key = f.activeKey[enc];
            long sk = RateCode.sampleKey(f.seed, f.sample);
            int m = 0;
            for (int k = 0; k < n; k++) {
                int level = RateCode.quantize(in[k], 255);
                if (level == 0) continue;
                act[m] = k;
                thr[m] = level * 65536;
                key[m] = RateCode.elementKey(sk, k);
                m++;
            }
            f.activeCount[enc] = m;
        }

        @Override void run(Frame f) {
            int[] act = f.active[enc], thr = f.activeThreshold[enc], out = f.spikes[y];
            long[] key = f.activeKey[enc];
            int m = f.activeCount[enc], c = 0;
            long t = f.t;
            for (int k = 0; k < m; k++) {
                if (RateCode.u16(key[k], t) * 255 < thr[k]) out[c++] = act[k];
            }
            f.spikeCount[y] = c;
            f.counters.inputSpikes += c;
        }
    }
}

package dev.nmcc.passes.dead;

import java.util.Random;

/**
 * Random snn modules in .nmir text with planted dead neurons: rows whose weights are all negative
 * (never fire), rows of zero outgoing weights (no path to an output), and, in the CNN, whole dead
 * channels. Weights are Gaussian; the other neurons fire for typical inputs.
 */
final class RandomSnn {
    private RandomSnn() {}

    /** direct input [in] → dense/IF [h1] → dense/IF [h2] → dense [out] → potential (or count via IF). */
    static String mlp(long seed, int in, int h1, int h2, int out, boolean countDecoding) {
        Random r = new Random(seed);
        float[] w1 = gaussian(r, h1 * in, 0.6), b1 = gaussian(r, h1, 0.1);
        float[] w2 = gaussian(r, h2 * h1, 0.6), w3 = gaussian(r, out * h2, 0.6);
        for (int j = 0; j < h1; j += 3) { // never fires: negative row, bias <= 0
            for (int i = 0; i < in; i++) w1[j * in + i] = -Math.abs(w1[j * in + i]);
            b1[j] = -Math.abs(b1[j]);
        }
        for (int j = 1; j < h2; j += 4) { // no path: zero outgoing column of h2 neuron j
            for (int o = 0; o < out; o++) w3[o * h2 + j] = 0;
        }
        StringBuilder sb = new StringBuilder("module @rand_mlp stage snn {\n");
        sb.append(blob("w1", w1, h1, in)).append(blob("b1", b1, h1)).append(blob("w2", w2, h2, h1)).append(blob("w3", w3, out, h2));
        sb.append(String.format("  %%x = snn.input {name = \"x\", range = [0.0, 1.0]} : tensor<%dxf32>%n", in));
        sb.append(String.format("  %%e = snn.encode(%%x) {mode = direct} : tensor<%dxf32>%n", in));
        sb.append(String.format("  %%c1 = snn.dense(%%e) {units = %d, weight = @w1, bias = @b1} : tensor<%dxf32>%n", h1, h1));
        sb.append(String.format("  %%h1 = snn.if(%%c1) {threshold = 1.0, v0 = 0.5} : spikes<%d>%n", h1));
        sb.append(String.format("  %%c2 = snn.dense(%%h1) {units = %d, weight = @w2} : tensor<%dxf32>%n", h2, h2));
        sb.append(String.format("  %%h2 = snn.lif(%%c2) {threshold = 1.0, leak = 0.875} : spikes<%d>%n", h2));
        sb.append(String.format("  %%c3 = snn.dense(%%h2) {units = %d, weight = @w3} : tensor<%dxf32>%n", out, out));
        if (countDecoding) {
            sb.append(String.format("  %%o = snn.if(%%c3) {threshold = 1.0} : spikes<%d>%n", out));
            sb.append(String.format("  %%y = snn.decode(%%o) {mode = count} : tensor<%dxi32>%n", out));
        } else {
            sb.append(String.format("  %%y = snn.decode(%%c3) {mode = potential} : tensor<%dxf32>%n", out));
        }
        return sb.append("  snn.output(%y) {name = \"y\"}\n}\n").toString();
    }

    /** rate input [1, s, s] → conv 3x3 pad 1 [c] (every third channel dead) → IF → maxpool 2 → flatten → dense [out]. */
    static String cnn(long seed, int s, int c, int out) {
        Random r = new Random(seed);
        float[] k = gaussian(r, c * 9, 0.5), kb = gaussian(r, c, 0.1);
        for (int ch = 1; ch < c; ch += 3) {
            for (int i = 0; i < 9; i++) k[ch * 9 + i] = -Math.abs(k[ch * 9 + i]);
            kb[ch] = -Math.abs(kb[ch]);
        }
        int p = s / 2, flat = c * p * p;
        float[] fc = gaussian(r, out * flat, 0.3);
        StringBuilder sb = new StringBuilder("module @rand_cnn stage snn {\n");
        sb.append(blob("k", k, c, 1, 3, 3)).append(blob("kb", kb, c)).append(blob("fc", fc, out, flat));
        sb.append(String.format("  %%x = snn.input {name = \"x\"} : tensor<1x%dx%dxf32>%n", s, s));
        sb.append(String.format("  %%e = snn.encode(%%x) {mode = rate} : spikes<1x%dx%d>%n", s, s));
        sb.append(String.format("  %%c = snn.conv2d(%%e) {out_channels = %d, kernel = [3, 3], pad = [1, 1, 1, 1], weight = @k, bias = @kb} : tensor<%dx%dx%dxf32>%n", c, c, s, s));
        sb.append(String.format("  %%h = snn.if(%%c) {threshold = 1.0, v0 = 0.5} : spikes<%dx%dx%d>%n", c, s, s));
        sb.append(String.format("  %%p = snn.maxpool(%%h) {kernel = [2, 2]} : spikes<%dx%dx%d>%n", c, p, p));
        sb.append(String.format("  %%f = snn.flatten(%%p) : spikes<%d>%n", flat));
        sb.append(String.format("  %%d = snn.dense(%%f) {units = %d, weight = @fc} : tensor<%dxf32>%n", out, out));
        sb.append(String.format("  %%y = snn.decode(%%d) {mode = potential} : tensor<%dxf32>%n", out));
        return sb.append("  snn.output(%y) {name = \"y\"}\n}\n").toString();
    }

    /**
     * The folded-pooling shape calibrate-thresholds produces: direct input [1, s, s] → conv 3x3 [c]
     * (every third channel dead) → IF → avgpool 2 → conv 3x3 [c2] → IF → avgpool 2 → flatten →
     * dense [out] → potential.
     */
    static String cnnPooled(long seed, int s, int c, int c2, int out) {
        Random r = new Random(seed);
        float[] k = gaussian(r, c * 9, 0.5), kb = gaussian(r, c, 0.1), k2 = gaussian(r, c2 * c * 9, 0.4);
        for (int ch = 1; ch < c; ch += 3) {
            for (int i = 0; i < 9; i++) k[ch * 9 + i] = -Math.abs(k[ch * 9 + i]);
            kb[ch] = -Math.abs(kb[ch]);
        }
        int p = s / 2, q = p / 2, flat = c2 * q * q;
        float[] fc = gaussian(r, out * flat, 0.3);
        StringBuilder sb = new StringBuilder("module @rand_pooled stage snn {\n");
        sb.append(blob("k", k, c, 1, 3, 3)).append(blob("kb", kb, c)).append(blob("k2", k2, c2, c, 3, 3)).append(blob("fc", fc, out, flat));
        sb.append(String.format("  %%x = snn.input {name = \"x\", range = [0.0, 1.0]} : tensor<1x%dx%dxf32>%n", s, s));
        sb.append(String.format("  %%e = snn.encode(%%x) {mode = direct} : tensor<1x%dx%dxf32>%n", s, s));
        sb.append(String.format("  %%c = snn.conv2d(%%e) {out_channels = %d, kernel = [3, 3], pad = [1, 1, 1, 1], weight = @k, bias = @kb} : tensor<%dx%dx%dxf32>%n", c, c, s, s));
        sb.append(String.format("  %%h = snn.if(%%c) {threshold = 1.0, v0 = 0.5} : spikes<%dx%dx%d>%n", c, s, s));
        sb.append(String.format("  %%a = snn.avgpool(%%h) {kernel = [2, 2]} : tensor<%dx%dx%dxf32>%n", c, p, p));
        sb.append(String.format("  %%c2 = snn.conv2d(%%a) {out_channels = %d, kernel = [3, 3], pad = [1, 1, 1, 1], weight = @k2} : tensor<%dx%dx%dxf32>%n", c2, c2, p, p));
        sb.append(String.format("  %%h2 = snn.if(%%c2) {threshold = 1.0, v0 = 0.5} : spikes<%dx%dx%d>%n", c2, p, p));
        sb.append(String.format("  %%a2 = snn.avgpool(%%h2) {kernel = [2, 2]} : tensor<%dx%dx%dxf32>%n", c2, q, q));
        sb.append(String.format("  %%f = snn.flatten(%%a2) : tensor<%dxf32>%n", flat));
        sb.append(String.format("  %%d = snn.dense(%%f) {units = %d, weight = @fc} : tensor<%dxf32>%n", out, out));
        sb.append(String.format("  %%y = snn.decode(%%d) {mode = potential} : tensor<%dxf32>%n", out));
        return sb.append("  snn.output(%y) {name = \"y\"}\n}\n").toString();
    }

    static float[] gaussian(Random r, int n, double sd) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = (float) (r.nextGaussian() * sd);
        return f;
    }

    static String blob(String name, float[] data, int... dims) {
        StringBuilder t = new StringBuilder();
        for (int d : dims) t.append(d).append('x');
        StringBuilder sb = new StringBuilder("  blob @" + name + " : tensor<" + t + "f32> = [");
        for (int i = 0; i < data.length; i++) sb.append(i == 0 ? "" : ", ").append(data[i]);
        return sb.append("]\n").toString();
    }
}

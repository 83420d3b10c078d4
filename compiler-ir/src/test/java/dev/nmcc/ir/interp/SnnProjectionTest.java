package dev.nmcc.ir.interp;

import static dev.nmcc.ir.interp.SnnTesting.batch;
import static dev.nmcc.ir.interp.SnnTesting.floats;
import static dev.nmcc.ir.interp.SnnTesting.ints;
import static dev.nmcc.ir.interp.SnnTesting.parse;
import static dev.nmcc.ir.interp.SnnTesting.raster;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.type.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Projections (dense, conv2d, avgpool), max pooling and merge: by hand, and event-driven against dense loops. */
class SnnProjectionTest {
    @Test
    void mergeSumsTheCurrentsOfTwoProjections() {
        // I = W1 x + b1 + W2 x: [1 2; 0 -1]·[0.5, 0.25] + [0.125, 0] + [3; 1]·... ; potential over T = 2
        Module m = parse("""
                module @m stage snn {
                  blob @w1 : tensor<2x2xf32> = [1.0, 2.0, 0.0, -1.0]
                  blob @b1 : tensor<2xf32> = [0.125, 0.0]
                  blob @w2 : tensor<2x2xf32> = [0.5, 0.5, 4.0, 0.0]
                  %x = snn.input {name = "x"} : tensor<2xf32>
                  %c = snn.encode(%x) {mode = direct} : tensor<2xf32>
                  %p = snn.dense(%c) {units = 2, weight = @w1, bias = @b1} : tensor<2xf32>
                  %q = snn.dense(%c) {units = 2, weight = @w2} : tensor<2xf32>
                  %i = snn.merge(%p, %q) : tensor<2xf32>
                  %a = snn.decode(%i) {mode = potential} : tensor<2xf32>
                  snn.output(%a) {name = "a"}
                }
                """);
        // p = [0.5 + 0.5 + 0.125, -0.25] = [1.125, -0.25]; q = [0.375, 2.0]; I = [1.5, 1.75]; a = 2 I
        SnnResult r = new SnnInterpreter(m).run(batch(Shape.of(2), 0.5f, 0.25f), 2);
        assertThat(r.output().values()).containsExactly(3.0, 3.5);
        assertThat(r.output().decoding()).isEqualTo(SnnResult.Decoding.POTENTIAL);
        assertThat(r.predictions()).containsExactly(1);
    }

    /** A 1×4×4 input encoded at rate 0 or 1 (so its spikes are fixed), pooled 2×2. */
    private static final String POOLS = """
            module @p stage snn {
              %x = snn.input {name = "x"} : tensor<1x4x4xf32>
              %s = snn.encode(%x) {mode = rate} : spikes<1x4x4>
              %mp = snn.maxpool(%s) {kernel = [2, 2]} : spikes<1x2x2>
              %ap = snn.avgpool(%s) {kernel = [2, 2]} : tensor<1x2x2xf32>
              %ai = snn.avgpool(%s) {kernel = [3, 3], stride = [1, 1], pad = [1, 1, 1, 1], weight = 3} : tensor<1x4x4xi32>
              %n = snn.decode(%mp) {mode = count} : tensor<1x2x2xi32>
              %a = snn.decode(%ap) {mode = potential} : tensor<1x2x2xf32>
              %b = snn.decode(%ai) {mode = potential} : tensor<1x4x4xi32>
              snn.output(%n) {name = "max"}
              snn.output(%a) {name = "avg"}
              snn.output(%b) {name = "avg3"}
            }
            """;

    @Test
    void poolingOnSpikes() {
        // spikes:  1 0 | 0 0      max pool: 1 0     avg pool (weight 1/4): 0.5  0
        //          0 1 | 0 0                1 1                            0.25 1
        //          ----+----
        //          0 0 | 1 1
        //          1 0 | 1 1
        Module m = parse(POOLS);
        float[] x = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 1, 0, 1, 1};
        SnnResult r = new SnnInterpreter(m).run(batch(Shape.of(1, 4, 4), x), 3);
        assertThat(r.output("max").values()).containsExactly(3, 0, 3, 3);
        assertThat(r.output("avg").values()).containsExactly(1.5, 0, 0.75, 3);
        // 3×3 windows with zero padding, weight 3: 3 · (spikes in the window) per step, T = 3
        double[] avg3 = r.output("avg3").values();
        int[] counts = {2, 2, 1, 0, 2, 3, 3, 2, 2, 4, 5, 4, 1, 3, 4, 4};
        for (int i = 0; i < 16; i++) assertThat(avg3[i]).as("window %d", i).isEqualTo(9.0 * counts[i]);
        // the max pool spikes in increasing index order every step
        assertThat(raster(m, "mp", batch(Shape.of(1, 4, 4), x), 1, 0).getFirst()).containsExactly(0, 2, 3);
        // SOPs: every spike has one 2×2 window in avgpool, and 4, 6 or 9 windows of the padded 3×3 pool
        SnnStats st = r.stats();
        assertThat(st.projections()).extracting(SnnStats.Projection::kind).hasSize(2);
        assertThat(st.projections().get(0).events()).isEqualTo(7 * 3);
        assertThat(st.projections().get(0).sops()).isEqualTo(7 * 3);
        // spikes at (0,0):4 (1,1):9 (2,2):9 (2,3):6 (3,0):4 (3,2):6 (3,3):4 windows
        assertThat(st.projections().get(1).sops()).isEqualTo((4 + 9 + 9 + 6 + 4 + 6 + 4) * 3);
    }

    @Test
    void sopsOfATinyNetByHand() {
        // direct input [1, 0, 2]: 2 non-zero elements × 2 synapses × T; both hidden neurons fire every step: 2 × 4 × T
        Module m = parse("""
                module @s stage snn {
                  blob @w1 : tensor<2x3xf32> = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0]
                  blob @w2 : tensor<4x2xf32> = [1.0, 0.0, 0.0, 1.0, 1.0, 1.0, -1.0, 0.5]
                  %x = snn.input {name = "x"} : tensor<3xf32>
                  %c = snn.encode(%x) {mode = direct} : tensor<3xf32>
                  %h = snn.dense(%c) {units = 2, weight = @w1} : tensor<2xf32>
                  %s = snn.if(%h) {threshold = 1.0} : spikes<2>
                  %o = snn.dense(%s) {units = 4, weight = @w2} : tensor<4xf32>
                  %a = snn.decode(%o) {mode = potential} : tensor<4xf32>
                  snn.output(%a) {name = "a"}
                }
                """);
        int steps = 5;
        SnnResult r = new SnnInterpreter(m).run(batch(Shape.of(3), 1f, 0f, 2f, 0.5f, 0.5f, 0f), steps);
        // sample 2: [0.5, 0.5, 0] -> 2 × 2 × T SOPs; I = 1 -> fires every step
        SnnStats st = r.stats();
        assertThat(st.projections().get(0).events()).isEqualTo(2 * steps + 2 * steps);
        assertThat(st.projections().get(0).sops()).isEqualTo(2 * 2 * steps * 2);
        assertThat(st.projections().get(1).events()).isEqualTo(2 * steps * 2);
        assertThat(st.projections().get(1).sops()).isEqualTo(2 * 4 * steps * 2);
        assertThat(st.sops()).isEqualTo(2 * 2 * steps * 2 + 2 * 4 * steps * 2);
        assertThat(st.sopsPerSample()).isEqualTo((2 * 2 * steps + 2 * 4 * steps));
        assertThat(st.sampleSops()).containsExactly(2 * 2 * steps + 2 * 4 * steps, 2 * 2 * steps + 2 * 4 * steps);
        assertThat(st.sampleSpikes()).containsExactly(2 * steps, 2 * steps);
        assertThat(st.sopsPercentile(99)).isEqualTo(2 * 2 * steps + 2 * 4 * steps);
        SnnStats.Population p = st.populations().getFirst();
        assertThat(p.name()).isEqualTo("%s");
        assertThat(p.neurons()).isEqualTo(2);
        assertThat(p.spikes()).isEqualTo(2 * steps * 2);
        assertThat(p.firingRate()).isEqualTo(1.0);
        assertThat(p.maxNeuronRate()).isEqualTo(1.0);
        assertThat(r.output().sample(0)).containsExactly(steps, steps, 2 * steps, -0.5 * steps);
    }

    @Test
    void convSopsAtTheBorderCountOnlyTheWindowsThatExist() {
        // 3×3 input, 3×3 kernel, pad 1, 2 output channels: a corner spike reaches 4 positions × 2 channels, the centre 9 × 2
        Module m = parse("""
                module @c stage snn {
                  blob @w : tensor<2x1x3x3xf32> = [1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2]
                  %x = snn.input {name = "x"} : tensor<1x3x3xf32>
                  %s = snn.encode(%x) {mode = rate} : spikes<1x3x3>
                  %i = snn.conv2d(%s) {out_channels = 2, kernel = [3, 3], pad = [1, 1, 1, 1], weight = @w} : tensor<2x3x3xf32>
                  %a = snn.decode(%i) {mode = potential} : tensor<2x3x3xf32>
                  snn.output(%a) {name = "a"}
                }
                """);
        SnnResult corner = new SnnInterpreter(m).run(batch(Shape.of(1, 3, 3), 1, 0, 0, 0, 0, 0, 0, 0, 0), 1);
        assertThat(corner.stats().sops()).isEqualTo(8);
        assertThat(corner.output().values()).containsExactly(1, 1, 0, 1, 1, 0, 0, 0, 0, 2, 2, 0, 2, 2, 0, 0, 0, 0);
        SnnResult centre = new SnnInterpreter(m).run(batch(Shape.of(1, 3, 3), 0, 0, 0, 0, 1, 0, 0, 0, 0), 1);
        assertThat(centre.stats().sops()).isEqualTo(18);
    }

    // ---- event-driven kernels against dense loops ---------------------------------------------

    private record Conv(int c, int h, int w, int oc, int kh, int kw, int sh, int sw, int pt, int pl, int pb, int pr) {
        int oh() { return (h + pt + pb - kh) / sh + 1; }

        int ow() { return (w + pl + pr - kw) / sw + 1; }
    }

    private static String convModule(Conv g, boolean integer, String weight, String bias, int oc) {
        String text = """
                module @conv stage snn {
                  blob @w : tensor<{OC}x{C}x{KH}x{KW}x{WT}> = {WEIGHT}
                  blob @b : tensor<{OC}x{BT}> = {BIAS}
                  %x = snn.input {name = "x"} : tensor<{C}x{H}x{W}xf32>
                  %s = snn.encode(%x) {mode = rate} : spikes<{C}x{H}x{W}>
                  %i = snn.conv2d(%s) {out_channels = {OC}, kernel = [{KH}, {KW}], stride = [{SH}, {SW}], pad = [{PT}, {PL}, {PB}, {PR}], weight = @w, bias = @b} : tensor<{OC}x{OH}x{OW}x{CUR}>
                  %a = snn.decode(%i) {mode = potential} : tensor<{OC}x{OH}x{OW}x{CUR}>
                  snn.output(%a) {name = "a"}
                }
                """;
        java.util.Map<String, Object> v = java.util.Map.ofEntries(java.util.Map.entry("OC", oc), java.util.Map.entry("C", g.c()),
                java.util.Map.entry("H", g.h()), java.util.Map.entry("W", g.w()), java.util.Map.entry("KH", g.kh()),
                java.util.Map.entry("KW", g.kw()), java.util.Map.entry("SH", g.sh()), java.util.Map.entry("SW", g.sw()),
                java.util.Map.entry("PT", g.pt()), java.util.Map.entry("PL", g.pl()), java.util.Map.entry("PB", g.pb()),
                java.util.Map.entry("PR", g.pr()), java.util.Map.entry("OH", g.oh()), java.util.Map.entry("OW", g.ow()),
                java.util.Map.entry("WT", integer ? "i8" : "f32"), java.util.Map.entry("BT", integer ? "i32" : "f32"),
                java.util.Map.entry("CUR", integer ? "i32" : "f32"), java.util.Map.entry("WEIGHT", weight), java.util.Map.entry("BIAS", bias));
        for (var e : v.entrySet()) text = text.replace("{" + e.getKey() + "}", String.valueOf(e.getValue()));
        return text;
    }

    @ParameterizedTest(name = "{0}x{1}x{2} -> {3}, kernel {4}x{5}, stride {6}x{7}, pad {8} {9} {10} {11}, integer {12}")
    @CsvSource({
            "2, 7, 6, 3, 3, 3, 1, 1, 1, 1, 1, 1, true",
            "2, 7, 6, 3, 3, 3, 1, 1, 1, 1, 1, 1, false",
            "3, 9, 8, 4, 3, 2, 2, 3, 0, 2, 1, 0, true",
            "3, 9, 8, 4, 3, 2, 2, 3, 0, 2, 1, 0, false",
            "1, 5, 5, 2, 5, 5, 1, 1, 2, 2, 2, 2, true",
            "4, 6, 6, 5, 1, 1, 2, 2, 0, 0, 0, 0, false"})
    void eventDrivenConvEqualsADenseLoop(int c, int h, int w, int oc, int kh, int kw, int sh, int sw, int pt, int pl, int pb, int pr,
                                         boolean integer) {
        // Random spikes (rate-encoded random inputs) into a conv projection, potentials summed over T: the scatter of each
        // spike's kernel gives exactly what a dense loop over (c, ky, kx) gives, in integer and (same order) in float form
        Conv g = new Conv(c, h, w, oc, kh, kw, sh, sw, pt, pl, pb, pr);
        SplittableRandom rnd = new SplittableRandom(c * 100 + kh * 10 + (integer ? 1 : 0));
        int nw = oc * c * kh * kw;
        float[] wf = new float[nw], bf = new float[oc];
        int[] wi = new int[nw], bi = new int[oc];
        for (int i = 0; i < nw; i++) {
            wi[i] = rnd.nextInt(-8, 8);
            wf[i] = (float) rnd.nextDouble(-1, 1);
        }
        for (int o = 0; o < oc; o++) {
            bi[o] = rnd.nextInt(-20, 20);
            bf[o] = (float) rnd.nextDouble(-0.5, 0.5);
        }
        Module m = parse(convModule(g, integer, integer ? ints(wi) : floats(wf), integer ? ints(bi) : floats(bf), oc));
        int samples = 3, steps = 7;
        long seed = 99;
        float[] x = new float[samples * c * h * w];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextDouble();
        SnnResult r = new SnnInterpreter(m).run(new Batch(samples, Shape.of(c, h, w), x), steps, seed, 0);
        int oh = g.oh(), ow = g.ow(), n = c * h * w;
        long sops = 0;
        for (int s = 0; s < samples; s++) {
            long[] la = new long[oc * oh * ow];
            float[] fa = new float[oc * oh * ow];
            for (int t = 0; t < steps; t++) {
                int[] spk = new int[n];
                for (int i = 0; i < n; i++) spk[i] = RateEncoder.spikes(seed, s, i, t, x[s * n + i]) ? 1 : 0;
                for (int o = 0; o < oc; o++) {
                    for (int oy = 0; oy < oh; oy++) {
                        for (int ox = 0; ox < ow; ox++) {
                            long li = bi[o];
                            float fi = bf[o];
                            for (int ci = 0; ci < c; ci++) {
                                for (int ky = 0; ky < kh; ky++) {
                                    for (int kx = 0; kx < kw; kx++) {
                                        int iy = oy * sh - pt + ky, ix = ox * sw - pl + kx;
                                        if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                                        int in = spk[(ci * h + iy) * w + ix], wIdx = ((o * c + ci) * kh + ky) * kw + kx;
                                        li += (long) in * wi[wIdx];
                                        fi += in * wf[wIdx];
                                        sops += in;
                                    }
                                }
                            }
                            int idx = (o * oh + oy) * ow + ox;
                            la[idx] += Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, li));
                            fa[idx] += fi;
                        }
                    }
                }
            }
            double[] got = r.output().sample(s);
            for (int i = 0; i < got.length; i++) {
                assertThat(got[i]).as("sample %d element %d", s, i).isEqualTo(integer ? (double) la[i] : (double) fa[i]);
            }
        }
        assertThat(r.stats().sops()).isEqualTo(sops);
    }

    @Test
    void eventDrivenDenseEqualsADenseLoop() {
        // random spikes into an 8-bit dense projection (integer form) and a float one: bit for bit equal to a dense loop
        SplittableRandom rnd = new SplittableRandom(5);
        int nIn = 37, nOut = 13, steps = 9, samples = 4;
        int[] wi = new int[nOut * nIn], bi = new int[nOut];
        float[] wf = new float[nOut * nIn], bf = new float[nOut];
        for (int i = 0; i < wi.length; i++) {
            wi[i] = rnd.nextInt(-128, 128);
            wf[i] = (float) rnd.nextGaussian();
        }
        for (int j = 0; j < nOut; j++) {
            bi[j] = rnd.nextInt(-1000, 1000);
            bf[j] = (float) rnd.nextGaussian();
        }
        Module m = parse("""
                module @d stage snn {
                  blob @wi : tensor<13x37xi8> = WI
                  blob @bi : tensor<13xi32> = BI
                  blob @wf : tensor<13x37xf32> = WF
                  blob @bf : tensor<13xf32> = BF
                  %x = snn.input {name = "x"} : tensor<37xf32>
                  %s = snn.encode(%x) {mode = rate} : spikes<37>
                  %ii = snn.dense(%s) {units = 13, weight = @wi, bias = @bi} : tensor<13xi32>
                  %if = snn.dense(%s) {units = 13, weight = @wf, bias = @bf} : tensor<13xf32>
                  %ai = snn.decode(%ii) {mode = potential} : tensor<13xi32>
                  %af = snn.decode(%if) {mode = potential} : tensor<13xf32>
                  snn.output(%ai) {name = "int"}
                  snn.output(%af) {name = "float"}
                }
                """.replace("WI", ints(wi)).replace("BI", ints(bi)).replace("WF", floats(wf)).replace("BF", floats(bf)));
        float[] x = new float[samples * nIn];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextDouble();
        SnnResult r = new SnnInterpreter(m).run(new Batch(samples, Shape.of(nIn), x), steps, 3, 50);
        for (int s = 0; s < samples; s++) {
            long[] la = new long[nOut];
            float[] fa = new float[nOut];
            for (int t = 0; t < steps; t++) {
                for (int j = 0; j < nOut; j++) {
                    long li = bi[j];
                    float fi = bf[j];
                    for (int i = 0; i < nIn; i++) {
                        int spike = RateEncoder.spikes(3, 50 + s, i, t, x[s * nIn + i]) ? 1 : 0;
                        li += (long) spike * wi[j * nIn + i];
                        fi += spike * wf[j * nIn + i];
                    }
                    la[j] += li;
                    fa[j] += fi;
                }
            }
            for (int j = 0; j < nOut; j++) {
                assertThat(r.output("int").values()[s * nOut + j]).isEqualTo((double) la[j]);
                assertThat(r.output("float").values()[s * nOut + j]).isEqualTo((double) fa[j]);
            }
        }
    }

    @Test
    void integerCurrentsClampToI32() {
        // 3 × (2^30) + bias 2^30 overflows i32: the 64-bit sum clamps to 2^31 - 1 each step
        Module m = parse("""
                module @o stage hw {
                  blob @w : tensor<1x3xi32> = [1073741824, 1073741824, 1073741824]
                  blob @b : tensor<1xi32> = [1073741824]
                  %x = snn.input {name = "x"} : tensor<3xf32>
                  %s = snn.encode(%x) {mode = rate} : spikes<3>
                  %i = snn.dense(%s) {units = 1, weight = @w, bias = @b} : tensor<1xi32>
                  %a = snn.decode(%i) {mode = potential} : tensor<1xi32>
                  snn.output(%a) {name = "a"}
                }
                """);
        SnnResult r = new SnnInterpreter(m).run(batch(Shape.of(3), 1, 1, 1), 2);
        assertThat(r.output().values()).containsExactly(2.0 * Integer.MAX_VALUE);
    }

    @Test
    void aStaticProjectionIsComputedOnceAndCountedEveryStep() {
        // direct input through a conv: the same current every step, SOPs per non-zero input per step
        Module m = parse("""
                module @c stage snn {
                  blob @w : tensor<1x1x2x2xf32> = [0.5, 0.25, 0.125, 1.0]
                  %x = snn.input {name = "x"} : tensor<1x2x3xf32>
                  %c = snn.encode(%x) {mode = direct} : tensor<1x2x3xf32>
                  %i = snn.conv2d(%c) {out_channels = 1, kernel = [2, 2], weight = @w} : tensor<1x1x2xf32>
                  %a = snn.decode(%i) {mode = potential} : tensor<1x1x2xf32>
                  snn.output(%a) {name = "a"}
                }
                """);
        SnnResult r = new SnnInterpreter(m).run(batch(Shape.of(1, 2, 3), 1, 0, 0, 0, 0, 1), 4);
        // windows: [1 0; 0 0] -> 0.5; [0 0; 0 1] -> 1.0
        assertThat(r.output().values()).containsExactly(2.0, 4.0);
        assertThat(r.stats().projections().getFirst().events()).isEqualTo(2 * 4);
        assertThat(r.stats().sops()).isEqualTo((1 + 1) * 4);
    }

    @Test
    void analogInputsThroughPoolsConvsAndMergesInBothForms() {
        // direct input x_q = round(10 x) (i32) and x (f32) through avgpool, conv, dense and merge; potentials over T = 2
        Module m = parse("""
                module @a stage snn {
                  blob @k : tensor<1x1x2x2xi8> = [1, 2, 3, 4]
                  blob @wf : tensor<2x4xf32> = [0.5, 0.5, 0.5, 0.5, 1.0, 0.0, 0.0, -1.0]
                  blob @big : tensor<1x4xi32> = [2147483647, 0, 0, 0]
                  %x = snn.input {name = "x"} : tensor<1x2x2xf32>
                  %q = snn.encode(%x) {mode = direct, input_scale = 10} : tensor<1x2x2xi32>
                  %f = snn.encode(%x) {mode = direct} : tensor<1x2x2xf32>
                  %pi = snn.avgpool(%q) {kernel = [2, 2], weight = 3} : tensor<1x1x1xi32>
                  %pf = snn.avgpool(%f) {kernel = [2, 2]} : tensor<1x1x1xf32>
                  %ci = snn.conv2d(%q) {out_channels = 1, kernel = [2, 2], weight = @k} : tensor<1x1x1xi32>
                  %fl = snn.flatten(%q) : tensor<4xi32>
                  %df = snn.dense(%fl) {units = 2, weight = @wf} : tensor<2xf32>
                  %db = snn.dense(%fl) {units = 1, weight = @big} : tensor<1xi32>
                  %cf = snn.flatten(%ci) : tensor<1xi32>
                  %m = snn.merge(%db, %cf) : tensor<1xi32>
                  %a1 = snn.decode(%pi) {mode = potential} : tensor<1x1x1xi32>
                  %a2 = snn.decode(%pf) {mode = potential} : tensor<1x1x1xf32>
                  %a3 = snn.decode(%ci) {mode = potential} : tensor<1x1x1xi32>
                  %a4 = snn.decode(%df) {mode = potential} : tensor<2xf32>
                  %a5 = snn.decode(%m) {mode = potential} : tensor<1xi32>
                  snn.output(%a1) {name = "avg_int"}
                  snn.output(%a2) {name = "avg_float"}
                  snn.output(%a3) {name = "conv_int"}
                  snn.output(%a4) {name = "dense_float"}
                  snn.output(%a5) {name = "merge_int"}
                }
                """);
        // x = [0.1, 0.2, 0.3, 0.5] -> x_q = [1, 2, 3, 5]
        SnnResult r = new SnnInterpreter(m).run(batch(Shape.of(1, 2, 2), 0.1f, 0.2f, 0.3f, 0.5f), 2);
        assertThat(r.output("avg_int").values()).containsExactly(2 * 3 * 11);
        assertThat(r.output("avg_float").values()).containsExactly(2 * (double) (0.25f * (0.1f + 0.2f + 0.3f + 0.5f)));
        assertThat(r.output("conv_int").values()).containsExactly(2 * (1 + 4 + 9 + 20));
        assertThat(r.output("dense_float").values()).containsExactly(2 * 5.5, 2 * -4.0);
        // 2147483647 · 1 + 34 clamps to 2^31 - 1 in the merge
        assertThat(r.output("merge_int").values()).containsExactly(2.0 * Integer.MAX_VALUE);
        // static projections count their SOPs every step: avgpool 4 + 4, conv 4, dense 4 · 2 + 4 · 1
        assertThat(r.stats().sops()).isEqualTo(2 * (4 + 4 + 4 + 8 + 4));
    }

    @Test
    void hwAnnotationsAreIgnored() {
        Module m = parse("""
                module @h stage hw {
                  blob @w : tensor<2x2xi8> = [1, 0, 0, 1]
                  %x = snn.input {name = "x"} : tensor<2xf32>
                  %c = snn.encode(%x) {mode = direct, input_scale = 255} : tensor<2xi32>
                  %i = snn.dense(%c) {units = 2, weight = @w} : tensor<2xi32>
                  %h = snn.lif(%i) {threshold = 100, leak_shift = 4} : spikes<2>
                  hw.core_slice(%h) {id = 0, core = [0, 0, 0], neurons = [0, 2]}
                  %n = snn.decode(%h) {mode = count} : tensor<2xi32>
                  snn.output(%n) {name = "n"}
                }
                """);
        SnnResult r = new SnnInterpreter(m).run(batch(Shape.of(2), 1f, 0.2f), 4);
        // 255 per step: 255|155, 155-9+255 = 401|301, 301-18+255 = 538|438, 438-27+255 = 666|566 -> 4 spikes
        assertThat(r.output().values()[0]).isEqualTo(4);
    }
}

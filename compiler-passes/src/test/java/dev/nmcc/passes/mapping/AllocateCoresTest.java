package dev.nmcc.passes.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nmcc.backend.target.Npu;
import dev.nmcc.backend.target.Target;
import dev.nmcc.backend.target.Targets;
import dev.nmcc.ir.diag.CompilationException;
import dev.nmcc.ir.diag.DiagnosticSink;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.graph.Op;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.ir.op.Stage;
import dev.nmcc.ir.text.IrParser;
import dev.nmcc.ir.text.IrPrinter;
import dev.nmcc.ir.type.ElementType;
import dev.nmcc.ir.verify.Verifier;
import dev.nmcc.passes.CompileSettings;
import dev.nmcc.passes.PassContext;
import dev.nmcc.passes.PassOptions;
import dev.nmcc.passes.mapping.AllocateCores.Allocation;
import dev.nmcc.passes.mapping.AllocateCores.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AllocateCoresTest {
    static final Target AKD1000 = Targets.resolve("akd1000");
    static final Target AKD1500 = Targets.resolve("akd1500");
    static final int[] KWS = {4040, 512, 256, 128, 35};

    /** The target with other per-NPU limits. */
    static Target withNpu(Target t, int neurons, long memory, int maxFanIn) {
        Npu n = t.npu();
        return new Target(t.name(), t.description(), t.geometry(), new Npu(neurons, memory, n.weightBits(), n.activationBits(), maxFanIn,
                n.membraneBits()), t.layers(), t.timing(), t.energy(), t.sources());
    }

    static Module resource(String name) {
        try (InputStream in = AllocateCoresTest.class.getResourceAsStream("/mapping/" + name)) {
            return IrParser.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), name);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static List<int[]> slicesOf(Allocation a, int layer) {
        List<int[]> out = new ArrayList<>();
        for (Traffic.Slice s : a.slices()) if (s.layer() == layer) out.add(new int[] {s.start(), s.end()});
        return out;
    }

    @Test void aThousandNeuronsOn256NeuronNpusTakeFourEqualSlices() {
        Target t = withNpu(AKD1000, 256, 1_000_000, 57334);
        Allocation a = AllocateCores.allocate(TestNets.mlp("p", new int[] {8, 1000, 10}, ElementType.I4, 1), t, Settings.defaults());
        assertThat(slicesOf(a, 0)).containsExactly(new int[] {0, 250}, new int[] {250, 500}, new int[] {500, 750}, new int[] {750, 1000});
        assertThat(a.budgets().get(0).lowerBound()).isEqualTo(4);
    }

    @Test void aWideDenseLayerIsMemoryBoundAndTwiceAsManySlicesAtEightBits() {
        // memory 20,000 B; a row of 4000 inputs is 2000 B at 4 bits, 4000 B at 8 bits; + 3 B of state (20-bit potential)
        Target t = withNpu(AKD1000, 15000, 20_000, 57334);
        Allocation four = AllocateCores.allocate(TestNets.mlp("w4", new int[] {4000, 64, 10}, ElementType.I4, 1), t, Settings.defaults());
        Allocation eight = AllocateCores.allocate(TestNets.mlp("w8", new int[] {4000, 64, 10}, ElementType.I8, 1), t, Settings.defaults());
        CoreBudget b4 = four.budgets().get(0), b8 = eight.budgets().get(0);
        assertThat(b4.bytes(0, 9)).isEqualTo(9 * 2003);
        assertThat(b8.bytes(0, 4)).isEqualTo(4 * 4003);
        assertThat(b4.fits(0, 9)).isTrue();
        assertThat(b4.fits(0, 10)).isFalse(); // 20,030 B
        assertThat(slicesOf(four, 0)).hasSize(8); // ceil(64 / 9)
        assertThat(slicesOf(eight, 0)).hasSize(16); // ceil(64 / 4)
        assertThat(b4.lowerBound()).isEqualTo(8);
        assertThat(b8.lowerBound()).isEqualTo(16);
    }

    @Test void convMemoryIsTheFiltersOfTheTouchedChannelsPlusNeuronState() {
        Allocation a = AllocateCores.allocate(TestNets.cnn(ElementType.I4, 1), AKD1500, Settings.defaults());
        CoreBudget c2 = a.budgets().get(1); // conv 16 -> 32, 3x3, 4 bits: a filter is ceil(16*3*3*4/8) = 72 B; H*W = 14*14 = 196
        assertThat(c2.bytes(0, 6272)).isEqualTo(32 * 72 + 6272 * 3);
        assertThat(c2.bytes(100, 300)).isEqualTo(2 * 72 + 200 * 3); // channels 0 and 1
        assertThat(c2.bytes(196, 392)).isEqualTo(72 + 196 * 3);    // exactly channel 1
        CoreBudget c1 = a.budgets().get(0); // conv 1 -> 16: a filter is ceil(9*4/8) = 5 B; 12,544 neurons need 2 NPUs of 26,214 B
        assertThat(c1.bytes(0, 12544)).isEqualTo(16 * 5 + 12544 * 3);
        assertThat(slicesOf(a, 0)).containsExactly(new int[] {0, 6272}, new int[] {6272, 12544});
        assertThat(c1.fanIn()).isEqualTo(9);
        assertThat(c2.fanIn()).isEqualTo(144);
    }

    @Test void aNetworkThatDoesNotFitNamesTheLayerTheExcessAndTheSmallestChips() {
        Module m = TestNets.mlp("big", new int[] {4040, 1024, 256, 35}, ElementType.I4, 1);
        // h1: 12 rows of 2,023 B per 26,214 B NPU -> 86 cores; 80 on one akd1500
        assertThatThrownBy(() -> AllocateCores.allocate(m, AKD1500, Settings.defaults()))
                .isInstanceOf(CompilationException.class)
                .hasMessageContaining("layer 'h1' needs 86 cores")
                .hasMessageContaining("6 cores over the budget")
                .hasMessageContaining("the smallest number of chips that fits is 2");
        Allocation auto = AllocateCores.allocate(m, AKD1500, Settings.defaults().withChips(-1));
        assertThat(auto.report().chips()).isEqualTo(2);
        assertThat(auto.report().chipsUsed()).isEqualTo(2);
        assertThat(Verifier.verify(auto.module())).isEmpty();
        assertThat(AllocateCores.allocate(m, AKD1500, Settings.defaults().withChips(3)).report().coresAvailable()).isEqualTo(240);
        assertThatThrownBy(() -> AllocateCores.allocate(m, AKD1500, Settings.defaults().withChips(1)))
                .hasMessageContaining("layer 'h1'");
    }

    @Test void anUnsupportedWeightWidthNamesTheLayerAndTheSupportedWidths() {
        assertThatThrownBy(() -> AllocateCores.allocate(TestNets.mlp("m", KWS, ElementType.I8, 1), AKD1500, Settings.defaults()))
                .isInstanceOf(CompilationException.class)
                .hasMessageContaining("layer 'h1' has 8-bit weights, which target 'akd1500' does not support (supported: 1, 4 bits)");
    }

    @Test void aFanInAboveTheLimitIsAnErrorNamingTheLayer() {
        Target t = withNpu(AKD1000, 15000, 104857, 1000);
        assertThatThrownBy(() -> AllocateCores.allocate(TestNets.mlp("m", KWS, ElementType.I4, 1), t, Settings.defaults()))
                .hasMessageContaining("layer 'h1' has a fan-in of 4040 synapses per neuron, more than the 1000");
    }

    @Test void aNeuronWhoseRowDoesNotFitOneNpuIsAnError() {
        Target t = withNpu(AKD1000, 15000, 1000, 57334);
        assertThatThrownBy(() -> AllocateCores.allocate(TestNets.mlp("m", KWS, ElementType.I4, 1), t, Settings.defaults()))
                .hasMessageContaining("layer 'h1' cannot be placed: one neuron needs 2023 bytes");
    }

    @Test void floatWeightsAskForQuantization() {
        Module m = IrParser.parse("""
                module @f stage snn {
                  blob @w : tensor<2x3xf32> = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
                  %x = snn.input {name = "x"} : tensor<3xf32>
                  %e = snn.encode(%x) {mode = rate} : spikes<3>
                  %i = snn.dense(%e) {units = 2, weight = @w} : tensor<2xf32> loc("f.nmd":3:1)
                  %h = snn.if(%i) {threshold = 1.0} : spikes<2>
                  %y = snn.decode(%h) {mode = count} : tensor<2xf32>
                  snn.output(%y) {name = "y"}
                }
                """, "f.nmir");
        assertThatThrownBy(() -> AllocateCores.allocate(m, AKD1000, Settings.defaults()))
                .hasMessageContaining("f32 weights @w (run quantize-weights first)");
    }

    @Test void floatThresholdsAskForQuantizationToo() {
        Module m = IrParser.parse("""
                module @f stage snn {
                  blob @w : tensor<2x3xi4> = [1, 2, 3, 4, 5, 6]
                  %x = snn.input {name = "x"} : tensor<3xf32>
                  %e = snn.encode(%x) {mode = rate} : spikes<3>
                  %i = snn.dense(%e) {units = 2, weight = @w, weight_scale = 0.5} : tensor<2xi32>
                  %h = snn.if(%i) {threshold = 1.5} : spikes<2> loc("f.nmd":4:1)
                  %y = snn.decode(%h) {mode = count} : tensor<2xi32>
                  snn.output(%y) {name = "y"}
                }
                """, "f.nmir");
        assertThatThrownBy(() -> AllocateCores.allocate(m, AKD1000, Settings.defaults()))
                .hasMessageContaining("f.nmd:4:1")
                .hasMessageContaining("hw stage holds integer parameters only")
                .hasMessageContaining("(run quantize-weights before allocate-cores)");
    }

    @Test void acrossChipsTheHeavyTrafficStaysOnChip() {
        // 93 slices on two akd1500 chips: h1 (86 slices) cannot share a chip with everything, but the
        // inter-chip links (priced at 200 mesh hops) should carry no more events than greedy's
        Module m = TestNets.mlp("big", new int[] {4040, 1024, 256, 35}, ElementType.I4, 1);
        Allocation a = AllocateCores.allocate(m, AKD1500, Settings.defaults().withChips(-1));
        Target t = a.target();
        double chipEvents = 0, greedyChipEvents = 0;
        for (Traffic.Edge e : a.edges()) {
            if (t.hops(a.npuOf()[e.src()], a.npuOf()[e.dst()]).interChip() > 0) chipEvents += e.events();
            if (t.hops(a.greedy()[e.src()], a.greedy()[e.dst()]).interChip() > 0) greedyChipEvents += e.events();
        }
        assertThat(chipEvents).isLessThanOrEqualTo(greedyChipEvents + 1e-9);
        Placement p = new Placement(t, a.slices().size(), a.edges());
        assertThat(p.cost(a.npuOf())).isLessThanOrEqualTo(p.cost(a.greedy()) + 1e-9);
    }

    @Test void placementIsDeterministicForASeed() {
        Module m = TestNets.mlp("kws", KWS, ElementType.I4, 1);
        Settings s = Settings.defaults().withSearch(100, 5000, 7);
        Allocation a = AllocateCores.allocate(m, AKD1500, s), b = AllocateCores.allocate(m, AKD1500, s);
        assertThat(a.npuOf()).isEqualTo(b.npuOf());
        assertThat(IrPrinter.print(a.module(), IrPrinter.Options.ELIDED)).isEqualTo(IrPrinter.print(b.module(), IrPrinter.Options.ELIDED));
    }

    @Test void localSearchIsNeverWorseThanGreedy() {
        for (long seed = 0; seed < 6; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            int n = 20 + r.nextInt(60);
            List<Traffic.Edge> edges = new ArrayList<>();
            for (int i = 0; i < 3 * n; i++) edges.add(new Traffic.Edge(r.nextInt(n), r.nextInt(n), 0, r.nextDouble() * 10));
            Placement p = new Placement(AKD1000, n, edges);
            double greedy = p.cost(p.greedy());
            assertThat(p.cost(p.optimise(100, 0, seed))).isLessThanOrEqualTo(greedy + 1e-9);
            assertThat(p.cost(p.optimise(100, 2000, seed))).isLessThanOrEqualTo(greedy + 1e-9);
        }
        Allocation kws = AllocateCores.allocate(TestNets.mlp("kws", KWS, ElementType.I4, 1), AKD1500, Settings.defaults());
        assertThat(kws.report().trafficHops()).isLessThanOrEqualTo(kws.report().greedyTrafficHops() + 1e-9);
    }

    @Test void routesCountMeshHopsOnTheFourByFiveMesh() {
        Allocation a = AllocateCores.allocate(TestNets.mlp("kws", KWS, ElementType.I4, 1), AKD1000, Settings.defaults());
        java.util.Map<Long, int[]> core = new java.util.HashMap<>();
        for (Op op : a.module().graph().opsOf(OpKind.HW_CORE_SLICE)) core.put(op.attributes().getInt("id", -1), op.attributes().getInts("core", null));
        List<Op> routes = a.module().graph().opsOf(OpKind.HW_ROUTE);
        assertThat(routes).isNotEmpty();
        for (Op r : routes) {
            int[] src = core.get(r.attributes().getInt("src", -1));
            int hops = 0;
            for (int d : r.attributes().getInts("dst", null)) {
                int[] dst = core.get((long) d);
                // node n sits at row n / 5, column n % 5; NPUs of one node are 0 hops apart
                hops += Math.abs(src[1] / 5 - dst[1] / 5) + Math.abs(src[1] % 5 - dst[1] % 5);
            }
            assertThat(r.attributes().getInt("hops", -1)).isEqualTo(hops);
        }
        // the corners of the mesh: node 0 at (0, 0) and node 19 at (3, 4) are 7 hops apart
        assertThat(AKD1000.hopDistance(AKD1000.index(0, 0, 0), AKD1000.index(0, 19, 3))).isEqualTo(7);
    }

    @Test void routesFollowConvolutionWindows() {
        // c1 in two halves of its channels; both reach the single c2 slice; the rate-coded MLP routes all to all
        Allocation a = AllocateCores.allocate(TestNets.cnn(ElementType.I4, 1), AKD1500, Settings.defaults());
        Traffic.Spatial sp = Traffic.Spatial.of(a.net().layer(0), a.net().layer(1).inputs().get(0), a.net().layer(1));
        // c1 neuron at (y, x) = (0, 0) reaches pooled position (0, 0) and conv2 outputs (0..1, 0..1)
        assertThat(sp.reaches(0, 0, 1)).isTrue();               // c2 channel 0 (0, 0)
        assertThat(sp.reaches(0, 3, 4)).isFalse();              // c2 channel 0 (0, 3)
        assertThat(sp.reaches(27 * 28 + 27, 195, 196)).isTrue(); // (27, 27) -> pooled (13, 13)
        assertThat(sp.reaches(27 * 28 + 27, 0, 100)).isFalse();  // rows 0..7 of channel 0
    }

    @Test void theHwOutputVerifiesAndRoundTripsThroughText() {
        for (Module m : List.of(TestNets.mlp("kws", KWS, ElementType.I4, 1), TestNets.cnn(ElementType.I4, 2), resource("rate_mlp.nmir"))) {
            Allocation a = AllocateCores.allocate(m, AKD1500, Settings.defaults());
            assertThat(a.module().stage()).isEqualTo(Stage.HW);
            assertThat(Verifier.verify(a.module())).isEmpty();
            String text = IrPrinter.print(a.module());
            assertThat(IrPrinter.print(IrParser.parse(text, "x.nmir"))).isEqualTo(text);
        }
    }

    @Test void aRateCodedMlpFromTextMapsOntoOneNodeWithRoutesBetweenItsSlices() {
        Allocation a = AllocateCores.allocate(resource("rate_mlp.nmir"), AKD1000, Settings.defaults());
        String text = IrPrinter.print(a.module(), IrPrinter.Options.ELIDED);
        // the count-decoded output population is a layer of its own; the count decoder has no core
        assertThat(text).contains("hw.core_slice(%h) {id = 0, core = [0, 0, 0], neurons = [0, 8], synapse_bytes = 88}");
        assertThat(text).contains("hw.core_slice(%o) {id = 1, core = [0, 0, 1], neurons = [0, 4], synapse_bytes = 28}");
        assertThat(text).contains("hw.route(%h) {src = 0, dst = [1], hops = 0}");
        assertThat(a.report().encoding()).isEqualTo("rate");
    }

    @Test void thePassReportsAndStoresTheMappingReport() {
        PassContext ctx = new PassContext(CompileSettings.defaults().withTarget(AKD1500), new DiagnosticSink(), null);
        var result = new AllocateCores(PassOptions.defaults(AllocateCores.INFO)).run(TestNets.mlp("kws", KWS, ElementType.I4, 1), ctx);
        assertThat(result.changed()).isTrue();
        MappingReport r = ctx.get(MappingReport.class).orElseThrow();
        assertThat(r.coresUsed()).isEqualTo(48);
        assertThat(r.lowerBound()).isEqualTo(48);
        assertThat(r.totalNeurons()).isEqualTo(931);
        assertThat(r.totalSynapses()).isEqualTo(2_236_800);
        assertThat(ctx.reportLines()).contains("Target: akd1500", "Network: 4 layers (input encoding: direct)",
                "Total neurons: 931 (512 + 256 + 128 + 35)", "Total synapses: 2,236,800 weight entries",
                "Core allocation: 48 cores used (of 80 available) on 1 chip",
                "Core lower bound: 48 cores (what memory and neuron limits force); 0.0% above",
                "Synapse memory: 1.07 MB (of 2 MB available)",
                "Spike traffic: 266 events × hops per timestep (in-order placement: 459)",
                "Firing rates: default rate 0.1 (no measured firing rates)",
                "Estimated SOPs/inference: 66,729,984 (at 10.0% avg firing rate)");
        assertThat(ctx.reportLines()).anyMatch(l -> l.startsWith("Estimated energy/inference: 58.1 µJ (0.8 pJ/SOP × 66.7M SOPs + neuron updates"));
    }

    @Test void withCalibrationDataTheFiringRatesAreMeasuredByTheSnnInterpreter() {
        SplittableRandom r = new SplittableRandom(5);
        float[] data = new float[8 * 64];
        for (int i = 0; i < data.length; i++) data[i] = (float) r.nextDouble();
        var calib = new dev.nmcc.ir.interp.Batch(8, dev.nmcc.ir.type.Shape.of(64), data);
        PassContext ctx = new PassContext(CompileSettings.defaults().withTarget(AKD1500).withCalibration(calib), new DiagnosticSink(), null);
        Module m = TestNets.mlp("small", new int[] {64, 32, 10}, ElementType.I4, 1);
        new AllocateCores(PassOptions.defaults(AllocateCores.INFO)).run(m, ctx);
        ActivityProfile p = ctx.get(ActivityProfile.class).orElseThrow();
        assertThat(p.measured()).isTrue();
        assertThat(p.layerRates()[0]).hasSize(32);
        assertThat(p.inputDensity()).isEqualTo(1.0);
        assertThat(ctx.get(MappingReport.class).orElseThrow().rateSource()).isEqualTo("measured on 8 calibration samples");
    }

    @Test void theReportAsJsonIsWellFormed() throws Exception {
        Allocation a = AllocateCores.allocate(TestNets.cnn(ElementType.I4, 1), AKD1500, Settings.defaults());
        String json = a.report().json();
        try (var p = new com.fasterxml.jackson.core.JsonFactory().createParser(json)) {
            int tokens = 0;
            while (p.nextToken() != null) tokens++;
            assertThat(tokens).isGreaterThan(100);
        }
        assertThat(json).contains("\"cores_used\": 8", "\"cores_lower_bound\": 8", "\"core\": [0, 0, 0]", "\"name\": \"c1\"");
    }

    @Test void convolutionsOutsideTheTargetsKernelAndStrideSetsAreErrors() {
        String text = """
                module @c stage snn {
                  blob @w1 : tensor<4x1x3x3xi4> = [%s]
                  blob @w2 : tensor<4x4x2x2xi4> = [%s]
                  %%x = snn.input {name = "x"} : tensor<1x8x8xf32>
                  %%e = snn.encode(%%x) {mode = direct, input_scale = 255} : tensor<1x8x8xi32>
                  %%0 = snn.conv2d(%%e) {out_channels = 4, kernel = [3, 3], pad = [1, 1, 1, 1], weight = @w1} : tensor<4x8x8xi32>
                  %%c1 = snn.if(%%0) {threshold = 50} : spikes<4x8x8>
                  %%1 = snn.conv2d(%%c1) {out_channels = 4, kernel = [2, 2], weight = @w2} : tensor<4x7x7xi32> loc("c.nmd":6:3)
                  %%c2 = snn.if(%%1) {threshold = 50} : spikes<4x7x7>
                  %%y = snn.decode(%%c2) {mode = count} : tensor<4x7x7xi32>
                  snn.output(%%y) {name = "y"}
                }
                """.formatted("-7, -2, 3, -7, -2, 3, -7, -2, 3, -7, -2, 3, -7, -2, 3, -7, -2, 3, -7, -2, 3, -7, -2, 3, -7, -2, 3, -7, -2, 3, -7, -2, 3, -7, -2, 3", "-7, 0, 7, -1, 6, -2, 5, -3, 4, -4, 3, -5, 2, -6, 1, -7, 0, 7, -1, 6, -2, 5, -3, 4, -4, 3, -5, 2, -6, 1, -7, 0, 7, -1, 6, -2, 5, -3, 4, -4, 3, -5, 2, -6, 1, -7, 0, 7, -1, 6, -2, 5, -3, 4, -4, 3, -5, 2, -6, 1, -7, 0, 7, -1");
        Module m = IrParser.parse(text, "c.nmir");
        assertThatThrownBy(() -> AllocateCores.allocate(m, AKD1500, Settings.defaults()))
                .hasMessageContaining("c.nmd:6:3")
                .hasMessageContaining("layer 'c2' has a 2x2 convolution with stride 1, which target 'akd1500' does not support "
                        + "(convolutions: kernels 1, 3, 5, 7, strides 1, 2)");
    }

    @Test void theChipsOptionIsAnIntegerOrAuto() {
        assertThat(AllocateCores.parseChips(null)).isZero();
        assertThat(AllocateCores.parseChips("auto")).isEqualTo(-1);
        assertThat(AllocateCores.parseChips("3")).isEqualTo(3);
        assertThatThrownBy(() -> AllocateCores.parseChips("two")).hasMessageContaining("chips must be a positive integer or 'auto'");
    }
}

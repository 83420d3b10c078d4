package dev.nmcc.passes.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nmcc.backend.target.Target;
import dev.nmcc.backend.target.Targets;
import dev.nmcc.ir.diag.DiagnosticSink;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.graph.Op;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.ir.text.IrParser;
import dev.nmcc.ir.text.IrPrinter;
import dev.nmcc.ir.type.ElementType;
import dev.nmcc.ir.verify.Verifier;
import dev.nmcc.passes.CompileSettings;
import dev.nmcc.passes.PassContext;
import dev.nmcc.passes.PassOptions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class AnnotateWakeOnSpikeTest {
    static final Target AKD1500 = Targets.resolve("akd1500");

    static Module mapped(Module snn) {
        return AllocateCores.allocate(snn, AKD1500, AllocateCores.Settings.defaults()).module();
    }

    static Map<Long, Op> slices(Module m) {
        Map<Long, Op> out = new HashMap<>();
        for (Op op : m.graph().opsOf(OpKind.HW_CORE_SLICE)) out.put(op.attributes().getInt("id", -1), op);
        return out;
    }

    @Test void slicesFedByDirectInputStayAwakeAndSparseOnesSleep() {
        Module hw = mapped(TestNets.cnn(ElementType.I4, 1));
        var r = AnnotateWakeOnSpike.annotate(hw, AKD1500, ActivityProfile.uniform(0.05), 32);
        Map<Long, Op> s = slices(r.module());
        // c1 (ids 0, 1) reads the direct-encoded image: always awake
        assertThat(s.get(0L).attributes().getString("wake", "")).isEqualTo("always");
        assertThat(s.get(1L).attributes().getString("wake", "")).isEqualTo("always");
        assertThat(s.get(0L).attributes().has("idle_timeout")).isFalse();
        // the dense layer and the integrator see few events per timestep: they sleep
        for (long id = 3; id <= 7; id++) {
            Op op = s.get(id);
            assertThat(op.attributes().getString("wake", "")).isEqualTo("on_spike");
            // break-even of akd1500: ceil(100 cycles * 125 / (125 - 12.5)) = 112 cycles
            assertThat(op.attributes().getInt("idle_timeout", -1)).isGreaterThanOrEqualTo(112);
        }
        assertThat(r.estimate().totalWakePj()).isLessThan(r.estimate().totalAlwaysPj());
        assertThat(Verifier.verify(r.module())).isEmpty();
    }

    @Test void wakeSourcesAreTheSourcesOfTheRoutesReachingTheSlice() {
        Module hw = mapped(TestNets.mlp("kws", AllocateCoresTest.KWS, ElementType.I4, 1));
        var r = AnnotateWakeOnSpike.annotate(hw, AKD1500, ActivityProfile.uniform(0.02), 32);
        Map<Long, TreeSet<Integer>> expected = new HashMap<>();
        for (Op route : hw.graph().opsOf(OpKind.HW_ROUTE)) {
            for (int d : route.attributes().getInts("dst", null)) {
                expected.computeIfAbsent((long) d, k -> new TreeSet<>()).add((int) route.attributes().getInt("src", -1));
            }
        }
        int sleeping = 0;
        for (var e : slices(r.module()).entrySet()) {
            Op op = e.getValue();
            if (!"on_spike".equals(op.attributes().getString("wake", ""))) continue;
            sleeping++;
            int[] got = op.attributes().getInts("wake_sources", null);
            assertThat(got).containsExactly(expected.get(e.getKey()).stream().mapToInt(Integer::intValue).toArray());
        }
        assertThat(sleeping).isPositive();
    }

    @Test void inATinyNetworkATimestepIsShorterThanAWakeUpSoNothingSleeps() {
        Module hw = IrParser.parse("""
                module @m stage hw {
                  blob @w1 : tensor<4x4xi4> = [1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4]
                  blob @w2 : tensor<2x4xi4> = [1, -1, 1, -1, 1, -1, 1, -1]
                  %x = snn.input {name = "x"} : tensor<4xf32>
                  %s = snn.encode(%x) {mode = rate} : spikes<4>
                  %0 = snn.dense(%s) {units = 4, weight = @w1} : tensor<4xi32>
                  %h = snn.if(%0) {threshold = 8} : spikes<4>
                  hw.core_slice(%h) {id = 5, core = [0, 0, 0], neurons = [0, 4]}
                  %1 = snn.dense(%h) {units = 2, weight = @w2} : tensor<2xi32>
                  hw.route(%h) {src = 5, dst = [9], hops = 7}
                  %y = snn.decode(%1) {mode = potential} : tensor<2xi32>
                  hw.core_slice(%y) {id = 9, core = [0, 19, 3], neurons = [0, 2]}
                  snn.output(%y) {name = "y"}
                }
                """, "m.nmir");
        assertThat(Verifier.verify(hw)).isEmpty();
        var r = AnnotateWakeOnSpike.annotate(hw, AKD1500, ActivityProfile.uniform(0.1), 32);
        String text = IrPrinter.print(r.module());
        // a timestep here is a few dozen cycles: less than the 100-cycle wake latency plus the 112-cycle break-even
        assertThat(r.estimate().timestepCycles()).isLessThan(100 + 112);
        assertThat(text).contains("hw.core_slice(%h) {id = 5, core = [0, 0, 0], neurons = [0, 4], wake = always}");
        assertThat(text).contains("hw.core_slice(%y) {id = 9, core = [0, 19, 3], neurons = [0, 2], wake = always}");
        assertThat(r.estimate().totalWakePj()).isEqualTo(r.estimate().totalAlwaysPj());
        assertThat(Verifier.verify(r.module())).isEmpty();
    }

    @Test void thePassReportsEnergyWithAndWithoutAndUpdatesTheMappingReport() {
        PassContext ctx = new PassContext(CompileSettings.defaults().withTarget(AKD1500), new DiagnosticSink(), null);
        Module hw = new AllocateCores(PassOptions.defaults(AllocateCores.INFO)).run(TestNets.cnn(ElementType.I4, 1), ctx).module();
        var res = new AnnotateWakeOnSpike(PassOptions.defaults(AnnotateWakeOnSpike.INFO)).run(hw, ctx);
        assertThat(res.changed()).isTrue();
        assertThat(ctx.reportLines()).anyMatch(l -> l.startsWith("Wake-on-spike: 6 of 8 cores may sleep; estimated energy/inference"));
        MappingReport rep = ctx.get(MappingReport.class).orElseThrow();
        assertThat(rep.wakeAnnotated()).isTrue();
        assertThat(rep.slices().stream().filter(s -> s.wake().equals("on_spike")).count()).isEqualTo(6);
        assertThat(rep.lines()).anyMatch(l -> l.contains("without wake-on-spike"));
        assertThat(List.of(res.module().stage().name())).containsExactly("HW");
    }
}

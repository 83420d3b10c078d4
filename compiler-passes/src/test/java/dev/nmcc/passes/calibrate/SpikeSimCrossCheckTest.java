package dev.nmcc.passes.calibrate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nmcc.ir.diag.DiagnosticSink;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.interp.Batch;
import dev.nmcc.ir.interp.SnnInterpreter;
import dev.nmcc.ir.interp.SnnResult;
import dev.nmcc.ir.interp.SnnStats;
import dev.nmcc.passes.CompileSettings;
import dev.nmcc.passes.PassContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The bench's runner ({@link SpikeSim}, which takes predictions at several T in one run) against
 * the reference SNN interpreter on converted networks: the same spikes per neuron and the same
 * predictions, in every coding.
 */
class SpikeSimCrossCheckTest {
    @ParameterizedTest
    @CsvSource({"direct,potential,false", "rate,potential,false", "direct,count,false", "direct,potential,true"})
    void agreesWithTheSnnInterpreter(String encoding, String decoding, boolean poolPopulation) {
        Module ann = NormalisationEquivalenceTest.randomNet(11);
        Batch data = TargetRateTest.data(24);
        int t = 12;
        PassContext ctx = new PassContext(new CompileSettings(t, encoding, decoding, 3, data, null, null), new DiagnosticSink(), null);
        Module snn = CalibrateThresholdsTest.pass("pool-population=" + poolPopulation).run(ann, ctx).module();

        SnnResult ref = new SnnInterpreter(snn).run(data, t, 3, 0);
        SpikeSim.Result sim = new SpikeSim(snn).run(data, t, new int[] {t}, 3, false);
        assertThat(sim.predictions()[0]).containsExactly(ref.predictions());
        SnnStats st = ref.stats();
        assertThat(st.populations()).hasSize(sim.neuronSpikes().length);
        for (int p = 0; p < sim.neuronSpikes().length; p++) {
            assertThat(sim.neuronSpikes()[p]).as("population " + p).containsExactly(st.populations().get(p).spikesPerNeuron());
        }
        double[] refOut = ref.output().values();
        int k = ref.output().size();
        for (int s = 0; s < data.samples(); s++) {
            for (int i = 0; i < k; i++) {
                assertThat((double) sim.outputs()[s][i]).isCloseTo(refOut[s * k + i], org.assertj.core.api.Assertions.within(1e-3));
            }
        }
    }
}

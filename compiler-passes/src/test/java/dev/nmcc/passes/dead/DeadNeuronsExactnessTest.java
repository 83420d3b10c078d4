package dev.nmcc.passes.dead;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nmcc.ir.diag.DiagnosticSink;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.interp.Batch;
import dev.nmcc.ir.interp.SnnInterpreter;
import dev.nmcc.ir.interp.SnnResult;
import dev.nmcc.ir.text.IrParser;
import dev.nmcc.ir.type.Shape;
import dev.nmcc.ir.verify.Verifier;
import dev.nmcc.passes.CompileSettings;
import dev.nmcc.passes.Pass;
import dev.nmcc.passes.PassContext;
import dev.nmcc.passes.quantize.QuantizeWeights;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Exact mode keeps every output bit-identical: the SNN interpreter runs each module before and
 * after on random inputs, at several T, in float and integer form.
 */
class DeadNeuronsExactnessTest {
    static PassContext context() { return new PassContext(CompileSettings.defaults(), new DiagnosticSink(), null); }

    static Batch uniform(long seed, int samples, Shape shape) {
        Random r = new Random(seed);
        float[] d = new float[samples * shape.elementCount()];
        for (int i = 0; i < d.length; i++) d[i] = r.nextFloat();
        return new Batch(samples, shape, d);
    }

    static Module eliminate(Module m) {
        Pass.PassResult r = new EliminateDeadNeurons(false, null).run(m, context());
        assertThat(r.changed()).as("the planted dead neurons are removed").isTrue();
        assertThat(Verifier.verify(r.module())).isEmpty();
        return r.module();
    }

    /** Same outputs, bit for bit (values and, for count decoding, the tie-break potentials). */
    static void assertSameOutputs(Module before, Module after, Batch in) {
        for (int t : new int[] {1, 7, 32, 100}) {
            SnnResult a = new SnnInterpreter(before).run(in, t, 42, 0);
            SnnResult b = new SnnInterpreter(after).run(in, t, 42, 0);
            assertThat(b.outputs()).hasSameSizeAs(a.outputs());
            for (int o = 0; o < a.outputs().size(); o++) {
                assertThat(b.outputs().get(o).values()).as("output values at T=%d", t).containsExactly(a.outputs().get(o).values());
                if (a.outputs().get(o).finalPotentials() != null) {
                    assertThat(b.outputs().get(o).finalPotentials()).as("tie-break potentials at T=%d", t)
                            .containsExactly(a.outputs().get(o).finalPotentials());
                }
            }
        }
    }

    @ParameterizedTest // float MLPs (direct input, IF and LIF, potential and count decoding)
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void mlpFloat(long seed) {
        Module m = IrParser.parse(RandomSnn.mlp(seed, 12, 9, 8, 4, seed % 2 == 0), "mlp.nmir");
        assertSameOutputs(m, eliminate(m), uniform(seed, 24, Shape.of(12)));
    }

    @ParameterizedTest // float CNNs: dead channels across maxpool and flatten, rate-encoded input
    @ValueSource(longs = {1, 2, 3})
    void cnnFloat(long seed) {
        Module m = IrParser.parse(RandomSnn.cnn(seed, 6, 5, 3), "cnn.nmir");
        assertSameOutputs(m, eliminate(m), uniform(seed, 12, Shape.of(1, 6, 6)));
    }

    @ParameterizedTest // folded pooling (IF → avgpool → conv, avgpool → flatten → dense): dead channels go across the pools
    @ValueSource(ints = {0, 8, 4})
    void pooledCnn(int bits) {
        Module m = IrParser.parse(RandomSnn.cnnPooled(bits + 1, 8, 5, 4, 3), "pooled.nmir");
        if (bits > 0) m = new QuantizeWeights(bits, true, 32, true, null).run(m, context()).module();
        Module out = eliminate(m);
        assertThat(out.graph().opsOf(dev.nmcc.ir.op.OpKind.SNN_CONV2D).getFirst().attributes().getInt("out_channels", 0))
                .isLessThanOrEqualTo(3);
        assertSameOutputs(m, out, uniform(bits, 12, Shape.of(1, 8, 8)));
    }

    @ParameterizedTest // calibrated mode (spike counts from the interpreter): outputs identical on the calibration set
    @ValueSource(longs = {1, 2, 3})
    void calibratedKeepsTheCalibrationOutputs(long seed) {
        Module m = IrParser.parse(RandomSnn.mlp(seed, 12, 9, 8, 4, false), "mlp.nmir");
        // a calibration set that only excites the first half of the inputs: more neurons stay silent
        Batch calib = uniform(seed, 6, Shape.of(12));
        for (int n = 0; n < calib.samples(); n++) for (int i = 6; i < 12; i++) calib.data()[n * 12 + i] = 0;
        var settings = new CompileSettings(8, "direct", "potential", 7, calib, null, null);
        PassContext ctx = new PassContext(settings, new DiagnosticSink(), null);
        Module out = new EliminateDeadNeurons(true, null).run(m, ctx).module();
        assertThat(Verifier.verify(out)).isEmpty();
        PassContext exactCtx = context();
        new EliminateDeadNeurons(false, null).run(m, exactCtx);
        assertThat(removed(ctx)).isGreaterThanOrEqualTo(removed(exactCtx));
        SnnResult a = new SnnInterpreter(m).run(calib, 8, 7, 0), b = new SnnInterpreter(out).run(calib, 8, 7, 0);
        assertThat(b.output().values()).containsExactly(a.output().values());
    }

    static long removed(PassContext ctx) {
        String first = ctx.reportLines().getFirst(); // Dead neurons eliminated: N (P% of total)
        return Long.parseLong(first.substring("Dead neurons eliminated: ".length(), first.indexOf(' ', "Dead neurons eliminated: ".length())));
    }

    @ParameterizedTest // integer form after quantize-weights (per-channel thresholds shrink with their population)
    @ValueSource(ints = {8, 4, 2, 1})
    void integerForm(int bits) {
        Module m = IrParser.parse(RandomSnn.mlp(bits, 12, 9, 8, 4, bits % 2 == 0), "mlp.nmir");
        Module q = new QuantizeWeights(bits, true, 24).run(m, context()).module();
        assertSameOutputs(q, eliminate(q), uniform(bits, 24, Shape.of(12)));
        Module c = new QuantizeWeights(bits, true, 24).run(IrParser.parse(RandomSnn.cnn(bits, 6, 5, 3), "cnn.nmir"), context()).module();
        assertSameOutputs(c, eliminate(c), uniform(bits, 12, Shape.of(1, 6, 6)));
    }
}

package dev.nmcc.passes.calibrate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nmcc.ir.blob.Blob;
import dev.nmcc.ir.blob.BlobTable;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.graph.Value;
import dev.nmcc.ir.interp.ActivationRecorder;
import dev.nmcc.ir.interp.AnnInterpreter;
import dev.nmcc.ir.interp.Batch;
import dev.nmcc.ir.text.IrParser;
import dev.nmcc.ir.type.Shape;
import dev.nmcc.ir.type.TensorType;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * At large T the SNN's rates × λ approach the ANN's activations layer by layer (DESIGN §3):
 * with λ = max (nothing clipped) and reset by subtraction, a neuron's spike count after T steps
 * differs from T·a/λ by at most a few spikes, so the per-layer error shrinks like 1/T.
 */
class NormalisationEquivalenceTest {
    static Module randomNet(long seed) {
        String text = """
                module @net stage ann {
                  %x = ann.input {name = "x"} : tensor<2x6x6xf32>
                  %0 = ann.conv2d(%x) {out_channels = 4, kernel = [3, 3], pad = [1, 1, 1, 1], weight = @k1, bias = @c1} : tensor<4x6x6xf32>
                  %a = ann.relu(%0) : tensor<4x6x6xf32>
                  %1 = ann.conv2d(%a) {out_channels = 4, kernel = [3, 3], pad = [1, 1, 1, 1], weight = @k2, bias = @c2} : tensor<4x6x6xf32>
                  %2 = ann.add(%1, %a) : tensor<4x6x6xf32>
                  %r = ann.relu(%2) : tensor<4x6x6xf32>
                  %p = ann.avgpool(%r) {kernel = [2, 2]} : tensor<4x3x3xf32>
                  %f = ann.flatten(%p) : tensor<36xf32>
                  %3 = ann.dense(%f) {units = 8, weight = @w1, bias = @d1} : tensor<8xf32>
                  %h = ann.relu(%3) : tensor<8xf32>
                  %4 = ann.dense(%h) {units = 3, weight = @w2} : tensor<3xf32>
                  ann.output(%4) {name = "y"}
                }
                """;
        Module m = IrParser.parse(text, "net.nmir");
        SplittableRandom rnd = new SplittableRandom(seed);
        BlobTable.Builder b = BlobTable.builder();
        b.add(rand("k1", rnd, 0.4, 4, 2, 3, 3)).add(rand("c1", rnd, 0.1, 4)).add(rand("k2", rnd, 0.3, 4, 4, 3, 3))
                .add(rand("c2", rnd, 0.1, 4)).add(rand("w1", rnd, 0.4, 8, 36)).add(rand("d1", rnd, 0.1, 8))
                .add(rand("w2", rnd, 0.5, 3, 8));
        return m.withBlobs(b.build());
    }

    static Blob rand(String name, SplittableRandom rnd, double scale, int... dims) {
        TensorType t = TensorType.f32(dims);
        float[] v = new float[t.shape().elementCount()];
        for (int i = 0; i < v.length; i++) v[i] = (float) (rnd.nextGaussian() * scale + 0.02);
        return Blob.ofFloats(name, t, v);
    }

    @Test void ratesTimesLambdaApproachAnnActivationsLayerByLayer() {
        Module ann = randomNet(11);
        SplittableRandom rnd = new SplittableRandom(3);
        int n = 40;
        float[] x = new float[n * 72];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextDouble();
        Batch data = new Batch(n, Shape.of(2, 6, 6), x);
        var ctx = CalibrateThresholdsTest.context(data, 8);
        var conv = CalibrateThresholdsTest.pass("mode=max").convert(ann, ctx);
        ActivationRecorder rec = ActivationRecorder.all(ann.graph(), n);
        new AnnInterpreter(ann).run(data, rec);

        double[] errAt = new double[2];
        int[] ts = {100, 1600};
        for (int k = 0; k < ts.length; k++) {
            int t = ts[k];
            SpikeSim.Result r = new SpikeSim(conv.module()).run(data, t, new int[] {t}, 0, true);
            double worst = 0;
            for (SnnLowering.Layer l : conv.layers()) {
                // the population's ANN counterpart is the relu of the value that feeds it
                Value relu = ann.graph().users(new Value(l.annValue())).getFirst().result();
                Batch a = rec.get(relu);
                int per = a.sampleSize() / l.lambda().length;
                double sum = 0, scale = 0;
                for (int s = 0; s < n; s++) {
                    for (int i = 0; i < a.sampleSize(); i++) {
                        double snn = (double) r.perSample()[s][l.index()][i] / t * l.lambda()[i / per];
                        sum += Math.abs(snn - a.get(s, i));
                        scale += l.lambda()[i / per];
                    }
                }
                double relErr = sum / scale; // mean |rate·λ − a| relative to λ
                worst = Math.max(worst, relErr);
                if (t == 1600) assertThat(relErr).as(l.description() + " at T=" + t).isLessThan(0.01);
            }
            errAt[k] = worst;
        }
        assertThat(errAt[1]).as("the error shrinks with T").isLessThan(errAt[0] / 4);
    }
}

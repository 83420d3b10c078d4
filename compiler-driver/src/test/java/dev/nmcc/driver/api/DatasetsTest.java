package dev.nmcc.driver.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nmcc.frontend.numpy.NpyArray;
import dev.nmcc.ir.diag.CompilationException;
import dev.nmcc.ir.type.Shape;
import java.nio.file.Path;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class DatasetsTest {
    /** An in-memory array. */
    record Fake(String dtype, int[] shape, double[] values) implements NpyArray {
        @Override public long elementCount() { return values.length; }

        @Override public float[] asFloats() {
            float[] f = new float[values.length];
            for (int i = 0; i < f.length; i++) f[i] = (float) values[i];
            return f;
        }

        @Override public long[] asLongs() {
            long[] l = new long[values.length];
            for (int i = 0; i < l.length; i++) l[i] = (long) values[i];
            return l;
        }
    }

    private static final Path X = Path.of("x.npy");

    private static String message(Runnable r) {
        try {
            r.run();
        } catch (CompilationException e) {
            return e.diagnostics().getFirst().message();
        }
        throw new AssertionError("no error");
    }

    @Test
    void uint8IsScaledAndReshapedInCOrder() {
        var in = Datasets.inputs(new Fake("|u1", new int[] {2, 2, 2}, new double[] {0, 255, 51, 102, 0, 0, 0, 255}), X,
                Shape.of(4), OptionalDouble.empty(), 0);
        assertThat(in.total()).isEqualTo(2);
        assertThat(in.batch().samples()).isEqualTo(2);
        assertThat(in.batch().data()).containsExactly(0f, 1f, 0.2f, 0.4f, 0f, 0f, 0f, 1f);
    }

    @Test
    void explicitScaleAndLimit() {
        var in = Datasets.inputs(new Fake("<f8", new int[] {3, 2}, new double[] {1, 2, 3, 4, 5, 6}), X, Shape.of(2),
                OptionalDouble.of(0.5), 2);
        assertThat(in.total()).isEqualTo(3);
        assertThat(in.batch().data()).containsExactly(0.5f, 1f, 1.5f, 2f);
    }

    @Test
    void aSingleSampleWithoutBatchDimension() {
        var in = Datasets.inputs(new Fake("<f4", new int[] {1, 2, 2}, new double[] {1, 2, 3, 4}), X, Shape.of(1, 2, 2),
                OptionalDouble.empty(), 0);
        assertThat(in.batch().samples()).isEqualTo(1);
    }

    @Test
    void shapeMismatchNamesBothShapes() {
        assertThat(message(() -> Datasets.inputs(new Fake("<f4", new int[] {3, 5}, new double[15]), X, Shape.of(4),
                OptionalDouble.empty(), 0)))
                .isEqualTo("data 'x.npy' has shape (3, 5), which does not fit the model input [4]: expected (N, ...) with 4 values per sample");
    }

    @Test
    void rejectsNonNumericData() {
        assertThat(message(() -> Datasets.inputs(new Fake("|b1", new int[] {1, 4}, new double[4]), X, Shape.of(4),
                OptionalDouble.empty(), 0))).contains("dtype |b1");
    }

    @Test
    void labelsMustBeIntegersOnePerSampleAndInRange() {
        Path y = Path.of("y.npy");
        assertThat(Datasets.labels(new Fake("<i8", new int[] {3}, new double[] {2, 0, 1}), y, 2, 3, 10)).containsExactly(2, 0);
        assertThat(Datasets.labels(new Fake("|u1", new int[] {3, 1}, new double[] {2, 0, 1}), y, 3, 3, 10)).containsExactly(2, 0, 1);
        assertThat(message(() -> Datasets.labels(new Fake("<f4", new int[] {3}, new double[3]), y, 3, 3, 10))).contains("expected integers");
        assertThat(message(() -> Datasets.labels(new Fake("<i4", new int[] {2}, new double[2]), y, 2, 3, 10)))
                .isEqualTo("labels 'y.npy' have shape (2,); expected (3,), one label per data sample");
        assertThat(message(() -> Datasets.labels(new Fake("<i8", new int[] {1}, new double[] {10}), y, 1, 1, 10)))
                .contains("label 10 at index 0");
    }

    @Test
    void argmaxAndAccuracy() {
        var out = new dev.nmcc.ir.interp.Batch(3, Shape.of(3), new float[] {1, 5, 2, 9, 0, 0, 1, 1, 1});
        int[] pred = FloatRun.argmax(out);
        assertThat(pred).containsExactly(1, 0, 0); // ties: the first
        assertThat(FloatRun.correct(pred, new int[] {1, 2, 0})).isEqualTo(2);
    }

    @Test
    void runFloatRefusesSpikingModels() {
        assertThatThrownBy(() -> FloatRun.run(TestModels.tinyCnn(dev.nmcc.ir.op.Stage.SNN),
                new dev.nmcc.ir.interp.Batch(0, Shape.of(1, 8, 8), new float[0]), n -> {}))
                .isInstanceOf(CompilationException.class).hasMessageContaining("runs ann-stage models");
    }
}

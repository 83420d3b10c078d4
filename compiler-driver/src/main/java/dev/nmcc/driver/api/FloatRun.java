package dev.nmcc.driver.api;

import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.interp.AnnInterpreter;
import dev.nmcc.ir.interp.Batch;
import dev.nmcc.ir.op.Stage;
import java.util.function.IntConsumer;

/**
 * Runs the float reference interpreter over a data set in chunks, reporting progress, and
 * scores the result.
 */
public final class FloatRun {
    /** Samples per call of the interpreter: large enough to keep every core busy. */
    static final int CHUNK = 1024;

    private FloatRun() {}

    /**
     * Runs a single-input, single-output {@code ann} module on every sample.
     *
     * @param progress told how many samples each finished chunk held
     */
    public static Batch run(Module module, Batch inputs, IntConsumer progress) {
        if (module.stage() != Stage.ANN) {
            throw UserErrors.error("run-float runs ann-stage models; '" + module.name() + "' is at stage " + module.stage());
        }
        AnnInterpreter interp = new AnnInterpreter(module);
        int n = inputs.samples();
        if (n <= CHUNK) {
            Batch out = interp.run(inputs);
            progress.accept(n);
            return out;
        }
        int size = inputs.sampleSize();
        float[] result = null;
        int outSize = 0;
        dev.nmcc.ir.type.Shape outShape = null;
        for (int start = 0; start < n; start += CHUNK) {
            int count = Math.min(CHUNK, n - start);
            float[] chunk = new float[count * size];
            System.arraycopy(inputs.data(), start * size, chunk, 0, chunk.length);
            Batch out = interp.run(new Batch(count, inputs.sampleShape(), chunk));
            if (result == null) {
                outShape = out.sampleShape();
                outSize = out.sampleSize();
                result = new float[Math.multiplyExact(n, outSize)];
            }
            System.arraycopy(out.data(), 0, result, start * outSize, count * outSize);
            progress.accept(count);
        }
        return new Batch(n, outShape, result);
    }

    /** The index of the largest value of each sample (the first one on ties). */
    public static int[] argmax(Batch outputs) {
        int n = outputs.samples();
        int k = outputs.sampleSize();
        float[] d = outputs.data();
        int[] out = new int[n];
        for (int s = 0; s < n; s++) {
            int best = 0;
            for (int i = 1; i < k; i++) if (d[s * k + i] > d[s * k + best]) best = i;
            out[s] = best;
        }
        return out;
    }

    /** How many predictions equal their label. */
    public static int correct(int[] predictions, int[] labels) {
        int c = 0;
        for (int i = 0; i < predictions.length; i++) if (predictions[i] == labels[i]) c++;
        return c;
    }
}

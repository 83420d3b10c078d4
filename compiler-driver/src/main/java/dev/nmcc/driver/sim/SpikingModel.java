package dev.nmcc.driver.sim;

import dev.nmcc.ir.interp.Batch;
import dev.nmcc.ir.type.Shape;
import dev.nmcc.sim.Mode;
import dev.nmcc.sim.ProgressListener;
import java.util.List;

/**
 * A compiled spiking model ready to run on a data set, whatever runs it: a {@code .nmc} binary on
 * the simulator ({@link BinaryModel}) or a {@code .nmir} model on the SNN interpreter
 * ({@link InterpreterModel}). What {@code nmcc run} and {@code nmcc validate} need, and no more.
 * Failures the user can fix are {@link dev.nmcc.ir.diag.CompilationException}s.
 */
public sealed interface SpikingModel permits BinaryModel, InterpreterModel {
    /** The file it was loaded from, as the user named it. */
    String file();

    /** The sample shape of the single input. */
    Shape inputShape();

    /** Values per sample of the first output: the number of classes a label may name. */
    int classes();

    /** Timesteps per sample when the user gives none. */
    int defaultTimesteps();

    /** Rate-encoding seed when the user gives none. */
    long defaultSeed();

    /** Runs every sample; {@code labels} (null: none) count the correct predictions. */
    Run run(Batch inputs, int[] labels, Settings settings, ProgressListener progress);

    /** Runs sample {@code sample} of {@code inputs} alone and keeps every spike of it. */
    SpikeRaster trace(Batch inputs, int sample, int label, Settings settings);

    /**
     * How to run.
     *
     * @param mode      functional or cycle (the interpreter has only functional)
     * @param timesteps timesteps T per sample
     * @param seed      the rate-encoding seed; sample i of the data set is keyed by i
     */
    record Settings(Mode mode, int timesteps, long seed) {}

    /**
     * What a run gave.
     *
     * @param report      the numbers for people and scripts
     * @param predictions the predicted class of each sample
     * @param outputs     the decoded outputs, in the model's output order
     */
    record Run(SimReport report, int[] predictions, List<Output> outputs) {}

    /**
     * A decoded output.
     *
     * @param name     its name
     * @param shape    one sample's shape
     * @param decoding {@code potential} or {@code count}
     * @param values   {@code values[s · size + i]}: accumulated potentials or spike counts
     */
    record Output(String name, int[] shape, String decoding, double[] values) {}
}

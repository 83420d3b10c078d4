package dev.nmcc.sim;

import dev.nmcc.nmc.model.NmcModel;
import java.util.Map;

/**
 * Executes a decoded {@code .nmc} binary. Prepared once per model (weights unpacked into the
 * layout the event-driven kernels want), then run on any number of batches; thread-safe.
 */
public final class Simulator {
    private final NmcModel model;

    /**
     * Prepares a model.
     *
     * @throws IllegalArgumentException when the model holds something the simulator cannot run
     *     (the message names the layer)
     */
    public Simulator(NmcModel model) {
        this.model = model;
        throw new UnsupportedOperationException("runtime-sim: not implemented yet");
    }

    /** The model this simulator runs. */
    public NmcModel model() { return model; }

    /**
     * Runs every sample for {@code options.timesteps()} timesteps. Inputs are keyed by input name.
     *
     * @throws IllegalArgumentException when an input is missing or unknown, has the wrong number of
     *     values, or the inputs disagree on the number of samples
     */
    public SimResult run(Map<String, InputBatch> inputs, SimOptions options, ProgressListener progress) {
        throw new UnsupportedOperationException("runtime-sim: not implemented yet");
    }

    /** Runs sample {@code sample} of {@code inputs} alone, showing every spike train to {@code recorder}. */
    public SimResult trace(Map<String, InputBatch> inputs, int sample, SimOptions options, SpikeRecorder recorder) {
        throw new UnsupportedOperationException("runtime-sim: not implemented yet");
    }
}

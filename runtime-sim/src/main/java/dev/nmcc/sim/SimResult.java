package dev.nmcc.sim;

import dev.nmcc.sim.cycle.CycleStats;
import java.util.List;

/**
 * What a run produced.
 *
 * @param mode        the mode it ran in
 * @param samples     samples run
 * @param timesteps   timesteps per sample
 * @param outputs     decoded outputs, in the binary's output order
 * @param predictions per sample, the class of the first output (argmax with the tie rules of
 *                    docs/snn-semantics.md)
 * @param populations per population layer, spikes summed over samples
 * @param sampleSops  synaptic operations of each sample (counted as docs/snn-semantics.md says)
 * @param sampleSpikes population spikes of each sample
 * @param cycle       the cycle model's numbers; null in functional mode
 */
public record SimResult(Mode mode, int samples, int timesteps, List<Output> outputs, int[] predictions, List<PopulationStats> populations,
                        long[] sampleSops, long[] sampleSpikes, CycleStats cycle) {
    public SimResult {
        outputs = List.copyOf(outputs);
        populations = List.copyOf(populations);
    }

    /**
     * A decoded output.
     *
     * @param name            the output's name
     * @param size            values per sample
     * @param values          {@code values[s * size + i]}: potentials (64-bit integers, exact in a
     *                        double) or spike counts
     * @param finalPotentials count decoding with a tie population: its final potentials per sample
     *                        ({@code [s * size + i]}); otherwise null
     */
    public record Output(String name, int size, double[] values, double[] finalPotentials) {}

    /**
     * One population's activity.
     *
     * @param layer            the layer index
     * @param name             the layer's name
     * @param neurons          its neurons
     * @param spikes           total spikes over every sample and timestep
     * @param spikesPerNeuron  spikes of each neuron summed over samples
     */
    public record PopulationStats(int layer, String name, int neurons, long spikes, long[] spikesPerNeuron) {
        /** spikes / (neurons · T · samples). */
        public double firingRate(int timesteps, int samples) {
            return neurons == 0 || samples == 0 ? 0 : (double) spikes / ((double) neurons * timesteps * samples);
        }
    }

    /** Fraction of samples whose prediction equals the label. */
    public double accuracy(int[] labels) {
        if (labels.length != predictions.length) {
            throw new IllegalArgumentException(labels.length + " labels for " + predictions.length + " samples");
        }
        int ok = 0;
        for (int s = 0; s < labels.length; s++) if (labels[s] == predictions[s]) ok++;
        return labels.length == 0 ? 0 : (double) ok / labels.length;
    }

    /** The output named {@code name}. */
    public Output output(String name) {
        for (Output o : outputs) if (o.name().equals(name)) return o;
        throw new IllegalArgumentException("no output '" + name + "'");
    }
}

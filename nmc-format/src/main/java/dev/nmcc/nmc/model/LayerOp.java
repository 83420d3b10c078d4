package dev.nmcc.nmc.model;

/**
 * What a {@link Layer} computes each timestep. Integer form throughout: currents are i32 (64-bit
 * sums clamped), potentials saturate to {@code vBits}. Weights and biases of dense and conv2d
 * layers are in {@link SynapseBlock}s; thresholds and initial potentials of populations are in
 * their {@link CoreSlice}s.
 */
public sealed interface LayerOp {
    /** A network input (float values of one sample). */
    record Input(String inputName) implements LayerOp {}

    /** Input encoding: direct current {@code x_q}, or rate spikes. */
    record Encode(Encoding mode, int inputScale) implements LayerOp {}

    /** Dense projection {@code I = W·in + b}, W of shape [units, in], stored at {@code weightBits}. */
    record Dense(int units, int weightBits, boolean hasBias) implements LayerOp {}

    /** Convolutional projection on [C, H, W], weights [outChannels, inChannels, kh, kw]. */
    record Conv2d(int outChannels, Window window, int weightBits, boolean hasBias) implements LayerOp {}

    /** Sum pooling times one integer weight: {@code I = weight · Σ window}. */
    record AvgPool(Window window, int weight) implements LayerOp {}

    /** Spiking max pooling: a window spikes when any input in it spikes. */
    record MaxPool(Window window) implements LayerOp {}

    /** The same values in another shape (no hardware). */
    record Reshape() implements LayerOp {}

    /** Sum of several projections' currents into one population. */
    record Merge() implements LayerOp {}

    /**
     * A population of integrate-and-fire neurons; leaky when {@code leaky}: {@code v ← v − (v >> leakShift) + I}.
     * Threshold and v0 per neuron come from the population's core slices.
     */
    record Neurons(boolean leaky, int leakShift, Reset reset, int vBits) implements LayerOp {}

    /** Output decoding by accumulated potential (a non-firing 64-bit integrator). */
    record DecodePotential() implements LayerOp {}

    /** Output decoding by spike counts. */
    record DecodeCount() implements LayerOp {}
}

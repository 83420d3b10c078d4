package dev.nmcc.nmc.model;

/** Input encoding (docs/snn-semantics.md). */
public enum Encoding {
    /** The quantized analog input is injected as current every timestep. */
    DIRECT,
    /** Bernoulli spikes from the counter-based PRNG. */
    RATE
}

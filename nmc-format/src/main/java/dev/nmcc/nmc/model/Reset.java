package dev.nmcc.nmc.model;

/** What a neuron's potential becomes after it fires. */
public enum Reset {
    /** {@code v ← v − θ}. */
    SUBTRACT,
    /** {@code v ← 0}. */
    ZERO
}

/**
 * {@code quantize-weights}: integer weights (8, 4, 2 or 1 bit) with symmetric per-channel or
 * per-tensor scales, integer biases, thresholds and initial potentials in the units of each
 * population, 8-bit direct input and saturating membrane potentials (DESIGN §3;
 * docs/passes.md). {@link dev.nmcc.passes.quantize.Quantization} holds the arithmetic.
 */
package dev.nmcc.passes.quantize;

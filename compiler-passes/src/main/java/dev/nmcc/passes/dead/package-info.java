/**
 * {@code eliminate-dead-neurons}: removes neurons that provably never fire (or, in calibrated
 * mode, never fired on the calibration data) and neurons with no path to an output, shrinking
 * the weight tensors around them (docs/passes.md).
 */
package dev.nmcc.passes.dead;

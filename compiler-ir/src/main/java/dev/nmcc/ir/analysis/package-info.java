/**
 * Read-only analyses of a module that the driver, later passes and reports share: how many
 * layers, neurons, synapses and parameters a network has ({@link dev.nmcc.ir.analysis.ModelStats}).
 */
package dev.nmcc.ir.analysis;

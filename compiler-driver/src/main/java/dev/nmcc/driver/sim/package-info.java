/**
 * Running compiled spiking models for the command line: {@code .nmc} binaries on runtime-sim's
 * simulator ({@link dev.nmcc.driver.sim.BinaryRun}), {@code .nmir} models on the SNN interpreter
 * ({@link dev.nmcc.driver.sim.InterpreterRun}), and what both report
 * ({@link dev.nmcc.driver.sim.SimReport}, {@link dev.nmcc.driver.sim.SpikeRaster}).
 */
package dev.nmcc.driver.sim;

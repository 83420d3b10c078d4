/**
 * The functional engine of runtime-sim: the integer semantics of docs/snn-semantics.md executed
 * event-driven on a decoded {@code .nmc} model. {@link dev.nmcc.sim.engine.Engine} prepares a
 * model once (weights unpacked into the layouts the kernels want, per-neuron thresholds and
 * initial potentials expanded from the core slices) and runs one sample at a time in a
 * {@link dev.nmcc.sim.engine.Frame} (one per worker thread, reused: the hot loop allocates
 * nothing). {@link dev.nmcc.sim.Simulator} schedules samples on the fork-join pool.
 */
package dev.nmcc.sim.engine;

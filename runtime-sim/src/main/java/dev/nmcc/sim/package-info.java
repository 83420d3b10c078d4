/**
 * runtime-sim: executes {@code .nmc} binaries (DESIGN.md section 7). It reads only the decoded
 * binary ({@code dev.nmcc.nmc.model}), never the compiler's IR: it validates what the backend
 * wrote. {@link dev.nmcc.sim.Simulator} is the entry point; functional mode is event-driven and
 * bit-exact with the SNN interpreter; cycle mode adds the per-core timing, network and energy
 * model of docs/simulator.md.
 */
package dev.nmcc.sim;

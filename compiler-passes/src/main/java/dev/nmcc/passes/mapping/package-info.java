/**
 * Hardware mapping (stage snn → hw, docs/mapping.md): {@link dev.nmcc.passes.mapping.AllocateCores}
 * cuts layers ({@link dev.nmcc.passes.mapping.NetworkLayers}) into core slices under the target's
 * limits ({@link dev.nmcc.passes.mapping.CoreBudget}: the memory formulas, the {@code fits}
 * predicate and the lower bound), places them on the mesh against the expected spike traffic
 * ({@link dev.nmcc.passes.mapping.Traffic}, {@link dev.nmcc.passes.mapping.Placement}) and writes
 * {@code hw.core_slice}/{@code hw.route}; {@link dev.nmcc.passes.mapping.AnnotateWakeOnSpike}
 * decides which cores may sleep. {@link dev.nmcc.passes.mapping.EnergyModel} estimates an
 * inference's SOPs, time and energy; {@link dev.nmcc.passes.mapping.MappingReport} is the
 * compile report's data and {@link dev.nmcc.passes.mapping.ChipMap} draws it.
 */
package dev.nmcc.passes.mapping;

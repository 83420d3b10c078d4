/**
 * Target descriptions: what an Akida-class chip offers to the mapper, the simulator's cycle
 * model and its energy model. A target is data, not code (DESIGN.md section 5): a JSON file
 * ({@link dev.nmcc.backend.target.TargetLoader} reads and validates it with located
 * diagnostics), bundled ones ({@code akd1000}, {@code akd1500}) as resources, selected by
 * {@link dev.nmcc.backend.target.Targets#resolve(String)}. The model is an immutable record
 * tree rooted at {@link dev.nmcc.backend.target.Target}; every field states its unit. The file
 * format, field by field, and the source of every bundled number are in docs/targets.md.
 */
package dev.nmcc.backend.target;

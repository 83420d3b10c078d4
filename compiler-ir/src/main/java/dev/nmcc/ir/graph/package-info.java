/**
 * The dataflow graph: SSA values as typed ids into a per-graph table, ops in program order, the
 * immutable {@link dev.nmcc.ir.graph.Module} (name, stage, blobs, graph) and the builder.
 */
package dev.nmcc.ir.graph;

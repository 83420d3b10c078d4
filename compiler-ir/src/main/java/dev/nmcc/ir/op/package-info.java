/**
 * The op schema: every op kind of the ann, snn and hw stages with its operands, results and
 * attributes ({@link dev.nmcc.ir.op.OpKind}), the stages, and the shape rules
 * ({@link dev.nmcc.ir.op.TypeInference}).
 */
package dev.nmcc.ir.op;

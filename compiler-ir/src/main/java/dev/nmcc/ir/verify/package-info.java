/**
 * The verifier: checks the invariants of a module (types, SSA order, stage legality, attribute
 * ranges) and reports every violation at the offending op.
 */
package dev.nmcc.ir.verify;

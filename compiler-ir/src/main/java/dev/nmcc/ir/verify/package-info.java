/**
 * The IR verifier: the invariants every module keeps at every stage, checked after the frontend
 * and after every pass. {@link dev.nmcc.ir.verify.Verifier} lists them and collects every
 * violation as a located diagnostic, in program order, instead of stopping at the first;
 * {@code AttributeRules} holds the value ranges of attributes as a table. The invariants, one
 * line each with an example message, are in docs/ir-verifier.md.
 */
package dev.nmcc.ir.verify;

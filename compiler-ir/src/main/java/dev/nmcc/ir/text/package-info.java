/**
 * The {@code .nmir} text form of modules: a streaming {@link dev.nmcc.ir.text.IrPrinter} and a
 * hand-written {@link dev.nmcc.ir.text.IrParser} that round-trip byte-identically at every
 * stage. The grammar is in docs/ir.md.
 */
package dev.nmcc.ir.text;

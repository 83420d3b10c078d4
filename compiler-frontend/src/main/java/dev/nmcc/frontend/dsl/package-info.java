/**
 * The network DSL frontend: parses {@code .nmd} programs with the ANTLR grammar of the
 * {@code grammar} module, checks them, and lowers them to the {@code ann} or {@code snn} IR
 * (docs/dsl.md). Every user mistake is a located {@link dev.nmcc.ir.diag.Diagnostic}.
 */
package dev.nmcc.frontend.dsl;

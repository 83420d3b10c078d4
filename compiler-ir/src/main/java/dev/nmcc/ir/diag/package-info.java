/**
 * Diagnostics as values: severity, location, message and notes, collected by a sink and thrown
 * together in a {@link dev.nmcc.ir.diag.CompilationException} when a phase stops on user errors.
 */
package dev.nmcc.ir.diag;

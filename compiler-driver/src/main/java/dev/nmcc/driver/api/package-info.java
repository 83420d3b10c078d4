/**
 * The Java API behind the command line: load a model by its extension and verify it
 * ({@link dev.nmcc.driver.api.Nmcc}), summarise it ({@link dev.nmcc.driver.api.ModelSummary}),
 * read data sets ({@link dev.nmcc.driver.api.Datasets}) and run the float reference
 * ({@link dev.nmcc.driver.api.FloatRun}). User mistakes are thrown as
 * {@link dev.nmcc.ir.diag.CompilationException}s carrying located diagnostics; anything else
 * thrown is a bug.
 */
package dev.nmcc.driver.api;

/**
 * Rendering of {@link dev.nmcc.ir.diag.Diagnostic}s for people: {@code file:line:col: error:
 * message}, the source line and a caret, the notes, and an "N errors generated." summary.
 */
package dev.nmcc.driver.diag;

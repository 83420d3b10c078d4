/**
 * The lit harness: golden tests that are text in, text out. Each {@code .nmd} or {@code .nmir}
 * file under {@code src/test/resources/lit/<feature>/} holds one or more cases separated by
 * {@code // -----}; each case runs its {@code // RUN:} lines in-process and matches the output
 * against its {@code // CHECK...} lines (a FileCheck subset, {@link dev.nmcc.tests.lit.FileCheck})
 * and its {@code // expected-error} lines ({@link dev.nmcc.tests.lit.ExpectedDiagnostics}).
 * The syntax is documented in {@link dev.nmcc.tests.lit.LitCase} and tests/README.md.
 */
package dev.nmcc.tests.lit;

/**
 * The {@code nmcc} command line: {@link dev.nmcc.driver.Main} parses options with picocli,
 * dispatches to {@link dev.nmcc.driver.cli}, and turns outcomes into exit codes (0 ok, 1 user
 * error, 2 internal error) and rendered diagnostics ({@link dev.nmcc.driver.diag}).
 */
package dev.nmcc.driver;

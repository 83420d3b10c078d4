/**
 * The picocli commands of {@code nmcc}: one class per subcommand, each a thin layer over
 * {@link dev.nmcc.driver.api}. Error handling (exit codes, rendering) lives in
 * {@link dev.nmcc.driver.Main}.
 */
package dev.nmcc.driver.cli;

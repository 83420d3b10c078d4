/** {@code nmcc inspect}: a validated .nmc binary shown for people and as JSON. */
package dev.nmcc.driver.inspect;

/**
 * The decoded form of a {@code .nmc} binary: plain immutable records that the reader produces
 * after validating a file, that the writer serialises, and that the simulator executes. Nothing
 * here knows the compiler's IR; docs/binary-format.md describes every field.
 *
 * <p>Arrays in these records are owned by the record: producers hand over fresh arrays and
 * consumers must not modify them (records do not copy, so that a 100 M-synapse model is not held
 * twice).
 */
package dev.nmcc.nmc.model;

package dev.nmcc.nmc.model;

import java.util.Objects;

/**
 * What a file says about itself.
 *
 * @param majorVersion format major version: a reader loads only its own major version
 * @param minorVersion format minor version: minor versions only add optional fields, so a reader
 *                     loads every minor version up to its own
 * @param producer     the program that wrote the file, e.g. {@code "nmcc 0.1.0"}
 * @param moduleName   the compiled module's name (the IR's {@code module @name})
 */
public record Header(int majorVersion, int minorVersion, String producer, String moduleName) {
    public Header {
        Objects.requireNonNull(producer, "producer");
        Objects.requireNonNull(moduleName, "moduleName");
    }
}

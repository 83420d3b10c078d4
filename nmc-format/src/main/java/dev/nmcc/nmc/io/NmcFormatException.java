package dev.nmcc.nmc.io;

/**
 * A {@code .nmc} file that cannot be loaded: not an .nmc file, an unsupported version, a checksum
 * mismatch, or content that breaks the format's rules. The message is one line for people, naming
 * the file and what is wrong ({@code model.nmc: checksum mismatch ...}); the driver prints it and
 * exits with code 1.
 */
public final class NmcFormatException extends RuntimeException {
    public NmcFormatException(String message) {
        super(message, null, false, false);
    }
}

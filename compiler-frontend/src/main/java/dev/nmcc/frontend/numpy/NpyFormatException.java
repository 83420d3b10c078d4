package dev.nmcc.frontend.numpy;

import java.io.IOException;

/** A file that is not a valid (or supported) NumPy array; the message says why. */
public final class NpyFormatException extends IOException {
    public NpyFormatException(String message) { super(message); }
}

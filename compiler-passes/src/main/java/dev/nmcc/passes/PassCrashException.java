package dev.nmcc.passes;

import java.nio.file.Path;

/**
 * A pass failed with an unexpected exception (a bug, not a user error). Its message names the
 * pass and the crash file holding the pass's input IR and the pipeline, so that the failure can
 * be reproduced with {@code nmcc compile CRASHFILE --passes PASS}. The cause is the original
 * exception.
 */
public final class PassCrashException extends RuntimeException {
    private final String pass;
    private final Path crashFile;

    public PassCrashException(String pass, Path crashFile, Throwable cause) {
        super("pass '" + pass + "' crashed: " + cause
                + (crashFile != null ? "; its input IR and the pipeline are in " + crashFile
                        : "; the crash file could not be written"), cause);
        this.pass = pass;
        this.crashFile = crashFile;
    }

    public String pass() { return pass; }

    /** The crash file, or null when it could not be written. */
    public Path crashFile() { return crashFile; }
}

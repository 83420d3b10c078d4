package dev.nmcc.nmc.io;

/**
 * The format version this code writes and the versions it reads (docs/binary-format.md,
 * "Versioning"): a reader loads files of its own major version and of every minor version up to
 * its own; minor versions only add fields whose defaults keep older files meaningful.
 *
 * <ul>
 *   <li>1.0: the first layout.</li>
 *   <li>1.1: adds {@code Body.report_json}, the compile report (absent in 1.0 files: read as "").</li>
 * </ul>
 */
public final class FormatVersion {
    private FormatVersion() {}

    /** Major version written and read. */
    public static final int MAJOR = 1;

    /** Minor version written; the newest read. */
    public static final int MINOR = 1;

    /** The oldest minor version read (of {@link #MAJOR}). */
    public static final int OLDEST_MINOR = 0;

    /** The file identifier, the 4 bytes at offset 4 of every file. */
    public static final String IDENTIFIER = "NMC1";

    /** "1.1". */
    public static String current() { return MAJOR + "." + MINOR; }
}

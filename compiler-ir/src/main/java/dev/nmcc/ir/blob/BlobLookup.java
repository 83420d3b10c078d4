package dev.nmcc.ir.blob;

/** Finds blobs by name: a finished {@link BlobTable} or one still being built. */
@FunctionalInterface
public interface BlobLookup {
    /** The blob with this name, or null. */
    Blob get(String name);
}

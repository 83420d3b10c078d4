package dev.nmcc.sim;

/** Told how many samples are done; called from worker threads, never more often than once per sample. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (done, total) -> { };

    void samplesDone(long done, long total);
}

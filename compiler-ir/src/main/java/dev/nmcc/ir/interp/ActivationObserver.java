package dev.nmcc.ir.interp;

import dev.nmcc.ir.graph.Value;

/**
 * Sees every op result of every sample while {@link AnnInterpreter} runs: the hook that
 * calibration uses to collect per-layer activation statistics.
 *
 * <p><b>What is observed.</b> For each sample, the result of every op that has one (inputs,
 * constants and pass-through ops such as {@code ann.flatten} included) is passed once, in
 * program order, right after the op ran. {@code data[offset .. offset + length)} holds the
 * value's elements in C order; {@code length} is the element count of the value's type.
 *
 * <p><b>Ownership.</b> The array belongs to the interpreter: it is valid only during the call
 * and must be neither written nor kept (a later op may overwrite it in place). Copy what you
 * need. For constants the same array region is passed for every sample.
 *
 * <p><b>Threads.</b> Calls come from the interpreter's worker threads (the fork-join common
 * pool and the thread that called {@code run}), concurrently for different samples. All calls
 * for one sample come from one thread, in program order, but samples are not observed in
 * sample order. An implementation must therefore be thread-safe; the cheap way is to
 * accumulate into per-thread state (for example a {@code ThreadLocal} of primitive arrays per
 * value, registered in a concurrent list) and merge those after {@code run} returns, or to
 * write into disjoint per-sample slots ({@code sample} is the global index in the batch).
 * Statistics that are order-independent (max, min, counts, histograms with fixed bins) then come
 * out the same whatever the thread schedule.
 */
@FunctionalInterface
public interface ActivationObserver {
    /**
     * Called once per (op result, sample).
     *
     * @param value the observed SSA value of the interpreted module's graph
     * @param sample the sample's index in the batch given to {@code run}
     * @param data the array holding the values (read-only, valid only during the call)
     * @param offset where the sample's values of {@code value} start in {@code data}
     * @param length the number of values (the element count of the value's type)
     */
    void observe(Value value, int sample, float[] data, int offset, int length);
}

package dev.nmcc.sim.cycle;

import dev.nmcc.sim.SpikeRecorder;

/**
 * The cycle model of one inference, fed by the functional engine as it runs the sample: the
 * timer sees the events and turns them into per-core work, network traffic, sleep/wake and time.
 * One timer per worker thread; reusable: {@link #begin()} starts the next sample.
 *
 * <p>Protocol, per sample: {@code begin()}; then for t = 0 … T−1: {@link #spikes} for every
 * event-producing layer in layer order (rate encoders, populations, max pools: the indices that
 * spiked; direct encoders: the indices of the non-zero quantized inputs, which the chip receives
 * as input events every timestep), then {@link #endTimestep(int)}; finally {@link #finish()}.
 */
public interface SampleTimer extends SpikeRecorder {
    /** Starts a new sample: every core asleep or awake as annotated, queues empty, counters zero. */
    void begin();

    /** Closes timestep {@code t}: every core has done its work for it. */
    void endTimestep(int t);

    /** The finished sample's numbers. */
    SampleCycles finish();
}

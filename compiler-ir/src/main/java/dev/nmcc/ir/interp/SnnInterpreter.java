package dev.nmcc.ir.interp;

import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.graph.Value;
import dev.nmcc.ir.op.Stage;
import dev.nmcc.ir.type.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;

/**
 * Reference 2 of DESIGN §3: executes an {@code snn}- or {@code hw}-stage module for T timesteps
 * per sample, exactly as docs/snn-semantics.md says, in float form, integer form, or a mix of
 * both (a projection is integer when its weight blob is; a population is integer when its
 * current is). {@code hw.*} annotations are ignored.
 *
 * <p><b>Numbers.</b> Float form: currents, membrane potentials and potential decoders are
 * float32; a projection's current is summed from its bias, then over its inputs in increasing
 * index, so the result does not depend on how the work is scheduled (and equals a dense loop
 * over the same inputs bit for bit). Integer form: 64-bit sums clamped to i32, potentials
 * saturated to {@code v_bits}, arithmetic-shift leak, 64-bit potential decoders.
 *
 * <p><b>Event-driven.</b> A projection reading spikes walks only this timestep's spikes and adds
 * each one's synapses (dense weights are stored transposed, {@code [in][out]}, so a spike's
 * fan-out is contiguous; a convolution scatters each spike's kernel into a position-major
 * accumulator). A projection of direct (analog) input is computed once per sample, as its input
 * does not change over time, and its current reused at every timestep.
 *
 * <p><b>Parallel and deterministic.</b> Samples are independent: {@code run} splits the batch
 * into chunks run on the fork-join common pool, each worker with its own {@link SnnFrame}
 * (reused across chunks and runs: the hot loop allocates nothing). Statistics are exact integer
 * sums. The rate encoder's PRNG is keyed by the sample's index in the data set
 * ({@code firstSampleIndex + s}), so samples 100…199 run alone give the spikes they give in a
 * full run. The interpreter is immutable apart from its frame pool and may be used by several
 * threads at once.
 *
 * <p>The plan (checked ops, kernels, weights laid out) is built by {@link SnnPlan}, reading the
 * ops' parameters through {@link SnnParameters}; this class runs it.
 */
public final class SnnInterpreter {
    /**
     * Default number of samples one task runs: their static kernels together (a dense projection
     * of direct input streams its weights once per chunk), then their timesteps one sample after
     * the other.
     */
    public static final int DEFAULT_SAMPLES_PER_CHUNK = 8;

    private final SnnPlan plan;
    private final int chunk;
    private final ConcurrentLinkedQueue<SnnFrame> frames = new ConcurrentLinkedQueue<>();

    /** Prepares an execution plan; the module must be a verified snn- or hw-stage module. */
    public SnnInterpreter(Module module) {
        this(module, DEFAULT_SAMPLES_PER_CHUNK);
    }

    /**
     * Prepares an execution plan whose tasks run {@code samplesPerChunk} samples each.
     *
     * @throws IllegalArgumentException when the module is not of stage snn or hw, or holds
     *     something this interpreter cannot run (the message names the op)
     */
    public SnnInterpreter(Module module, int samplesPerChunk) {
        if (module.stage() != Stage.SNN && module.stage() != Stage.HW) {
            throw new IllegalArgumentException("SnnInterpreter runs snn- or hw-stage modules, not " + module.stage());
        }
        if (samplesPerChunk < 1) throw new IllegalArgumentException("samplesPerChunk must be positive");
        this.chunk = samplesPerChunk;
        this.plan = new SnnPlan(module);
    }

    /** The module this plan runs. */
    public Module module() { return plan.module; }

    /** How many samples one task runs. */
    public int samplesPerChunk() { return chunk; }

    /** Input names and their sample shapes, in program order. */
    public Map<String, Shape> inputShapes() {
        Map<String, Shape> m = new LinkedHashMap<>();
        for (SnnPlan.Input in : plan.inputs) m.put(in.name(), in.shape());
        return m;
    }

    /** Output names and their sample shapes, in program order. */
    public Map<String, Shape> outputShapes() {
        Map<String, Shape> m = new LinkedHashMap<>();
        for (SnnPlan.OutputInfo o : plan.outputs) m.put(o.name(), o.shape());
        return m;
    }

    /** Runs a single-input module with seed 0, the samples numbered from 0. */
    public SnnResult run(Batch input, int timesteps) {
        return run(input, timesteps, 0, 0);
    }

    /** Runs a single-input module; see {@link #run(Map, int, long, long)}. */
    public SnnResult run(Batch input, int timesteps, long seed, long firstSampleIndex) {
        if (plan.inputs.size() != 1) {
            throw new IllegalArgumentException("run(Batch, ...) needs a module with one input; this one has " + plan.inputs.size());
        }
        return run(Map.of(plan.inputs.getFirst().name(), input), timesteps, seed, firstSampleIndex);
    }

    /**
     * Runs every sample for {@code timesteps} timesteps. Inputs are keyed by their {@code name}
     * attribute; sample s is number {@code firstSampleIndex + s} for the rate encoder's PRNG.
     *
     * @throws IllegalArgumentException when an input is missing or unknown, has the wrong sample
     *     shape, the inputs disagree on the number of samples, or {@code timesteps < 1}
     */
    public SnnResult run(Map<String, Batch> given, int timesteps, long seed, long firstSampleIndex) {
        return execute(given, timesteps, seed, firstSampleIndex, null);
    }

    /** As {@link #run(Map, int, long, long)}, showing every spike train to {@code observer}. */
    public SnnResult run(Map<String, Batch> given, int timesteps, long seed, long firstSampleIndex, SpikeObserver observer) {
        if (observer == null) throw new NullPointerException("observer");
        return execute(given, timesteps, seed, firstSampleIndex, observer);
    }

    private SnnResult execute(Map<String, Batch> given, int timesteps, long seed, long firstSampleIndex, SpikeObserver observer) {
        if (timesteps < 1) throw new IllegalArgumentException("timesteps must be at least 1, got " + timesteps);
        if (firstSampleIndex < 0) throw new IllegalArgumentException("firstSampleIndex must not be negative");
        float[][] inputData = new float[plan.inputs.size()][];
        int n = -1;
        for (int i = 0; i < plan.inputs.size(); i++) {
            SnnPlan.Input in = plan.inputs.get(i);
            Batch b = given.get(in.name());
            if (b == null) throw new IllegalArgumentException("missing input '" + in.name() + "'; expected inputs " + inputShapes());
            if (!b.sampleShape().equals(in.shape())) {
                throw new IllegalArgumentException("input '" + in.name() + "' has sample shape " + b.sampleShape() + ", expected "
                        + in.shape() + (b.sampleSize() == plan.size[in.value()] ? " (same size: reshape the batch)" : ""));
            }
            if (n >= 0 && b.samples() != n) {
                throw new IllegalArgumentException("input '" + in.name() + "' has " + b.samples() + " samples, others have " + n);
            }
            n = b.samples();
            inputData[i] = b.data();
        }
        for (String name : given.keySet()) {
            if (plan.inputs.stream().noneMatch(in -> in.name().equals(name))) {
                throw new IllegalArgumentException("unknown input '" + name + "'; expected inputs " + inputShapes());
            }
        }
        int samples = n;
        double[][] values = new double[plan.outputs.size()][], ties = new double[plan.outputs.size()][];
        for (int o = 0; o < plan.outputs.size(); o++) {
            SnnPlan.OutputInfo info = plan.outputs.get(o);
            int len = Math.multiplyExact(samples, info.shape().elementCount());
            values[o] = new double[len];
            if (info.population() >= 0) ties[o] = new double[len];
        }
        ConcurrentLinkedQueue<SnnCounters> counters = new ConcurrentLinkedQueue<>();
        long[] spikesPerSample = new long[samples], sopsPerSample = new long[samples];
        int chunks = (samples + chunk - 1) / chunk;
        if (chunks <= 1) {
            for (int c = 0; c < chunks; c++) runChunk(c * chunk, Math.min(chunk, samples - c * chunk), inputData, values, ties,
                    timesteps, seed, firstSampleIndex, counters, observer, spikesPerSample, sopsPerSample);
        } else {
            IntStream.range(0, chunks).parallel().forEach(c -> runChunk(c * chunk, Math.min(chunk, samples - c * chunk), inputData,
                    values, ties, timesteps, seed, firstSampleIndex, counters, observer, spikesPerSample, sopsPerSample));
        }
        SnnCounters total = plan.newCounters();
        for (SnnCounters c : counters) c.addTo(total);
        List<SnnResult.Output> outs = new ArrayList<>();
        for (int o = 0; o < plan.outputs.size(); o++) {
            SnnPlan.OutputInfo info = plan.outputs.get(o);
            int sz = info.shape().elementCount();
            int[] pred = new int[samples];
            for (int s = 0; s < samples; s++) pred[s] = SnnResult.predict(values[o], ties[o], s * sz, sz);
            outs.add(new SnnResult.Output(info.name(), info.shape(), info.decoding(), info.integer(), values[o], ties[o], pred));
        }
        return new SnnResult(samples, timesteps, outs, stats(total, samples, timesteps, spikesPerSample, sopsPerSample));
    }

    private SnnStats stats(SnnCounters total, int samples, int timesteps, long[] spikesPerSample, long[] sopsPerSample) {
        List<SnnStats.Population> pops = new ArrayList<>();
        double steps = (double) samples * timesteps;
        for (int p = 0; p < plan.populations.size(); p++) {
            SnnPlan.PopulationInfo info = plan.populations.get(p);
            long[] perNeuron = total.neuronSpikes[p];
            long sum = 0, max = 0;
            for (long c : perNeuron) {
                sum += c;
                max = Math.max(max, c);
            }
            double rate = steps == 0 ? 0 : sum / (steps * perNeuron.length), maxRate = steps == 0 ? 0 : max / steps;
            pops.add(new SnnStats.Population(info.opIndex(), info.name(), info.location(), info.kind(), info.shape(), sum, perNeuron,
                    rate, maxRate));
        }
        List<SnnStats.Projection> projs = new ArrayList<>();
        for (int p = 0; p < plan.projections.size(); p++) {
            SnnPlan.ProjectionInfo info = plan.projections.get(p);
            projs.add(new SnnStats.Projection(info.opIndex(), info.name(), info.location(), info.kind(), total.events[p], total.sops[p]));
        }
        return new SnnStats(samples, timesteps, pops, projs, total.inputSpikes, spikesPerSample, sopsPerSample);
    }

    private void runChunk(int start, int n, float[][] inputData, double[][] values, double[][] ties, int timesteps, long seed,
                          long first, ConcurrentLinkedQueue<SnnCounters> counterPool, SpikeObserver observer,
                          long[] spikesPerSample, long[] sopsPerSample) {
        SnnFrame f = frames.poll();
        if (f == null) f = plan.newFrame(chunk);
        SnnCounters counters = counterPool.poll();
        if (counters == null) counters = plan.newCounters();
        try {
            f.counters = counters;
            f.seed = seed;
            f.timesteps = timesteps;
            // The static kernels of the chunk's samples first (each kernel for all of them), then each sample's timesteps.
            for (int c = 0; c < n; c++) {
                f.bind(c);
                for (int i = 0; i < plan.inputs.size(); i++) {
                    int v = plan.inputs.get(i).value();
                    System.arraycopy(inputData[i], (start + c) * plan.size[v], f.f[v], 0, plan.size[v]);
                }
                f.onceSops[c] = 0;
            }
            for (SnnKernel k : plan.once) k.runChunk(f, n);
            for (int s = start; s < start + n; s++) {
                f.bind(s - start);
                f.sample = first + s;
                long spikes0 = counters.spikes, sops0 = counters.sopTotal - f.onceSops[s - start];
                for (SnnKernel k : plan.resetting) k.reset(f);
                if (observer == null) {
                    for (int t = 0; t < timesteps; t++) {
                        f.t = t;
                        for (SnnKernel k : plan.everyStep) k.run(f);
                    }
                } else {
                    for (int t = 0; t < timesteps; t++) {
                        f.t = t;
                        for (int k = 0; k < plan.everyStep.size(); k++) {
                            plan.everyStep.get(k).run(f);
                            int v = plan.everyStepSpikes.get(k);
                            if (v >= 0) observer.observe(new Value(v), s, t, f.spikes[v], f.spikeCount[v]);
                        }
                    }
                }
                for (int o = 0; o < plan.outputs.size(); o++) writeOutput(f, plan.outputs.get(o), s, values[o], ties[o]);
                spikesPerSample[s] = counters.spikes - spikes0;
                sopsPerSample[s] = counters.sopTotal - sops0;
            }
        } finally {
            f.counters = null;
            counterPool.offer(counters);
            frames.offer(f);
        }
    }

    private void writeOutput(SnnFrame f, SnnPlan.OutputInfo info, int s, double[] values, double[] ties) {
        int d = info.decoder(), sz = info.shape().elementCount(), off = s * sz;
        switch (info.decoding()) {
            case COUNT -> {
                int[] c = f.counts[d];
                for (int i = 0; i < sz; i++) values[off + i] = c[i];
                if (ties != null) {
                    int p = info.population();
                    if (info.populationInteger()) {
                        int[] v = f.ipot[p];
                        for (int i = 0; i < sz; i++) ties[off + i] = v[i];
                    } else {
                        float[] v = f.fpot[p];
                        for (int i = 0; i < sz; i++) ties[off + i] = v[i];
                    }
                }
            }
            case POTENTIAL -> {
                if (info.integer()) {
                    long[] a = f.lacc[d];
                    for (int i = 0; i < sz; i++) values[off + i] = a[i];
                } else {
                    float[] a = f.facc[d];
                    for (int i = 0; i < sz; i++) values[off + i] = a[i];
                }
            }
        }
    }
}

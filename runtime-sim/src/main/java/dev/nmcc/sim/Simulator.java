package dev.nmcc.sim;

import dev.nmcc.nmc.model.NmcModel;
import dev.nmcc.sim.cycle.CycleModel;
import dev.nmcc.sim.cycle.CycleStats;
import dev.nmcc.sim.cycle.SampleCycles;
import dev.nmcc.sim.engine.Counters;
import dev.nmcc.sim.engine.Engine;
import dev.nmcc.sim.engine.Frame;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * Executes a decoded {@code .nmc} binary. Prepared once per model (weights unpacked into the
 * layout the event-driven kernels want), then run on any number of batches; thread-safe.
 *
 * <p>Samples are independent: a run cuts the batch into chunks of {@link #samplesPerChunk()}
 * samples run on the fork-join common pool, each worker with its own frame (reused across chunks
 * and runs, so the hot loop allocates nothing) and its own counters, merged by exact integer sums.
 * Results do not depend on the number of threads. In cycle mode each worker also owns a
 * {@link dev.nmcc.sim.cycle.SampleTimer} that sees every event of its samples.
 */
public final class Simulator {
    /** Default number of samples one task runs. */
    public static final int DEFAULT_SAMPLES_PER_CHUNK = 2;

    private final NmcModel model;
    private final Engine engine;
    private final int chunk;
    private final ConcurrentLinkedQueue<Frame> frames = new ConcurrentLinkedQueue<>();
    private volatile CycleModel cycleModel;

    /**
     * Prepares a model.
     *
     * @throws IllegalArgumentException when the model holds something the simulator cannot run
     *     (the message names the layer)
     */
    public Simulator(NmcModel model) {
        this(model, DEFAULT_SAMPLES_PER_CHUNK);
    }

    /** Prepares a model whose runs give each task {@code samplesPerChunk} samples. */
    public Simulator(NmcModel model, int samplesPerChunk) {
        if (samplesPerChunk < 1) throw new IllegalArgumentException("samplesPerChunk must be positive");
        this.model = model;
        this.engine = new Engine(model);
        this.chunk = samplesPerChunk;
    }

    /** The model this simulator runs. */
    public NmcModel model() { return model; }

    /** How many samples one task runs. */
    public int samplesPerChunk() { return chunk; }

    /** Input names with their values per sample, in the binary's order. */
    public Map<String, Integer> inputSizes() {
        java.util.LinkedHashMap<String, Integer> m = new java.util.LinkedHashMap<>();
        for (Engine.InputInfo in : engine.inputs()) m.put(in.name(), in.size());
        return m;
    }

    /**
     * Runs every sample for {@code options.timesteps()} timesteps. Inputs are keyed by input name.
     *
     * @throws IllegalArgumentException when an input is missing or unknown, has the wrong number of
     *     values, or the inputs disagree on the number of samples
     */
    public SimResult run(Map<String, InputBatch> inputs, SimOptions options, ProgressListener progress) {
        float[][] data = inputData(inputs);
        int samples = samplesOf(inputs);
        return execute(data, 0, samples, options, progress == null ? ProgressListener.NONE : progress, null);
    }

    /** Runs sample {@code sample} of {@code inputs} alone, showing every spike train to {@code recorder}. */
    public SimResult trace(Map<String, InputBatch> inputs, int sample, SimOptions options, SpikeRecorder recorder) {
        if (recorder == null) throw new NullPointerException("recorder");
        float[][] data = inputData(inputs);
        int samples = samplesOf(inputs);
        if (sample < 0 || sample >= samples) {
            throw new IllegalArgumentException("sample " + sample + " is out of range: the inputs hold " + samples + " samples");
        }
        return execute(data, sample, 1, options, ProgressListener.NONE, recorder);
    }

    private int samplesOf(Map<String, InputBatch> inputs) {
        return inputs.get(engine.inputs().getFirst().name()).samples();
    }

    private float[][] inputData(Map<String, InputBatch> given) {
        List<Engine.InputInfo> ins = engine.inputs();
        float[][] data = new float[ins.size()][];
        int n = -1;
        for (int i = 0; i < ins.size(); i++) {
            Engine.InputInfo in = ins.get(i);
            InputBatch b = given.get(in.name());
            if (b == null) throw new IllegalArgumentException("missing input '" + in.name() + "'; the model's inputs are " + inputSizes().keySet());
            if ((long) b.samples() * in.size() != b.data().length) {
                throw new IllegalArgumentException("input '" + in.name() + "' has " + b.data().length + " values for " + b.samples()
                        + " samples; each sample needs " + in.size());
            }
            if (n >= 0 && b.samples() != n) {
                throw new IllegalArgumentException("input '" + in.name() + "' has " + b.samples() + " samples, the others " + n);
            }
            n = b.samples();
            data[i] = b.data();
        }
        for (String name : given.keySet()) {
            if (!inputSizes().containsKey(name)) {
                throw new IllegalArgumentException("unknown input '" + name + "'; the model's inputs are " + inputSizes().keySet());
            }
        }
        return data;
    }

    /**
     * Why cycle mode cannot time this model, or null when it can: its timer follows events, so a
     * projection that reads another projection's current (values it does not see) is outside it
     * (docs/simulator.md "Limits"). Functional mode runs every valid model.
     */
    public String cycleModeLimitation() {
        try {
            cycleModel();
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** The cycle model, created on the first cycle-mode run and kept. */
    private CycleModel cycleModel() {
        CycleModel c = cycleModel;
        if (c == null) {
            synchronized (this) {
                c = cycleModel;
                if (c == null) cycleModel = c = new CycleModel(model);
            }
        }
        return c;
    }

    /** Runs samples {@code [first, first + n)} of {@code data}; results are numbered from 0. */
    private SimResult execute(float[][] data, int first, int n, SimOptions options, ProgressListener progress, SpikeRecorder recorder) {
        boolean cycle = options.mode() == Mode.CYCLE;
        CycleModel cm = cycle ? cycleModel() : null;
        List<Engine.OutputInfo> outs = engine.outputs();
        double[][] values = new double[outs.size()][], ties = new double[outs.size()][];
        for (int o = 0; o < outs.size(); o++) {
            values[o] = new double[Math.multiplyExact(n, outs.get(o).size())];
            if (outs.get(o).tiePopulation() >= 0) ties[o] = new double[values[o].length];
        }
        long[] sampleSpikes = new long[n], sampleSops = new long[n];
        SampleCycles[] cycles = cycle ? new SampleCycles[n] : null;
        ConcurrentLinkedQueue<Counters> counterPool = new ConcurrentLinkedQueue<>();
        AtomicLong done = new AtomicLong();
        Run run = new Run(data, first, options, progress, recorder, cm, values, ties, sampleSpikes, sampleSops, cycles, counterPool,
                done, n);
        int chunks = (n + chunk - 1) / chunk;
        if (chunks <= 1 || recorder != null) {
            for (int c = 0; c < chunks; c++) runChunk(run, c * chunk, Math.min(chunk, n - c * chunk));
        } else {
            IntStream.range(0, chunks).parallel().forEach(c -> runChunk(run, c * chunk, Math.min(chunk, n - c * chunk)));
        }
        Counters total = engine.newCounters();
        for (Counters c : counterPool) c.addTo(total);
        return result(run, total);
    }

    /** Everything one run's chunks share. */
    private record Run(float[][] data, int first, SimOptions options, ProgressListener progress, SpikeRecorder recorder, CycleModel cm,
                       double[][] values, double[][] ties, long[] sampleSpikes, long[] sampleSops, SampleCycles[] cycles,
                       ConcurrentLinkedQueue<Counters> counterPool, AtomicLong done, int samples) {}

    private void runChunk(Run r, int start, int count) {
        Frame f = frames.poll();
        if (f == null) f = engine.newFrame();
        Counters counters = r.counterPool().poll();
        if (counters == null) counters = engine.newCounters();
        try {
            if (r.cm() != null && f.timer() == null) f.setTimer(r.cm().newTimer());
            SimOptions o = r.options();
            for (int s = start; s < start + count; s++) {
                long spikes0 = spikesOf(counters), sops0 = sopsOf(counters);
                SampleCycles sc = engine.runSample(f, r.data(), r.first() + s, o.firstSampleIndex() + r.first() + s, o.seed(), o.timesteps(),
                        counters, r.recorder(), r.cm() == null ? null : f.timer());
                for (int k = 0; k < r.values().length; k++) engine.readOutput(f, k, s, r.values()[k], r.ties()[k]);
                r.sampleSpikes()[s] = spikesOf(counters) - spikes0;
                r.sampleSops()[s] = sopsOf(counters) - sops0;
                if (r.cycles() != null) r.cycles()[s] = sc;
                r.progress().samplesDone(r.done().incrementAndGet(), r.samples());
            }
        } finally {
            r.counterPool().offer(counters);
            frames.offer(f);
        }
    }

    private static long spikesOf(Counters c) { return c.spikes(); }

    private static long sopsOf(Counters c) { return c.sopTotal(); }

    private SimResult result(Run r, Counters total) {
        int n = r.samples();
        List<Engine.OutputInfo> outs = engine.outputs();
        List<SimResult.Output> outputs = new ArrayList<>();
        for (int o = 0; o < outs.size(); o++) {
            Engine.OutputInfo info = outs.get(o);
            outputs.add(new SimResult.Output(info.name(), info.size(), r.values()[o], r.ties()[o]));
        }
        int[] predictions = new int[n];
        int sz = outs.getFirst().size();
        for (int s = 0; s < n; s++) predictions[s] = Engine.predict(r.values()[0], r.ties()[0], s * sz, sz);
        List<SimResult.PopulationStats> pops = new ArrayList<>();
        List<Engine.PopulationInfo> infos = engine.populations();
        for (int p = 0; p < infos.size(); p++) {
            long[] per = total.neuronSpikes(p);
            long sum = 0;
            for (long c : per) sum += c;
            pops.add(new SimResult.PopulationStats(infos.get(p).layer(), infos.get(p).name(), infos.get(p).neurons(), sum, per));
        }
        CycleStats cs = r.cycles() == null ? null : r.cm().stats(Arrays.asList(r.cycles()), r.options().timesteps());
        return new SimResult(r.options().mode(), n, r.options().timesteps(), outputs, predictions, pops, r.sampleSops(), r.sampleSpikes(), cs);
    }
}

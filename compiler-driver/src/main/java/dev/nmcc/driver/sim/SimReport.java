package dev.nmcc.driver.sim;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.nmcc.sim.cycle.CycleStats;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What {@code nmcc validate} (and {@code nmcc run}) report about a spiking run, whichever engine
 * ran it: accuracy, firing rate per layer, SOPs per inference and, from the cycle model, energy,
 * latency and core sleep. The text form is the lines docs/simulator.md explains; the JSON form
 * has the same numbers, unrounded.
 *
 * @param model      the model file, as the user named it
 * @param engine     what ran it: {@code functional} or {@code cycle} (the simulator on a .nmc),
 *                   {@code interpreter} (the SNN interpreter on a .nmir)
 * @param samples    samples run
 * @param timesteps  timesteps per sample
 * @param seed       the rate-encoding seed
 * @param correct    samples whose prediction equals the label, or -1 without labels
 * @param layers     the spiking populations, in layer order
 * @param sampleSops synaptic operations of each sample
 * @param cycle      the cycle model's numbers, or null when it did not run
 * @param pjPerSop   the target's energy per synaptic operation (pJ), or NaN when unknown
 */
public record SimReport(String model, String engine, int samples, int timesteps, long seed, int correct, List<LayerActivity> layers,
                        long[] sampleSops, CycleStats cycle, double pjPerSop) {
    public SimReport {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(engine, "engine");
        layers = List.copyOf(layers);
        if (sampleSops.length != samples) throw new IllegalArgumentException(sampleSops.length + " SOP counts for " + samples + " samples");
    }

    /**
     * One spiking population's activity over the run.
     *
     * @param name            the layer's name
     * @param neurons         its neurons
     * @param spikes          spikes over every sample and timestep
     * @param spikesPerNeuron each neuron's spikes summed over samples (for rate histograms)
     */
    public record LayerActivity(String name, int neurons, long spikes, long[] spikesPerNeuron) {
        /** spikes / (neurons · T · samples). */
        public double firingRate(int timesteps, int samples) {
            return neurons == 0 || samples == 0 ? 0 : (double) spikes / ((double) neurons * timesteps * samples);
        }
    }

    /** How many of {@code predictions} equal {@code labels} (same length). */
    public static int countCorrect(int[] predictions, int[] labels) {
        if (predictions.length != labels.length) {
            throw new IllegalArgumentException(labels.length + " labels for " + predictions.length + " samples");
        }
        int ok = 0;
        for (int s = 0; s < labels.length; s++) if (predictions[s] == labels[s]) ok++;
        return ok;
    }

    /** Fraction of samples predicted correctly (0 without samples). */
    public double accuracy() { return samples == 0 || correct < 0 ? 0 : (double) correct / samples; }

    /** Mean synaptic operations per inference. */
    public double meanSops() { return samples == 0 ? 0 : (double) Arrays.stream(sampleSops).sum() / samples; }

    /** The report for people, one line per fact (the lines docs/simulator.md explains). */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        if (correct >= 0) out.add(f("Accuracy: %.1f%% (%d samples, T=%d)", 100 * accuracy(), samples, timesteps));
        else out.add(f("Samples: %d, T=%d", samples, timesteps));
        out.add("Firing rate per layer: " + firingRates());
        out.add(f("SOPs/inference: mean %,.0f  p99 %,d", meanSops(), Percentiles.of(sampleSops, 0.99)));
        if (cycle != null) {
            double total = cycle.dynamicEnergyPj() + cycle.staticEnergyPj();
            double meanPj = mean(cycle.sampleEnergyPj());
            Unit e = Unit.energy(meanPj);
            out.add(f("Energy/inference: mean %s %s  (dynamic %s, static %s; wake-on-spike saved %.0f%%)", sig(e.of(meanPj)), e.name(),
                    sig(e.of(perSample(cycle.dynamicEnergyPj()))), sig(e.of(perSample(cycle.staticEnergyPj()))),
                    100 * saved(total, cycle.energyAlwaysAwakePj())));
            double p50 = micros(Percentiles.of(cycle.sampleCycles(), 0.5)), p99 = micros(Percentiles.of(cycle.sampleCycles(), 0.99));
            Unit l = Unit.time(p50);
            out.add(f("Latency: p50 %s %s  p99 %s %s at %s MHz", sig(l.of(p50)), l.name(), sig(l.of(p99)), l.name(), sig(cycle.clockMhz())));
            out.add(f("Cores: %d used, mean %.0f%% asleep", cycle.cores().size(), 100 * meanAsleep(cycle)));
        } else if (engine.equals("functional") && !Double.isNaN(pjPerSop)) {
            double pj = meanSops() * pjPerSop;
            Unit e = Unit.energy(pj);
            out.add(f("Energy/inference: SOPs alone %s %s (%s pJ/SOP); run with --mode cycle for total energy, latency and cores",
                    sig(e.of(pj)), e.name(), sig(pjPerSop)));
        }
        return out;
    }

    /** The lines joined, each ending in a newline. */
    public String text() { return String.join("\n", lines()) + "\n"; }

    /** "c1 8.2%, c2 7.4%": each population's spikes over neurons × T × samples. */
    String firingRates() {
        if (layers.isEmpty()) return "- (no spiking populations)";
        List<String> items = new ArrayList<>();
        for (LayerActivity l : layers) items.add(f("%s %.1f%%", l.name(), 100 * l.firingRate(timesteps, samples)));
        return String.join(", ", items);
    }

    /** The same numbers as JSON, unrounded; cycle-model fields are null when the cycle model did not run. */
    public String json() {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("model", model);
            g.writeStringField("engine", engine);
            g.writeNumberField("samples", samples);
            g.writeNumberField("timesteps", timesteps);
            g.writeNumberField("seed", seed);
            if (correct >= 0) {
                g.writeNumberField("correct", correct);
                g.writeNumberField("accuracy", accuracy());
            } else {
                g.writeNullField("correct");
                g.writeNullField("accuracy");
            }
            g.writeArrayFieldStart("layers");
            for (LayerActivity l : layers) {
                g.writeStartObject();
                g.writeStringField("name", l.name());
                g.writeNumberField("neurons", l.neurons());
                g.writeNumberField("spikes", l.spikes());
                g.writeNumberField("firing_rate", l.firingRate(timesteps, samples));
                g.writeNumberField("silent_neurons", silent(l));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("sops_per_inference");
            g.writeNumberField("mean", meanSops());
            g.writeNumberField("p50", Percentiles.of(sampleSops, 0.5));
            g.writeNumberField("p99", Percentiles.of(sampleSops, 0.99));
            g.writeNumberField("max", Percentiles.of(sampleSops, 1.0));
            g.writeEndObject();
            if (Double.isNaN(pjPerSop)) g.writeNullField("pj_per_sop");
            else g.writeNumberField("pj_per_sop", pjPerSop);
            cycleJson(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w + "\n";
    }

    private void cycleJson(JsonGenerator g) throws IOException {
        if (cycle == null) {
            g.writeNullField("energy_uj_per_inference");
            g.writeNullField("latency_us");
            g.writeNullField("cores");
            return;
        }
        double total = cycle.dynamicEnergyPj() + cycle.staticEnergyPj();
        g.writeObjectFieldStart("energy_uj_per_inference");
        g.writeNumberField("mean", mean(cycle.sampleEnergyPj()) / 1e6);
        g.writeNumberField("p99", Percentiles.of(cycle.sampleEnergyPj(), 0.99) / 1e6);
        g.writeNumberField("dynamic", perSample(cycle.dynamicEnergyPj()) / 1e6);
        g.writeNumberField("static", perSample(cycle.staticEnergyPj()) / 1e6);
        g.writeNumberField("always_awake", perSample(cycle.energyAlwaysAwakePj()) / 1e6);
        g.writeNumberField("wake_on_spike_saved", saved(total, cycle.energyAlwaysAwakePj()));
        g.writeEndObject();
        g.writeObjectFieldStart("latency_us");
        g.writeNumberField("p50", micros(Percentiles.of(cycle.sampleCycles(), 0.5)));
        g.writeNumberField("p99", micros(Percentiles.of(cycle.sampleCycles(), 0.99)));
        g.writeNumberField("max", micros(Percentiles.of(cycle.sampleCycles(), 1.0)));
        g.writeNumberField("clock_mhz", cycle.clockMhz());
        g.writeArrayFieldStart("cycles_per_timestep");
        for (long c : cycle.timestepCycles()) g.writeNumber(samples == 0 ? 0 : (double) c / samples);
        g.writeEndArray();
        g.writeEndObject();
        g.writeObjectFieldStart("cores");
        g.writeNumberField("used", cycle.cores().size());
        g.writeNumberField("mean_asleep", meanAsleep(cycle));
        g.writeNumberField("hops_per_inference", perSample(cycle.hops()));
        g.writeNumberField("inter_chip_hops_per_inference", perSample(cycle.interChipHops()));
        g.writeNumberField("neuron_updates_per_inference", perSample(cycle.neuronUpdates()));
        g.writeArrayFieldStart("per_core");
        for (CycleStats.CoreStats c : cycle.cores()) {
            g.writeStartObject();
            g.writeNumberField("slice", c.slice());
            g.writeNumberField("busy_cycles", c.busy());
            g.writeNumberField("idle_cycles", c.idle());
            g.writeNumberField("asleep_cycles", c.asleep());
            g.writeNumberField("sops", c.sops());
            g.writeNumberField("wakes", c.wakes());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** Neurons that never fired in the run. */
    static int silent(LayerActivity l) {
        int n = 0;
        for (long s : l.spikesPerNeuron()) if (s == 0) n++;
        return n;
    }

    /** Mean over used cores of the fraction of their time spent asleep. */
    static double meanAsleep(CycleStats c) {
        if (c.cores().isEmpty()) return 0;
        double sum = 0;
        for (CycleStats.CoreStats k : c.cores()) {
            long all = k.busy() + k.idle() + k.asleep();
            sum += all == 0 ? 0 : (double) k.asleep() / all;
        }
        return sum / c.cores().size();
    }

    /** The fraction of the always-awake energy that sleeping saved. */
    static double saved(double total, double alwaysAwake) { return alwaysAwake <= 0 ? 0 : 1 - total / alwaysAwake; }

    private double perSample(double sum) { return samples == 0 ? 0 : sum / samples; }

    private double micros(long cycles) { return cycles / cycle.clockMhz(); }

    private static double mean(double[] v) {
        if (v.length == 0) return 0;
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }

    /**
     * A unit for people: the one that puts the value between 0.1 and 1000 or so.
     *
     * @param name  its symbol
     * @param scale how many base units (pJ, µs) it holds
     */
    record Unit(String name, double scale) {
        /** pJ, nJ, µJ or mJ for an energy in pJ. */
        static Unit energy(double pj) {
            double a = Math.abs(pj);
            if (a < 100) return new Unit("pJ", 1);
            if (a < 1e5) return new Unit("nJ", 1e3);
            if (a < 1e8) return new Unit("µJ", 1e6);
            return new Unit("mJ", 1e9);
        }

        /** µs, ms or s for a time in µs. */
        static Unit time(double micros) {
            double a = Math.abs(micros);
            if (a < 1e3) return new Unit("µs", 1);
            if (a < 1e6) return new Unit("ms", 1e3);
            return new Unit("s", 1e6);
        }

        double of(double base) { return base / scale; }
    }

    /** About three significant digits, without exponent: 0.025, 0.88, 1.25, 12.3, 312, 4,210. */
    static String sig(double v) {
        double a = Math.abs(v);
        if (a >= 100 || a == 0) return f("%,.0f", v);
        if (a >= 10) return f("%.1f", v);
        if (a >= 0.1) return f("%.2f", v);
        if (a >= 0.001) return f("%.3f", v);
        return f("%.2g", v);
    }

    private static String f(String format, Object... args) { return String.format(Locale.ROOT, format, args); }
}

package dev.nmcc.passes.dead;

import dev.nmcc.ir.analysis.LayerNames;
import dev.nmcc.ir.diag.Diagnostic;
import dev.nmcc.ir.graph.Graph;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.graph.Op;
import dev.nmcc.ir.op.Stage;
import dev.nmcc.passes.OptionSpec;
import dev.nmcc.passes.Pass;
import dev.nmcc.passes.PassContext;
import dev.nmcc.passes.PassInfo;
import dev.nmcc.passes.PassOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code eliminate-dead-neurons}: removes neurons that cannot change an output, shrinking the
 * weight tensors around them (rows of the projections into their population, columns of the
 * projections out of it; a convolutional population loses whole channels only). Nothing is masked.
 *
 * <p><b>Never fires</b> ({@code mode=exact}). Every input of a projection lies in a known range:
 * spikes in {0, 1} (in {0} when the source neuron never fires), direct input in the declared
 * {@code [lo, hi]} of {@code snn.input} (integer form: {@code [q(lo), q(hi)]},
 * {@code q(x) = clamp(round(S x), 0, S)}). So the current of neuron j at every timestep is at
 * most {@code I⁺_j = b_j + Σ_i max(W_ji lo_i, W_ji hi_i)}, summed over every projection into the
 * population. If {@code I⁺_j ≤ 0} the potential never rises: for IF {@code v(t+1) = v(t) + I ≤ v(t)},
 * for LIF the leak only moves {@code v} towards 0 ({@code leak·v ≤ max(v, 0)}, and in integer
 * form {@code v - (v >> k) ≤ max(v, 0)}), and saturation is monotone. Hence
 * {@code v(t) ≤ max(v0, 0)} for every t and any number of timesteps, and the neuron never fires
 * when moreover {@code v0 < θ}. In float form the bound allows for rounding: a neuron whose terms
 * are all non-positive qualifies as is (a float sum of non-positive numbers is non-positive);
 * otherwise {@code I⁺_j + (n + 2) · 2^-23 · Σ|terms|} must be ≤ 0. The analysis runs in program
 * order, so a neuron fed only by neurons that never fire is found too.
 *
 * <p><b>No path to an output.</b> Walking backwards, a neuron is needed when it may fire and a
 * non-zero weight connects it to a needed neuron, to a potential decoder, or to anything the pass
 * does not shrink. Every neuron of a population read by a count decoder is needed, even one that
 * never fires: its potential breaks count ties. Neurons that are not needed contribute nothing to any output (their outgoing
 * weights into kept neurons are zero), so removing them keeps every output bit-identical.
 *
 * <p>{@code mode=calibrated} also treats neurons that never fired on the calibration set as never
 * firing (outputs then stay identical on that set only); it needs per-neuron spike counts from
 * a {@link SpikeCounter}.
 *
 * <p><b>What is never shrunk</b> (its dead neurons stay, and the report says why): populations
 * read by a decoder (outputs), populations whose currents pass through a reshape or an avgpool or
 * come straight from the input, populations read through a reshape or by an avgpool that feeds a
 * population, and current values with more than one user. A population keeps at least one unit.
 * An avgpool that only feeds projections (folded pooling) is looked through like a maxpool.
 *
 * <p>{@code DeadNeuronAnalysis} finds the units that never fire and those that are needed;
 * {@code PopulationShrinker} removes the others; this class decides what to keep and reports.
 */
public final class EliminateDeadNeurons implements Pass {
    public static final String NAME = "eliminate-dead-neurons";

    public static final PassInfo INFO = new PassInfo(NAME,
            "Removes neurons that provably never fire (or never fired on the calibration set) and neurons with no "
                    + "path to an output; shrinks the weight tensors",
            Set.of(Stage.SNN), null,
            List.of(OptionSpec.choice("mode", "exact", List.of("exact", "calibrated"),
                    "exact: provably dead only (outputs bit-identical); calibrated: also never fired on the calibration data")),
            EliminateDeadNeurons::new);

    /**
     * Per-neuron spike counts of a module on the calibration data: for each {@code snn.if} /
     * {@code snn.lif} op (by index in program order among the module's ops), the total spikes of
     * each neuron in C order over all samples and timesteps. Keyed by op index in {@code module.graph().ops()}.
     */
    @FunctionalInterface
    public interface SpikeCounter {
        Map<Integer, long[]> count(Module module, PassContext context);
    }

    private final boolean calibrated;
    private final SpikeCounter counter;

    public EliminateDeadNeurons(PassOptions options) {
        this("calibrated".equals(options.string("mode")), null);
    }

    /** @param counter where spike counts come from in calibrated mode (null: the SNN interpreter) */
    public EliminateDeadNeurons(boolean calibrated, SpikeCounter counter) {
        this.calibrated = calibrated;
        this.counter = counter;
    }

    @Override public PassInfo info() { return INFO; }

    @Override
    public PassResult run(Module module, PassContext context) {
        Graph g = module.graph();
        List<Op> ops = g.ops();
        DeadNeuronAnalysis analysis = new DeadNeuronAnalysis(g);
        List<Population> order = analysis.order;
        Map<Integer, long[]> counts = null;
        if (calibrated) {
            counts = spikeCounts(module, context);
            if (counts == null) return PassResult.unchanged(module);
        }

        // forward: which units never fire
        analysis.findNeverFiring(module.blobs(), counts);

        // backward: which units are needed for an output
        analysis.findNeeded(module.blobs());

        // what to keep
        LayerNames names = LayerNames.of(g);
        long total = 0, removedDead = 0, removedUseless = 0;
        List<String> lines = new ArrayList<>();
        boolean changed = false;
        for (Population p : order) {
            Op op = ops.get(p.op);
            total += (long) p.units * p.perUnit;
            int deadUnits = 0;
            for (boolean a : p.alive) if (!a) deadUnits++;
            // the IR value (%h, or %3 with the layer's name for an unnamed one: an ONNX model's fc1)
            String value = "%" + g.name(op.result()).orElse(Integer.toString(op.result().id()));
            String layerName = g.name(op.result()).isPresent() ? null : names.get(p.op);
            String layer = layerName == null
                    ? String.format(Locale.ROOT, "  %s (%s, %d neurons)", value, op.kind().mnemonic(), p.units * p.perUnit)
                    : String.format(Locale.ROOT, "  %s (%s, %s, %d neurons)", layerName, value, op.kind().mnemonic(),
                            p.units * p.perUnit);
            if (p.pinned != null) {
                if (deadUnits > 0) {
                    int k = deadUnits * p.perUnit;
                    lines.add(String.format(Locale.ROOT, "%s: 0 removed; %d %s never %s but %s%s: %s", layer, k,
                            k == 1 ? "neuron" : "neurons", k == 1 ? "fires" : "fire", k == 1 ? "stays" : "stay",
                            p.perUnit > 1 ? " (" + deadUnits + (deadUnits == 1 ? " channel)" : " channels)") : "", p.pinned));
                }
                continue;
            }
            p.keep = p.needed.clone();
            int kept = 0;
            for (boolean k : p.keep) if (k) kept++;
            if (kept == 0) { p.keep[0] = true; kept = 1; }
            if (kept == p.units) { p.keep = null; continue; }
            changed = true;
            int dead = 0, useless = 0;
            for (int u = 0; u < p.units; u++) {
                if (p.keep[u]) continue;
                if (!p.alive[u]) dead++;
                else useless++;
            }
            removedDead += (long) dead * p.perUnit;
            removedUseless += (long) useless * p.perUnit;
            String never = calibrated ? "never fire or never fired" : "never fire";
            lines.add(String.format(Locale.ROOT, "%s: %d removed (%d %s, %d no path to an output)%s", layer,
                    (dead + useless) * p.perUnit, dead * p.perUnit, never, useless * p.perUnit,
                    p.perUnit > 1 ? ", " + (dead + useless) + ((dead + useless) == 1 ? " channel" : " channels") : ""));
        }
        long removed = removedDead + removedUseless;
        context.report(String.format(Locale.ROOT, "Dead neurons eliminated: %d (%.1f%% of total)", removed,
                total == 0 ? 0.0 : 100.0 * removed / total));
        lines.forEach(context::report);
        if (!changed) return PassResult.unchanged(module);
        return PassResult.changed(PopulationShrinker.rewrite(module, analysis.pops, order, analysis.users));
    }

    private Map<Integer, long[]> spikeCounts(Module module, PassContext context) {
        if (counter != null) return counter.count(module, context);
        if (context.settings().calibration() == null) {
            context.diagnostics().report(Diagnostic.error(dev.nmcc.ir.loc.Location.UNKNOWN,
                    NAME + ": mode=calibrated needs calibration data (--calib)"));
            return null;
        }
        return interpreterCounts(module, context);
    }

    /** Spike counts per neuron from the SNN interpreter on the calibration data (the settings' timesteps and seed). */
    static Map<Integer, long[]> interpreterCounts(Module module, PassContext context) {
        var s = context.settings();
        var stats = new dev.nmcc.ir.interp.SnnInterpreter(module).run(s.calibration(), s.timesteps(), s.seed(), 0).stats();
        Map<Integer, long[]> counts = new HashMap<>();
        for (var p : stats.populations()) counts.put(p.opIndex(), p.spikesPerNeuron());
        return counts;
    }
}

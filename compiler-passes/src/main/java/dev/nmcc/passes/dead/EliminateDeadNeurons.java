package dev.nmcc.passes.dead;

import dev.nmcc.ir.attr.Attribute;
import dev.nmcc.ir.attr.Attributes;
import dev.nmcc.ir.blob.Blob;
import dev.nmcc.ir.blob.BlobLookup;
import dev.nmcc.ir.blob.BlobTable;
import dev.nmcc.ir.diag.Diagnostic;
import dev.nmcc.ir.graph.Graph;
import dev.nmcc.ir.graph.GraphBuilder;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.graph.Op;
import dev.nmcc.ir.graph.Value;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.ir.op.Stage;
import dev.nmcc.ir.type.Shape;
import dev.nmcc.ir.type.TensorType;
import dev.nmcc.passes.OptionSpec;
import dev.nmcc.passes.Pass;
import dev.nmcc.passes.PassContext;
import dev.nmcc.passes.PassInfo;
import dev.nmcc.passes.PassOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import dev.nmcc.passes.snn.SnnDataflow;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

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

    // ---- the analysis ---------------------------------------------------------------------------------

    /** A population (snn.if / snn.lif): units are dimension 0 (neurons of a rank-1, channels of a rank-3 population). */
    private static final class Pop {
        final int op;
        final int units;
        final int perUnit;
        final List<Integer> incoming = new ArrayList<>();
        final List<Integer> consumers = new ArrayList<>();
        String pinned;
        /** Read by a count decoder: every neuron's potential counts (ties are broken by it). */
        boolean output;
        boolean incomingKnown = true;
        boolean[] alive;
        boolean[] provablyDead;
        boolean[] needed;
        boolean[] keep;

        Pop(int op, Shape s) {
            this.op = op;
            this.units = s.dim(0);
            this.perUnit = s.elementCount() / units;
        }

        void pin(String why) { if (pinned == null) pinned = why; }
    }

    /** Where a projection's input comes from: a population (through flatten/maxpool), the input, or elsewhere. */
    private record Source(int pop, double lo, double hi, boolean known) {}

    private static final int NO_POP = -1;

    @Override
    public PassResult run(Module module, PassContext context) {
        Graph g = module.graph();
        List<Op> ops = g.ops();
        int n = ops.size();
        List<List<Integer>> users = new ArrayList<>(g.valueCount());
        for (int v = 0; v < g.valueCount(); v++) users.add(new ArrayList<>());
        for (int i = 0; i < n; i++) for (Value v : ops.get(i).operands()) users.get(v.id()).add(i);

        Map<Integer, Pop> pops = new HashMap<>();
        List<Pop> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            OpKind k = ops.get(i).kind();
            if (k == OpKind.SNN_IF || k == OpKind.SNN_LIF) {
                Pop p = new Pop(i, g.type(ops.get(i).result()).shape());
                pops.put(i, p);
                order.add(p);
            }
        }
        for (Pop p : order) {
            collectIncoming(p, ops.get(p.op).operand(0), g, users);
            collectConsumers(p, ops.get(p.op).result(), g, ops, users);
        }
        Map<Integer, long[]> counts = null;
        if (calibrated) {
            counts = spikeCounts(module, context);
            if (counts == null) return PassResult.unchanged(module);
        }

        // forward: which units never fire
        for (Pop p : order) {
            Op op = ops.get(p.op);
            double[] bound = new double[p.units];
            double[] abs = new double[p.units];
            int[] terms = new int[p.units];
            boolean[] positive = new boolean[p.units];
            boolean allInteger = !p.incoming.isEmpty();
            boolean known = p.incomingKnown;
            for (int pi : p.incoming) {
                Op proj = ops.get(pi);
                if (proj.kind() != OpKind.SNN_AVGPOOL) {
                    allInteger &= !module.blobs().get(proj.attributes().getBlob("weight")).isFloat();
                } else {
                    allInteger &= proj.attributes().getOrNull("weight") instanceof Attribute.Int;
                }
                allInteger &= !floatDirectInput(proj.operand(0), g);
                known &= currentBound(proj, g, pops, module.blobs(), bound, abs, terms, positive);
            }
            p.provablyDead = new boolean[p.units];
            p.alive = new boolean[p.units];
            long[] c = counts == null ? null : counts.get(p.op);
            for (int u = 0; u < p.units; u++) {
                double theta = param(op.attributes(), "threshold", u, module.blobs(), 1.0);
                double v0 = param(op.attributes(), "v0", u, module.blobs(), 0.0);
                boolean dead = false;
                if (known) {
                    boolean below = v0 < theta && (allInteger || (float) v0 < (float) theta);
                    boolean noRise = allInteger ? bound[u] <= 0
                            : bound[u] <= 0 && (!positive[u] // every term non-positive: so is their float sum
                                    || bound[u] + (terms[u] + 2) * 0x1p-23 * abs[u] <= 0);
                    dead = below && noRise;
                }
                p.provablyDead[u] = dead;
                boolean fired = true;
                if (c != null) {
                    fired = false;
                    for (int e = u * p.perUnit; e < (u + 1) * p.perUnit; e++) fired |= c[e] > 0;
                }
                p.alive[u] = !dead && fired;
            }
        }

        // backward: which units are needed for an output
        for (int idx = order.size() - 1; idx >= 0; idx--) {
            Pop p = order.get(idx);
            p.needed = new boolean[p.units];
            if (p.pinned != null) {
                p.needed = p.output ? filled(p.units) : p.alive.clone();
                continue;
            }
            for (int ci : p.consumers) {
                Op proj = ops.get(ci);
                boolean[] tn = targetNeeded(ci, g, ops, pops, users);
                Blob w = module.blobs().get(proj.attributes().getBlob("weight"));
                int rows = w.type().shape().dim(0), cols = w.type().shape().dim(1);
                int inner = w.size() / (rows * cols);
                int colsPerUnit = proj.kind() == OpKind.SNN_DENSE ? cols / p.units : 1;
                for (int r = 0; r < rows; r++) {
                    if (tn != null && !tn[r]) continue;
                    for (int col = 0; col < cols; col++) {
                        int u = col / colsPerUnit;
                        if (p.needed[u] || !p.alive[u]) continue;
                        int base = (r * cols + col) * inner;
                        for (int e = base; e < base + inner; e++) {
                            if (w.get(e) != 0) { p.needed[u] = true; break; }
                        }
                    }
                }
            }
        }

        // what to keep
        long total = 0, removedDead = 0, removedUseless = 0;
        List<String> lines = new ArrayList<>();
        boolean changed = false;
        for (Pop p : order) {
            Op op = ops.get(p.op);
            total += (long) p.units * p.perUnit;
            int deadUnits = 0;
            for (boolean a : p.alive) if (!a) deadUnits++;
            String name = "%" + g.name(op.result()).orElse(Integer.toString(op.result().id()));
            String layer = String.format(Locale.ROOT, "  %s (%s, %d neurons)", name, op.kind().mnemonic(),
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
        return PassResult.changed(rewrite(module, pops, order, users));
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

    /** The projections whose currents sum into population p; pins p when a current path is not a plain projection/merge. */
    private static void collectIncoming(Pop p, Value v, Graph g, List<List<Integer>> users) {
        int def = g.definingOpIndex(v);
        Op op = g.ops().get(def);
        if (users.get(v.id()).size() != 1) {
            p.pin("its input current has another user");
        }
        switch (op.kind()) {
            case SNN_DENSE, SNN_CONV2D -> p.incoming.add(def);
            case SNN_AVGPOOL -> {
                p.incoming.add(def);
                p.pin("it is fed by an avgpool (channels are coupled to its input)");
            }
            case SNN_MERGE -> { for (Value o : op.operands()) collectIncoming(p, o, g, users); }
            default -> {
                p.incomingKnown = false;
                p.pin("its input current comes from '" + op.kind().mnemonic() + "', not a projection");
            }
        }
    }

    /** The projections that read population p's spikes (through flatten and channel-preserving maxpool). */
    private static void collectConsumers(Pop p, Value v, Graph g, List<Op> ops, List<List<Integer>> users) {
        for (int ui : users.get(v.id())) {
            Op op = ops.get(ui);
            switch (op.kind()) {
                case SNN_FLATTEN -> collectConsumers(p, op.result(), g, ops, users);
                case SNN_MAXPOOL -> {
                    if (g.type(op.operand(0)).shape().dim(0) != p.units) p.pin("it is read by a maxpool across its channels");
                    collectConsumers(p, op.result(), g, ops, users);
                }
                case SNN_DENSE -> {
                    if (g.type(op.operand(0)).shape().elementCount() % p.units != 0) p.pin("its spikes are read out of order");
                    p.consumers.add(ui);
                }
                case SNN_CONV2D -> {
                    if (g.type(op.operand(0)).shape().dim(0) != p.units) p.pin("it is read by a conv2d across its channels");
                    p.consumers.add(ui);
                }
                case SNN_DECODE -> {
                    p.pin("it is an output population (read by a decoder)");
                    p.output = true;
                }
                case SNN_AVGPOOL -> {
                    if (SnnDataflow.feedsOnlyProjections(g, op.result())) { // pooled input of projections: channels map through
                        if (g.type(op.operand(0)).shape().dim(0) != p.units) p.pin("it is read by an avgpool across its channels");
                        collectConsumers(p, op.result(), g, ops, users);
                    } else {
                        p.pin("it is read by an avgpool (channels are coupled to the next population)");
                    }
                }
                case SNN_RESHAPE -> p.pin("it is read through a reshape");
                default -> p.pin("it is read by '" + op.kind().mnemonic() + "'");
            }
        }
    }

    /** The needed units of the population a projection feeds, or null when all of its outputs count. */
    private static boolean[] targetNeeded(int proj, Graph g, List<Op> ops, Map<Integer, Pop> pops, List<List<Integer>> users) {
        int at = proj;
        while (true) {
            List<Integer> us = users.get(ops.get(at).result().id());
            if (us.size() != 1) return null;
            int next = us.getFirst();
            OpKind k = ops.get(next).kind();
            if (k == OpKind.SNN_MERGE) { at = next; continue; }
            Pop p = pops.get(next);
            if (p == null) return null;
            return p.needed;
        }
    }

    /**
     * The source of a projection's input: a population (through flatten, maxpool and an avgpool
     * that only feeds projections, whose window sum scales the range by {@code weight · kh · kw}),
     * or the direct/rate input.
     */
    private static Source source(Value v, Graph g, Map<Integer, Pop> pops) {
        Op def = g.definingOp(v);
        double mult = 1;
        boolean pooled = false;
        while (true) {
            if (def.kind() == OpKind.SNN_FLATTEN || def.kind() == OpKind.SNN_MAXPOOL) {
                def = g.definingOp(def.operand(0));
            } else if (def.kind() == OpKind.SNN_AVGPOOL && SnnDataflow.feedsOnlyProjections(g, def.result())) {
                int[] k = def.attributes().getInts("kernel", new int[] {1, 1});
                double w = def.attributes().getNumber("weight", 1.0 / (k[0] * k[1]));
                if (!(w > 0)) return new Source(NO_POP, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, false);
                mult *= w * k[0] * k[1];
                pooled = true;
                def = g.definingOp(def.operand(0));
            } else {
                break;
            }
        }
        int idx = g.ops().indexOf(def);
        if (pops.containsKey(idx)) return new Source(idx, 0, mult, true);
        if (pooled) return new Source(NO_POP, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, false);
        if (def.kind() == OpKind.SNN_ENCODE) {
            Op input = g.definingOp(def.operand(0));
            if (def.attributes().getString("mode", "").equals("rate")) return new Source(NO_POP, 0, 1, true);
            double lo = 0, hi = 1;
            if (input.attributes().getOrNull("range") instanceof Attribute.Array a && a.numbersOrNull() != null) {
                lo = a.numbersOrNull()[0];
                hi = a.numbersOrNull()[1];
            }
            long s = def.attributes().getInt("input_scale", 0);
            if (s > 0) {
                lo = Math.max(0, Math.min(s, Math.floor(s * lo + 0.5)));
                hi = Math.max(0, Math.min(s, Math.floor(s * hi + 0.5)));
            }
            return new Source(NO_POP, lo, hi, true);
        }
        return new Source(NO_POP, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, false);
    }


    /** Whether {@code v} is the direct input as a float current (no {@code input_scale}): currents are then float. */
    private static boolean floatDirectInput(Value v, Graph g) {
        Op def = g.definingOp(v);
        while (def.kind() == OpKind.SNN_FLATTEN || def.kind() == OpKind.SNN_RESHAPE) def = g.definingOp(def.operand(0));
        return def.kind() == OpKind.SNN_ENCODE && def.attributes().getString("mode", "").equals("direct")
                && !def.attributes().has("input_scale");
    }

    private static double maxTerm(double w, double lo, double hi) {
        if (w == 0) return 0;
        return w > 0 ? w * hi : w * lo;
    }

    private static double absTerm(double w, double lo, double hi) {
        if (w == 0) return 0;
        return Math.max(Math.abs(w * lo), Math.abs(w * hi));
    }

    /**
     * Adds projection {@code proj}'s largest current per unit of its target to {@code bound}, the
     * largest magnitude of its terms to {@code abs} and their number to {@code terms}, and notes in
     * {@code positive} whether any term (or the bias) can be positive. Returns
     * false when its input is not bounded.
     */
    private static boolean currentBound(Op proj, Graph g, Map<Integer, Pop> pops, BlobLookup blobs,
                                        double[] bound, double[] abs, int[] terms, boolean[] positive) {
        Source src = source(proj.operand(0), g, pops);
        if (!src.known()) return false;
        Pop from = src.pop() == NO_POP ? null : pops.get(src.pop());
        int inCount = g.type(proj.operand(0)).shape().elementCount();
        if (proj.kind() == OpKind.SNN_AVGPOOL) {
            int[] k = proj.attributes().getInts("kernel", new int[] {1, 1});
            double w = proj.attributes().getNumber("weight", 1.0 / (k[0] * k[1]));
            int channels = bound.length;
            for (int c = 0; c < channels; c++) {
                double hi = src.hi();
                if (from != null && !anyAlive(from, c, channels)) hi = 0;
                double t = Math.max(0, maxTerm(w, Math.min(0, src.lo()), Math.max(0, hi)));
                bound[c] += t * k[0] * k[1];
                positive[c] |= t > 0;
                abs[c] += absTerm(w, src.lo(), hi) * k[0] * k[1];
                terms[c] += k[0] * k[1];
            }
            return true;
        }
        Blob w = blobs.get(proj.attributes().getBlob("weight"));
        int rows = w.type().shape().dim(0), cols = w.type().shape().dim(1);
        int inner = w.size() / (rows * cols);
        boolean conv = proj.kind() == OpKind.SNN_CONV2D;
        int[] pad = proj.attributes().getInts("pad", new int[4]);
        boolean padded = conv && Arrays.stream(pad).anyMatch(x -> x > 0);
        // input range per column (dense: element, conv: input channel)
        double[] lo = new double[cols], hi = new double[cols];
        for (int col = 0; col < cols; col++) {
            lo[col] = src.lo();
            hi[col] = src.hi();
            if (from != null) {
                int colsPerUnit = conv ? 1 : inCount / from.units;
                boolean alive = conv ? anyAlive(from, col, cols) : from.alive[col / colsPerUnit];
                if (!alive) hi[col] = 0;
            }
            if (padded) { lo[col] = Math.min(0, lo[col]); hi[col] = Math.max(0, hi[col]); }
        }
        Blob bias = proj.attributes().getBlob("bias") == null ? null : blobs.get(proj.attributes().getBlob("bias"));
        // Rows in parallel (2 M weights in the KWS MLP's first layer); each row's sums in weight order, as one loop would.
        IntStream.range(0, rows).parallel().forEach(r -> {
            double b = bias == null ? 0 : bias.get(r);
            double sum = b, a = Math.abs(b);
            boolean pos = b > 0;
            for (int col = 0; col < cols; col++) {
                int base = (r * cols + col) * inner;
                for (int e = base; e < base + inner; e++) {
                    double x = w.get(e);
                    double t = maxTerm(x, lo[col], hi[col]);
                    sum += t;
                    pos |= t > 0;
                    a += absTerm(x, lo[col], hi[col]);
                }
            }
            bound[r] += sum;
            positive[r] |= pos;
            abs[r] += a;
            terms[r] += cols * inner + 1;
        });
        return true;
    }

    /** Whether any unit of {@code from} that maps onto input channel {@code c} of {@code channels} may fire. */
    private static boolean anyAlive(Pop from, int c, int channels) {
        if (channels == from.units) return from.alive[c];
        for (boolean a : from.alive) if (a) return true;
        return false;
    }

    private static double param(Attributes a, String name, int u, BlobLookup blobs, double dflt) {
        String b = a.getBlob(name);
        if (b != null) return blobs.get(b).get(u);
        return a.getNumber(name, dflt);
    }

    // ---- the rewrite ----------------------------------------------------------------------------------

    private static Module rewrite(Module module, Map<Integer, Pop> pops, List<Pop> order, List<List<Integer>> users) {
        Graph g = module.graph();
        List<Op> ops = g.ops();
        BlobTable.Builder blobs = module.blobs().toBuilder();
        Map<String, Integer> blobUses = new HashMap<>();
        for (Op op : ops) {
            for (Attribute a : op.attributes().asMap().values()) {
                if (a instanceof Attribute.BlobRef(String b)) blobUses.merge(b, 1, Integer::sum);
            }
        }
        boolean[][] rowKeep = new boolean[ops.size()][];
        boolean[][] colKeep = new boolean[ops.size()][];
        for (Pop p : order) {
            if (p.keep == null) continue;
            for (int pi : p.incoming) rowKeep[pi] = p.keep;
            for (int ci : p.consumers) {
                Op proj = ops.get(ci);
                if (proj.kind() == OpKind.SNN_CONV2D) {
                    colKeep[ci] = p.keep;
                } else {
                    int in = g.type(proj.operand(0)).shape().elementCount();
                    int per = in / p.units;
                    boolean[] k = new boolean[in];
                    for (int i = 0; i < in; i++) k[i] = p.keep[i / per];
                    colKeep[ci] = k;
                }
            }
        }
        List<Attributes> attrs = new ArrayList<>(ops.size());
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            Attributes a = op.attributes();
            if (rowKeep[i] != null || colKeep[i] != null) {
                boolean[] rk = rowKeep[i];
                a = slice(a, "weight", blobs, blobUses, rk, colKeep[i]);
                if (rk != null) {
                    a = slice(a, "bias", blobs, blobUses, rk, null);
                    a = slice(a, "weight_scale", blobs, blobUses, rk, null);
                    String count = op.kind() == OpKind.SNN_DENSE ? "units" : "out_channels";
                    a = a.with(count, new Attribute.Int(countTrue(rk)));
                }
            }
            Pop p = pops.get(i);
            if (p != null && p.keep != null) {
                a = slice(a, "threshold", blobs, blobUses, p.keep, null);
                a = slice(a, "v0", blobs, blobUses, p.keep, null);
            }
            attrs.add(a);
        }
        GraphBuilder b = new GraphBuilder(blobs);
        Value[] map = new Value[g.valueCount()];
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            List<Value> operands = op.operands().stream().map(v -> map[v.id()]).toList();
            Value r;
            if (op.kind().isInput()) r = b.input(op.kind(), g.type(op.result()), attrs.get(i), op.location());
            else r = b.add(op.kind(), operands, attrs.get(i), op.location());
            if (r != null) {
                map[op.result().id()] = r;
                g.name(op.result()).ifPresent(nm -> b.setName(r, nm));
            }
        }
        // drop blobs no op refers to any more (the originals of sliced shared blobs stay while used)
        var used = new java.util.HashSet<String>();
        for (int i = 0; i < ops.size(); i++) {
            for (Attribute at : attrs.get(i).asMap().values()) if (at instanceof Attribute.BlobRef(String bn)) used.add(bn);
        }
        for (String nm : blobUses.keySet()) if (!used.contains(nm)) blobs.remove(nm);
        Graph ng = b.build();
        return new Module(module.name(), module.stage(), blobs.build(), ng);
    }

    private static boolean[] filled(int n) {
        boolean[] b = new boolean[n];
        Arrays.fill(b, true);
        return b;
    }

    private static int countTrue(boolean[] k) {
        int c = 0;
        for (boolean x : k) if (x) c++;
        return c;
    }

    /** Replaces blob attribute {@code attr} (if it is a blob) by its slice: rows kept on dimension 0, columns on dimension 1. */
    private static Attributes slice(Attributes a, String attr, BlobTable.Builder blobs, Map<String, Integer> uses,
                                    boolean[] rows, boolean[] cols) {
        String name = a.getBlob(attr);
        if (name == null) return a;
        Blob src = blobs.get(name);
        Blob sliced = sliceBlob(src, rows, cols);
        String newName = uses.getOrDefault(name, 0) <= 1 ? name : blobs.freshName(name + ".live");
        blobs.put(sliced.renamed(newName));
        return a.with(attr, new Attribute.BlobRef(newName));
    }

    /** The blob with only the kept indices of dimension 0 ({@code rows}) and 1 ({@code cols}); null keeps all. */
    static Blob sliceBlob(Blob b, boolean[] rows, boolean[] cols) {
        int[] dims = b.type().shape().dims();
        int d0 = dims[0], d1 = dims.length > 1 ? dims[1] : 1;
        int inner = b.size() / (d0 * d1);
        int n0 = rows == null ? d0 : countTrue(rows), n1 = cols == null || dims.length < 2 ? d1 : countTrue(cols);
        int[] nd = dims.clone();
        nd[0] = n0;
        if (dims.length > 1) nd[1] = n1;
        int size = n0 * n1 * inner;
        float[] f = b.isFloat() ? new float[size] : null;
        int[] iv = b.isFloat() ? null : new int[size];
        int o = 0;
        for (int r = 0; r < d0; r++) {
            if (rows != null && !rows[r]) continue;
            for (int c = 0; c < d1; c++) {
                if (cols != null && dims.length > 1 && !cols[c]) continue;
                int base = (r * d1 + c) * inner;
                for (int e = 0; e < inner; e++, o++) {
                    if (f != null) f[o] = b.floats()[base + e];
                    else iv[o] = b.ints()[base + e];
                }
            }
        }
        TensorType t = new TensorType(Shape.of(nd), b.type().elementType());
        return f != null ? Blob.ofFloats(b.name(), t, f) : Blob.ofInts(b.name(), t, iv);
    }
}

package dev.nmcc.passes.dead;

import dev.nmcc.ir.attr.Attribute;
import dev.nmcc.ir.blob.Blob;
import dev.nmcc.ir.blob.BlobLookup;
import dev.nmcc.ir.graph.Graph;
import dev.nmcc.ir.graph.Op;
import dev.nmcc.ir.graph.Value;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.passes.snn.SnnDataflow;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The analysis of {@code eliminate-dead-neurons}: the populations of a module with the projections
 * into and out of them ({@link Population}), then, forwards in program order, which units never
 * fire ({@link #findNeverFiring}), and backwards which units are needed for an output
 * ({@link #findNeeded}). See {@link EliminateDeadNeurons} for the argument.
 */
final class DeadNeuronAnalysis {
    /** Where a projection's input comes from: a population (through flatten/maxpool), the input, or elsewhere. */
    private record Source(int pop, double lo, double hi, boolean known) {}

    private static final int NO_POP = -1;

    private final Graph g;
    private final List<Op> ops;
    /** Per value id, the indices of the ops that read it. */
    final List<List<Integer>> users;
    /** The populations by op index. */
    final Map<Integer, Population> pops = new HashMap<>();
    /** The populations in program order. */
    final List<Population> order = new ArrayList<>();

    /** Finds the populations and the projections into and out of each; pins those that cannot shrink. */
    DeadNeuronAnalysis(Graph g) {
        this.g = g;
        this.ops = g.ops();
        int n = ops.size();
        users = new ArrayList<>(g.valueCount());
        for (int v = 0; v < g.valueCount(); v++) users.add(new ArrayList<>());
        for (int i = 0; i < n; i++) for (Value v : ops.get(i).operands()) users.get(v.id()).add(i);

        for (int i = 0; i < n; i++) {
            OpKind k = ops.get(i).kind();
            if (k == OpKind.SNN_IF || k == OpKind.SNN_LIF) {
                Population p = new Population(i, g.type(ops.get(i).result()).shape());
                pops.put(i, p);
                order.add(p);
            }
        }
        for (Population p : order) {
            collectIncoming(p, ops.get(p.op).operand(0), g, users);
            collectConsumers(p, ops.get(p.op).result(), g, ops, users);
        }
    }

    /**
     * Forwards: sets {@code alive} and {@code provablyDead} of every population, from the bound on its
     * current; with {@code counts} (calibrated mode) a unit that never fired is not alive either.
     */
    void findNeverFiring(BlobLookup blobs, Map<Integer, long[]> counts) {
        for (Population p : order) {
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
                    allInteger &= !blobs.get(proj.attributes().getBlob("weight")).isFloat();
                } else {
                    allInteger &= proj.attributes().getOrNull("weight") instanceof Attribute.Int;
                }
                allInteger &= !floatDirectInput(proj.operand(0), g);
                known &= currentBound(proj, g, pops, blobs, bound, abs, terms, positive);
            }
            p.provablyDead = new boolean[p.units];
            p.alive = new boolean[p.units];
            long[] c = counts == null ? null : counts.get(p.op);
            for (int u = 0; u < p.units; u++) {
                double theta = op.attributes().getNumberAt("threshold", u, blobs, 1.0);
                double v0 = op.attributes().getNumberAt("v0", u, blobs, 0.0);
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
    }

    /** Backwards: sets {@code needed} of every population (all of them or the alive ones when pinned). */
    void findNeeded(BlobLookup blobs) {
        for (int idx = order.size() - 1; idx >= 0; idx--) {
            Population p = order.get(idx);
            p.needed = new boolean[p.units];
            if (p.pinned != null) {
                p.needed = p.output ? filled(p.units) : p.alive.clone();
                continue;
            }
            for (int ci : p.consumers) {
                Op proj = ops.get(ci);
                boolean[] tn = targetNeeded(ci, g, ops, pops, users);
                Blob w = blobs.get(proj.attributes().getBlob("weight"));
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
    }

    /** The projections whose currents sum into population p; pins p when a current path is not a plain projection/merge. */
    private static void collectIncoming(Population p, Value v, Graph g, List<List<Integer>> users) {
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
    private static void collectConsumers(Population p, Value v, Graph g, List<Op> ops, List<List<Integer>> users) {
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
    private static boolean[] targetNeeded(int proj, Graph g, List<Op> ops, Map<Integer, Population> pops, List<List<Integer>> users) {
        int at = proj;
        while (true) {
            List<Integer> us = users.get(ops.get(at).result().id());
            if (us.size() != 1) return null;
            int next = us.getFirst();
            OpKind k = ops.get(next).kind();
            if (k == OpKind.SNN_MERGE) { at = next; continue; }
            Population p = pops.get(next);
            if (p == null) return null;
            return p.needed;
        }
    }

    /**
     * The source of a projection's input: a population (through flatten, maxpool and an avgpool
     * that only feeds projections, whose window sum scales the range by {@code weight · kh · kw}),
     * or the direct/rate input.
     */
    private static Source source(Value v, Graph g, Map<Integer, Population> pops) {
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
    private static boolean currentBound(Op proj, Graph g, Map<Integer, Population> pops, BlobLookup blobs,
                                        double[] bound, double[] abs, int[] terms, boolean[] positive) {
        Source src = source(proj.operand(0), g, pops);
        if (!src.known()) return false;
        Population from = src.pop() == NO_POP ? null : pops.get(src.pop());
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
    private static boolean anyAlive(Population from, int c, int channels) {
        if (channels == from.units) return from.alive[c];
        for (boolean a : from.alive) if (a) return true;
        return false;
    }


    private static boolean[] filled(int n) {
        boolean[] b = new boolean[n];
        Arrays.fill(b, true);
        return b;
    }
}

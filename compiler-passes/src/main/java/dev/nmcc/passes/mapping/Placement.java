package dev.nmcc.passes.mapping;

import dev.nmcc.backend.target.NpuCoord;
import dev.nmcc.backend.target.Target;
import dev.nmcc.passes.mapping.Traffic.Edge;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Places core slices on NPUs to minimise expected spike traffic × distance:
 *
 * <pre>
 * cost(placement) = Σ_edges events(a, b) · d(npu(a), npu(b))
 * d(p, q) = on-chip hops + λ · inter-chip hops,  λ = max(1, pj_per_inter_chip_hop / pj_per_hop)
 * </pre>
 *
 * (on one chip d is the mesh hop count; across chips an inter-chip link costs what it costs in
 * energy relative to a mesh hop). One slice per NPU.
 *
 * <ol>
 *   <li><b>Greedy</b>: slices in layer order; each goes to the free NPU with the least cost to the
 *       slices already placed (its {@value #TOP_NEIGHBOURS} heaviest placed neighbours; the first
 *       {@value #ALL_CANDIDATES} free NPUs in snake order), ties (and slices without placed neighbours) broken by the snake
 *       order of the mesh (row 0 left to right, row 1 right to left, …; NPUs of a node together;
 *       chip after chip).</li>
 *   <li><b>Descent</b>: pairwise moves — a slice to another NPU, swapping with its occupant if
 *       any — accepted when they lower the cost; candidates are all NPUs when there are at most
 *       {@value #ALL_CANDIDATES}, else the NPUs of the nodes within one hop of the nodes of the slice
 *       and of its {@value #TOP_NEIGHBOURS} heaviest neighbours. A move's cost change is computed
 *       from the two slices' edges only, so a round is O(slices × candidates × degree); at most
 *       {@code rounds} rounds, stopping at a local minimum, and at most {@value #WORK_LIMIT} edge
 *       visits (a deterministic bound for huge networks).</li>
 *   <li><b>Annealing</b> ({@code annealSteps} &gt; 0): random moves from the same candidates under a
 *       geometric temperature schedule from a seeded {@link SplittableRandom}, then descent again;
 *       the best placement seen is kept, so the result is never worse than the greedy one and is
 *       the same for the same seed.</li>
 * </ol>
 */
public final class Placement {
    static final int ALL_CANDIDATES = 256;
    /** Neighbours (heaviest first) whose nodes give the candidates of a slice on a large mesh, and that greedy weighs. */
    static final int TOP_NEIGHBOURS = 8;
    /** Edge visits allowed to each of descent and annealing: bounds the search on huge networks (deterministic, unlike a clock). */
    static final long WORK_LIMIT = 40_000_000L;

    private long work;
    private final int[] mark;
    private int markEpoch;

    private final Target target;
    private final int slices;
    private final int npus;
    private final int[] chip, row, col, node;
    private final double lambda;
    /** Symmetric weighted adjacency: per slice, neighbour slice ids and summed events. */
    private final int[][] nbr;
    private final double[][] wgt;
    private final int[] snake;

    public Placement(Target target, int slices, List<Edge> edges) {
        this.target = target;
        this.slices = slices;
        this.npus = target.totalNpus();
        chip = new int[npus];
        row = new int[npus];
        col = new int[npus];
        node = new int[npus];
        for (int i = 0; i < npus; i++) {
            NpuCoord c = target.coordinates(i);
            chip[i] = c.chip();
            row[i] = c.row();
            col[i] = c.col();
            node[i] = c.chip() * target.geometry().nodesPerChip() + c.node();
        }
        double hop = target.energy().pjPerHop();
        lambda = hop > 0 ? Math.max(1, target.energy().pjPerInterChipHop() / hop) : 1;
        // merge edges into a symmetric adjacency
        java.util.Map<Long, Double> w = new java.util.HashMap<>();
        for (Edge e : edges) {
            if (e.src() == e.dst() || e.events() <= 0) continue;
            int a = Math.min(e.src(), e.dst()), b = Math.max(e.src(), e.dst());
            w.merge(((long) a << 32) | b, e.events(), Double::sum);
        }
        int[] deg = new int[slices];
        for (long k : w.keySet()) {
            deg[(int) (k >>> 32)]++;
            deg[(int) k]++;
        }
        nbr = new int[slices][];
        wgt = new double[slices][];
        for (int i = 0; i < slices; i++) {
            nbr[i] = new int[deg[i]];
            wgt[i] = new double[deg[i]];
        }
        int[] fill = new int[slices];
        List<Long> keys = new ArrayList<>(w.keySet());
        keys.sort(null);
        for (long k : keys) {
            int a = (int) (k >>> 32), b = (int) k;
            double v = w.get(k);
            nbr[a][fill[a]] = b;
            wgt[a][fill[a]++] = v;
            nbr[b][fill[b]] = a;
            wgt[b][fill[b]++] = v;
        }
        for (int i = 0; i < slices; i++) sortByWeight(nbr[i], wgt[i]);
        snake = snakeOrder(target);
        mark = new int[npus];
    }

    /** Sorts one adjacency list by weight, heaviest first (ties by neighbour id). */
    private static void sortByWeight(int[] n, double[] w) {
        Integer[] idx = new Integer[n.length];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        java.util.Arrays.sort(idx, (p, q) -> w[p] != w[q] ? Double.compare(w[q], w[p]) : Integer.compare(n[p], n[q]));
        int[] n2 = new int[n.length];
        double[] w2 = new double[n.length];
        for (int i = 0; i < idx.length; i++) {
            n2[i] = n[idx[i]];
            w2[i] = w[idx[i]];
        }
        System.arraycopy(n2, 0, n, 0, n.length);
        System.arraycopy(w2, 0, w, 0, w.length);
    }

    /** NPU indices in snake order: nodes boustrophedon on each chip's mesh, NPUs of a node together, chip by chip. */
    public static int[] snakeOrder(Target t) {
        var g = t.geometry();
        int[] out = new int[t.totalNpus()];
        int k = 0;
        for (int c = 0; c < g.chips(); c++) {
            List<Integer> nodes = new ArrayList<>();
            for (int n = 0; n < g.nodesPerChip(); n++) nodes.add(n);
            nodes.sort((p, q) -> {
                int rp = g.nodeRow(p), rq = g.nodeRow(q);
                if (rp != rq) return Integer.compare(rp, rq);
                int cp = g.nodeCol(p), cq = g.nodeCol(q);
                return rp % 2 == 0 ? Integer.compare(cp, cq) : Integer.compare(cq, cp);
            });
            for (int n : nodes) for (int p = 0; p < g.npusPerNode(); p++) out[k++] = t.index(c, n, p);
        }
        return out;
    }

    /** Distance used by the optimisation: on-chip hops + λ · inter-chip hops. */
    double dist(int p, int q) {
        if (chip[p] == chip[q]) return Math.abs(row[p] - row[q]) + Math.abs(col[p] - col[q]);
        return row[p] + col[p] + row[q] + col[q] + lambda * Math.abs(chip[p] - chip[q]);
    }

    /** The optimisation cost of a placement (slice → NPU). */
    public double cost(int[] at) {
        double c = 0;
        for (int a = 0; a < slices; a++) {
            for (int j = 0; j < nbr[a].length; j++) if (nbr[a][j] > a) c += wgt[a][j] * dist(at[a], at[nbr[a][j]]);
        }
        return c;
    }

    /** Slice i on NPU i: the naive in-order placement (the bench's baseline). */
    public int[] inOrder() {
        int[] at = new int[slices];
        for (int i = 0; i < slices; i++) at[i] = i;
        return at;
    }

    /** The greedy placement (step 1). */
    public int[] greedy() {
        int[] at = new int[slices];
        boolean[] used = new boolean[npus];
        boolean[] placed = new boolean[slices];
        int nextSnake = 0;
        for (int s = 0; s < slices; s++) {
            boolean hasPlaced = false;
            for (int n : nbr[s]) if (placed[n]) { hasPlaced = true; break; }
            while (used[snake[nextSnake]]) nextSnake++;
            int best = snake[nextSnake];
            if (hasPlaced) {
                double bestCost = Double.POSITIVE_INFINITY;
                int scanned = 0;
                for (int k = nextSnake; k < npus && scanned < ALL_CANDIDATES; k++) {
                    int p = snake[k];
                    if (used[p]) continue;
                    scanned++;
                    double c = 0;
                    int seen = 0;
                    for (int j = 0; j < nbr[s].length && seen < TOP_NEIGHBOURS; j++) {
                        if (!placed[nbr[s][j]]) continue;
                        seen++;
                        c += wgt[s][j] * dist(p, at[nbr[s][j]]);
                    }
                    if (c < bestCost - 1e-12) {
                        bestCost = c;
                        best = p;
                    }
                }
            }
            at[s] = best;
            used[best] = true;
            placed[s] = true;
        }
        return at;
    }

    /** Greedy, then descent and (with annealSteps &gt; 0) annealing; see the class comment. */
    public int[] optimise(int rounds, int annealSteps, long seed) {
        int[] at = greedy();
        int[] occ = occupancy(at);
        work = 0;
        descend(at, occ, rounds);
        if (annealSteps > 0 && slices > 1) {
            work = 0;
            int[] best = at.clone();
            double bestCost = cost(at);
            double current = bestCost;
            SplittableRandom rnd = new SplittableRandom(seed);
            double t0 = Math.max(1e-9, bestCost / Math.max(1, slices) * 0.5);
            double cooling = Math.pow(1e-4, 1.0 / annealSteps);
            double temp = t0;
            for (int step = 0; step < annealSteps && work < WORK_LIMIT; step++, temp *= cooling) {
                int a = rnd.nextInt(slices);
                int[] cand = candidates(a, at);
                int q = cand[rnd.nextInt(cand.length)];
                if (q == at[a]) continue;
                double d = delta(a, q, at, occ);
                if (d <= 0 || rnd.nextDouble() < Math.exp(-d / temp)) {
                    apply(a, q, at, occ);
                    current += d;
                    if (current < bestCost - 1e-9) {
                        bestCost = current;
                        best = at.clone();
                    }
                }
            }
            at = best;
            occ = occupancy(at);
            work = 0;
            descend(at, occ, rounds);
        }
        return at;
    }

    private int[] occupancy(int[] at) {
        int[] occ = new int[npus];
        Arrays.fill(occ, -1);
        for (int s = 0; s < slices; s++) occ[at[s]] = s;
        return occ;
    }

    private void descend(int[] at, int[] occ, int rounds) {
        for (int r = 0; r < rounds; r++) {
            boolean improved = false;
            for (int a = 0; a < slices && work < WORK_LIMIT; a++) {
                int bestQ = -1;
                double bestD = -1e-9;
                for (int q : candidates(a, at)) {
                    if (q == at[a]) continue;
                    double d = delta(a, q, at, occ);
                    if (d < bestD) {
                        bestD = d;
                        bestQ = q;
                    }
                }
                if (bestQ >= 0) {
                    apply(a, bestQ, at, occ);
                    improved = true;
                }
            }
            if (!improved) return;
        }
    }

    /**
     * Candidate NPUs for slice a, ascending: all NPUs on a small target; else the NPUs of the nodes
     * within one hop of its {@value #TOP_NEIGHBOURS} heaviest neighbours' nodes (and of its own).
     */
    private int[] candidates(int a, int[] at) {
        if (npus <= ALL_CANDIDATES) {
            int[] all = new int[npus];
            for (int i = 0; i < npus; i++) all[i] = i;
            return all;
        }
        markEpoch++;
        int[] buf = new int[(TOP_NEIGHBOURS + 1) * 5 * target.geometry().npusPerNode()];
        int k = 0;
        var g = target.geometry();
        int count = Math.min(TOP_NEIGHBOURS, nbr[a].length);
        for (int j = -1; j < count; j++) {
            int p = j < 0 ? at[a] : at[nbr[a][j]];
            for (int d = 0; d < 5; d++) {
                int rr = row[p] + (d == 1 ? -1 : d == 2 ? 1 : 0), cc = col[p] + (d == 3 ? -1 : d == 4 ? 1 : 0);
                if (rr < 0 || cc < 0 || rr >= g.meshRows() || cc >= g.meshCols()) continue;
                int nd = rr * g.meshCols() + cc;
                if (nd >= g.nodesPerChip()) continue;
                for (int q = 0; q < g.npusPerNode(); q++) {
                    int npu = target.index(chip[p], nd, q);
                    if (mark[npu] == markEpoch) continue;
                    mark[npu] = markEpoch;
                    buf[k++] = npu;
                }
            }
        }
        int[] out = java.util.Arrays.copyOf(buf, k);
        java.util.Arrays.sort(out);
        return out;
    }

    /** Cost change of moving slice a to NPU q (swapping with q's occupant, if any). */
    private double delta(int a, int q, int[] at, int[] occ) {
        int p = at[a];
        int b = occ[q];
        work += nbr[a].length + (b >= 0 ? nbr[b].length : 0);
        double d = 0;
        for (int j = 0; j < nbr[a].length; j++) {
            int n = nbr[a][j];
            if (n == b) continue;
            d += wgt[a][j] * (dist(q, at[n]) - dist(p, at[n]));
        }
        if (b >= 0) {
            for (int j = 0; j < nbr[b].length; j++) {
                int n = nbr[b][j];
                if (n == a) continue;
                d += wgt[b][j] * (dist(p, at[n]) - dist(q, at[n]));
            }
        }
        return d;
    }

    private void apply(int a, int q, int[] at, int[] occ) {
        int p = at[a];
        int b = occ[q];
        at[a] = q;
        occ[q] = a;
        occ[p] = b;
        if (b >= 0) at[b] = p;
    }
}

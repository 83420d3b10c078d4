package dev.nmcc.tests.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nmcc.backend.target.Target;
import dev.nmcc.backend.target.Targets;
import dev.nmcc.driver.api.Nmcc;
import dev.nmcc.ir.diag.DiagnosticSink;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.passes.CompileSettings;
import dev.nmcc.passes.PassContext;
import dev.nmcc.passes.PassManager;
import dev.nmcc.passes.PassRegistry;
import dev.nmcc.passes.Pipeline;
import dev.nmcc.passes.mapping.ActivityProfile;
import dev.nmcc.passes.mapping.AllocateCores;
import dev.nmcc.passes.mapping.CalibrationActivity;
import dev.nmcc.passes.mapping.Traffic;
import dev.nmcc.tests.fixtures.FmnistFixtures;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Issue 5 asks for traffic × hops 30 % below the naive in-order placement on the CNN fixture. This
 * test settles what is possible: it finds the exact optimum of the placement cost on the fixture
 * (compiled as the issue means: -O2, akd1500, 4-bit, calibrated rates) by branch and bound over
 * every assignment of its slices to the chip's nodes (two slices of one node are 0 hops apart, so
 * a placement's cost depends only on the nodes), and checks that allocate-cores' search reaches
 * it. The optimum's distance from in-order is what docs/mapping.md reports.
 */
class CnnPlacementOptimumTest {
    @Test
    void theSearchFindsTheExactOptimumOfTheCnnFixture() {
        Target akd1500 = Targets.resolve("akd1500");
        Module cnn = Nmcc.load(FmnistFixtures.file("cnn.nmd"));
        CompileSettings s = CompileSettings.defaults().withCalibration(FmnistFixtures.images("calib_images.npy")).withTarget(akd1500);
        PassContext ctx = new PassContext(s, new DiagnosticSink(), null);
        PassRegistry registry = PassRegistry.standard();
        Module snn = new PassManager(registry, PassManager.Options.defaults()).run(Pipeline.parse(
                "fold-batchnorm,calibrate-thresholds,eliminate-dead-neurons{mode=exact},quantize-weights{per-channel}", registry), cnn, ctx)
                .module();
        ActivityProfile rates = ctx.get(CalibrationActivity.class).orElseThrow().profileFor(snn).orElseThrow();
        AllocateCores.Allocation a = AllocateCores.allocate(snn, akd1500, AllocateCores.Settings.defaults().withActivity(rates));

        List<Traffic.Edge> edges = a.edges();
        assertThat(cost(akd1500, edges, a.npuOf())).isCloseTo(a.report().trafficHops(), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(cost(akd1500, edges, a.naive())).isCloseTo(a.report().naiveTrafficHops(), org.assertj.core.data.Offset.offset(1e-6));

        // Bounded by the search's cost, then (a check of the enumeration itself) by in-order's much larger one.
        double optimum = new BranchAndBound(akd1500, a.slices().size(), edges, a.report().trafficHops()).solve();
        double fromInOrder = new BranchAndBound(akd1500, a.slices().size(), edges, a.report().naiveTrafficHops()).solve();
        assertThat(fromInOrder).isCloseTo(optimum, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(a.report().trafficHops()).as("the search's placement is optimal").isCloseTo(optimum, org.assertj.core.data.Offset.offset(1e-6));
        // What the 30 % criterion meets on this network: the best any placement can do.
        double belowInOrder = 1 - optimum / a.report().naiveTrafficHops();
        System.out.printf("CNN fixture on akd1500: search %.1f, exact optimum %.1f, in-order %.1f events x hops per timestep (optimum %.1f%% below in-order)%n",
                a.report().trafficHops(), optimum, a.report().naiveTrafficHops(), 100 * belowInOrder);
        assertThat(belowInOrder).as("optimum %.1f vs in-order %.1f", optimum, a.report().naiveTrafficHops()).isLessThan(0.30);
    }

    /** Σ events × hops of a placement (slice → NPU), as allocate-cores' report counts it on one chip. */
    static double cost(Target t, List<Traffic.Edge> edges, int[] npuOf) {
        double c = 0;
        for (Traffic.Edge e : edges) c += e.events() * t.hopDistance(npuOf[e.src()], npuOf[e.dst()]);
        return c;
    }

    /**
     * Exact minimum over assignments of slices to the nodes of one chip (at most npus-per-node
     * slices a node): slices in decreasing order of traffic, a partial assignment pruned when the
     * cost of its placed edges reaches the best known; the first slice only tries one node of each
     * class under the mesh's mirror symmetries.
     */
    static final class BranchAndBound {
        private final Target t;
        private final int nodes, capacity, slices;
        private final int[] order, nodeOf, used;
        private final double[][] w;
        private double best;
        private boolean found;

        BranchAndBound(Target t, int slices, List<Traffic.Edge> edges, double upperBound) {
            this.t = t;
            this.nodes = t.geometry().nodesPerChip();
            this.capacity = t.geometry().npusPerNode();
            this.slices = slices;
            this.w = new double[slices][slices];
            for (Traffic.Edge e : edges) {
                w[e.src()][e.dst()] += e.events();
                w[e.dst()][e.src()] += e.events();
            }
            double[] weight = new double[slices];
            for (int i = 0; i < slices; i++) for (int j = 0; j < slices; j++) weight[i] += w[i][j];
            this.order = IntStream.range(0, slices).boxed().sorted(Comparator.comparingDouble((Integer i) -> -weight[i])).mapToInt(i -> i).toArray();
            this.nodeOf = new int[slices];
            this.used = new int[nodes];
            this.best = upperBound + 1e-6;
        }

        /** The minimum cost; fails when no placement reaches the upper bound (the enumeration missed one). */
        double solve() {
            place(0, 0.0);
            assertThat(found).as("a placement within the upper bound").isTrue();
            return best;
        }

        private int hops(int n, int m) {
            return t.hopDistance(t.index(0, n, 0), t.index(0, m, 0));
        }

        private void place(int k, double partial) {
            if (partial >= best) return;
            if (k == slices) {
                best = partial;
                found = true;
                return;
            }
            int s = order[k];
            for (int n = 0; n < nodes; n++) {
                if (used[n] == capacity) continue;
                if (k == 0 && !canonical(n)) continue;
                double add = 0;
                for (int j = 0; j < k; j++) add += w[s][order[j]] * hops(n, nodeOf[order[j]]);
                nodeOf[s] = n;
                used[n]++;
                place(k + 1, partial + add);
                used[n]--;
            }
        }

        /** The first slice's node, up to the mesh's left-right and top-bottom mirror images. */
        private boolean canonical(int n) {
            int rows = t.geometry().meshRows(), cols = t.geometry().meshCols();
            int r = t.geometry().nodeRow(n), c = t.geometry().nodeCol(n);
            if (rows * cols != nodes) return true; // a partly filled mesh has no mirror symmetry to use
            return 2 * r <= rows - 1 && 2 * c <= cols - 1;
        }
    }
}

package dev.nmcc.ir.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nmcc.ir.graph.Graph;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.graph.Op;
import dev.nmcc.ir.graph.RawGraphs;
import dev.nmcc.ir.graph.Value;
import dev.nmcc.ir.op.Stage;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The verifier reports, never throws: every module mutated by hand yields diagnostics or none, but no exception. */
class VerifierRobustnessTest {
    static Stream<Module> valid() { return Stream.of(Net.validAnn(), Net.validSnn(), Net.validHw()); }

    private static List<Graph.ValueInfo> table(Graph g) {
        return IntStream.range(0, g.valueCount()).mapToObj(i -> g.info(new Value(i))).toList();
    }

    @ParameterizedTest @MethodSource("valid") // dropping any one op leaves a module the verifier can still check
    void dropAnyOp(Module m) {
        Graph g = m.graph();
        for (int i = 0; i < g.ops().size(); i++) {
            List<Op> ops = new ArrayList<>(g.ops());
            Op dropped = ops.remove(i);
            var ds = Verifier.verify(m.withGraph(RawGraphs.of(ops, table(g))));
            if (!dropped.results().isEmpty()) assertThat(ds).as("dropping %s", dropped).isNotEmpty();
        }
    }

    @ParameterizedTest @MethodSource("valid") // swapping a producer with its consumer breaks dominance, and it is reported
    void swapNeighbours(Module m) {
        Graph g = m.graph();
        for (int i = 0; i + 1 < g.ops().size(); i++) {
            List<Op> ops = new ArrayList<>(g.ops());
            Op a = ops.get(i), b = ops.get(i + 1);
            ops.set(i, b);
            ops.set(i + 1, a);
            var ds = Verifier.verify(m.withGraph(RawGraphs.of(ops, table(g))));
            boolean dependent = b.operands().stream().anyMatch(a.results()::contains);
            if (dependent) assertThat(ds).as("swapping %s and %s", a, b).isNotEmpty();
        }
    }

    @ParameterizedTest @MethodSource("valid") // a module put in another stage is reported, not crashed on
    void wrongStage(Module m) {
        for (Stage s : Stage.values()) {
            var ds = Verifier.verify(m.withStage(s));
            if (s != m.stage()) assertThat(ds).isNotEmpty();
            else assertThat(ds).isEmpty();
        }
    }
}

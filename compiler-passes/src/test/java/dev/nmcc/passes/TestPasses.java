package dev.nmcc.passes;

import dev.nmcc.ir.attr.Attributes;
import dev.nmcc.ir.graph.Module;
import dev.nmcc.ir.op.OpKind;
import dev.nmcc.ir.op.Stage;
import dev.nmcc.passes.rewrite.GraphRewriter;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;

/** Passes for testing the pipeline parser and the pass manager. */
final class TestPasses {
    private TestPasses() {}

    static PassInfo info(String name, Set<Stage> accepts, Stage produces, List<OptionSpec> options,
                         BiFunction<Module, PassContext, Pass.PassResult> body) {
        PassInfo[] self = new PassInfo[1];
        self[0] = new PassInfo(name, "test pass " + name, accepts, produces, options, o -> new Pass() {
            @Override public PassInfo info() { return self[0]; }

            @Override public PassResult run(Module m, PassContext c) { return body.apply(m, c); }
        });
        return self[0];
    }

    /** Changes nothing. */
    static final PassInfo NOOP = info("noop", Set.of(Stage.ANN), null, List.of(), (m, c) -> Pass.PassResult.unchanged(m));

    /** Says it changed the module (it did not). */
    static final PassInfo TOUCH = info("touch", Set.of(Stage.ANN), null, List.of(), (m, c) -> Pass.PassResult.changed(m));

    /** Breaks the IR: gives every relu an unknown attribute. */
    static final PassInfo BREAK = info("break-ir", Set.of(Stage.ANN), null, List.of(), (m, c) -> {
        var r = GraphRewriter.rewrite(m, (op, rw) -> {
            if (op.kind() != OpKind.ANN_RELU) return false;
            rw.copy(op, Attributes.builder().putFloat("alpha", 0.1).build());
            return true;
        });
        return Pass.PassResult.changed(r.module());
    });

    /** Crashes. */
    static final PassInfo BOOM = info("boom", Set.of(Stage.ANN), null, List.of(), (m, c) -> {
        throw new IllegalStateException("kaboom");
    });

    /** Declares ann → snn (never run: only for stage checks). */
    static final PassInfo TO_SNN = info("to-snn", Set.of(Stage.ANN), Stage.SNN, List.of(), (m, c) -> {
        throw new AssertionError("not run");
    });

    /** Accepts snn and hw. */
    static final PassInfo SNN_ONLY = info("snn-only", Set.of(Stage.SNN, Stage.HW), null, List.of(),
            (m, c) -> Pass.PassResult.unchanged(m));

    /** Options of every type; rejects bits=3 in its factory. */
    static final PassInfo OPTS;

    static {
        List<OptionSpec> opts = List.of(
                OptionSpec.choice("mode", "max", List.of("max", "percentile"), "how"),
                OptionSpec.number("p", 99.9, "percentile"),
                OptionSpec.integer("bits", 8, "bit width"),
                OptionSpec.choice("granularity", "per-tensor", List.of("per-tensor", "per-channel"), "scales"),
                OptionSpec.flag("channel-wise", false, "a flag"),
                OptionSpec.range("target-rate", null, "rates"),
                OptionSpec.string("tag", null, "a string"),
                OptionSpec.choice("left", "x", List.of("x", "both"), "shares 'both' with right"),
                OptionSpec.choice("right", "y", List.of("y", "both"), "shares 'both' with left"));
        PassInfo[] self = new PassInfo[1];
        self[0] = new PassInfo("opts", "a pass with options", Set.of(Stage.ANN), null, opts, o -> {
            if (o.integer("bits") == 3) throw new IllegalArgumentException("bits must be 1, 2, 4 or 8, got 3");
            return new Pass() {
                @Override public PassInfo info() { return self[0]; }

                @Override public PassResult run(Module m, PassContext c) { return PassResult.unchanged(m); }
            };
        });
        OPTS = self[0];
    }

    static PassRegistry registry() { return PassRegistry.of(NOOP, TOUCH, BREAK, BOOM, TO_SNN, SNN_ONLY, OPTS); }
}

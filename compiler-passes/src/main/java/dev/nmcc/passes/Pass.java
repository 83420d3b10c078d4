package dev.nmcc.passes;

import dev.nmcc.ir.graph.Module;

/**
 * One transformation of the IR. Passes are stateless and built fresh for every run from their
 * {@link PassInfo#factory()} with immutable options; everything a run needs comes in through
 * the {@link PassContext}.
 */
public interface Pass {
    PassInfo info();

    /**
     * Transforms a verified module of one of {@link PassInfo#accepts()} stages. User-facing
     * problems are reported to {@code context.diagnostics()}; a pass that cannot continue throws
     * {@link dev.nmcc.ir.diag.CompilationException}.
     */
    PassResult run(dev.nmcc.ir.graph.Module module, PassContext context);

    /** The result of one run: the new module, and whether the pass changed anything. */
    record PassResult(Module module, boolean changed) {
        public static PassResult unchanged(Module m) { return new PassResult(m, false); }

        public static PassResult changed(Module m) { return new PassResult(m, true); }
    }
}

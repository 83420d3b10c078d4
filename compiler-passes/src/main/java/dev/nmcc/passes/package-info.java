/**
 * The pass manager and the passes. {@link dev.nmcc.passes.Pass} is one transformation, described
 * by its {@link dev.nmcc.passes.PassInfo}; {@link dev.nmcc.passes.StandardPasses} lists the passes
 * of the compiler (one line each) for {@link dev.nmcc.passes.PassRegistry#standard()};
 * {@link dev.nmcc.passes.Pipeline} parses pipeline text
 * ({@code fold-batchnorm,calibrate-thresholds{mode=percentile p=99.9}}) against a registry, with
 * {@link dev.nmcc.passes.PipelineException}s at positions; {@link dev.nmcc.passes.Presets} holds
 * -O0..-O2 as data; {@link dev.nmcc.passes.PassManager} runs a pipeline with verification and
 * instrumentation between passes. Passes rewrite modules with
 * {@link dev.nmcc.passes.rewrite.GraphRewriter}. docs/passes.md describes all of it.
 */
package dev.nmcc.passes;

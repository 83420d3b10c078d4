/**
 * The pass manager and the passes: {@link dev.nmcc.passes.Pass} is one transformation,
 * described by its {@link dev.nmcc.passes.PassInfo}; pipelines are text
 * ({@code fold-batchnorm,calibrate-thresholds{mode=percentile p=99.9}}) parsed against the
 * registry; the manager runs them with verification and instrumentation between passes.
 * docs/passes.md describes every pass.
 */
package dev.nmcc.passes;

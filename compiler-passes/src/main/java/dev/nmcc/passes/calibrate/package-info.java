/**
 * The {@code calibrate-thresholds} pass (ann → snn, DESIGN §3): activation statistics from the
 * float interpreter ({@link dev.nmcc.passes.calibrate.ActivationStats}: exact maxima and
 * fixed-bin log histograms per channel), the choice of the scales λ
 * ({@link dev.nmcc.passes.calibrate.CalibrateThresholds}), the conversion itself
 * ({@link dev.nmcc.passes.calibrate.SnnLowering}) and a float SNN runner that predicts at
 * several T in one run, for the accuracy bench ({@link dev.nmcc.passes.calibrate.SpikeSim}).
 * docs/passes.md ("calibrate-thresholds") describes the method; docs/accuracy.md measures it.
 */
package dev.nmcc.passes.calibrate;

/**
 * Executable references of DESIGN §3. {@link dev.nmcc.ir.interp.AnnInterpreter} is reference 1:
 * the float32 interpreter of {@code ann}-stage modules, checked against PyTorch/onnxruntime, with
 * an {@link dev.nmcc.ir.interp.ActivationObserver} hook for calibration
 * ({@link dev.nmcc.ir.interp.ActivationRecorder} keeps chosen intermediate values). Data travels in
 * {@link dev.nmcc.ir.interp.Batch}es: samples × one sample's shape, in C order, without copying.
 *
 * <p>The interpreter compiles a plan once per module (buffer slots by liveness, one small kernel
 * object per op) and runs chunks of samples in parallel; each worker owns its buffers, so the
 * hot loop allocates nothing.
 */
package dev.nmcc.ir.interp;

/**
 * Executable references of DESIGN §3. {@link dev.nmcc.ir.interp.AnnInterpreter} is reference 1:
 * the float32 interpreter of {@code ann}-stage modules, checked against PyTorch/onnxruntime, with
 * an {@link dev.nmcc.ir.interp.ActivationObserver} hook for calibration
 * ({@link dev.nmcc.ir.interp.ActivationRecorder} keeps chosen intermediate values). Data travels in
 * {@link dev.nmcc.ir.interp.Batch}es: samples × one sample's shape, in C order, without copying.
 *
 * <p>{@link dev.nmcc.ir.interp.SnnInterpreter} is reference 2: it runs {@code snn}- and
 * {@code hw}-stage modules for T timesteps exactly as docs/snn-semantics.md says (float and integer
 * form, direct and rate encoding with the counter-based PRNG of
 * {@link dev.nmcc.ir.interp.RateEncoder}, count and potential decoding), event-driven, and returns
 * an {@link dev.nmcc.ir.interp.SnnResult}: decoded outputs, predictions and
 * {@link dev.nmcc.ir.interp.SnnStats} (spikes per neuron, firing rates, synaptic operations); a
 * {@link dev.nmcc.ir.interp.SpikeObserver} sees every spike train.
 *
 * <p>Both interpreters compile a plan once per module (one small kernel object per op, weights laid
 * out for the kernels) and run chunks of samples in parallel; each worker owns its buffers, so the
 * hot loop allocates nothing.
 */
package dev.nmcc.ir.interp;

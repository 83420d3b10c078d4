/** {@code fold-batchnorm}: batchnorm folded into the preceding layer; dropout and identity removed. */
package dev.nmcc.passes.fold;

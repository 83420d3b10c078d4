/**
 * NumPy {@code .npy}/{@code .npz} reading and float32 {@code .npy} writing, without third-party
 * libraries: headers of versions 1 to 3, plain numeric dtypes in either byte order, C order only.
 * Sizes are validated against the file before any allocation.
 */
package dev.nmcc.frontend.numpy;

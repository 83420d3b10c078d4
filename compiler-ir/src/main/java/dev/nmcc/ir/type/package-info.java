/**
 * Value types: tensors with a static shape and an element type ({@code tensor<16x28x28xf32>}),
 * and spike trains ({@code spikes<512>}).
 */
package dev.nmcc.ir.type;

#!/usr/bin/env python3
"""Writes small random parameter archives with the keys and shapes of the example networks
(examples/fmnist_cnn.nmd, examples/spiking_mlp.nmd), for the frontend tests only; the trained
examples/*.npz are made elsewhere. Values are multiples of 1/16 so that the archives compress.
Run from this directory: /usr/bin/python3 make_params.py"""
import numpy as np

rng = np.random.default_rng(7)


def rand(*shape):
    return (np.round(rng.uniform(-1, 1, size=shape) * 16) / 16).astype(np.float32)


np.savez_compressed(
    "fmnist_cnn.npz",
    **{
        "conv1.weight": rand(16, 1, 3, 3), "conv1.bias": rand(16),
        "bn1.weight": rand(16) + 1, "bn1.bias": rand(16),
        "bn1.running_mean": rand(16), "bn1.running_var": np.abs(rand(16)) + 0.5,
        "bn1.num_batches_tracked": np.array(100, dtype=np.int64),
        "conv2.weight": rand(32, 16, 3, 3), "conv2.bias": rand(32),
        "fc1.weight": rand(128, 32 * 7 * 7), "fc1.bias": rand(128),
        "fc2.weight": rand(10, 128), "fc2.bias": rand(10).astype(np.float64),  # float64 is converted
    })

np.savez_compressed("spiking_mlp.npz", **{"fc1.weight": rand(256, 784), "fc2.weight": rand(10, 256)})

# For diagnostics tests: conv1.weight with 3 input channels instead of 1.
np.savez_compressed("wrong_shapes.npz", **{
    "conv1.weight": rand(16, 3, 3, 3), "conv1.bias": rand(16),
    # a NaN at index 2, and a batchnorm variance with a negative entry at index 1
    "bad.weight": np.array([[0.5, 1.0], [np.nan, 2.0]], dtype=np.float32),
    "bad.var": np.array([1.0, -0.5], dtype=np.float32)})

#!/usr/bin/env python3
"""Test vectors of the rate-encoding PRNG of docs/snn-semantics.md, computed independently of the
Java code. Writes rate_encoder_vectors.txt (read by the interpreter's SnnRateEncoderTest and the simulator's SimulatorRunTest): one line per case,
`seed sample element t u16 x spike`, seeds as signed 64-bit decimals.

Run: python3 rate_encoder_vectors.py > rate_encoder_vectors.txt
"""
import math

M = (1 << 64) - 1
G = 0x9E3779B97F4A7C15


def mix(z):
    z &= M
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
    return z ^ (z >> 31)


def u16(seed, sample, element, t):
    h = mix((seed + G) & M)
    h = mix(((h ^ sample) + G) & M)
    h = mix(((h ^ element) + G) & M)
    h = mix(((h ^ t) + G) & M)
    return h >> 48


def level(x):
    return max(0, min(255, math.floor(255 * x + 0.5)))


def signed(v):
    return v - (1 << 64) if v >= 1 << 63 else v


cases = [
    (0, 0, 0, 0, 0.5), (0, 0, 0, 1, 0.5), (0, 0, 1, 0, 0.5), (0, 1, 0, 0, 0.5),
    (1, 0, 0, 0, 0.25), (42, 7, 100, 31, 0.1), (42, 7, 783, 0, 0.9), (12345, 9999, 17, 63, 0.003),
    (-1, 0, 0, 0, 1.0), (signed(0xDEADBEEFCAFEBABE), 123456789, 4242, 1000, 0.0),
    ((1 << 63) - 1, 60000, 784, 7, 0.7), (7, 3, 2, 1, 0.5019608),
]
print("# seed sample element t u16 x spike  (python3 rate_encoder_vectors.py)")
for seed, sample, element, t, x in cases:
    u = u16(seed & M, sample, element, t)
    spike = 1 if u * 255 < level(x) * 65536 else 0
    print(seed, sample, element, t, u, repr(x), spike)

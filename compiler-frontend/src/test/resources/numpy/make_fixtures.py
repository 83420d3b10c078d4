#!/usr/bin/env python3
"""Writes the small NumPy fixtures the Npy reader tests read (run from this directory:
/usr/bin/python3 make_fixtures.py). Values are simple closed forms so that the Java tests can
recompute them: element i of each array is i (cast to the dtype), negated for odd i where the
dtype is signed."""
import io
import zipfile

import numpy as np


def values(n, dtype):
    v = np.arange(n, dtype=np.int64)
    if np.dtype(dtype).kind in "if":
        v = np.where(v % 2 == 1, -v, v)
    return v.astype(dtype)


for name, dtype in [("f4", "<f4"), ("f8", "<f8"), ("u1", "|u1"), ("i1", "|i1"), ("i2", "<i2"),
                    ("i4", "<i4"), ("i8", "<i8"), ("u2", "<u2"), ("u4", "<u4"), ("be_f4", ">f4"),
                    ("be_i4", ">i4"), ("f2", "<f2")]:
    np.save(f"{name}.npy", values(6, dtype).reshape(2, 3))

np.save("b1.npy", np.array([True, False, True]))
np.save("scalar.npy", np.array(3.5, dtype=np.float32))
np.save("vector.npy", np.array([0.25, -1.5, 2.0], dtype=np.float32))
np.save("fortran.npy", np.asfortranarray(np.arange(6, dtype=np.float32).reshape(2, 3)))
# Format versions 2.0 and 3.0 (3.0: utf-8 header), forced through the writer of numpy.lib.format.
for version in [(2, 0), (3, 0)]:
    with open(f"v{version[0]}.npy", "wb") as f:
        np.lib.format.write_array(f, np.arange(6, dtype=np.float32).reshape(3, 2), version=version)

a = np.arange(12, dtype=np.float32).reshape(3, 4)
np.savez("stored.npz", first=a, second=np.array([1, 2, 3], dtype=np.int64))
np.savez_compressed("deflated.npz", first=a, second=np.array([1, 2, 3], dtype=np.int64))

# Corrupt files.
good = open("f4.npy", "rb").read()
open("truncated.npy", "wb").write(good[:-5])
open("badmagic.npy", "wb").write(b"\x93NUMPZ" + good[6:])
# A header claiming 10^12 elements on a tiny file: must be refused before allocating.
hdr = "{'descr': '<f4', 'fortran_order': False, 'shape': (1000000, 1000000), }"
hdr = hdr + " " * (64 - (10 + len(hdr) + 1) % 64) + "\n"
open("huge.npy", "wb").write(b"\x93NUMPY\x01\x00" + len(hdr).to_bytes(2, "little") + hdr.encode() + b"\0" * 16)
hdr = "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }"
hdr = hdr + " " * (64 - (10 + len(hdr) + 1) % 64) + "\n"
open("structured.npy", "wb").write(b"\x93NUMPY\x01\x00" + len(hdr).to_bytes(2, "little") + hdr.encode() + b"\0" * 8)
hdr = "{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }"
hdr = hdr + " " * (64 - (10 + len(hdr) + 1) % 64) + "\n"
open("complex.npy", "wb").write(b"\x93NUMPY\x01\x00" + len(hdr).to_bytes(2, "little") + hdr.encode() + b"\0" * 16)
# An .npz whose entry is truncated (written by hand as a stored zip entry).
with zipfile.ZipFile("truncated.npz", "w", zipfile.ZIP_STORED) as z:
    z.writestr("w.npy", good[:-5])
open("notzip.npz", "wb").write(b"this is not a zip archive at all")

#!/usr/bin/python3
"""Writes the .npy fixtures a malformed-input case asks for (its npy.json) into a directory.

Usage: make_npy.py <npy.json> <output dir>
npy.json maps a file name to a spec:
  raw: "text"              write this text instead of an array
  raw_bytes_hex: "934e.."  write these bytes
  raw_header: "{...}"      a version 1.0 file with this header dictionary and no data
  directory: true          make a directory of that name instead of a file
  dtype, shape             the array (values are a deterministic non-zero pattern)
  fortran: true            Fortran order (header and data)
  fill: "nan" | "inf"      a float array holding only this value
  version: [major, minor]  header version written into the magic (layout of version 1.0/2.0)
  truncate_bytes: n        drop the last n bytes
  append_bytes: n          append n junk bytes
  keep_bytes: n            keep only the first n bytes (-1: the header only, no data)
The header is built by hand so that absurd shapes cost nothing to write.
"""
import json
import os
import struct
import sys

import numpy as np


def header_bytes(dtype, shape, fortran, version):
    descr = np.lib.format.dtype_to_descr(np.dtype(dtype))
    shape_txt = repr(tuple(shape))
    d = "{'descr': %r, 'fortran_order': %s, 'shape': %s, }" % (descr, "True" if fortran else "False", shape_txt)
    major, minor = version
    len_size = 2 if major == 1 else 4
    pre = 6 + 2 + len_size
    total = pre + len(d) + 1
    pad = (64 - total % 64) % 64
    d = d + " " * pad + "\n"
    length = struct.pack("<H", len(d)) if len_size == 2 else struct.pack("<I", len(d))
    return b"\x93NUMPY" + bytes([major, minor]) + length + d.encode("latin1")


def make(spec):
    if "raw" in spec:
        return spec["raw"].encode()
    if "raw_bytes_hex" in spec:
        return bytes.fromhex(spec["raw_bytes_hex"])
    if "raw_header" in spec:
        d = spec["raw_header"]
        d = d + " " * ((64 - (10 + len(d) + 1) % 64) % 64) + "\n"
        return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(d)) + d.encode("latin1")
    dtype = spec["dtype"]
    shape = [int(x) for x in spec["shape"]]
    fortran = bool(spec.get("fortran", False))
    version = spec.get("version", [1, 0])
    head = header_bytes(dtype, shape, fortran, version)
    if spec.get("keep_bytes") == -1:
        return head
    count = int(np.prod(shape)) if shape else 1
    values = (np.arange(count) % 13 - 6).astype(np.int64)
    values[values == 0] = 7
    arr = values.astype(dtype).reshape(shape)
    if "fill" in spec:
        arr = np.full(shape, float(spec["fill"]), dtype=dtype)
    data = arr.tobytes(order="F" if fortran else "C")
    out = head + data
    if "truncate_bytes" in spec:
        out = out[: len(out) - int(spec["truncate_bytes"])]
    if "append_bytes" in spec:
        out = out + b"\xab" * int(spec["append_bytes"])
    if "keep_bytes" in spec:
        out = out[: int(spec["keep_bytes"])]
    return out


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: make_npy.py <npy.json> <output dir>")
    with open(sys.argv[1]) as f:
        specs = json.load(f)
    for name, spec in specs.items():
        if spec.get("directory"):
            os.makedirs(os.path.join(sys.argv[2], name, "not-a-file"), exist_ok=True)
            continue
        with open(os.path.join(sys.argv[2], name), "wb") as f:
            f.write(make(spec))


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""The .npy loader against numpy's own reader.

Writes .npy files with numpy (format versions 1.0, 2.0 and 3.0, C and Fortran order, header
lengths whose low byte is >= 128, every int8 descr numpy reads, other dtypes) and malformed
ones, loads each with numpy (np.load, allow_pickle=False) and with sparsesim's loader
(npy_check), and checks: numpy reads int8 -> the loader reads the same shape and the same
values in C order; numpy reads another dtype -> refused as not int8; numpy refuses -> refused
with a reason. The weights loader (npy_check --weights) also reads float32: every spelling numpy
reads as little-endian float32, C or Fortran order; big-endian and other float types refused.
Two documented differences (docs/errors.md) are pinned: numpy ignores bytes after
the data and reads a negative element count (a -1 or -2 dimension) as "the rest of the file"; the loader refuses both.
usage: npy_numpy_test.py <npy_check binary> <scratch dir>
"""
import io
import os
import shutil
import struct
import subprocess
import sys

import numpy as np
from numpy.lib import format as npf

CHECK, SCRATCH = sys.argv[1], sys.argv[2]
shutil.rmtree(SCRATCH, ignore_errors=True)
os.makedirs(SCRATCH)
cases = []  # (name, bytes, expected difference or None)


def add(name, data, deviation=None):
    cases.append((name, data, deviation))


def numpy_file(arr, version):
    b = io.BytesIO()
    npf.write_array(b, arr, version=version, allow_pickle=False)
    return b.getvalue()


def header_file(d, version, data=b"", pad=True, raw=None):
    """A file with header dict `d` (or the raw header text) written by numpy's header writer
    where it can, by hand otherwise."""
    if raw is None and pad and version in ((1, 0), (2, 0)):
        b = io.BytesIO()
        (npf.write_array_header_1_0 if version == (1, 0) else npf.write_array_header_2_0)(b, d)
        return b.getvalue() + data
    text = raw if raw is not None else repr(d)
    h = text.encode("utf8" if version == (3, 0) else "latin1")
    if pad:
        pre = 8 + (2 if version[0] == 1 else 4)
        h += b" " * ((64 - (pre + len(h) + 1) % 64) % 64) + b"\n"
    length = struct.pack("<H", len(h)) if version[0] == 1 else struct.pack("<I", len(h))
    return b"\x93NUMPY" + bytes(version) + length + h + data


rng = np.random.default_rng(7)
for ver in ((1, 0), (2, 0), (3, 0)):
    tag = f"v{ver[0]}"
    for shape in ((4, 2, 3, 3), (5,), (3, 7), (), (0,), (2, 0, 3), (1, 1, 1, 1)):
        a = rng.integers(-128, 128, size=shape, dtype=np.int8)
        add(f"{tag}-c-{shape}", numpy_file(a, ver))
        if a.ndim >= 2:
            add(f"{tag}-fortran-{shape}", numpy_file(np.asfortranarray(a), ver))
    # A transposed view is written in Fortran order by numpy.
    add(f"{tag}-transposed", numpy_file(rng.integers(-128, 128, size=(3, 4, 5), dtype=np.int8).T, ver))
    # Long headers: many dimensions make header lengths with the low byte >= 128 and > 255.
    for dims in (20, 25, 30, 32):
        shape = (1,) * (dims - 2) + (2, 3)
        a = rng.integers(-128, 128, size=shape, dtype=np.int8)
        add(f"{tag}-long-header-{dims}-dims", numpy_file(a, ver))
        add(f"{tag}-long-header-{dims}-dims-fortran", numpy_file(np.asfortranarray(a), ver))
    # Headers numpy reads though its writer pads less: low length byte >= 128, two-byte lengths, up to its limit.
    for extra in (100, 140, 200, 300, 1000, 9900):
        text = "{'descr': '|i1', 'fortran_order': False, 'shape': (2, 3), }" + " " * extra
        add(f"{tag}-padded-header-{len(text)}", header_file(None, ver, rng.integers(-128, 128, size=6, dtype=np.int8).tobytes(), raw=text))
    # Every int8 spelling numpy reads, and other dtypes (refused as not int8).
    data = rng.integers(-128, 128, size=6, dtype=np.int8).tobytes()
    for descr in ("|i1", "<i1", ">i1", "=i1", "i1", "b", "|b", "<b", "int8", "byte", "|u1", "|b1", "<i2", "<f4", "|S1"):
        add(f"{tag}-descr-{descr}", header_file({"descr": descr, "fortran_order": False, "shape": (2, 3)}, ver, data))
    add(f"{tag}-descr-fortran", header_file({"descr": "|i1", "fortran_order": True, "shape": (2, 3)}, ver, data))
    # Header texts numpy reads though it never writes them.
    for label, text in (("no-padding", "{'descr': '|i1', 'fortran_order': False, 'shape': (2, 3)}"),
                        ("keys-reordered", "{'shape': (2, 3), 'fortran_order': False, 'descr': '|i1'}"),
                        ("double-quotes", '{"descr": "|i1", "fortran_order": False, "shape": (2, 3)}'),
                        ("spaces", "  {  'descr' : '|i1' ,\n 'fortran_order':False,'shape':( 2 ,3 , ) }  \n"),
                        ("repeated-key", "{'descr': '<f4', 'descr': '|i1', 'fortran_order': False, 'shape': (2, 3)}"),
                        ("bool-dimension", "{'descr': '|i1', 'fortran_order': False, 'shape': (True, 6)}"),
                        ("underscore-int", "{'descr': '|i1', 'fortran_order': False, 'shape': (2, 0_3)}"),
                        ("plus-sign", "{'descr': '|i1', 'fortran_order': False, 'shape': (+2, 3)}"),
                        # Refused by numpy too:
                        ("fractional-shape", "{'descr': '|i1', 'fortran_order': False, 'shape': (2.0, 3)}"),
                        ("shape-list", "{'descr': '|i1', 'fortran_order': False, 'shape': [2, 3]}"),
                        ("shape-int", "{'descr': '|i1', 'fortran_order': False, 'shape': 6}"),
                        ("shape-string", "{'descr': '|i1', 'fortran_order': False, 'shape': '(2, 3)'}"),
                        ("extra-key", "{'descr': '|i1', 'fortran_order': False, 'shape': (2, 3), 'x': 1}"),
                        ("missing-key", "{'descr': '|i1', 'shape': (2, 3)}"),
                        ("fortran-int", "{'descr': '|i1', 'fortran_order': 0, 'shape': (2, 3)}"),
                        ("fortran-none", "{'descr': '|i1', 'fortran_order': None, 'shape': (2, 3)}"),
                        ("leading-zero", "{'descr': '|i1', 'fortran_order': False, 'shape': (02, 3)}"),
                        ("not-a-dict", "('|i1', False, (2, 3))"),
                        ("unterminated", "{'descr': '|i1', 'fortran_order': False, 'shape': (2, 3)"),
                        ("text-after", "{'descr': '|i1', 'fortran_order': False, 'shape': (2, 3)} x"),
                        ("double-sign", "{'descr': '|i1', 'fortran_order': False, 'shape': (--2, 3)}"),
                        ("descr-bytes-list", "{'descr': [('a', '|i1')], 'fortran_order': False, 'shape': (2, 3)}")):
        add(f"{tag}-text-{label}", header_file(None, ver, data, raw=text))
    # numpy drops a Python 2 'L' suffix in 1.0 and 2.0 headers only.
    add(f"{tag}-python2-long", header_file(None, ver, data, raw="{'descr': '|i1', 'fortran_order': False, 'shape': (2L, 3L)}"))
    good = {"descr": "|i1", "fortran_order": False, "shape": (2, 3)}
    add(f"{tag}-truncated-data", header_file(good, ver, data[:5]))
    add(f"{tag}-header-only", header_file(good, ver))
    add(f"{tag}-header-over-10000", header_file(None, ver, data, raw=repr(good) + " " * 10001))
    add(f"{tag}-trailing-bytes", header_file(good, ver, data + b"\0\0"), deviation="numpy ignores bytes after the data")
    add(f"{tag}-minus-one-dimension", header_file({"descr": "|i1", "fortran_order": False, "shape": (-1,)}, ver, data),
        deviation="numpy reads a -1 dimension as the rest of the file")
    add(f"{tag}-negative-dimension", header_file({"descr": "|i1", "fortran_order": False, "shape": (-2, 3)}, ver, data),
        deviation="numpy reads a negative element count as the rest of the file")

# Files no version accepts.
arr = rng.integers(-128, 128, size=(2, 3), dtype=np.int8)
v1 = numpy_file(arr, (1, 0))
for ver in ((4, 0), (1, 1), (0, 0), (2, 5)):
    add(f"version-{ver[0]}.{ver[1]}", v1[:6] + bytes(ver) + v1[8:])
add("empty-file", b"")
add("magic-only", b"\x93NUMPY")
add("no-magic", b"PK\x03\x04 not a npy file at all")
add("truncated-length", v1[:9])
add("header-length-past-end", v1[:8] + struct.pack("<H", 60000) + v1[10:])
add("v2-header-length-4gb", b"\x93NUMPY\x02\x00" + struct.pack("<I", 0xFFFFFFF0) + b"{'descr': '|i1'}")
bad = b"{'descr': '|i1', 'fortran_order': False, 'shape': (2, 3), '\xff': 1}\n"
add("v3-invalid-utf8", b"\x93NUMPY\x03\x00" + struct.pack("<I", len(bad)) + bad + arr.tobytes())
add("v1-latin1-key", b"\x93NUMPY\x01\x00" + struct.pack("<H", len(bad)) + bad + arr.tobytes())


# The weights loader also reads float32 (a float model's weights, docs/networks.md): every
# spelling numpy reads as float32, both orders, every version; other float types refused.
wcases = []  # (name, bytes)
fdata = rng.standard_normal(6).astype("<f4")
for ver in ((1, 0), (2, 0), (3, 0)):
    tag = f"v{ver[0]}"
    for descr in ("<f4", "=f4", "|f4", "f4", "f", "<f", "=f", "|f", "float32", "single", ">f4", "<f8", "<f2", "float", "|i1", "b"):
        payload = fdata.astype(">f4").tobytes() if descr.startswith(">") else fdata.tobytes()
        if descr in ("<f8", "float"):
            payload = fdata.astype("<f8").tobytes()
        elif descr == "<f2":
            payload = fdata.astype("<f2").tobytes()
        elif descr in ("|i1", "b"):
            payload = rng.integers(-128, 128, size=6, dtype=np.int8).tobytes()
        wcases.append((f"weights-{tag}-descr-{descr}", header_file({"descr": descr, "fortran_order": False, "shape": (2, 3)}, ver, payload)))
    a = rng.standard_normal((4, 2, 3, 3)).astype(np.float32)
    wcases.append((f"weights-{tag}-float32-c", numpy_file(a, ver)))
    wcases.append((f"weights-{tag}-float32-fortran", numpy_file(np.asfortranarray(a), ver)))
    wcases.append((f"weights-{tag}-float32-truncated", numpy_file(a, ver)[:-3]))


def numpy_reads(path):
    try:
        a = np.load(path, allow_pickle=False)
    except Exception as e:  # noqa: BLE001 - every refusal counts
        return None, f"{type(e).__name__}: {' '.join(str(e).split())[:80]}"
    return a, None


def both_read(path, data, *flags):
    """Writes `data` to `path`; returns numpy's array (or None and why) and the loader's exit and output."""
    with open(path, "wb") as f:
        f.write(data)
    arr, why = numpy_reads(path)
    r = subprocess.run([CHECK, *flags, path], capture_output=True, text=True, errors="replace",
                       env={**os.environ, "SYSTEMC_DISABLE_COPYRIGHT_MESSAGE": "1"})
    return arr, why, r, " ".join(r.stdout.split())


def refused_with_reason(r, out, why):
    return r.returncode == 2 and len(out) > len("refused ") + 10, f"numpy refuses ({why}); loader: {out[:120]}"


def record(name, ok, what):
    print(("PASS " if ok else "FAIL ") + name + ": " + what)
    return not ok


failures = 0
for i, (name, data, deviation) in enumerate(cases):
    arr, why, r, out = both_read(os.path.join(SCRATCH, f"case{i:03d}.npy"), data)
    if arr is not None and arr.dtype == np.int8 and deviation is None:
        want = " ".join(("ok " + ",".join(str(d) for d in arr.shape) + " " + np.ascontiguousarray(arr).tobytes().hex()).split())
        ok = r.returncode == 0 and out == want
        what = f"numpy reads int8 {arr.shape}; loader: {out[:120]}"
    elif arr is not None and deviation is None:
        ok = r.returncode == 2 and "weights must be int8" in out
        what = f"numpy reads dtype {arr.dtype}; loader: {out[:120]}"
    elif deviation is not None:
        ok = arr is not None and r.returncode == 2 and out.startswith("refused ")
        what = f"documented difference ({deviation}): numpy {'reads it' if arr is not None else 'refuses it: ' + str(why)}; loader: {out[:120]}"
    else:
        ok, what = refused_with_reason(r, out, why)
    failures += record(name, ok, what)
for i, (name, data) in enumerate(wcases):
    arr, why, r, out = both_read(os.path.join(SCRATCH, f"weights{i:03d}.npy"), data, "--weights")
    if arr is not None and arr.dtype in (np.dtype("|i1"), np.dtype("<f4")):
        kind = "int8" if arr.dtype == np.int8 else "float32"
        want = f"ok {kind} " + ",".join(str(d) for d in arr.shape) + " " + np.ascontiguousarray(arr).tobytes().hex()
        ok = r.returncode == 0 and out == want
        what = f"numpy reads {arr.dtype} {arr.shape}; loader: {out[:120]}"
    elif arr is not None:
        ok = r.returncode == 2 and "int8 (|i1) or float32 (<f4)" in out
        what = f"numpy reads dtype {arr.dtype.str}; loader: {out[:120]}"
    else:
        ok, what = refused_with_reason(r, out, why)
    failures += record(name, ok, what)
total = len(cases) + len(wcases)
print(f"{total - failures} passed, {failures} failed")
sys.exit(1 if failures else 0)

#!/usr/bin/env python3
"""On-chip memory in the iso budget (docs/memory.md): with "iso": {"memory_kb": 4096} every
datapath grown to 80% of a U250 gets the same 4096 KiB, split by the documented rule: ifmap and
ofmap as in the base file (1024 + 512 KiB), the rest (2560 KiB) weight memory: the filter
partition for dense, SoD and sparse-PE; the CS SRAM in whole URAM blocks (4096 words x 72 bits
per bank), rounded down, but at least one block per bank (the floor its bandwidth rule sets). The
results say what each buffer got and how much of GSC is resident (all of it: 1,716,000 dense
bytes fit 2560 KiB). Also: a memory_kb that leaves no weight memory is refused (exit 2). About 5 s.
Usage: check_iso_memory.py SPARSESIM SOURCE_DIR OUT_DIR"""
import csv
import json
import os
import shutil
import subprocess
import sys

exe, src, out = (os.path.abspath(a) for a in sys.argv[1:4])
# The test's own scratch folder under the build tree: start from empty so a rerun after a model
# change does not meet the previous run's finished sweep points.
shutil.rmtree(out, ignore_errors=True)
os.makedirs(out)
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def sweep(name, memory_kb):
    s = {"name": name, "arch": os.path.join(src, "configs/sweeps/iso-u250-base-arch.json"),
         "network": os.path.join(src, "configs/networks/gsc-complementary.json"),
         "axes": {"datapath": ["dense", "cs", "sod", "sparse_pe"]},
         "iso": {"part": "u250", "fraction": 0.8, "memory_kb": memory_kb}}
    f = os.path.join(out, name + ".json")
    with open(f, "w") as fh:
        json.dump(s, fh)
    d = os.path.join(out, name)
    return subprocess.run([exe, "sweep", f, "--out", d, "-j2"], capture_output=True, text=True), d


p, d = sweep("iso-memory", 4096)
check(p.returncode == 0, f"sweep ran (exit {p.returncode}) {p.stderr.strip()[-200:]}")
rows = {r["datapath"]: r for r in csv.DictReader(open(os.path.join(d, "results.csv")))}
for dp, r in rows.items():
    ifm, ofm, w = float(r["iso.ifmap_kb"]), float(r["iso.ofmap_kb"]), float(r["iso.weight_memory_kb"])
    check(ifm == 1024 and ofm == 512, f"{dp}: ifmap {ifm} KiB, ofmap {ofm} KiB as in the base")
    if dp == "cs":
        banks = json.load(open(os.path.join(d, "points", r["point"], "resolved-config.json")))["arch"]["cs"]["sram"]["banks"]
        block_kb = banks * 4096 * 9 / 1024
        # Whole blocks per bank, rounded down, but never below one block per bank: the banks the
        # bandwidth rule needs set a floor (at 96 x 96, 768 banks x 36 KiB = 27 MiB).
        want = max(block_kb, 2560 // block_kb * block_kb)
        check(w == want, f"cs: SRAM {w} KiB = max(one URAM block per bank ({block_kb} KiB), 2560 KiB in whole blocks)")
    else:
        check(w == 2560, f"{dp}: filter partition {w} KiB = 4096 - 1024 - 512")
    check(float(r["weight_resident_fraction"]) == 1.0 and int(r["dram_weight_read_bytes"]) == 0,
          f"{dp}: GSC wholly resident ({r['weight_resident_fraction']}), no DRAM weight bytes")
    check(r["fits"] == "true" or r["fits"] == "True", f"{dp}: design with its buffers fits the budget ({r['fits']})")

p, d = sweep("iso-memory-too-small", 1536)
check(p.returncode == 2 and "memory_kb" in p.stderr and "no weight memory" in p.stderr,
      f"memory_kb 1536 refused (exit {p.returncode}): {p.stderr.strip()[:200]}")
sys.exit(1 if failures else 0)

#!/usr/bin/env python3
"""On-chip memory in the iso budget (docs/memory.md): with "iso": {"memory_kb": M} every datapath
is charged the memory its buffers build, not the capacity they ask for. Checked here from each
point's own report (resources.blocks: BRAM36 and URAM counts) and resolved configuration, with
the block sizes of the parts (a BRAM36 is 512 x 72 bits = 4.5 KiB, RAMB18 halves 2.25 KiB; a URAM
4096 x 72 bits = 36 KiB), never with the sizing code's own arithmetic:

- every datapath on 80% of a U250 with M = 4096 KiB: the blocks of all its buffers together hold
  at most M; the results' iso.*_kb columns are those blocks; the weight memory the run used fits
  the blocks of its buffer; GSC is wholly resident;
- CS: its SRAM has the banks its bandwidth rule needs (lanes x ceil(slots x 12 / 72) / 2) and
  whole blocks per bank; the next size up (8 more each way) would need more banks than the
  budget's blocks could hold even with the smallest block (one BRAM36 per bank, beside at least
  the asked 1024 KiB ifmap) while its multipliers would fit the DSPs: CS is memory-limited and the
  results say so (iso.limit "memory"); dense and SoD are DSP-limited (iso.limit "dsp");
- a budget with few BRAM36 (cap 400) and M = 8192: the SRAM is built of URAM, since one BRAM36 per
  bank at that array would exceed the BRAM36 cap beside the activation buffer;
- a budget without URAM ("uram": 0): the SRAM is built of BRAM36;
- an ASIC area budget with memory_kb: SRAM macros (any depth) of at most memory_kb together;
- a memory_kb that leaves no weight memory is refused (exit 2).
About 5 s. Usage: check_iso_memory.py SPARSESIM SOURCE_DIR OUT_DIR"""
import csv
import json
import math
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

BRAM36_KB, URAM_KB = 512 * 72 / 8 / 1024, 4096 * 72 / 8 / 1024  # 4.5 and 36 KiB (UG573)
U250_DSP = 12288  # configs/fpga/u250.json


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def sweep(name, iso, datapaths):
    s = {"name": name, "arch": os.path.join(src, "configs/sweeps/iso-u250-base-arch.json"),
         "network": os.path.join(src, "configs/networks/gsc-complementary.json"),
         "axes": {"datapath": datapaths}, "iso": iso}
    f = os.path.join(out, name + ".json")
    with open(f, "w") as fh:
        json.dump(s, fh)
    d = os.path.join(out, name)
    return subprocess.run([exe, "sweep", f, "--out", d, "-j2"], capture_output=True, text=True), d


def points(d):
    for r in csv.DictReader(open(os.path.join(d, "results.csv"))):
        p = os.path.join(d, "points", r["point"])
        yield r, json.load(open(os.path.join(p, "report.json"))), json.load(open(os.path.join(p, "resolved-config.json")))["arch"]


def block_kb(blk):
    return blk["bram36"] * BRAM36_KB + blk["uram"] * URAM_KB


def cs_banks(rows, cols):
    # entry = 8 value bits + log2(max_n = 16) kernel-ID bits; one column per lane per cycle, 2 ports
    return math.ceil(rows * math.ceil(cols * 12 / 72) / 2)


def check_built(dp, r, rep, arch, budget_kb):
    blocks = {b["block"]: b for b in rep["resources"]["blocks"]}
    built = sum(block_kb(b) for b in blocks.values())
    check(built <= budget_kb, f"{dp}: its buffers' blocks hold {built} KiB <= memory_kb {budget_kb}")
    check(abs(float(r["iso.memory_built_kb"]) - built) < 1e-6, f"{dp}: iso.memory_built_kb {r['iso.memory_built_kb']} = the report's blocks")
    wmem = rep["total"]["weight_residency"]["weight_memory_bytes"] / 1024
    if dp == "cs":
        s = arch["cs"]["sram"]
        rows, cols = arch["array"]["rows"], arch["array"]["cols"]
        per_block = 4096 if s["memory"] == "uram" else 512
        blocks_per_bank = math.ceil(s["word_bits"] / 72) * math.ceil(s["depth"] / per_block)
        mine = s["banks"] * blocks_per_bank * (URAM_KB if s["memory"] == "uram" else BRAM36_KB)
        check(s["banks"] == cs_banks(rows, cols), f"cs {rows}x{cols}: {s['banks']} banks = the bandwidth rule's {cs_banks(rows, cols)}")
        check(s["depth"] % per_block == 0, f"cs: depth {s['depth']} whole {s['memory']} blocks per bank")
        check(abs(block_kb(blocks["weight_sram"]) - mine) < 1e-6 and abs(float(r["iso.weight_memory_kb"]) - mine) < 1e-6,
              f"cs: SRAM {s['banks']} banks x {blocks_per_bank} {s['memory']} = {mine} KiB (report {block_kb(blocks['weight_sram'])}, "
              f"iso.weight_memory_kb {r['iso.weight_memory_kb']})")
        check(r["iso.weight_block"] == s["memory"], f"cs: iso.weight_block {r['iso.weight_block']} = the SRAM's {s['memory']}")
        check(wmem <= mine + 1e-6, f"cs: weight memory used {wmem} KiB <= its blocks {mine}")
    else:
        gb = block_kb(blocks["global_buffer"])
        parts = float(r["iso.ifmap_kb"]) + float(r["iso.weight_memory_kb"]) + float(r["iso.ofmap_kb"])
        check(abs(gb - parts) < 1e-6, f"{dp}: global buffer blocks {gb} KiB = ifmap + filter + ofmap columns {parts}")
        check(wmem <= float(r["iso.weight_memory_kb"]) + 1e-6, f"{dp}: weight memory used {wmem} KiB <= its blocks {r['iso.weight_memory_kb']}")
    check(float(r["iso.ifmap_kb"]) >= arch["memory"]["ifmap_kb"], f"{dp}: ifmap blocks {r['iso.ifmap_kb']} KiB hold the asked {arch['memory']['ifmap_kb']}")
    return wmem


# 1. Every datapath, 80% of a U250, 4096 KiB.
p, d = sweep("iso-memory", {"part": "u250", "fraction": 0.8, "memory_kb": 4096}, ["dense", "cs", "sod", "sparse_pe"])
check(p.returncode == 0, f"sweep ran (exit {p.returncode}) {p.stderr.strip()[-200:]}")
seen = set()
for r, rep, arch in points(d):
    dp = r["datapath"]
    seen.add(dp)
    check(r["fits"] in ("true", "True"), f"{dp}: design with its buffers fits the budget ({r['fits']})")
    check(float(r["iso.memory_kb"]) == 4096, f"{dp}: iso.memory_kb {r['iso.memory_kb']}")
    check_built(dp, r, rep, arch, 4096)
    check(float(r["weight_resident_fraction"]) == 1.0 and int(r["dram_weight_read_bytes"]) == 0,
          f"{dp}: GSC wholly resident ({r['weight_resident_fraction']}), no DRAM weight bytes")
    n = arch["array"]["rows"]
    if dp == "cs":
        nxt = n + 8
        floor_kb = cs_banks(nxt, nxt) * BRAM36_KB  # one of the smallest block per bank
        check(floor_kb > 4096 - arch["memory"]["ifmap_kb"],
              f"cs {nxt}x{nxt} would need {cs_banks(nxt, nxt)} banks, at least {floor_kb} KiB > 4096 - 1024 ifmap: the floor binds")
        check(nxt * nxt <= 0.8 * U250_DSP, f"cs {nxt}x{nxt}: {nxt * nxt} multipliers would fit {0.8 * U250_DSP} DSP")
        check(r["iso.limit"] == "memory", f"cs: iso.limit {r['iso.limit']} (memory-limited)")
    elif dp in ("dense", "sod"):
        check((n + 8) ** 2 > 0.8 * U250_DSP and r["iso.limit"] == "dsp", f"{dp} {n}x{n}: iso.limit {r['iso.limit']}, the next size's {(n + 8) ** 2} DSP exceed")
check(seen == {"dense", "cs", "sod", "sparse_pe"}, f"all four datapaths sized ({sorted(seen)})")

# 2. Few BRAM36, more memory: URAM banks.
p, d = sweep("iso-memory-uram", {"part": "u250", "fraction": 0.8, "bram36": 400, "memory_kb": 8192}, ["cs"])
check(p.returncode == 0, f"BRAM36-capped sweep ran (exit {p.returncode}) {p.stderr.strip()[-200:]}")
for r, rep, arch in points(d):
    check_built("cs", r, rep, arch, 8192)
    blocks = {b["block"]: b for b in rep["resources"]["blocks"]}
    rows = arch["array"]["rows"]
    check(arch["cs"]["sram"]["memory"] == "uram", f"cs with 400 BRAM36: SRAM in {arch['cs']['sram']['memory']}")
    check(cs_banks(rows, rows) + blocks["global_buffer"]["bram36"] > 400,
          f"cs {rows}x{rows}: {cs_banks(rows, rows)} BRAM36 banks + {blocks['global_buffer']['bram36']} for activations would exceed 400")
    check(rep["resources"]["bram36"] <= 400, f"cs: {rep['resources']['bram36']} BRAM36 <= 400")

# 3. No URAM: BRAM36 banks.
p, d = sweep("iso-memory-no-uram", {"part": "u250", "fraction": 0.8, "uram": 0, "memory_kb": 4096}, ["cs"])
check(p.returncode == 0, f"URAM-less sweep ran (exit {p.returncode}) {p.stderr.strip()[-200:]}")
for r, rep, arch in points(d):
    check_built("cs", r, rep, arch, 4096)
    check(arch["cs"]["sram"]["memory"] == "bram36" and rep["resources"]["uram"] == 0, f"cs without URAM: SRAM in {arch['cs']['sram']['memory']}")

# 4. An ASIC area budget with memory_kb: SRAM macros of exactly the bits asked (no FPGA blocks),
# every datapath's macros together at most memory_kb.
p, d = sweep("iso-memory-asic", {"asic_area_mm2": 30, "shape": "square", "memory_kb": 4096}, ["dense", "cs"])
check(p.returncode == 0, f"ASIC sweep ran (exit {p.returncode}) {p.stderr.strip()[-200:]}")
for r, rep, arch in points(d):
    dp = r["datapath"]
    bits = sum(b["sram_bits"] for b in rep["resources"]["asic"]["blocks"])
    check(bits <= 4096 * 8192 and abs(float(r["iso.memory_built_kb"]) - bits / 8192) < 1e-6,
          f"{dp} ASIC: SRAM macros {bits / 8192} KiB <= 4096 (iso.memory_built_kb {r['iso.memory_built_kb']})")
    check(rep["resources"]["asic"]["area_mm2"] <= 30 and r["iso.weight_block"] == "sram_macro", f"{dp} ASIC: {rep['resources']['asic']['area_mm2']} mm^2 <= 30")
    if dp == "cs":
        s = arch["cs"]["sram"]
        check(s["banks"] == cs_banks(arch["array"]["rows"], arch["array"]["cols"]) and bits / 8192 > 4096 - 64 - arch["memory"]["ifmap_kb"],
              f"cs ASIC: {s['banks']} banks (the bandwidth rule) x {s['depth']} words: the SRAM fills its share to within 64 KiB")

p, d = sweep("iso-memory-too-small", {"part": "u250", "fraction": 0.8, "memory_kb": 1536}, ["dense", "cs"])
check(p.returncode == 2 and "memory_kb" in p.stderr and "no weight memory" in p.stderr,
      f"memory_kb 1536 refused (exit {p.returncode}): {p.stderr.strip()[:200]}")
sys.exit(1 if failures else 0)

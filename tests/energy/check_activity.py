#!/usr/bin/env python3
"""FPGA energy by activity (docs/resources.md "FPGA fabric energy by activity", "Static power",
"Resources that follow bus and port widths"):

  - GSC on a dense 96x96 array streaming its weights from DRAM: the linear layer waits on DRAM
    most of its cycles, so its PE array's activity (MACs issued / (PEs x cycles), from the
    report's own counters) is lower than conv2's, and its fabric (LUT + FF) energy per cycle is
    lower; each layer's fabric energy is the closed form sum over blocks of
    (LUTs x lut_cycle_pj + FFs x ff_cycle_pj) x cycles x (idle + (1 - idle) x activity), with
    the constants read from the energy table and the block sizes from the report;
  - static power: "whole_part" charges the part's static_w x time, "shared_by_copies" that / the
    copies_per_part the report gives, and report.json says which basis;
  - doubling sod.port_bytes raises the decompressors' LUT/FF and never lowers the global buffer's
    block RAM; bus_pairs_per_cycle 1 -> 4 raises the sparse-PE FIFOs' LUTs and never lowers the
    buffer's block RAM (both keys change cycles too; only the resources are compared here);
  - every energy in every report is finite and positive.
About 2 s.
Usage: check_activity.py SPARSESIM SOURCE_DIR OUT_DIR"""
import json
import math
import os
import subprocess
import sys

exe, src, out = sys.argv[1:4]
net = os.path.join(src, "configs/networks/gsc.json")
table = json.load(open(os.path.join(src, "configs/energy/fpga-ultrascale-plus.json")))["constants"]
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def run(name, arch, sets):
    d = os.path.join(out, name)
    cmd = [exe, "run", "--arch", os.path.join(src, "configs/arch", arch), "--network", net, "--out", d, "-q"]
    for s in sets:
        cmd += ["--set", s]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"{name}: exit {p.returncode}: {p.stderr}")
    with open(os.path.join(d, "report.json")) as f:
        rep = json.load(f)
    check_finite_positive(name, rep)
    return rep


def check_finite_positive(name, rep):
    bad = []

    def walk(path, v):
        if isinstance(v, dict):
            for k, x in v.items():
                walk(path + "." + k, x)
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            if not math.isfinite(v) or v < 0:
                bad.append(path)
    walk("energy", rep["energy"])
    for l in rep["layers"]:
        walk("layers." + l["name"] + ".energy", l["energy"])
    check(not bad and rep["energy"]["total_j"] > 0, f"{name}: every energy finite and non-negative, total positive {bad[:3]}")


def fabric_j(l):
    return l["energy"]["by_event"].get("fabric_lut", 0) + l["energy"]["by_event"].get("fabric_ff", 0)


def layer(rep, name):
    return next(l for l in rep["layers"] if l["name"] == name)


base = ["array.rows=96", "array.cols=96", 'memory.weights="stream"']
dense = run("dense", "dense-32x32.json", base)
pes = 96 * 96
lin, conv = layer(dense, "linear"), layer(dense, "conv2")
act = {n: layer(dense, n)["macs_issued"] / (pes * layer(dense, n)["cycles"]) for n in ("linear", "conv2")}
check(lin["stall_cycles"].get("dram_operands", 0) > lin["cycles"] / 2, "dense: linear waits on DRAM most of its cycles")
check(act["linear"] < act["conv2"], f"dense: PE activity linear {act['linear']:.3f} < conv2 {act['conv2']:.3f} (MACs issued / (PEs x cycles))")
for n in ("linear", "conv2"):
    got = layer(dense, n)["energy"]["fabric_activity"]["pe_array"]
    check(abs(got - act[n]) < 1e-9, f"dense: {n} report's pe_array activity {got:.6f} = counters' {act[n]:.6f}")
per_cycle = {n: fabric_j(layer(dense, n)) / layer(dense, n)["cycles"] for n in ("linear", "conv2")}
check(per_cycle["linear"] < per_cycle["conv2"], f"dense: fabric J/cycle linear {per_cycle['linear']:.4g} < conv2 {per_cycle['conv2']:.4g}")
idle = table["fabric_idle_share"]["value"]
for n in ("linear", "conv2"):
    l = layer(dense, n)
    want = 0
    for b in dense["resources"]["blocks"]:
        a = l["energy"]["fabric_activity"].get(b["block"], 1.0)
        want += (b["lut"] * table["lut_cycle_pj"]["value"] + b["ff"] * table["ff_cycle_pj"]["value"]) * l["cycles"] * (idle + (1 - idle) * a) * 1e-12
    check(abs(fabric_j(l) - want) <= 1e-9 * want, f"dense: {n} fabric energy {fabric_j(l):.6g} J = closed form {want:.6g} J")
check(dense["energy"]["fabric_activity"].get("control") is None or dense["energy"]["fabric_activity"]["control"] == 1.0,
      "dense: control (no busy counter) charged as busy every cycle")

# Static power: whole part for one copy vs shared between the copies on the part.
# The 32x32 array fits a U250 many times over.
small = ['memory.weights="stream"', 'fpga_part="u250"']
whole = run("dense-whole", "dense-32x32.json", small)
shared = run("dense-shared", "dense-32x32.json", small + ['static_power="shared_by_copies"'])
copies = whole["resources"]["copies_per_part"]
sw = whole["energy"]["breakdown"]["by_event"]["static"]
ss = shared["energy"]["breakdown"]["by_event"]["static"]
check(whole["energy"]["static_power"]["basis"] == "whole_part" and shared["energy"]["static_power"]["basis"] == "shared_by_copies",
      "static: report.json states the basis")
check(copies > 1 and abs(sw / ss - copies) < 1e-6 * copies, f"static: whole part {sw:.4g} J = shared {ss:.4g} J x {copies} copies")
check(shared["energy"]["static_power"]["copies_sharing"] == copies, "static: report gives the copies sharing")
check(all(layer(whole, l["name"])["cycles"] == l["cycles"] for l in shared["layers"]), "static: no cycle changed")


def block(rep, name):
    return next(b for b in rep["resources"]["blocks"] if b["block"] == name)


# Resources follow sod.port_bytes and sparse_pe.bus_pairs_per_cycle.
s64 = run("sod-64", "sod-32x32.json", ["sod.port_bytes=64"])
s128 = run("sod-128", "sod-32x32.json", ["sod.port_bytes=128"])
d64, d128 = block(s64, "decompressors"), block(s128, "decompressors")
check(d128["lut"] > d64["lut"] and d128["ff"] > d64["ff"], f"sod: port_bytes 64 -> 128 raises decompressor LUT {d64['lut']:.0f} -> {d128['lut']:.0f}, FF {d64['ff']:.0f} -> {d128['ff']:.0f}")
p1 = run("spe-1", "sparse-pe-8x8.json", ["sparse_pe.bus_pairs_per_cycle=1"])
p4 = run("spe-4", "sparse-pe-8x8.json", ["sparse_pe.bus_pairs_per_cycle=4"])
f1, f4 = block(p1, "fifos_matchers"), block(p4, "fifos_matchers")
check(f4["lut"] > f1["lut"], f"sparse-PE: bus_pairs_per_cycle 1 -> 4 raises FIFO/matcher LUT {f1['lut']:.0f} -> {f4['lut']:.0f}")

if failures:
    sys.exit(f"{len(failures)} check(s) failed")
print("all energy-by-activity checks passed")

#!/usr/bin/env python3
"""The weight-residency rule (docs/memory.md) on GSC with complementary masks, dense 96x96
output-stationary array, 4 MiB filter partition (which holds the whole network's 1,716,000 bytes of
int8 weights) and 16 B/cycle DRAM:

  - memory.weights = "stream" reproduces the figures measured before the rule existed: the
    linear layer reads 1,601,600 bytes from DRAM (1,600,000 weight bytes + its 1,600-byte input)
    and spends 82,480 of its 102,116 cycles waiting on operands; the weight part of the traffic
    is the whole int8 weight tensor (out x in, a closed form);
  - "preload": every layer is resident, no layer reads a weight byte from DRAM, the linear
    layer is no longer DRAM-bound (its operand wait is under 10% of its cycles) and outputs still
    verify; the report's total says the whole network is resident;
  - "preload" with a 1 MiB filter partition: the network does not fit, layers become resident in
    network order while they fit after the streaming reserve (conv1 and conv2 do, linear does not)
    and the resident fraction is what the per-layer bytes say.
  - cs.sram.weights is refused with exit 2 naming memory.weights.
About 2 s.
Usage: check_residency.py SPARSESIM SOURCE_DIR OUT_DIR"""
import json
import os
import shutil
import subprocess
import sys

exe, src, out = sys.argv[1:4]
arch = os.path.join(src, "configs/arch/dense-32x32.json")
net = os.path.join(src, "configs/networks/gsc-complementary.json")
base = ["array.rows=96", "array.cols=96", "memory.filter_kb=4096", "memory.ifmap_kb=4096"]
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def run(name, sets):
    d = os.path.join(out, name)
    cmd = [exe, "run", "--arch", arch, "--network", net, "--out", d, "-q"]
    for s in sets:
        cmd += ["--set", s]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"{name}: exit {p.returncode}: {p.stderr}")
    with open(os.path.join(d, "report.json")) as f:
        return json.load(f)


def layer(rep, name):
    return next(l for l in rep["layers"] if l["name"] == name)


stream = run("stream", base + ['memory.weights="stream"'])
lin = layer(stream, "linear")
check(lin["dram_read_bytes"] == 1601600, f"stream: linear reads {lin['dram_read_bytes']} B from DRAM (expected 1,601,600)")
check(lin["cycles"] == 102116, f"stream: linear takes {lin['cycles']} cycles (expected 102,116)")
check(lin["stall_cycles"].get("dram_operands") == 82480, f"stream: linear waits {lin['stall_cycles'].get('dram_operands')} cycles on operands (expected 82,480)")
check(lin["dram_weight_read_bytes"] == 1000 * 1600, "stream: linear's weight traffic is its 1000 x 1600 int8 weights")
check(not any(l["weights_resident"] for l in stream["layers"]), "stream: no layer resident")
check(stream["total"]["weight_residency"]["resident_bytes"] == 0, "stream: nothing resident in the total")

pre = run("preload", base + ['memory.weights="preload"'])
lin = layer(pre, "linear")
check(pre["total"]["verified"], "preload: every layer verified")
check(all(l["weights_resident"] for l in pre["layers"]), "preload: every layer resident")
check(all(l["dram_weight_read_bytes"] == 0 for l in pre["layers"]), "preload: no layer reads a weight byte from DRAM")
check(pre["total"]["dram_weight_read_bytes"] == 0, "preload: total DRAM weight traffic 0")
check(lin["dram_read_bytes"] == 1600, f"preload: linear reads only its 1,600-byte input ({lin['dram_read_bytes']})")
wait = lin["stall_cycles"].get("dram_operands", 0)
check(wait < 0.1 * lin["cycles"], f"preload: linear waits {wait} of {lin['cycles']} cycles on operands (< 10%: not DRAM-bound)")
wr = pre["total"]["weight_residency"]
stored = sum(l["weight_stored_bytes"] for l in pre["layers"])
check(stored == 64 * 25 + 64 * 64 * 25 + 1000 * 1600 + 12 * 1000, f"preload: stored bytes {stored} = the int8 weight tensors")
check(wr["resident_fraction"] == 1.0 and wr["resident_bytes"] == stored, "preload: the whole network resident")

part = run("partial", ["array.rows=96", "array.cols=96", "memory.filter_kb=1024", "memory.ifmap_kb=4096", 'memory.weights="preload"'])
wr = part["total"]["weight_residency"]
res = {l["name"]: l["weights_resident"] for l in part["layers"]}
check(res == {"conv1": True, "conv2": True, "linear": False, "output": True}, f"partial: residency {res}")
resident = sum(l["weight_stored_bytes"] for l in part["layers"] if l["weights_resident"])
check(wr["resident_bytes"] == resident and abs(wr["resident_fraction"] - resident / wr["stored_bytes"]) < 1e-12,
      f"partial: resident {wr['resident_bytes']} of {wr['stored_bytes']} bytes")
# The streaming reserve: prefetch_depth (2) x the largest fold's dense weight tile (96 x K).
check(wr["stream_reserve_bytes"] == 2 * 96 * 1600, f"partial: stream reserve {wr['stream_reserve_bytes']} = 2 x 96 x 1600")
check(layer(part, "linear")["dram_weight_read_bytes"] == 1000 * 1600, "partial: the streamed linear layer reads its weights")

bad = os.path.join(out, "old-key.json")
with open(os.path.join(src, "configs/arch/cs-small.json")) as f:
    j = json.load(f)
j["cs"]["sram"]["weights"] = "preload"
# The test's own scratch folder under the build tree: start from empty so a rerun after a model
# change does not meet the previous run's finished sweep points.
shutil.rmtree(out, ignore_errors=True)
os.makedirs(out)
with open(bad, "w") as f:
    json.dump(j, f)
p = subprocess.run([exe, "run", "--arch", bad, "--network", net, "--out", os.path.join(out, "old"), "-q"], capture_output=True, text=True)
check(p.returncode == 2 and "cs.sram.weights" in p.stderr and "memory.weights" in p.stderr and not os.path.exists(os.path.join(out, "old")),
      f"cs.sram.weights refused (exit {p.returncode}): {p.stderr.strip()[:160]}")

sys.exit(1 if failures else 0)

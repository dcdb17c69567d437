#!/usr/bin/env python3
"""CS with memory.weights = "preload": a resident layer whose one-pass slice is larger than the
SRAM share left for streaming must run (its table is in place from configuration; the slices
were planned against the whole SRAM), not stop with an internal error.

Two layers on configs/arch/cs-small.json (24 banks x 512 words x 72 bits = 110,592 bytes),
dense_dense: "deep" (K = 2,304, 32 kernels: an 82,944-byte table) is resident, "wide" (2,048
1x1 kernels, a 196,608-byte table) streams through the 20,736-byte reserve, smaller than
deep's slice. Checks: exit 0, outputs verified, deep reads no weights from DRAM and takes
exactly its cycles from a run where the SRAM (1,536 words per bank) holds both layers, wide
streams. About 2 s.
Usage: check_cs_resident_slice.py SPARSESIM SOURCE_DIR OUT_DIR"""
import json
import os
import shutil
import subprocess
import sys

exe, src, out = sys.argv[1:4]
shutil.rmtree(out, ignore_errors=True)
os.makedirs(out)
net = {"name": "resident-deep-slice", "layers": [
    {"name": "deep", "type": "conv2d", "in_channels": 256, "in_h": 10, "in_w": 10, "out_channels": 32,
     "kernel_h": 3, "kernel_w": 3, "stride": 1, "padding": 1, "weight_sparsity": 0.0, "activation_density": 1.0},
    {"name": "wide", "type": "conv2d", "in_channels": 64, "in_h": 8, "in_w": 8, "out_channels": 2048,
     "kernel_h": 1, "kernel_w": 1, "stride": 1, "padding": 0, "weight_sparsity": 0.0, "activation_density": 1.0}]}
net_file = os.path.join(out, "net.json")
with open(net_file, "w") as f:
    json.dump(net, f, indent=1)


def run(depth):
    d = os.path.join(out, f"depth{depth}")
    cmd = [exe, "run", "--arch", os.path.join(src, "configs/arch/cs-small.json"), "--network", net_file, "--out", d, "-q",
           "--set", 'memory.weights="preload"', "--set", 'cs.mode="dense_dense"', "--set", f"cs.sram.depth={depth}"]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"FAIL depth {depth}: exit {p.returncode}: {p.stderr.strip().splitlines()[-3:]}")
    with open(os.path.join(d, "report.json")) as f:
        return json.load(f)


small, whole = run(512), run(1536)
failures = []
ws, ww = small["total"]["weight_residency"], whole["total"]["weight_residency"]
layers = {l["name"]: l for l in small["layers"]}
print(f"512 words/bank: resident {ws['resident_bytes']} of {ws['stored_bytes']} B, reserve {ws['stream_reserve_bytes']} B; "
      f"deep {layers['deep']['cycles']} cycles, {layers['deep']['dram_weight_read_bytes']} DRAM weight B; "
      f"wide {layers['wide']['dram_weight_read_bytes']} DRAM weight B")
if not small["total"]["verified"]:
    failures.append("outputs not verified")
if ws["resident_layers"] != 1 or layers["deep"]["dram_weight_read_bytes"] != 0:
    failures.append(f"deep is not the one resident layer ({ws['resident_layers']} resident)")
if layers["wide"]["dram_weight_read_bytes"] <= 0:
    failures.append("wide does not stream")
if not 0 < ws["stream_reserve_bytes"] < ws["resident_bytes"]:
    failures.append(f"the case does not arise: reserve {ws['stream_reserve_bytes']} B, resident {ws['resident_bytes']} B")
if ww["resident_fraction"] != 1.0:
    failures.append("the 1,536-word SRAM does not hold both layers")
if layers["deep"]["cycles"] != whole["layers"][0]["cycles"]:
    failures.append(f"deep: {layers['deep']['cycles']} cycles, {whole['layers'][0]['cycles']} with everything resident")
for f in failures:
    print("FAIL " + f)
sys.exit(1 if failures else 0)

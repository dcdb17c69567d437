#!/usr/bin/env python3
"""Symmetry test (docs/memory.md, "Fair comparisons"): on dense work the datapaths must agree.

Every layer of the network runs with 0% weight sparsity and all activations kept on three designs
with equal multipliers (32 x 32 = 1,024), equal on-chip weight memory, equal DRAM bandwidth
(16 B/cycle), equal activation buffers and the same residency (memory.weights = "preload",
and the weights fit, so all three hold the whole network on chip):
  dense  configs/arch/dense-32x32.json with "dataflow": "auto";
  sod    configs/arch/sod-32x32.json with "dataflow": "auto" and both storage formats "auto"
         (sod.weight_format, sod.activation_format: the product's defaults; on dense data auto
         stores both operands densely, bypassing the decompression units);
  cs     configs/arch/cs-small.json grown to 32 lanes x 32 slots, mode dense_dense, 64 banks
         (one column per lane per cycle) deep enough for the network.
Dense and SoD thus pick per layer between output- and weight-stationary by the documented
estimate (docs/dense.md "Automatic mapping"), as an iso comparison does; the test mapping_auto
shows auto runs the faster fixed mapping with exactly its cycles. CS is output-stationary only.
Also checked: SoD auto chose the dense format for both operands of every layer (the data has no
zeros, so any compressed format only adds index bytes) and every layer reports its dataflow.

Checks, per layer, the cycles of sod / dense and cs / dense against a documented factor F:
  - layers with M >= 32 output pixels (every GSC conv, most ResNet-50 convs): F = 1.25. The three map the
    same GEMM onto 1,024 multipliers; what differs is fill and drain (the systolic array's
    R + C cycles per fold, the CS pipeline's per-pass fill).
  - layers with M < 32 (the batch-1 linear layers, M = 1, and the reduced ResNet-50's 4 x 4
    strided convs, M = 16): F = 32 (= array rows). This
    asymmetry is real, not bookkeeping: a systolic array gives a GEMV one row of outputs
    (output-stationary) or loads every weight through its 32-wide edge once for one use
    (weight-stationary), at most M/32 of its multipliers either way, while CS spreads the
    kernels over its lanes and reads the weights from its banked SRAM. Batch > 1 removes it.
Also: every output verified, and every datapath's DRAM weight traffic zero. Prints the ratios.

--network resnet50: the ResNet-50 layers with their input height and width divided by 4, but
not below 7 (224 -> 56, 56 -> 14, 28, 14 and 7 -> 7; channels and kernels unchanged, so the
weights, 25.5 MB, are the real ones): ctest label "slow", a few minutes on one core.
Usage: symmetry.py SPARSESIM SOURCE_DIR OUT_DIR [--network gsc|resnet50]"""
import json
import math
import os
import shutil
import subprocess
import sys

exe, src, out = sys.argv[1:4]
which = sys.argv[5] if len(sys.argv) > 5 and sys.argv[4] == "--network" else "gsc"
FACTOR_CONV = 1.25
FACTOR_GEMV = 32
# The test's own scratch folder under the build tree: start from empty so a rerun after a model
# change does not meet the previous run's finished sweep points.
shutil.rmtree(out, ignore_errors=True)
os.makedirs(out)

with open(os.path.join(src, "configs/networks", "gsc-complementary.json" if which == "gsc" else "resnet50.json")) as f:
    net = json.load(f)
net.pop("defaults", None)
net["name"] = net["name"] + "-dense-work"
for l in net["layers"]:
    l["weight_sparsity"] = 0.0
    l["activation_density"] = 1.0
    l.pop("weight_pattern", None)
    if which == "resnet50":
        for d, k in (("in_h", "kernel_h"), ("in_w", "kernel_w")):
            l[d] = min(l[d], max(7, math.ceil(l[d] / 4)))
net_file = os.path.join(out, f"{which}-dense-work.json")
with open(net_file, "w") as f:
    json.dump(net, f, indent=1)

# Equal weight memory: the CS SRAM is 64 banks x depth x 72 bits; the filter partition the same.
depth = 8192 if which == "gsc" else 65536
weight_kb = 64 * depth * 9 // 1024
common = ['memory.weights="preload"', "clock_mhz=200", "memory.dram_gbps=3.2",  # 16 B per cycle at 200 MHz
          "memory.prefetch_depth=2", "memory.ifmap_kb=4096"]
dense = common + ["array.rows=32", "array.cols=32", f"memory.filter_kb={weight_kb}", 'dataflow="auto"']
sod = dense + ['sod.weight_format="auto"', 'sod.activation_format="auto"']
designs = {
    "dense": ("dense-32x32.json", dense),
    "sod": ("sod-32x32.json", sod),
    "cs": ("cs-small.json", common + ["array.rows=32", "array.cols=32", 'cs.mode="dense_dense"', "cs.sram.banks=64",
                                      f"cs.sram.depth={depth}", 'cs.sram.memory="uram"', "cs.selector.lanes=128"]),
}
runs = {}
for name, (arch, sets) in designs.items():
    d = os.path.join(out, f"{which}-{name}")
    cmd = [exe, "run", "--arch", os.path.join(src, "configs/arch", arch), "--network", net_file, "--out", d, "-q"]
    for s in sets:
        cmd += ["--set", s]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"{name}: exit {p.returncode}: {p.stderr}")
    with open(os.path.join(d, "report.json")) as f:
        runs[name] = json.load(f)


failures = []
print(f"{'layer':28s} {'dense cycles':>13s} {'df':>3s} {'sod/dense':>10s} {'df':>3s} {'cs/dense':>9s}")
for i, l in enumerate(runs["cs"]["layers"]):
    dl, sl = runs["dense"]["layers"][i], runs["sod"]["layers"][i]
    dc, sc, cc = dl["cycles"], sl["cycles"], l["cycles"]
    for name, layer in (("dense", dl), ("sod", sl)):
        if layer.get("dataflow") not in ("os", "ws"):
            failures.append(f"{name} {layer['name']}: dataflow auto reports {layer.get('dataflow')!r}, not os or ws")
    fmt = (sl["sod"]["weight_format"], sl["sod"]["activation_format"])
    if fmt != ("dense", "dense"):
        failures.append(f"sod {sl['name']}: auto format stored dense data as {fmt}, not (dense, dense)")
    F = FACTOR_CONV if l["gemm"]["M"] >= 32 else FACTOR_GEMV
    for other, r in (("sod", sc / dc), ("cs", cc / dc)):
        if not (1 / F <= r <= F):
            failures.append(f"{l['name']}: {other}/dense = {r:.3f} outside [1/{F}, {F}]")
    print(f"{l['name']:28s} {dc:13d} {dl.get('dataflow', '?'):>3s} {sc / dc:10.3f} {sl.get('dataflow', '?'):>3s} {cc / dc:9.3f}")
for name, rep in runs.items():
    wr = rep["total"]["weight_residency"]
    print(f"{name}: {rep['total']['cycles']} cycles, weight memory {wr['weight_memory_bytes']} B, stored {wr['stored_bytes']} B, "
          f"resident {wr['resident_fraction']:.3f}, DRAM weight bytes {rep['total']['dram_weight_read_bytes']}")
    if not rep["total"]["verified"]:
        failures.append(f"{name}: outputs not verified")
    if wr["resident_fraction"] != 1.0:
        failures.append(f"{name}: the weights do not all fit ({wr['resident_bytes']} of {wr['stored_bytes']} B resident)")
    for l in rep["layers"]:
        if l["dram_weight_read_bytes"] != 0:
            failures.append(f"{name} {l['name']}: {l['dram_weight_read_bytes']} weight bytes from DRAM with preload")
for f in failures:
    print("FAIL " + f)
sys.exit(1 if failures else 0)

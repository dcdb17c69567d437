#!/usr/bin/env python3
"""Free mappings and choices that do not skew (docs/dense.md "Automatic mapping", docs/sod.md,
docs/cs.md): every check runs the simulator's CLI and compares against runs with the choice
fixed, or against closed forms computed here from the layer shapes and the weights.

  1. dataflow auto (dense and SoD) on a batch-1 linear layer on a 96x96 array: auto runs the
     mapping the fixed-dataflow runs show to be faster, with exactly its cycles; both
     candidates' estimates are in report.json and layers.csv.
  2. SoD with sod.*_format auto (the default) at 0% weight sparsity and dense activations is
     within 2% of the dense datapath's cycles on GSC conv2.
  3. CS mode auto reports every candidate's estimate and runs the one with the fewest, with
     exactly that fixed mode's cycles (GSC); where sparse_sparse is slower than sparse_dense
     (dense-ish activations: bank conflicts, the selector), auto runs the fastest fixed mode.
  4. CS with 90% of the input channels pruned (whole channels zero): exactly M x live columns
     items per pass, MAC busy cycles a tenth of the unpruned layer's, under a quarter of its
     cycles, verified outputs.
  5. URAM on a part that has none: exit 0, fits false, uram binding and missing; no report file
     holds inf or NaN.

Usage: mapping_test.py SPARSESIM SOURCE_DIR WORK_DIR      (about 5 s on 2 cores)
"""
import csv
import json
import math
import os
import shutil
import subprocess
import sys

import numpy as np

BIN, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def write(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f, indent=1)
    return path


def strict_load(path):
    def bad(c):
        raise ValueError(f"{path}: non-finite number {c}")
    with open(path) as f:
        return json.load(f, parse_constant=bad)


def run(arch, net, name, sets=(), expect_rc=0):
    out = os.path.join(WORK, name)
    cmd = [BIN, "run", "--arch", arch, "--network", net, "--out", out, "-q"]
    for s in sets:
        cmd += ["--set", s]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != expect_rc:
        print(p.stdout, p.stderr)
        raise SystemExit(f"{name}: exit {p.returncode}, expected {expect_rc}")
    return strict_load(os.path.join(out, "report.json")), out


shutil.rmtree(WORK, ignore_errors=True)
os.makedirs(WORK)

# ---- 1. dataflow auto on a batch-1 linear layer, 96x96 -----------------------------------
linear = write(os.path.join(WORK, "linear.json"), {
    "name": "linear-b1", "description": "GSC's linear layer shape (1600 -> 1000), batch 1",
    "layers": [{"name": "linear", "type": "linear", "in_channels": 1600, "out_channels": 1000, "in_h": 1, "in_w": 1,
                "kernel_h": 1, "kernel_w": 1, "weight_sparsity": 0.0, "activation_density": 1.0}]})
for datapath, arch in (("dense", "dense-32x32.json"), ("sod", "sod-32x32.json")):
    archp = os.path.join(SRC, "configs", "arch", arch)
    big = ["array.rows=96", "array.cols=96"]
    fixed = {}
    for df in ("os", "ws"):
        rep, _ = run(archp, linear, f"{datapath}-{df}", big + [f'dataflow="{df}"'])
        fixed[df] = rep["layers"][0]["cycles"]
        check(rep["layers"][0]["dataflow"] == df, f"{datapath} {df}: the layer reports dataflow {df}")
    rep, out = run(archp, linear, f"{datapath}-auto", big + ['dataflow="auto"'])
    layer = rep["layers"][0]
    best = min(fixed, key=fixed.get)
    check(fixed["os"] != fixed["ws"], f"{datapath}: the two mappings differ ({fixed})")
    check(layer["dataflow"] == best, f"{datapath} auto picks {layer['dataflow']}, the faster fixed mapping is {best} ({fixed})")
    check(layer["cycles"] == fixed[best], f"{datapath} auto cycles {layer['cycles']} == fixed {best} cycles {fixed[best]}")
    check(layer["verified"], f"{datapath} auto verified")
    est = layer.get("dataflow_estimate", {})
    check(set(est) == {"os", "ws"}, f"{datapath} auto reports both estimates ({sorted(est)})")
    # The closed form, from the shape alone: M=1, K=1600, N=1000 on 96x96.
    M, K, N, R, C = 1, 1600, 1000, 96, 96
    cd = lambda a, b: -(-a // b)
    os_compute = cd(M, R) * cd(N, C) * (K + R + C - 2)
    ws_compute = cd(N, C) * cd(K, R) * (2 * R + M + C - 2)
    check(est["os"]["compute_cycles"] == os_compute and est["ws"]["compute_cycles"] == ws_compute,
          f"{datapath} compute estimates = folds x cycles per fold ({os_compute}, {ws_compute})")
    with open(os.path.join(out, "layers.csv")) as f:
        row = next(csv.DictReader(f))
    check(row.get("dataflow") == best and row.get("dataflow_estimate.os.cycles") == str(est["os"]["cycles"]),
          f"{datapath} layers.csv has the dataflow and the estimates")

# ---- 2. SoD auto format at 0% sparsity vs dense, GSC conv2 -------------------------------
conv2 = write(os.path.join(WORK, "conv2.json"), {
    "name": "gsc-conv2-dense", "description": "GSC conv2 shape at 0% weight sparsity, dense activations",
    "layers": [{"name": "conv2", "type": "conv2d", "in_channels": 64, "out_channels": 64, "in_h": 14, "in_w": 14,
                "kernel_h": 5, "kernel_w": 5, "weight_sparsity": 0.0, "activation_density": 1.0}]})
dense, _ = run(os.path.join(SRC, "configs/arch/dense-32x32.json"), conv2, "conv2-dense")
sod, _ = run(os.path.join(SRC, "configs/arch/sod-32x32.json"), conv2, "conv2-sod-auto")
sodl = sod["layers"][0]
check(sodl["sod"]["weight_format"] == "dense" and sodl["sod"]["activation_format"] == "dense",
      f"SoD auto stores dense operands densely ({sodl['sod']['weight_format']}, {sodl['sod']['activation_format']})")
ratio = sodl["cycles"] / dense["layers"][0]["cycles"]
check(abs(ratio - 1) <= 0.02, f"SoD auto at 0% sparsity within 2% of dense cycles (ratio {ratio:.4f})")
csc, _ = run(os.path.join(SRC, "configs/arch/sod-32x32.json"), conv2, "conv2-sod-csc",
             ['sod.weight_format="csc"', 'sod.activation_format="csc"'])
check(csc["layers"][0]["sod"]["weight_bytes_compressed"] > sodl["sod"]["weight_bytes_compressed"],
      "CSC stores more weight bytes than auto on dense weights")
sparse = write(os.path.join(WORK, "conv2-sparse.json"), {
    "name": "gsc-conv2-sparse", "description": "GSC conv2 at 90% weight sparsity",
    "layers": [{"name": "conv2", "type": "conv2d", "in_channels": 64, "out_channels": 64, "in_h": 14, "in_w": 14,
                "kernel_h": 5, "kernel_w": 5, "weight_sparsity": 0.9, "activation_density": 1.0}]})
sp, _ = run(os.path.join(SRC, "configs/arch/sod-32x32.json"), sparse, "conv2-sod-sparse")
s = sp["layers"][0]["sod"]
check(s["weight_format"] != "dense" and s["weight_bytes_compressed"] < s["weight_bytes_dense"],
      f"SoD auto compresses 90%-sparse weights ({s['weight_format']}, {s['weight_bytes_compressed']} < {s['weight_bytes_dense']} B)")

# ---- 3. CS auto: estimates reported, the fewest runs, cycles exactly the fixed mode's -----
gsc = os.path.join(SRC, "configs/networks/gsc-complementary.json")
cs_arch = os.path.join(SRC, "configs/arch/cs-small.json")
auto, _ = run(cs_arch, gsc, "cs-auto")
fixed = {}
for mode in ("dense_dense", "sparse_dense", "sparse_sparse"):
    rep, _ = run(cs_arch, gsc, f"cs-{mode}", [f'cs.mode="{mode}"'])
    fixed[mode] = {l["name"]: l["cycles"] for l in rep["layers"]}
for l in auto["layers"]:
    est = l["cs"].get("mode_estimate_cycles", {})
    chosen = l["cs"]["mode"]
    check(len(est) >= 2 and chosen == min(est, key=lambda m: (est[m], -list(est).index(m))),
          f"cs auto {l['name']}: runs {chosen}, the fewest of the estimates {est}")
    check(l["cycles"] == fixed[chosen][l["name"]], f"cs auto {l['name']}: cycles equal fixed {chosen}")
    check(l["verified"], f"cs auto {l['name']} verified")

# Where bank conflicts and the selector make sparse_sparse slower (dense-ish activations), auto
# must not run it: every layer runs the fastest fixed mode.
dense_act = write(os.path.join(WORK, "cs-dense-act.json"), {
    "name": "cs-dense-act", "description": "GSC conv2 and linear shapes, complementary 80% / 90% weight sparsity",
    "layers": [
        {"name": "conv2-a90", "type": "conv2d", "in_channels": 64, "out_channels": 64, "in_h": 14, "in_w": 14,
         "kernel_h": 5, "kernel_w": 5, "weight_sparsity": 0.8, "weight_pattern": "complementary", "activation_density": 0.9},
        {"name": "conv2-a60", "type": "conv2d", "in_channels": 64, "out_channels": 64, "in_h": 14, "in_w": 14,
         "kernel_h": 5, "kernel_w": 5, "weight_sparsity": 0.8, "weight_pattern": "complementary", "activation_density": 0.6},
        {"name": "linear-a70", "type": "linear", "in_channels": 1600, "out_channels": 1000, "in_h": 1, "in_w": 1,
         "kernel_h": 1, "kernel_w": 1, "weight_sparsity": 0.9, "weight_pattern": "complementary", "activation_density": 0.7}]})
auto, _ = run(cs_arch, dense_act, "cs-dense-act-auto")
fixed = {}
for mode in ("dense_dense", "sparse_dense", "sparse_sparse"):
    rep, _ = run(cs_arch, dense_act, f"cs-dense-act-{mode}", [f'cs.mode="{mode}"'])
    fixed[mode] = {l["name"]: l["cycles"] for l in rep["layers"]}
for l in auto["layers"]:
    sim = {m: fixed[m][l["name"]] for m in fixed}
    fastest = min(sim, key=sim.get)
    check(l["cs"]["mode"] == fastest and l["cycles"] == sim[fastest],
          f"cs auto {l['name']}: runs {l['cs']['mode']} ({l['cycles']}), the fastest fixed mode is {fastest} ({sim})")

# ---- 4. CS channel pruning: dead columns are skipped -------------------------------------
rng = np.random.default_rng(5)
O, Cin, k = 64, 40, 3
w = rng.integers(-127, 128, size=(O, Cin, k, k), dtype=np.int8)
w[w == 0] = 1
np.save(os.path.join(WORK, "w-dense.npy"), w)
pruned = w.copy()
keep = rng.choice(Cin, size=Cin // 10, replace=False)
mask = np.zeros(Cin, dtype=bool)
mask[keep] = True
pruned[:, ~mask] = 0
np.save(os.path.join(WORK, "w-pruned.npy"), pruned)
results = {}
for tag in ("dense", "pruned"):
    net = write(os.path.join(WORK, f"prune-{tag}.json"), {
        "name": f"prune-{tag}", "description": "3x3 conv, 40 -> 64 channels, 90% of the input channels pruned or none",
        "layers": [{"name": "conv", "type": "conv2d", "in_channels": Cin, "out_channels": O, "in_h": 12, "in_w": 12,
                    "kernel_h": k, "kernel_w": k, "padding": 1, "activation_density": 1.0, "weights": f"w-{tag}.npy"}]})
    rep, _ = run(cs_arch, net, f"cs-prune-{tag}", ['cs.mode="dense_dense"'])
    results[tag] = rep["layers"][0]
M = 12 * 12
live = int(mask.sum()) * k * k
check(results["pruned"]["verified"] and results["dense"]["verified"], "channel-pruned CS layer verified")
passes = results["pruned"]["cs"]["passes"]
check(results["pruned"]["cs"]["items"] == M * live * passes,
      f"pruned items {results['pruned']['cs']['items']} = M x live columns x passes (M {M}, live {live}, passes {passes})")
check(results["dense"]["cs"]["items"] == M * Cin * k * k * results["dense"]["cs"]["passes"],
      "unpruned items = M x K x passes")
# One item per lane per step, the lanes in lockstep on one column: the MAC array's busy cycles
# scale with the live columns exactly (a tenth); the layer's cycles add the fixed fill and
# write-back, so they fall to under a quarter.
check(results["pruned"]["cs"]["mac_busy_cycles"] * Cin == results["dense"]["cs"]["mac_busy_cycles"] * int(mask.sum()),
      f"MAC busy cycles scale with the live channels ({results['dense']['cs']['mac_busy_cycles']} -> "
      f"{results['pruned']['cs']['mac_busy_cycles']})")
check(results["pruned"]["cycles"] < 0.25 * results["dense"]["cycles"],
      f"90% channel pruning: cycles fall {results['dense']['cycles']} -> {results['pruned']['cycles']}")

# ---- 5. URAM on a part that has none: fits false, named, exit 0, no inf/NaN --------------
rep, out = run(cs_arch, gsc, "zu3eg-uram", ['fpga_part="zu3eg"', 'cs.sram.memory="uram"'])
res = rep["resources"]
check(res["fits"] is False and res["binding_resource"] == "uram" and res["missing_resources"] == ["uram"],
      f"URAM on zu3eg: fits {res['fits']}, binding {res['binding_resource']}, missing {res['missing_resources']}")
check(res["utilization"]["uram"] is None, "URAM utilisation is null, not inf")
for root, _, files in os.walk(out):
    for fn in files:
        p = os.path.join(root, fn)
        if fn.endswith(".json"):
            strict_load(p)  # raises on NaN / Infinity
        if fn.endswith((".json", ".csv")):
            with open(p) as f:
                text = f.read().lower()
            bad = [t for t in ('"inf"', '"nan"', ",inf", ",nan", "infinity") if t in text]
            check(not bad, f"{fn} holds no inf/NaN ({bad})")

print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)

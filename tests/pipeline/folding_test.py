#!/usr/bin/python3
"""Folding of the layer pipeline (docs/pipelined.md, "Folding"), checked through the CLI only.

  1. Balanced folding on a U250 budget (the whole part): the chained GSC on dense, cs and sod,
     3 inferences, every inference verified; one copy of the pipeline fits the part (the
     report's pipeline.resources, summed from each engine's own resources); every stage's
     measured engine cycles per inference are within FACTOR of each other (dense and sod
     folded by the closed-form estimate, cs by its engines' measured cycles); each stage's
     array is the one resolved-config.json records in pipeline.arrays, and its multipliers are
     rows x cols; every engine's buffers are sized to its layer (docs/pipelined.md, "Engine
     buffers"): its filter partition holds exactly its layer's stored weights (dense and sod:
     the weight elements, out x in x kh x kw bytes for dense, from the network file), and the
     pipeline's BRAM is the sum of its engines'.
  1b. On a ZU3EG budget the balanced cs and sod pipelines fit (their buffers sized to their
     layers), and dense is refused naming the linear layer (its 1.6 MB of int8 weights exceed
     the part's 216 BRAM36, 0.95 MiB).
  2. Explicit folding with the arrays the balanced run chose gives the same engine cycles.
  3. Folding whole (the default): every engine is the architecture's array.
  4. An infeasible budget (a LUT cap no engine fits) is exit 2 naming pipeline.budget and the
     first layer that cannot fit, with nothing written.

usage: folding_test.py SPARSESIM SOURCE_DIR WORK_DIR     (about 17 s on 2 shared cores)
"""
import json
import os
import shutil
import sys

from pipeline_cli import check, failures, run_cli

BIN, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
NET = os.path.join(SRC, "configs/networks/gsc-chained.json")
ARCHS = {"dense": "dense-16x16.json", "cs": "cs-small.json", "sod": "sod-16x16.json"}
# The buffers of tools/gsc-pipelined-table: every engine keeps its own layer's weights.
BUF = ["memory.ifmap_kb=256", "memory.filter_kb=2048", "memory.ofmap_kb=128", "memory.weights=preload"]
FIT = {"dense": BUF, "cs": BUF, "sod": BUF}
PIPE = ["execution=layer_pipelined", "pipeline.inferences=3", "fpga_part=u250"]
# The balance docs/pipelined.md states: slowest engine / fastest engine, measured. Array sides
# are powers of two, so the most folded array within a target can run up to about 2x under it
# (one halving more would pass it); 2.5 leaves room for a pass's fill and the last fold's tail.
FACTOR = {"dense": 2.5, "cs": 2.5, "sod": 2.5}
WEIGHT_BYTES = {"conv1": 64 * 1 * 5 * 5, "conv2": 64 * 64 * 5 * 5, "linear": 1000 * 1600, "output": 12 * 1000}


def run(arch, name, sets=(), expect_rc=0):
    p, out = run_cli(BIN, WORK, arch, NET, name, sets, expect_rc)
    if expect_rc != 0:
        return p, None
    with open(os.path.join(out, "report.json")) as f, open(os.path.join(out, "resolved-config.json")) as g:
        return json.load(f), json.load(g)


shutil.rmtree(WORK, ignore_errors=True)
os.makedirs(WORK)

for dp, archName in ARCHS.items():
    arch = os.path.join(SRC, "configs/arch", archName)
    r, rc = run(arch, dp + "-balanced", PIPE + FIT[dp] + ["pipeline.folding=balanced"])
    p = r["pipeline"]
    check(p["folding"] == "balanced", f"{dp}: report says folding balanced")
    check(p["inferences_verified"] == 3 and r["total"]["verified"], f"{dp}: 3 inferences, every one verified")
    check(p["resources"]["fits"] and p["resources"]["copies_per_part"] >= 1,
          f"{dp}: one balanced pipeline fits the U250 ({p['resources']['copies_per_part']} copies, binding {p['resources']['binding_resource']})")
    summed = {k: sum(s["resources"][k] for s in p["stages"]) for k in ("lut", "dsp", "bram36")}
    check(all(abs(summed[k] - p["resources"][k]) <= 1e-6 * max(1.0, summed[k]) for k in summed), f"{dp}: pipeline resources = sum of its engines'")
    cyc = {s["layer"]: s["engine_cycles"][-1] for s in p["stages"]}
    check(min(cyc.values()) > 0, f"{dp}: every engine measured busy cycles per inference")
    spread = max(cyc.values()) / max(1, min(cyc.values()))
    check(spread <= FACTOR[dp], f"{dp}: engine cycles {cyc} within {FACTOR[dp]}x of each other ({spread:.2f}x)")
    if dp == "dense":
        filt = {s["layer"]: s["memory"]["filter_kb"] * 1024 for s in p["stages"]}
        check(all(abs(filt[k] - WEIGHT_BYTES[k]) < 0.5 for k in WEIGHT_BYTES), f"{dp}: each engine's filter partition = its layer's weights {filt}")
    check(all(s["memory"]["ifmap_kb"] < 256 for s in p["stages"]), f"{dp}: every engine's ifmap partition below the design's 256 KiB")
    arrays = rc["arch"]["pipeline"]["arrays"]
    given = dict(x.split("=") for x in arrays.split(","))
    check(all(given[s["layer"]] == f"{s['array']['rows']}x{s['array']['cols']}" and
              s["multipliers"] == s["array"]["rows"] * s["array"]["cols"] for s in p["stages"]),
          f"{dp}: stages' arrays are resolved-config.json's pipeline.arrays ({arrays})")
    # 2. The same arrays, given explicitly.
    e, _ = run(arch, dp + "-explicit", PIPE + FIT[dp] + ["pipeline.folding=explicit", "pipeline.arrays=" + arrays])
    check([s["engine_cycles"] for s in e["pipeline"]["stages"]] == [s["engine_cycles"] for s in p["stages"]],
          f"{dp}: explicit folding with the balanced arrays measures the same engine cycles")
    if dp == "dense":
        # 3. The default: every engine the design's array.
        w, _ = run(arch, dp + "-whole", PIPE + FIT[dp])
        with open(arch) as f:
            design = json.load(f)["array"]
        check(w["pipeline"]["folding"] == "whole" and
              all(s["array"] == {"rows": design["rows"], "cols": design["cols"]} for s in w["pipeline"]["stages"]),
              f"{dp}: folding whole keeps every engine at the design's {design['rows']}x{design['cols']}")
        slowest = max(s["engine_cycles"][-1] for s in w["pipeline"]["stages"])
        print(f"info {dp}: whole-design engines, slowest {slowest} cycles; balanced slowest {max(cyc.values())}")

# 1b. ZU3EG.
for dp in ("cs", "sod"):
    arch = os.path.join(SRC, "configs/arch", ARCHS[dp])
    z, _ = run(arch, dp + "-zu3eg", [s.replace("u250", "zu3eg") for s in PIPE] + FIT[dp] + ["pipeline.folding=balanced"])
    zp = z["pipeline"]
    check(zp["resources"]["fits"] and zp["inferences_verified"] == 3,
          f"{dp}: a balanced pipeline fits the ZU3EG (BRAM36 {zp['resources']['bram36']}, DSP {zp['resources']['dsp']}), every inference verified")
pz, _ = run(os.path.join(SRC, "configs/arch", ARCHS["dense"]), "dense-zu3eg", [s.replace("u250", "zu3eg") for s in PIPE] + FIT["dense"] +
            ["pipeline.folding=balanced"], expect_rc=2)
check('layer "linear" cannot fit' in pz.stderr, "dense on the ZU3EG: exit 2, the linear layer cannot fit")

# 4. Infeasible budget.
dense = os.path.join(SRC, "configs/arch", ARCHS["dense"])
pr, _ = run(dense, "infeasible", PIPE + FIT["dense"] + ["pipeline.folding=balanced", "pipeline.budget.lut=100"], expect_rc=2)
check("pipeline.budget" in pr.stderr and 'layer "conv1" cannot fit' in pr.stderr and not os.path.exists(os.path.join(WORK, "infeasible")),
      "infeasible budget: exit 2 naming pipeline.budget and layer conv1, nothing written")

print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)

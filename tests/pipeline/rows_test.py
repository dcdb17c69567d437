"""Per-row timing of pipeline engines (docs/pipelined.md, "Per-row timing"): each stage's row
profile (`pipeline.stages[].row_done_cycles`, inference 0) against closed forms from the network
file's shapes and the engine's array, not from the simulator's own numbers.

  1. Dense output-stationary (balanced folding on a U250: every engine its own array, so its
     waits count from its own layer's start): folds go m-tile by m-tile, each m-tile over all
     ceil(N / cols) n-tiles, every fold K + rows + cols - 2 cycles (the wavefront of the OS
     array, docs/dense.md). Output row r (out_w pixels) is complete when the m-tile holding its
     last pixel, floor(((r + 1) x out_w - 1) / rows), is done:
         done[r] = (that m-tile + 1) x ceil(N / cols) x (K + rows + cols - 2).
  2. Dense weight-stationary: every fold streams all M pixels, so every row is complete only at
     the last fold: done[r] = ceil(N / cols) x ceil(K / rows) x (2 rows + M + cols - 2) for all r.
     The engine's line buffer then holds its whole input (window_rows = input rows).
  3. CS (every pass walks every pixel): every row is complete at one cycle, the layer's last pass,
     at most the engine's cycles; its line buffer holds its whole input.
  Every inference verified; every profile has one entry per output row, non-decreasing, its last
  row at most the engine's cycles per inference (the interval bounds: pipeline_gsc, pipeline_folding).

usage: rows_test.py SPARSESIM SOURCE_DIR WORK_DIR     (about 3 s on 2 cores)
"""
import json
import math
import os
import shutil
import sys

from pipeline_cli import check, failures, run_cli

BIN, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
NET = os.path.join(SRC, "configs/networks/gsc-chained.json")
U250 = ["memory.ifmap_kb=256", "memory.filter_kb=2048", "memory.ofmap_kb=128", "memory.weights=preload", "fpga_part=u250",
        "execution=layer_pipelined", "pipeline.folding=balanced"]


def run(arch, name, sets=()):
    _, out = run_cli(BIN, WORK, os.path.join(SRC, "configs/arch", arch), NET, name, list(sets))
    with open(os.path.join(out, "report.json")) as f:
        return json.load(f)


def shapes(path):
    """Per compute layer of the chained file: (in_c, in_h, in_w, out_c, out_h, out_w, K) from the
    shapes (stride 1, no padding, pooling kernel = stride, as in this file)."""
    with open(path) as f:
        net = json.load(f)
    c, h, w = net["input"]["channels"], net["input"]["height"], net["input"]["width"]
    out = {}
    for l in net["layers"]:
        t = l["type"]
        if t == "conv2d":
            oh, ow = h - l["kernel_h"] + 1, w - l["kernel_w"] + 1
            out[l["name"]] = dict(in_h=h, out_h=oh, out_w=ow, N=l["out_channels"], K=c * l["kernel_h"] * l["kernel_w"])
            c, h, w = l["out_channels"], oh, ow
        elif t == "maxpool2d":
            h, w = h // l["kernel_h"], w // l["kernel_w"]
        elif t == "flatten":
            c, h, w = c * h * w, 1, 1
        elif t == "linear":
            out[l["name"]] = dict(in_h=1, out_h=1, out_w=1, N=l["out_channels"], K=c * h * w)
            c, h, w = l["out_channels"], 1, 1
    return out


shutil.rmtree(WORK, ignore_errors=True)
os.makedirs(WORK)
geo = shapes(NET)


def common(r, dp):
    p = r["pipeline"]
    check(p["inferences_verified"] == p["inferences"] and r["total"]["verified"], f"{dp}: every inference verified")
    for s in p["stages"]:
        d = s["row_done_cycles"]
        check(len(d) == s["output_rows"] and all(a <= b for a, b in zip(d, d[1:])) and d[-1] <= s["engine_cycles"][0],
              f"{dp} {s['layer']}: {len(d)} rows, non-decreasing, last {d[-1]} <= engine cycles {s['engine_cycles'][0]}")


# 1. Dense OS.
r = run("dense-16x16.json", "dense-os", U250 + ["dataflow=os"])
common(r, "dense os")
for s in r["pipeline"]["stages"]:
    g, R, C = geo[s["layer"]], s["array"]["rows"], s["array"]["cols"]
    fold = g["K"] + R + C - 2
    want = [((((i + 1) * g["out_w"] - 1) // R) + 1) * math.ceil(g["N"] / C) * fold for i in range(g["out_h"])]
    check(s["row_done_cycles"] == want, f"dense os {s['layer']} ({R}x{C}): rows complete in m-tile order {s['row_done_cycles'][:4]}.. = {want[:4]}..")

# 2. Dense WS.
r = run("dense-16x16.json", "dense-ws", U250 + ["dataflow=ws"])
common(r, "dense ws")
for s in r["pipeline"]["stages"]:
    g, R, C = geo[s["layer"]], s["array"]["rows"], s["array"]["cols"]
    M = g["out_h"] * g["out_w"]
    last = math.ceil(g["N"] / C) * math.ceil(g["K"] / R) * (2 * R + M + C - 2)
    check(s["row_done_cycles"] == [last] * g["out_h"], f"dense ws {s['layer']} ({R}x{C}): every row at the last fold, {last}")
    check(s["window_rows"] == g["in_h"], f"dense ws {s['layer']}: line buffer window {s['window_rows']} = its whole input, {g['in_h']} rows")

# 3. CS.
r = run("cs-small.json", "cs", U250)
common(r, "cs")
for s in r["pipeline"]["stages"]:
    g, d = geo[s["layer"]], s["row_done_cycles"]
    check(len(set(d)) == 1 and 0 < d[0] <= s["engine_cycles"][0], f"cs {s['layer']}: every row complete at the last pass, {d[0]}")
    check(s["window_rows"] == g["in_h"], f"cs {s['layer']}: line buffer window {s['window_rows']} = its whole input, {g['in_h']} rows")

if failures:
    sys.exit(f"{len(failures)} check(s) failed")
print("all checks passed")

#!/usr/bin/python3
"""Layer-pipelined execution (docs/pipelined.md), checked through the CLI only.

  1. The chained GSC (configs/networks/gsc-chained.json) with --set execution=layer_pipelined on
     dense, cs and sod, 3 inferences: every inference verified, the `pipeline` report object
     and its fields present, one stage per compute layer.
  2. The interval equals the slowest block's cycles per inference within the FIFO effects the
     report gives: the slowest engine's cycles (or output path's busy cycles) per inference <=
     interval <= the largest of every engine's cycles per inference + its blocked cycles (the
     bottleneck engine's starved cycles too) and every output path's busy cycles per inference +
     its blocked cycles;
     total.inferences_per_second = clock / interval.
  3. DRAM per inference = the network input (1 x 32 x 32 int8 bytes) + the final output (12
     elements x memory.output_bytes), from the shapes, not from the simulator.
  4. A starved engine: pipeline.slack_rows = 0 leaves every line buffer exactly its engine's
     window (1 row, the flattened vector, before the linear layer), so the producer writes the
     next inference's row only after the engine freed the last one: the bottleneck engine's
     starved cycles and the interval both grow against the default slack of 1 row.
  5. Malformed: a negative pipeline.slack_rows, the linear layer's weights beyond its engine's
     512 KiB filter buffer, a layer list whose shapes
     do not chain (configs/networks/gsc.json: conv1 -> conv2 across the pooling it does not
     list), execution = "pipelined" are exit 2 naming the file, the JSON path and the reason,
     with nothing written.

  6. Line buffers between engines: pipeline.line_buffer_bytes_per_inference = the sum of the
     tensors that cross from one engine to the next (conv2's, linear's and output's inputs, from
     the network file's shapes walked here), and line_buffer_energy_per_inference_j = those
     bytes written and read once as 64-bit accesses at the energy table's bram_access_72b_pj.
  7. A layer list (no "chain": true) whose shapes chain runs pipelined as that chain: the same
     stages, engine cycles and interval as the same layers declared "chain": true.

usage: pipeline_test.py SPARSESIM SOURCE_DIR WORK_DIR     (about 3 s on 2 cores)
"""
import json
import os
import shutil
import sys

from pipeline_cli import check, failures, run_cli

BIN, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
NET = os.path.join(SRC, "configs/networks/gsc-chained.json")
ARCHS = {"dense": "dense-32x32.json", "cs": "cs-large.json", "sod": "sod-32x32.json"}
# Every engine keeps its own layer's weights: the linear layer's 1.6 MB need a 2 MiB filter
# buffer on dense and sod (cs-large's weight-packing SRAM holds its packed table).
FIT = {"dense": ["memory.filter_kb=2048"], "cs": [], "sod": ["memory.filter_kb=2048"]}


def run(arch, net, name, sets=(), expect_rc=0):
    p, out = run_cli(BIN, WORK, arch, net, name, sets, expect_rc)
    if expect_rc != 0:
        return p
    with open(os.path.join(out, "report.json")) as f:
        return json.load(f)


def gsc_crossing_bytes(path):
    """Bytes of the tensors entering every compute layer after the first (int8), by walking the
    chained file's shapes: conv (stride 1, no padding in this file), pooling (kernel = stride),
    flatten, linear."""
    with open(path) as f:
        net = json.load(f)
    c, h, w = net["input"]["channels"], net["input"]["height"], net["input"]["width"]
    total, first = 0, True
    for l in net["layers"]:
        if l["type"] in ("conv2d", "linear"):
            if not first:
                total += c * h * w
            first = False
        if l["type"] == "conv2d":
            c, h, w = l["out_channels"], h - l["kernel_h"] + 1, w - l["kernel_w"] + 1
        elif l["type"] == "maxpool2d":
            h, w = h // l["kernel_h"], w // l["kernel_w"]
        elif l["type"] == "flatten":
            c, h, w = c * h * w, 1, 1
        elif l["type"] == "linear":
            c, h, w = l["out_channels"], 1, 1
    return total


with open(os.path.join(SRC, "configs/energy/fpga-ultrascale-plus.json")) as f:
    BRAM_PJ = json.load(f)["constants"]["bram_access_72b_pj"]["value"]
CROSSING = gsc_crossing_bytes(NET)

shutil.rmtree(WORK, ignore_errors=True)
os.makedirs(WORK)
PIPE = ["execution=layer_pipelined", "pipeline.inferences=3"]

for dp, archName in ARCHS.items():
    arch = os.path.join(SRC, "configs/arch", archName)
    with open(arch) as f:
        outBytes = json.load(f).get("memory", {}).get("output_bytes", 4)
    r = run(arch, NET, dp, PIPE + FIT[dp])
    p, t = r.get("pipeline"), r["total"]
    if not check(p is not None, f"{dp}: report has a pipeline object"):
        continue
    for k in ("interval_cycles", "latency_cycles", "inferences", "bottleneck", "stages"):
        check(k in p, f"{dp}: pipeline.{k} present")
    check([s["layer"] for s in p["stages"]] == ["conv1", "conv2", "linear", "output"], f"{dp}: one engine per compute layer")
    for s in p["stages"]:
        for k in ("layer", "multipliers", "busy_cycles", "starved_cycles", "blocked_cycles", "fifo_depth", "resources"):
            check(k in s, f"{dp}: stage {s['layer']}.{k} present")
    check(p["inferences"] == 3 and p["inferences_verified"] == 3 and t["verified"], f"{dp}: 3 inferences, every one verified")
    engine = {s["layer"]: s["engine_cycles"][-1] for s in p["stages"]}
    path = {s["layer"]: s["output_path"]["busy_cycles"] / p["inferences"] for s in p["stages"]}
    waits = {}
    for s in p["stages"]:
        # Starved cycles wait for an upstream block, whose own cycles are in the list; the
        # bottleneck engine keeps its starved cycles (its line buffer's window effects).
        starved = s["starved_cycles"] if s["layer"] == p["bottleneck"] else 0
        waits[s["layer"] + " engine"] = engine[s["layer"]] + starved + s["blocked_cycles"]
        waits[s["layer"] + " output path"] = path[s["layer"]] + s["output_path"]["blocked_cycles"]
    lo = max(max(engine.values()), max(path.values()))
    b = p["bottleneck"] + (" engine" if p["bottleneck_block"] == "engine" else " output path")
    hi, limiter = max((v, k) for k, v in waits.items())
    check(lo <= p["interval_cycles"] <= hi,
          f"{dp}: interval {p['interval_cycles']} within [slowest engine or output path {lo:.0f} (bottleneck {b}), "
          f"{limiter} + its waits {hi:.0f}]")
    check(abs(t["inferences_per_second"] - r["clock_mhz"] * 1e6 / p["interval_cycles"]) < 1e-6 * t["inferences_per_second"],
          f"{dp}: inferences/s = clock / interval")
    expect = 1 * 32 * 32 + 12 * outBytes
    check(t["dram_bytes_per_inference"] == expect, f"{dp}: DRAM per inference {t['dram_bytes_per_inference']} = input + final output {expect}")
    check(p["latency_cycles"] >= p["interval_cycles"], f"{dp}: first-inference latency >= interval")
    check(p["line_buffer_bytes_per_inference"] == CROSSING,
          f"{dp}: line-buffer bytes per inference {p['line_buffer_bytes_per_inference']} = tensors between engines {CROSSING}")
    lbj = 2 * CROSSING / 8 * BRAM_PJ * 1e-12
    check(abs(p["line_buffer_energy_per_inference_j"] - lbj) <= 1e-9 * lbj and p["energy_per_inference_j"] > lbj,
          f"{dp}: line-buffer energy {p['line_buffer_energy_per_inference_j']:.4g} J = 2 x bytes / 8 x {BRAM_PJ} pJ, inside energy_per_inference_j")

# 4. A starved engine against the automatic line buffer.
dense = os.path.join(SRC, "configs/arch", ARCHS["dense"])
auto = run(dense, NET, "auto", PIPE + FIT["dense"])["pipeline"]
tight = run(dense, NET, "tight", PIPE + FIT["dense"] + ["pipeline.slack_rows=0"])["pipeline"]
st = lambda p, n: next(s for s in p["stages"] if s["layer"] == n)
bn = auto["bottleneck"]
check(tight["bottleneck"] == bn, f"the same bottleneck engine ({bn}) with and without slack")
check([s["fifo_depth"] for s in tight["stages"]] == [s["window_rows"] for s in tight["stages"]] and
      [s["fifo_depth"] for s in auto["stages"]] == [s["window_rows"] + 1 for s in auto["stages"]],
      "line buffers: the window without slack, window + 1 by default")
check(st(tight, bn)["starved_cycles"] > st(auto, bn)["starved_cycles"],
      f"starved {bn}: {st(tight, bn)['starved_cycles']} starved cycles > {st(auto, bn)['starved_cycles']} with slack")
check(tight["interval_cycles"] > auto["interval_cycles"], f"starved {bn}: interval {tight['interval_cycles']} > {auto['interval_cycles']}")

# 7. A layer list that chains by shape, against the same layers declared chained.
LIST = {"name": "list3", "layers": [
    {"name": "c1", "type": "conv2d", "in_channels": 2, "out_channels": 8, "in_h": 12, "in_w": 12, "kernel_h": 3, "kernel_w": 3,
     "padding": 1, "weight_sparsity": 0.5},
    {"name": "c2", "type": "conv2d", "in_channels": 8, "out_channels": 8, "in_h": 12, "in_w": 12, "kernel_h": 3, "kernel_w": 3,
     "weight_sparsity": 0.5},
    {"name": "c3", "type": "conv2d", "in_channels": 8, "out_channels": 4, "in_h": 10, "in_w": 10, "kernel_h": 1, "kernel_w": 1}]}
# A linear layer reads its producer's whole output (a layer list has no flatten layer).
LIST_FC = dict(LIST, layers=LIST["layers"][:2] + [{"name": "fc", "type": "linear", "in_channels": 800, "out_channels": 10}])
CHAIN = {"name": "list3", "chain": True, "input": {"channels": 2, "height": 12, "width": 12}, "layers": [
    {"name": "c1", "type": "conv2d", "out_channels": 8, "kernel_h": 3, "kernel_w": 3, "padding": 1, "weight_sparsity": 0.5},
    {"name": "c2", "type": "conv2d", "out_channels": 8, "kernel_h": 3, "kernel_w": 3, "weight_sparsity": 0.5},
    {"name": "c3", "type": "conv2d", "out_channels": 4, "kernel_h": 1, "kernel_w": 1}]}
nets = {}
for name, d in (("list", LIST), ("chain", CHAIN), ("list-fc", LIST_FC)):
    nets[name] = os.path.join(WORK, name + ".json")
    with open(nets[name], "w") as f:
        json.dump(d, f)
lp = run(dense, nets["list"], "list-run", PIPE)
cp = run(dense, nets["chain"], "chain-run", PIPE)
check(lp["pipeline"]["inferences_verified"] == 3 and lp["total"]["verified"], "layer list pipelined: 3 inferences, every one verified")
check([(s["layer"], s["engine_cycles"]) for s in lp["pipeline"]["stages"]] == [(s["layer"], s["engine_cycles"]) for s in cp["pipeline"]["stages"]]
      and lp["pipeline"]["interval_cycles"] == cp["pipeline"]["interval_cycles"],
      f"layer list = declared chain: stages, engine cycles, interval {lp['pipeline']['interval_cycles']}")
fp = run(dense, nets["list-fc"], "list-fc-run", PIPE)
check([s["layer"] for s in fp["pipeline"]["stages"]] == ["c1", "c2", "fc"] and fp["pipeline"]["inferences_verified"] == 3 and
      fp["total"]["verified"], "layer list conv -> conv -> linear pipelined: 3 engines, every inference verified")

# 5. Malformed.
for name, net, sets, path in [
    ("slack-negative", NET, PIPE + ["pipeline.slack_rows=-1"], "pipeline.slack_rows"),
    ("weights-do-not-fit", NET, PIPE, "layers[5]"),
    ("list-not-chained", os.path.join(SRC, "configs/networks/gsc.json"), PIPE, "layers[1]"),
    ("bad-execution", NET, ["execution=pipelined"], "execution"),
]:
    p = run(dense, net, name, sets, expect_rc=2)
    check(path in p.stderr and not os.path.exists(os.path.join(WORK, name)), f"malformed {name}: exit 2 naming {path}, nothing written")

print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)

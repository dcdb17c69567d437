#!/usr/bin/python3
"""A chained network's copies load again as the same graph.

resolved-config.json's network section and a sweep point's config/network.json are written from
the parsed network; both must name the input tensor and keep only the keys each layer's type
accepts, or a sweep of a chained network fails at its first point. Oracle: the cycles and the
verification of a direct run of the shipped file.
Usage: chained_copies.py SPARSESIM SOURCE_DIR WORK_DIR
"""
import json
import pathlib
import shutil
import subprocess
import sys

exe, src, work = sys.argv[1], pathlib.Path(sys.argv[2]).resolve(), pathlib.Path(sys.argv[3]).resolve()
shutil.rmtree(work, ignore_errors=True)
work.mkdir(parents=True)
arch = src / "configs/arch/dense-16x16.json"
net = src / "configs/networks/gsc-chained.json"


def run(network, out):
    p = subprocess.run([exe, "run", "--arch", str(arch), "--network", str(network), "--out", str(out), "-q"],
                       capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"FAIL: run of {network} exited {p.returncode}: {p.stderr.strip()}")
    return json.loads((out / "report.json").read_text())


direct = run(net, work / "direct")
want = direct["total"]["cycles"]
if not direct["total"]["verified"]:
    sys.exit("FAIL: the direct run is not verified")

# 1. resolved-config.json's network, as a file of its own (source_file is the copy's provenance).
resolved = json.loads((work / "direct" / "resolved-config.json").read_text())["network"]
if "input" not in resolved:
    sys.exit("FAIL: resolved-config.json's chained network has no \"input\"")
resolved.pop("source_file", None)
copy = work / "resolved-network.json"
copy.write_text(json.dumps(resolved, indent=1))
again = run(copy, work / "again")
if again["total"]["cycles"] != want or not again["total"]["verified"]:
    sys.exit(f"FAIL: resolved copy gives {again['total']['cycles']} cycles (verified {again['total']['verified']}), direct {want}")

# 2. A sweep over the chained network: every point runs from its own config/network.json.
sweep = work / "sweep.json"
sweep.write_text(json.dumps({"name": "chained-copies", "description": "a chained network swept over two array sizes",
                             "network": str(net), "axes": {"arch": [str(arch)], "array.rows": [16, 8]}}))
p = subprocess.run([exe, "sweep", str(sweep), "--out", str(work / "sweep-out"), "-j1"], capture_output=True, text=True)
if p.returncode != 0:
    sys.exit(f"FAIL: sweep of a chained network exited {p.returncode}: {p.stderr.strip()[-800:]}")
reports = sorted((work / "sweep-out").rglob("report.json"))
if len(reports) != 2:
    sys.exit(f"FAIL: expected 2 point reports, found {len(reports)}")
cycles = {}
for r in reports:
    rep = json.loads(r.read_text())
    if not rep["total"]["verified"]:
        sys.exit(f"FAIL: {r} is not verified")
    rows = json.loads((r.parent / "resolved-config.json").read_text())["arch"]["array"]["rows"]
    cycles[rows] = rep["total"]["cycles"]
if cycles.get(16) != want:
    sys.exit(f"FAIL: the 16-row point gives {cycles.get(16)} cycles, the direct run {want}")
print(f"ok: direct {want} cycles; resolved copy and the sweep's 16-row point equal it; 8-row point {cycles.get(8)}")

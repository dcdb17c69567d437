#!/usr/bin/env python3
"""The tables `run` and `compare` print, checked against the report.json files they come from,
and -q (nothing on stdout on success) for run, compare and sweep.

Usage: compare_table_test.py SPARSESIM SOURCE_DIR WORK_DIR
"""
import csv
import json
import os
import shutil
import subprocess
import sys

EXE, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
shutil.rmtree(WORK, ignore_errors=True)
os.makedirs(WORK)
ARCH = os.path.abspath(os.path.join(SRC, "configs", "arch"))
NET = os.path.abspath(os.path.join(SRC, "configs", "networks", "gsc.json"))
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def sim(*args):
    return subprocess.run([EXE, *args], capture_output=True, text=True)


def cell_row(out, label):
    """The cells of the table row whose label starts the line (columns split on 2+ spaces)."""
    for line in out.splitlines():
        if line.startswith(label + "  "):
            return [c.strip() for c in line[len(label):].split("  ") if c.strip()]
    return None


def thousands(n):
    return f"{n:,}"


# compare: a design that fits the ZU3EG (cs-small, 256 multipliers) and one that does not
# (dense 32x32: 1,024 multipliers, 360 DSPs on the part).
cmp_dir = os.path.join(WORK, "cmp")
r = sim("compare", "--network", NET, "--layers", "conv2,output", "--arch", os.path.join(ARCH, "cs-small.json"),
        "--arch", os.path.join(ARCH, "dense-32x32.json"), "--set", "fpga_part=zu3eg", "--out", cmp_dir)
check(r.returncode == 0, f"compare exit 0 (got {r.returncode}: {r.stderr.strip()[-300:]})")
out = r.stdout
reports = []
for name in ("cs-small", "dense-32x32"):
    with open(os.path.join(cmp_dir, name, "report.json")) as f:
        reports.append(json.load(f))
head = out.splitlines()[3] if len(out.splitlines()) > 3 else ""
check("cs-small" in head and "* cs-small" not in head and "* dense-32x32" in head, "design names head the columns; the one that does not fit is marked *: " + head.strip())
check(reports[0]["resources"]["fits"] and not reports[1]["resources"]["fits"], "report.json: cs-small fits the ZU3EG, dense 32x32 does not")
check(cell_row(out, "fits") == ["yes", "NO"], f"fits row: {cell_row(out, 'fits')}")
check(cell_row(out, "binding resource") == [x["resources"]["binding_resource"] for x in reports], "binding resource row = report.json")
check(cell_row(out, "copies per part") == [thousands(x["resources"]["copies_per_part"]) for x in reports], "copies per part row = report.json")
check(cell_row(out, "total cycles") == [thousands(x["total"]["cycles"]) for x in reports], "total cycles with thousands separators")
check(any("," in c for c in cell_row(out, "total cycles") or []), "a cycle count above 999 shows its separator")
for i, layer in enumerate(reports[0]["layers"]):
    want = [thousands(x["layers"][i]["cycles"]) for x in reports]
    check(cell_row(out, layer["name"] + " cycles") == want, f"layer {layer['name']} cycles row = report.json {want}")


def slots(rep):
    return sum(l["simulated_cycles"] for l in rep["layers"]) * rep["multipliers"]


issued = [f"{100 * sum(l['macs_issued'] for l in x['layers']) / slots(x):.1f}" for x in reports]
useful = [f"{100 * sum(l['macs_useful'] for l in x['layers']) / slots(x):.1f}" for x in reports]
check(cell_row(out, "util issued (% of MACs)") == issued, f"issued utilisation = macs_issued / (cycles x multipliers): {issued}")
check(cell_row(out, "util useful (% of MACs)") == useful, f"useful utilisation = macs_useful / (cycles x multipliers): {useful}")
check(float(useful[0]) < float(issued[0]), "useful utilisation is below issued on a sparse network")
check(cell_row(out, "DRAM read (bytes)") == [thousands(sum(l["dram_read_bytes"] for l in x["layers"])) for x in reports], "DRAM read row")
check(cell_row(out, "DRAM write (bytes)") == [thousands(sum(l["dram_write_bytes"] for l in x["layers"])) for x in reports], "DRAM write row")
check(cell_row(out, "energy/inference (uJ)") == [f"{1e6 * x['energy']['per_inference_j']:.4g}" for x in reports], "energy per inference row")
# The largest stall cause of each design has a row holding its count.
for x, col in zip(reports, range(2)):
    totals = {}
    for l in x["layers"]:
        for c, n in l["stall_cycles"].items():
            totals[c] = totals.get(c, 0) + n
    top = max(totals, key=totals.get)
    if totals[top] > 0:
        row = cell_row(out, "stall " + top)
        check(row is not None and row[col] == thousands(totals[top]), f"top stall cause {top} of {x['arch']}: {row}")
check("does not fit zu3eg" in out, "the legend says which design does not fit and where")

# -q: nothing on stdout, the reports still written.
q_dir = os.path.join(WORK, "cmp-q")
r = sim("compare", "-q", "--network", NET, "--layers", "output", "--arch", os.path.join(ARCH, "dense-16x16.json"), "--out", q_dir)
check(r.returncode == 0 and r.stdout == "", f"compare -q: exit 0, empty stdout (got {r.returncode}, {r.stdout!r})")
check(r.stderr == "", f"compare -q: no progress lines either ({r.stderr!r})")
check(os.path.isfile(os.path.join(q_dir, "dense-16x16", "report.json")), "compare -q still writes the report")

run_dir = os.path.join(WORK, "run")
r = sim("run", "-q", "--network", NET, "--layers", "output", "--arch", os.path.join(ARCH, "dense-16x16.json"), "--out", run_dir)
check(r.returncode == 0 and r.stdout == "", f"run -q: exit 0, empty stdout (got {r.returncode}, {r.stdout!r})")
check(os.path.isfile(os.path.join(run_dir, "report.json")), "run -q still writes report.json")
r = sim("run", "--network", NET, "--layers", "conv2", "--arch", os.path.join(ARCH, "dense-16x16.json"), "--out", os.path.join(WORK, "run2"))
with open(os.path.join(WORK, "run2", "report.json")) as f:
    rep = json.load(f)
l = rep["layers"][0]
want_useful = f"{100 * l['macs_useful'] / (l['simulated_cycles'] * rep['multipliers']):.1f}"
line = next((x for x in r.stdout.splitlines() if x.startswith("conv2 ")), "")
check("useful %" in r.stdout and want_useful in line.split(), f"run table has the useful utilisation {want_useful}: {line.strip()}")
top = max(l["stall_cycles"], key=l["stall_cycles"].get) if l["stall_cycles"] else "-"
check(top in line.split(), f"run table names the top stall cause {top}")

sweep = os.path.join(WORK, "sweep.json")
with open(sweep, "w") as f:
    json.dump({"name": "q", "arch": os.path.join(ARCH, "dense-16x16.json"), "network": NET,
               "axes": {"layers[*].weight_sparsity": [0.5, 0.9]}}, f)
r = sim("sweep", sweep, "--out", os.path.join(WORK, "sweep-out"), "-q", "-j", "1")
check(r.returncode == 0 and r.stdout == "", f"sweep -q: exit 0, empty stdout (got {r.returncode}, {r.stdout!r}, {r.stderr[-300:]!r})")

print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)

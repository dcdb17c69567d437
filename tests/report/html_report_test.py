#!/usr/bin/python3
"""`sparsesim report`, layers.csv and the new results.csv columns.

  1. The checker itself: a page with an alert and a console error must be flagged (so a pass
     below means something).
  2. A run whose architecture and network descriptions hold markup (<script>alert(1)</script>,
     <img onerror>): report.html holds them only escaped; in headless Chromium the page loads
     with no console error, no dialog, no <script>, <img> or on* handler, and shows tables and
     the inline SVG plot. Screenshot: run.png.
  3. A report.json edited by hand so that names, a stall cause and a source path hold markup
     (names a config can no longer hold, but a report file can): the same checks. crafted.png.
  4. A compare folder and a sweep folder: the same checks. compare.png, sweep.png.
  5. layers.csv beside report.json equals report.json layer by layer (every scalar field,
     integers written as integers); results.csv's macs_useful, utilisations, DRAM read/write
     bytes and stall columns equal the sums over each point's report.json layers.
usage: html_report_test.py <sparsesim binary> <source dir> <scratch dir>
"""
import csv
import json
import os
import re
import shutil
import subprocess
import sys

BIN, SRC, T = os.path.realpath(sys.argv[1]), os.path.realpath(sys.argv[2]), sys.argv[3]
shutil.rmtree(T, ignore_errors=True)
os.makedirs(T)
T = os.path.realpath(T)
CHECK = os.path.join(SRC, "tests", "report", "chromium_check.py")
env = dict(os.environ, SYSTEMC_DISABLE_COPYRIGHT_MESSAGE="1")
HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)> & \"quotes\" 'single'"
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def sim(*args):
    r = subprocess.run([BIN, *args], env=env, capture_output=True, text=True)
    if r.returncode != 0:
        print(r.stdout[-1000:], r.stderr[-1000:])
    return r


def browse(page, shot):
    r = subprocess.run(["/usr/bin/python3", CHECK, page, os.path.join(T, shot)], capture_output=True, text=True)
    try:
        return json.loads(r.stdout)
    except ValueError:
        return {"ok": False, "error": r.stdout + r.stderr}


def page_checks(name, page, shot, want_svg):
    html = open(page, encoding="utf-8").read()
    check("<script" not in html.lower(), f"{name}: no <script in the page source")
    check(not re.search(r"<(img|iframe|object|embed)\b", html, re.I), f"{name}: no img, iframe, object or embed element in the source")
    res = browse(page, shot)
    dom = res.get("dom", {})
    check(res.get("ok") is True, f"{name}: Chromium loaded it with no console error, exception or dialog "
          f"(console {res.get('console')}, dialogs {res.get('dialogs')}, {res.get('error', '')})")
    check(dom.get("script") == 0 and dom.get("img") == 0 and dom.get("iframe") == 0 and dom.get("handlers") == 0,
          f"{name}: DOM has no script, img, iframe or on* handler: {dom}")
    check(dom.get("tables", 0) >= 2, f"{name}: tables rendered ({dom.get('tables')})")
    if want_svg:
        check(dom.get("svg", 0) >= 1, f"{name}: inline SVG plot present ({dom.get('svg')})")
    check(os.path.getsize(os.path.join(T, shot)) > 10000 if os.path.exists(os.path.join(T, shot)) else False, f"{name}: screenshot {shot} saved")
    return html


# 1. The checker catches an alert and a console error.
bad = os.path.join(T, "bad.html")
with open(bad, "w") as f:
    f.write("<!DOCTYPE html><html><body><table><tr><td>x</td></tr></table><script>console.error('e'); alert(1)</script></body></html>")
res = browse(bad, "bad.png")
check(res.get("ok") is False and res.get("dialogs") and res.get("dom", {}).get("script") == 1,
      "the checker flags a page with a script, an alert and a console error")

# 2. A run with markup in the descriptions.
inp = os.path.join(T, "in")
os.makedirs(os.path.join(inp, "arch"))
os.makedirs(os.path.join(inp, "networks"))
arch = json.load(open(os.path.join(SRC, "configs", "arch", "cs-small.json")))
arch["description"] = HOSTILE
net = json.load(open(os.path.join(SRC, "configs", "networks", "gsc.json")))
net["description"] = HOSTILE
A = os.path.join(inp, "arch", "cs-small.json")
N = os.path.join(inp, "networks", "gsc.json")
json.dump(arch, open(A, "w"))
json.dump(net, open(N, "w"))
for sub in ("fpga", "energy"):
    shutil.copytree(os.path.join(SRC, "configs", sub), os.path.join(inp, sub))
run = os.path.join(T, "run")
check(sim("run", "--arch", A, "--network", N, "--out", run, "-q").returncode == 0, "run with markup in the descriptions: exit 0")
r = sim("report", run)
check(r.returncode == 0 and os.path.exists(os.path.join(run, "report.html")), f"report on a run folder: exit {r.returncode}")
html = page_checks("run", os.path.join(run, "report.html"), "run.png", True)
check("&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt; &amp; &quot;quotes&quot; &#39;single&#39;" in html,
      "the description appears, escaped")
check("Sources of constants" in html and "fpga/zu3eg.json" in html and "energy/fpga-ultrascale-plus.json" in html,
      "the sources of the constants are named")
check("Resolved configuration" in html and "clock cycles" in html, "resolved configuration and units shown")

# 3. A hand-edited report.json with markup where names and sources stand.
crafted = os.path.join(T, "crafted")
shutil.copytree(run, crafted)
os.remove(os.path.join(crafted, "report.html"))
rep = json.load(open(os.path.join(crafted, "report.json")))
rep["network"] = "<script>alert(1)</script>"  # the name the issue tried; a network file can no longer hold it
rep["arch"] = "\"><svg onload=alert(4)>"
rep["layers"][0]["name"] = "<img src=x onerror=alert(5)>"
rep["layers"][0]["stall_cycles"] = {"</td><script>alert(6)</script>": 99}
rep["resources"]["part_file"] = "javascript:alert(7)"
rep["units"]["cycles"] = "<iframe src=javascript:alert(8)>"
json.dump(rep, open(os.path.join(crafted, "report.json"), "w"))
r = sim("report", crafted)
check(r.returncode == 0, f"report on a hand-edited report.json: exit {r.returncode}")
html = page_checks("crafted", os.path.join(crafted, "report.html"), "crafted.png", False)
check("&lt;/td&gt;&lt;script&gt;alert(6)&lt;/script&gt; 99" in html, "the hostile stall cause is shown as text")
check("plot(s) left out: the SVG held a script" in html or "<svg" in html, "a plot carrying the markup is left out, and the page says so")

# 4. Compare and sweep folders.
cmp_dir = os.path.join(T, "cmp")
check(sim("compare", "--arch", A, "--arch", os.path.join(SRC, "configs", "arch", "dense-16x16.json"), "--network", N,
          "--out", cmp_dir).returncode == 0, "compare: exit 0")
check(sim("report", cmp_dir).returncode == 0, "report on a compare folder: exit 0")
page_checks("compare", os.path.join(cmp_dir, "report.html"), "compare.png", True)
sweep_file = os.path.join(inp, "sweep.json")
json.dump({"name": "report-test", "description": HOSTILE, "network": "networks/gsc.json",
           "axes": {"arch": ["arch/cs-small.json", os.path.join(SRC, "configs", "arch", "dense-16x16.json")],
                    "layers[conv2].activation_density": [0.1, 0.5]}}, open(sweep_file, "w"))
sweep = os.path.join(T, "sweep")
r = sim("sweep", sweep_file, "--out", sweep, "-j", "2", "-q")
check(r.returncode == 0, f"sweep: exit {r.returncode}")
check(sim("report", sweep).returncode == 0, "report on a sweep folder: exit 0")
page_checks("sweep", os.path.join(sweep, "report.html"), "sweep.png", True)

# Bad folders: exit 2 with the reason, nothing written.
empty = os.path.join(T, "empty")
os.makedirs(empty)
r = sim("report", empty)
check(r.returncode == 2 and "holds no report.json" in r.stderr and os.listdir(empty) == [], "report on an empty folder: exit 2, nothing written")
broken = os.path.join(T, "broken")
os.makedirs(broken)
open(os.path.join(broken, "report.json"), "w").write("{\"arch\": ")
r = sim("report", broken)
check(r.returncode == 2 and "report.json" in r.stderr and sorted(os.listdir(broken)) == ["report.json"],
      "report on a malformed report.json: exit 2 naming the file, nothing written")

# 5. layers.csv and results.csv against report.json.
def flatten(v, prefix, out):
    if isinstance(v, dict):
        for k, x in v.items():
            flatten(x, f"{prefix}.{k}" if prefix else k, out)
    elif isinstance(v, list):
        for i, x in enumerate(v):
            flatten(x, f"{prefix}[{i}]", out)
    else:
        out[prefix] = v
    return out


def same(cell, v):
    if isinstance(v, bool):
        return cell == ("true" if v else "false")
    if isinstance(v, int):
        return cell == str(v)
    if isinstance(v, float):
        return float(cell) == v
    if v is None:
        return cell == "null"
    return cell == v


rep = json.load(open(os.path.join(run, "report.json")))
rows = list(csv.DictReader(open(os.path.join(run, "layers.csv"), newline="")))
check(len(rows) == len(rep["layers"]), f"layers.csv: one row per layer ({len(rows)})")
mism = []
numeric = 0
for row, layer in zip(rows, rep["layers"]):
    flat = flatten(layer, "", {})
    for k, v in flat.items():
        numeric += isinstance(v, (int, float)) and not isinstance(v, bool)
        if k not in row or not same(row[k], v):
            mism.append((layer["name"], k, row.get(k), v))
    mism += [(layer["name"], k, row[k], None) for k in row if k not in flat and row[k] != ""]
check(not mism, f"layers.csv equals report.json in every field ({numeric} numeric cells), integers as integers: {mism[:3]}")

res = list(csv.DictReader(open(os.path.join(sweep, "results.csv"), newline="")))
bad = []
for row in res:
    rep = json.load(open(os.path.join(sweep, row["report"])))
    L = rep["layers"]
    sim_cycles = sum(l["simulated_cycles"] for l in L) * rep["multipliers"]
    want = {"macs_useful": str(rep["total"]["macs_useful"]),
            "dram_read_bytes": str(sum(l["dram_read_bytes"] for l in L)),
            "dram_write_bytes": str(sum(l["dram_write_bytes"] for l in L))}
    causes = {}
    for l in L:
        for c, n in l["stall_cycles"].items():
            causes[c] = causes.get(c, 0) + n
    for c, n in causes.items():
        col = "stall_" + c if "stall_" + c in row else "stall_other"
        if col == "stall_" + c:
            want[col] = str(n)
    for k, v in want.items():
        if row.get(k) != v:
            bad.append((row["point"], k, row.get(k), v))
    for k, num in (("utilization_issued", "macs_issued"), ("utilization_useful", "macs_useful")):
        v = sum(l[num] for l in L) / sim_cycles
        if abs(float(row[k]) - v) > 1e-12 * v:
            bad.append((row["point"], k, row[k], v))
    if sum(int(row[c]) for c in row if c.startswith("stall_")) != sum(causes.values()):
        bad.append((row["point"], "stall total", None, sum(causes.values())))
check(len(res) == 4 and not bad, f"results.csv: new columns equal the sums over each report's layers: {bad[:3]}")

print(f"{0 if failures else 1} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)

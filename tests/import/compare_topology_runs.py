#!/usr/bin/python3
"""A SCALE-Sim topology CSV run in compat mode has exactly the cycles of the same layers as JSON.

usage: compare_topology_runs.py <sparsesim binary> <source dir> <scratch dir>

For tests/import/scalesim/{resnet50-rows,gemm-rows}.csv and their hand-written twins (.json),
runs `sparsesim run` on configs/arch/dense-32x32-scalesim.json, output- and weight-stationary,
and requires per layer: the same name, the same cycles, both verified; and the CSV run's stderr
to carry the reader's notes (ignored columns, bare-comma rows, renamed layers).
"""
import json
import os
import shutil
import subprocess
import sys

BIN, SRC, SCRATCH = sys.argv[1:4]
ARCH = os.path.join(SRC, "configs", "arch", "dense-32x32-scalesim.json")
DIR = os.path.join(SRC, "tests", "import", "scalesim")
NOTES = {"resnet50-rows": ["(Eh, Ew, e2) are not shape fields: ignored", "rows of bare commas ignored: line 2"],
         "gemm-rows": ['"Test 1" is named "Test_1_2" (the name repeats line 4)', "columns after K are not shape fields"]}
shutil.rmtree(SCRATCH, ignore_errors=True)
failures = []


def run(net, df, tag):
    out = os.path.join(SCRATCH, tag)
    p = subprocess.run([BIN, "run", "--arch", ARCH, "--set", "dataflow=" + df, "--network", net, "--out", out, "-q"],
                       capture_output=True, text=True)
    if p.returncode != 0:
        failures.append("%s: exit %d: %s" % (tag, p.returncode, p.stderr.strip()[:300]))
        return None, p.stderr
    return json.load(open(os.path.join(out, "report.json")))["layers"], p.stderr


for twin in ("resnet50-rows", "gemm-rows"):
    for df in ("os", "ws"):
        csv, err = run(os.path.join(DIR, twin + ".csv"), df, twin + "-csv-" + df)
        js, _ = run(os.path.join(DIR, twin + ".json"), df, twin + "-json-" + df)
        for n in NOTES[twin]:
            if n not in err:
                failures.append("%s: no note %r on stderr" % (twin, n))
        if csv is None or js is None:
            continue
        if [l["name"] for l in csv] != [l["name"] for l in js]:
            failures.append("%s %s: layer names differ" % (twin, df))
        for a, b in zip(csv, js):
            if a["cycles"] != b["cycles"] or not a["verified"] or not b["verified"]:
                failures.append("%s %s %s: csv %d cycles (verified %s), json %d (verified %s)" %
                                (twin, df, a["name"], a["cycles"], a["verified"], b["cycles"], b["verified"]))
        print("%s %s: %d layers, %d cycles in both" % (twin, df, len(csv), sum(l["cycles"] for l in csv)))
for f in failures:
    print("FAIL " + f)
sys.exit(1 if failures else 0)

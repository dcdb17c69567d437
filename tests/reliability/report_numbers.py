#!/usr/bin/python3
"""Every number a report holds is a finite number, at both ends of every physical range.

  report_numbers.py <sparsesim binary> <source dir> <scratch dir>

Runs the corpus's small independent and chained networks on every datapath with the clock and the
DRAM bandwidth at the ends of their documented ranges (clock_mhz 1 and 5000, with
--allow-overclock; dram_bytes_per_cycle 0.01 and 1e6; docs/config.md) and checks report.json has
no null, NaN or infinity anywhere, and layers.csv no "nan", "inf" or empty cell in a number column.
A parameter outside its range is refused (tests/malformed), so these ends are the extremes a
report can see. About 3 s.
"""
import copy
import csv
import json
import math
import os
import subprocess
import sys

BIN, SRC, SCRATCH = (os.path.abspath(a) for a in sys.argv[1:4])
sys.path.insert(0, os.path.join(SRC, "tests", "malformed"))
import gen_cases as G  # noqa: E402  (the corpus's valid base inputs)

os.makedirs(SCRATCH, exist_ok=True)
nets = {"independent": G.BASE_NET, "chained": G.CHAIN_NET}
for k, v in nets.items():
    with open(os.path.join(SCRATCH, k + ".json"), "w") as f:
        json.dump(v, f)


def non_finite(x, path, bad):
    if x is None:
        bad.append(path + " = null")
    elif isinstance(x, float) and not math.isfinite(x):
        bad.append("%s = %r" % (path, x))
    elif isinstance(x, dict):
        for k, v in x.items():
            non_finite(v, path + "." + k, bad)
    elif isinstance(x, list):
        for i, v in enumerate(x):
            non_finite(v, "%s[%d]" % (path, i), bad)


def strict_json(text):
    def refuse(name):
        raise ValueError("non-standard JSON constant " + name)
    return json.loads(text, parse_constant=refuse)


failures, runs = [], 0
for datapath in ("dense", "cs", "sod", "sparse_pe"):
    for clock, bw in ((1, 0.01), (5000, 1e6), (1, 1e6), (5000, 0.01)):
        arch = copy.deepcopy(G.BASE_ARCH)
        arch.update(datapath=datapath, clock_mhz=clock)
        arch["memory"]["dram_bytes_per_cycle"] = bw
        af = os.path.join(SCRATCH, "arch.json")
        with open(af, "w") as f:
            json.dump(arch, f)
        for net in nets:
            tag = "%s clock %g MHz, %g B/cycle, %s" % (datapath, clock, bw, net)
            out = os.path.join(SCRATCH, "out")
            p = subprocess.run([BIN, "run", "--arch", af, "--network", os.path.join(SCRATCH, net + ".json"), "--out", out,
                                "--allow-overclock", "-q"], capture_output=True, text=True)
            runs += 1
            if p.returncode != 0:
                failures.append("%s: exit %d: %s" % (tag, p.returncode, p.stderr.strip()[:200]))
                continue
            bad = []
            try:
                non_finite(strict_json(open(os.path.join(out, "report.json")).read()), "report", bad)
            except ValueError as e:
                bad.append(str(e))
            with open(os.path.join(out, "layers.csv")) as f:
                for r, row in enumerate(csv.DictReader(f)):
                    for k, v in row.items():
                        if v is not None and v.strip().lower() in ("nan", "inf", "-inf", "infinity", "null"):
                            bad.append("layers.csv row %d %s = %s" % (r + 1, k, v))
            if bad:
                failures.append("%s: %s" % (tag, "; ".join(bad[:5])))

for f in failures:
    print("FAIL " + f)
print("%d runs, %d failed" % (runs, len(failures)))
sys.exit(1 if failures or runs == 0 else 0)

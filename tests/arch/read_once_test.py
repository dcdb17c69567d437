#!/usr/bin/python3
"""A run reads each of its input files exactly once (docs/architecture.md, "resolve"): the
architecture and network files, the weights .npy, the FPGA part, both energy tables, the FPGA and
ASIC calibrations and the ASIC node. `sparsesim run` (with a trace, so the trace request is
resolved too) runs under `strace -f`, which logs every open of every process; each input file must
have been opened for reading once, and every one of them must have been opened (so the check cannot
pass by watching the wrong files).

usage: read_once_test.py <sparsesim binary> <source dir> <scratch dir>
"""
import collections
import json
import os
import re
import shutil
import subprocess
import sys

import numpy as np

BIN, SRC, T = os.path.realpath(sys.argv[1]), os.path.realpath(sys.argv[2]), sys.argv[3]
shutil.rmtree(T, ignore_errors=True)
os.makedirs(T)
T = os.path.realpath(T)
IN = os.path.join(T, "in")
for sub in ("arch", "fpga", "energy"):
    shutil.copytree(os.path.join(SRC, "configs", sub), os.path.join(IN, sub))
os.makedirs(os.path.join(IN, "networks"))
# Two layers, the first with a weights file (OIHW int8), the second generated from the seed.
np.save(os.path.join(IN, "networks", "w.npy"), (np.arange(8 * 3 * 3 * 3) % 7 - 3).astype(np.int8).reshape(8, 3, 3, 3))
NET = os.path.join(IN, "networks", "net.json")
with open(NET, "w") as f:
    json.dump({"name": "read-once", "input": {"channels": 3, "height": 8, "width": 8},
               "layers": [{"name": "c1", "type": "conv2d", "in_channels": 3, "out_channels": 8, "in_h": 8, "in_w": 8,
                           "kernel_h": 3, "kernel_w": 3, "padding": 1, "weights": "w.npy", "activation_density": 0.5},
                          {"name": "c2", "type": "conv2d", "in_channels": 8, "out_channels": 8, "in_h": 8, "in_w": 8,
                           "kernel_h": 3, "kernel_w": 3, "padding": 1, "weight_sparsity": 0.5, "activation_density": 0.5}]}, f)
ARCH = os.path.join(IN, "arch", "dense-16x16.json")
# The FPGA energy table, so that both energy tables are read (the ASIC one gives the area per primitive).
SETS = ["--set", 'energy_table="fpga-ultrascale-plus"']
EXPECT = [ARCH, NET, os.path.join(IN, "networks", "w.npy"), os.path.join(IN, "fpga", "u250.json"),
          os.path.join(IN, "energy", "asic-45nm-horowitz.json"), os.path.join(IN, "energy", "fpga-ultrascale-plus.json"),
          os.path.join(SRC, "configs", "calibration", "yosys-xc7.json"),
          os.path.join(SRC, "configs", "calibration", "yosys-asic-generic.json"),
          os.path.join(SRC, "configs", "asic", "45nm.json")]

OPEN = re.compile(r'^(?:\d+ +)?(?:open|openat)\((?:AT_FDCWD|-?\d+), "((?:[^"\\]|\\.)*)", ([A-Z_|]+)[,)].* = (-?\d+)')
LOG = os.path.join(T, "strace.log")
cmd = ["strace", "-f", "-qq", "-e", "trace=open,openat", "-o", LOG, BIN, "run", "--arch", ARCH, "--network", NET,
       "--out", os.path.join(T, "out"), "--trace", os.path.join(T, "trace"), "-q"] + SETS
p = subprocess.run(cmd, cwd=T, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
if p.returncode != 0:
    sys.exit("FAIL: the run exited %d\n%s%s" % (p.returncode, p.stdout, p.stderr))

opens = collections.Counter()
for line in open(LOG, encoding="utf-8", errors="replace"):
    m = OPEN.match(line)
    if not m or int(m.group(3)) < 0 or "O_WRONLY" in m.group(2) or "O_RDWR" in m.group(2):
        continue
    path = os.path.normpath(os.path.join(T, m.group(1)))
    if path.startswith(IN + os.sep) or path.startswith(os.path.join(SRC, "configs") + os.sep):
        opens[path] += 1

fails = []
for f in EXPECT:
    if opens[f] != 1:
        fails.append("%s opened %d times, want once" % (os.path.relpath(f, T) if f.startswith(T) else os.path.relpath(f, SRC), opens[f]))
for f, n in sorted(opens.items()):
    if f not in EXPECT and n != 1:
        fails.append("%s opened %d times, want once" % (f, n))
for f in fails:
    print("FAIL:", f)
if fails:
    sys.exit(1)
print("ok: %d input files, each opened once" % len(opens))

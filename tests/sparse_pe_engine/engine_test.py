#!/usr/bin/python3
"""Whole runs of the sparse-PE datapath on its default engine (SparsePeArrayCore::runFold) and on
the engine that steps every PE every cycle (runFoldReference, selected by
SPARSESIM_SPARSE_PE_ENGINE=stepped): report.json and layers.csv must be identical (total and
per-layer cycles, stalls, every sparse_pe counter, energy, verification) and so must every
tensor of --dump-tensors (each layer's raw output, each node's value after its post-ops). The
default engine runs twice: on the SystemC thread alone (SPARSESIM_THREADS=1) and with its folds
computed ahead by three worker threads (SPARSESIM_THREADS=4, SparsePeFoldPool); the stepped
engine runs on the SystemC thread.

Runs: configs/networks/gsc-chained.json (chained: max-pool, k-WTA, flatten, linear) on
sparse-pe-16x16, ResNet-50 layer3.0.conv2 (3x3 stride 2, padded border pixels in every tile) on
sparse-pe-16x16 and layer4.0.conv2 (3x3, 7x7 output) on an 8x8 array with FIFO depth 3, match
width 2 and one pair per cycle.

usage: engine_test.py SPARSESIM SOURCE_DIR WORK_DIR     (about 7 s of CPU)
"""
import filecmp
import os
import shutil
import subprocess
import sys

BIN, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
RUNS = [
    ("gsc-chained", ["--arch", "configs/arch/sparse-pe-16x16.json", "--network", "configs/networks/gsc-chained.json"]),
    ("resnet50-16x16", ["--arch", "configs/arch/sparse-pe-16x16.json", "--network", "configs/networks/resnet50.json",
                        "--layers", "layer3.0.conv2"]),
    ("resnet50-8x8", ["--arch", "configs/arch/sparse-pe-16x16.json", "--network", "configs/networks/resnet50.json",
                      "--layers", "layer4.0.conv2", "--set", "array.rows=8", "--set", "array.cols=8",
                      "--set", "sparse_pe.fifo_depth=3", "--set", "sparse_pe.match_width=2",
                      "--set", "sparse_pe.bus_pairs_per_cycle=1"]),
]


def run(name, args, engine):
    out = os.path.join(WORK, name, engine)
    dump = os.path.join(WORK, name, engine + "-tensors")
    env = dict(os.environ, SYSTEMC_DISABLE_COPYRIGHT_MESSAGE="1")
    env.pop("SPARSESIM_SPARSE_PE_ENGINE", None)
    env["SPARSESIM_THREADS"] = "4" if engine == "fast-pool" else "1"
    if engine == "stepped":
        env["SPARSESIM_SPARSE_PE_ENGINE"] = "stepped"
    r = subprocess.run([BIN, "run", *args, "-q", "--out", out, "--dump-tensors", dump], cwd=SRC, env=env,
                       capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"FAIL {name} {engine}: exit {r.returncode}\n{r.stderr}")
    return out, dump


def same_tree(a, b):
    """Names of files that differ or exist on one side only."""
    bad = []
    for root, _, files in os.walk(a):
        for f in files:
            p = os.path.join(root, f)
            q = os.path.join(b, os.path.relpath(p, a))
            if not os.path.exists(q) or not filecmp.cmp(p, q, shallow=False):
                bad.append(os.path.relpath(p, a))
    for root, _, files in os.walk(b):
        for f in files:
            if not os.path.exists(os.path.join(a, os.path.relpath(os.path.join(root, f), b))):
                bad.append(os.path.relpath(os.path.join(root, f), b))
    return bad


shutil.rmtree(WORK, ignore_errors=True)
failed = 0
for name, args in RUNS:
    so, sd = run(name, args, "stepped")
    for engine in ("fast", "fast-pool"):
        fo, fd = run(name, args, engine)
        bad = [f for f in ("report.json", "layers.csv") if not filecmp.cmp(os.path.join(fo, f), os.path.join(so, f), shallow=False)]
        bad += same_tree(fd, sd)
        npy = sum(len([f for f in fs if f.endswith(".npy")]) for _, _, fs in os.walk(fd))
        if npy == 0:
            bad.append("no tensors dumped")
        if '"verified": true' not in open(os.path.join(fo, "report.json")).read().replace('"verified":true', '"verified": true'):
            bad.append("report not verified")
        if bad:
            failed += 1
            print(f"FAIL {name} {engine}: differ from stepped: {', '.join(bad)}")
        else:
            print(f"ok   {name} {engine}: report.json, layers.csv and {npy} tensors identical to stepped")
print(f"{2 * len(RUNS) - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)

#!/usr/bin/env python3
"""What --set, --vary and sweep files reach (docs/config.md, docs/sweeps.md): network paths with
errors naming the network file, zip groups that repeat a value, the dataflow default, sections
for another datapath (warning; error with --strict), the sized design in an iso --dry-run, and
the fpga_part of every shipped architecture.

Usage: reach_test.py SPARSESIM SOURCE_DIR WORK_DIR
"""
import glob
import json
import os
import shutil
import subprocess
import sys

EXE, SRC, WORK = sys.argv[1], os.path.abspath(sys.argv[2]), sys.argv[3]
shutil.rmtree(WORK, ignore_errors=True)
os.makedirs(WORK)
ARCH = os.path.join(SRC, "configs", "arch")
NET = os.path.join(SRC, "configs", "networks", "gsc.json")
DENSE = os.path.join(ARCH, "dense-16x16.json")
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def sim(*args):
    return subprocess.run([EXE, *args], capture_output=True, text=True)


def resolved(out):
    with open(os.path.join(out, "resolved-config.json")) as f:
        return json.load(f)


def write(name, obj):
    p = os.path.join(WORK, name)
    with open(p, "w") as f:
        json.dump(obj, f)
    return p


# Network paths in --set.
out = os.path.join(WORK, "net-set")
r = sim("run", "-q", "--arch", DENSE, "--network", NET, "--layers", "conv2,output", "--out", out,
        "--set", "layers[*].weight_sparsity=0.7", "--set", "layers[conv2].activation_density=0.5")
check(r.returncode == 0, f"run --set on network paths: exit 0 ({r.stderr.strip()[-200:]})")
if r.returncode == 0:
    layers = resolved(out)["network"]["layers"]
    check([l["weight_sparsity"] for l in layers] == [0.7, 0.7], "layers[*].weight_sparsity reaches every layer")
    check(layers[0]["activation_density"] == 0.5 and layers[1]["activation_density"] == 0.1, "layers[conv2] reaches conv2 only")
for args, path in ((["--set", "layers[conv9].weight_sparsity=0.5"], "layers[conv9]"),
                   (["--set", "layers[*].weight_sparsity=2"], "layers[0].weight_sparsity"),
                   (["--set", "layers[1].kernal_h=3"], "layers[1]")):
    r = sim("run", "--arch", DENSE, "--network", NET, "--out", os.path.join(WORK, "bad"), *args)
    check(r.returncode == 2 and "gsc.json" in r.stderr and path in r.stderr and "dense-16x16" not in r.stderr,
          f"{args[1]}: exit 2 naming the network file and {path} ({r.returncode}: {r.stderr.strip()[:160]})")
check(not os.path.exists(os.path.join(WORK, "bad")), "a refused --set writes nothing")
cmp = os.path.join(WORK, "cmp")
r = sim("compare", "-q", "--arch", DENSE, "--network", NET, "--layers", "output", "--out", cmp,
        "--vary", "layers[*].weight_sparsity=0.5,0.9")
dirs = sorted(os.listdir(cmp)) if os.path.isdir(cmp) else []
check(r.returncode == 0 and len(dirs) == 2, f"compare --vary on a network path: two variants ({r.returncode}, {dirs})")
if len(dirs) == 2:
    got = sorted(resolved(os.path.join(cmp, d))["network"]["layers"][0]["weight_sparsity"] for d in dirs)
    check(got == [0.5, 0.9], f"each variant ran its weight sparsity ({got})")

# Zip groups: a value may repeat when the tuples differ; a repeated tuple is refused.
zip_ok = write("zip-ok.json", {"name": "zip-ok", "arch": DENSE, "network": NET,
                               "axes": {"array.rows": [16, 16, 8], "array.cols": [8, 32, 8]}, "zip": [["array.rows", "array.cols"]]})
r = sim("sweep", zip_ok, "--dry-run")
check(r.returncode == 0 and "3 points" in r.stdout, f"zip with a repeated value, distinct tuples: 3 points ({r.returncode}: {r.stderr.strip()[:160]})")
zip_bad = write("zip-bad.json", {"name": "zip-bad", "arch": DENSE, "network": NET,
                                 "axes": {"array.rows": [16, 16], "array.cols": [8, 8]}, "zip": [["array.rows", "array.cols"]]})
r = sim("sweep", zip_bad, "--dry-run")
check(r.returncode == 2 and "zip" in r.stderr and "repeat the tuple" in r.stderr, f"a repeated zip tuple: exit 2 ({r.stderr.strip()[:200]})")
plain = write("plain-dup.json", {"name": "plain-dup", "arch": DENSE, "network": NET, "axes": {"array.rows": [16, 16]}})
r = sim("sweep", plain, "--dry-run")
check(r.returncode == 2 and 'axes["array.rows"][1]' in r.stderr, f"an unzipped axis still refuses a repeated value ({r.stderr.strip()[:160]})")

# dataflow: defaults where the datapath has one; required where it has several.
with open(os.path.join(ARCH, "cs-small.json")) as f:
    cs = json.load(f)
cs.pop("dataflow")
cs_file = write("cs-no-dataflow.json", cs)
out = os.path.join(WORK, "cs-df")
r = sim("run", "-q", "--arch", cs_file, "--network", NET, "--layers", "output", "--out", out)
check(r.returncode == 0 and resolved(out)["arch"]["dataflow"] == "os", f"cs without dataflow runs os ({r.stderr.strip()[:160]})")
with open(DENSE) as f:
    dense = json.load(f)
dense.pop("dataflow")
r = sim("run", "--arch", write("dense-no-dataflow.json", dense), "--network", NET, "--out", os.path.join(WORK, "bad"))
check(r.returncode == 2 and "dense-no-dataflow.json" in r.stderr and "dataflow" in r.stderr and "os" in r.stderr and "ws" in r.stderr,
      f"dense without dataflow: exit 2 naming the choices ({r.stderr.strip()[:200]})")

# A section for another datapath: a warning, or with --strict an error.
cs["sod"] = {"nnz_per_cycle": 4}
foreign = write("cs-with-sod.json", cs)
out = os.path.join(WORK, "foreign")
r = sim("run", "-q", "--arch", foreign, "--network", NET, "--layers", "output", "--out", out)
check(r.returncode == 0 and "warning" in r.stderr and "sod" in r.stderr and "cs-with-sod.json" in r.stderr,
      f"a sod section in a cs file: warning on stderr, exit 0 ({r.returncode}: {r.stderr.strip()[:200]})")
r = sim("run", "--strict", "--arch", foreign, "--network", NET, "--layers", "output", "--out", os.path.join(WORK, "bad"))
check(r.returncode == 2 and "cs-with-sod.json" in r.stderr and "sod" in r.stderr, f"--strict: exit 2 ({r.stderr.strip()[:200]})")
r = sim("compare", "-q", "--strict", "--arch", foreign, "--network", NET, "--layers", "output", "--out", os.path.join(WORK, "bad"))
check(r.returncode == 2, f"compare --strict: exit 2 ({r.returncode})")
check(not os.path.exists(os.path.join(WORK, "bad")), "refused runs write nothing")

# An iso sweep's --dry-run shows each point's sized design.
iso = write("iso.json", {"name": "iso", "arch": os.path.join(SRC, "configs", "sweeps", "iso-u250-base-arch.json"), "network": NET,
                         "axes": {"datapath": ["dense", "sparse_pe"]}, "iso": {"part": "u250", "fraction": 0.5}})
r = sim("sweep", iso, "--dry-run")
sized = [l for l in r.stdout.splitlines() if l.strip().startswith("sized:")]
check(r.returncode == 0 and len(sized) == 2, f"iso --dry-run: one sized line per point ({len(sized)}; {r.stderr.strip()[:160]})")
check(all("x" in l and "multipliers" in l and "LUT" in l for l in sized), "each sized line gives the array, multipliers and resources")

# sweep --merge takes the sweep folder's lock: refused (exit 2, the pid named) while it is held.
import fcntl
one = write("one.json", {"name": "one", "arch": DENSE, "network": NET, "axes": {"layers[*].weight_sparsity": [0.5]}})
sweep_out = os.path.join(WORK, "one-out")
r = sim("sweep", one, "--out", sweep_out, "-q", "-j", "1")
check(r.returncode == 0, f"a one-point sweep runs ({r.stderr.strip()[-160:]})")
with open(os.path.join(sweep_out, ".sparsesim-lock"), "a+") as holder:
    fcntl.flock(holder, fcntl.LOCK_SH | fcntl.LOCK_NB)
    r = sim("sweep", "--merge", sweep_out)
    check(r.returncode == 2 and "in use" in r.stderr, f"merge while the folder is locked: exit 2 ({r.returncode}: {r.stderr.strip()[:160]})")
r = sim("sweep", "--merge", sweep_out)
check(r.returncode == 0, f"merge once the lock is free: exit 0 ({r.returncode}: {r.stderr.strip()[:160]})")

# Every shipped architecture names the FPGA part it is judged on.
for f in sorted(glob.glob(os.path.join(ARCH, "*.json"))):
    with open(f) as fh:
        check("fpga_part" in json.load(fh), f"{os.path.basename(f)} names its fpga_part")

print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)

#!/usr/bin/env python3
"""Clock and DRAM in physical units (docs/config.md): with memory.dram_gbps fixed, a DRAM-bound
layer takes twice the cycles at twice the clock (the same seconds: GB/s do not grow with the
clock); the older memory.dram_bytes_per_cycle is converted; a clock above the part's timing
limit is exit 2 unless --allow-overclock, and report.json says how the clock meets it.

Usage: clock_test.py SPARSESIM SOURCE_DIR WORK_DIR
"""
import json
import os
import shutil
import subprocess
import sys

EXE, SRC, WORK = sys.argv[1], os.path.abspath(sys.argv[2]), sys.argv[3]
shutil.rmtree(WORK, ignore_errors=True)
os.makedirs(WORK)
DENSE = os.path.join(SRC, "configs", "arch", "dense-16x16.json")
NET = os.path.join(SRC, "configs", "networks", "gsc.json")
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def run(name, *sets, extra=()):
    out = os.path.join(WORK, name)
    args = [EXE, "run", "-q", "--arch", DENSE, "--network", NET, "--layers", "linear", "--out", out, *extra]
    for s in sets:
        args += ["--set", s]
    r = subprocess.run(args, capture_output=True, text=True)
    rep = None
    if r.returncode == 0:
        with open(os.path.join(out, "report.json")) as f:
            rep = json.load(f)
    return r, rep


# The linear layer's 1.6 MB of int8 weights over a starved DRAM (0.2 GB/s): DRAM-bound.
r1, a = run("c100", "clock_mhz=100", "memory.dram_gbps=0.2")
r2, b = run("c200", "clock_mhz=200", "memory.dram_gbps=0.2")
check(a is not None and b is not None, f"both clocks run ({r1.stderr.strip()[-200:]} {r2.stderr.strip()[-200:]})")
if a and b:
    la, lb = a["layers"][0], b["layers"][0]
    check(la["dram_read_bytes"] == lb["dram_read_bytes"], "the same DRAM bytes at both clocks")
    stall_a, stall_b = la["stall_cycles"].get("dram_operands", 0), lb["stall_cycles"].get("dram_operands", 0)
    check(stall_a > 0.8 * la["cycles"], f"DRAM-bound: {stall_a} of {la['cycles']} cycles wait for DRAM")
    # Bytes per cycle halve at twice the clock: DRAM-bound cycles double (to within the compute
    # cycles, which stay the same), so seconds stay the same.
    bound = la["dram_read_bytes"] / (0.2e9 / 100e6)
    check(abs(la["cycles"] - bound) / bound < 0.05, f"100 MHz: cycles {la['cycles']} ~ bytes / (GB/s / clock) = {bound:.0f}")
    check(abs(lb["cycles"] / la["cycles"] - 2) < 0.05, f"cycles scale with the clock: {la['cycles']} -> {lb['cycles']}")
    check(abs(b["total"]["seconds"] / a["total"]["seconds"] - 1) < 0.05, "seconds stay the same (GB/s constant)")
    rc = json.load(open(os.path.join(WORK, "c200", "resolved-config.json")))["arch"]["memory"]
    check(rc.get("dram_gbps") == 0.2 and "dram_bytes_per_cycle" not in rc, f"resolved config holds dram_gbps ({rc})")
    check(b["timing"]["clock_mhz"] == 200 and b["timing"]["fmax_mhz"] > 0 and b["timing"]["meets"] is True, f"report timing: {b['timing']}")

# The older key, converted at the file's clock: 1 B/cycle at 200 MHz = 0.2 GB/s, the run above.
with open(DENSE) as f:
    arch = json.load(f)
arch["memory"].pop("dram_gbps")
arch["memory"]["dram_bytes_per_cycle"] = 1
old = os.path.join(WORK, "old-key.json")
with open(old, "w") as f:
    json.dump(arch, f)
out = os.path.join(WORK, "old")
r = subprocess.run([EXE, "run", "-q", "--arch", old, "--network", NET, "--layers", "linear", "--out", out], capture_output=True, text=True)
check(r.returncode == 0, f"memory.dram_bytes_per_cycle is still accepted ({r.stderr.strip()[-200:]})")
if r.returncode == 0 and b:
    rep = json.load(open(os.path.join(out, "report.json")))
    rc = json.load(open(os.path.join(out, "resolved-config.json")))["arch"]["memory"]
    check(rc.get("dram_gbps") == 0.2, f"converted to 0.2 GB/s ({rc.get('dram_gbps')})")
    check(rep["layers"][0]["cycles"] == b["layers"][0]["cycles"], "the same cycles as 0.2 GB/s at 200 MHz")
arch["memory"]["dram_gbps"] = 0.2
both = os.path.join(WORK, "both-keys.json")
with open(both, "w") as f:
    json.dump(arch, f)
r = subprocess.run([EXE, "run", "--arch", both, "--network", NET, "--out", os.path.join(WORK, "bad")], capture_output=True, text=True)
check(r.returncode == 2 and "both-keys.json" in r.stderr and "dram" in r.stderr, f"both keys: exit 2 ({r.stderr.strip()[:200]})")

# Timing limit: 50,000 MHz on the ZU3EG, and a clock above its fmax, are exit 2; --allow-overclock runs the latter.
for clock in ("50000", "800"):
    r, _ = run("over" + clock, "fpga_part=zu3eg", "clock_mhz=" + clock)
    check(r.returncode == 2 and "clock_mhz" in r.stderr and "dense-16x16.json" in r.stderr, f"{clock} MHz on zu3eg: exit 2 ({r.stderr.strip()[:220]})")
r, _ = run("over800", "fpga_part=zu3eg", "clock_mhz=800")
check("timing limit" in r.stderr and "--allow-overclock" in r.stderr, "the message names the timing limit and the way out")
r, rep = run("over800-ok", "fpga_part=zu3eg", "clock_mhz=800", extra=("--allow-overclock",))
check(r.returncode == 0 and rep["timing"]["meets"] is False, f"--allow-overclock runs it; report timing.meets false ({r.returncode})")
check(not os.path.exists(os.path.join(WORK, "bad")) and not os.path.exists(os.path.join(WORK, "over800")), "refused runs write nothing")

print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)

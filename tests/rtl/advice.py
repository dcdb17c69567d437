#!/usr/bin/python3
"""Every piece of advice tools/validate-rtl prints is a command that works.

usage: advice.py SPARSESIM TRACES_DIR WORK_DIR

Each case gives tools/validate-rtl a trace that does not fit the RTL. The tool must refuse it
(exit 2) before building anything, and print advice; every indented line of the advice is a
command, and running them in order must succeed: sparsesim writes the advised trace (exit 0) and
each advised tools/validate-rtl run passes (exit 0, PASS).
  1. pe_array RTL against a CS trace (the cs datapath has no pe_array)
  2. the 4x4 pe_array RTL against a 2x4 trace (rebuild with -GROWS=2, or trace a 4x4 array)
  3. the mac_array RTL against a CS trace written without mac_array
  4. the output-stationary pe_array RTL against a weight-stationary trace
  5. the bitonic k-WTA RTL against a trace of the threshold circuit
  6. the weight_sram RTL with its data ports against a trace without the lanes' records
"""
import os
import shlex
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOL = os.path.join(ROOT, "tools", "validate-rtl")
RTL = os.path.join(ROOT, "traces", "rtl")


def run(cmd, env):
    print("$ " + shlex.join(cmd), flush=True)
    p = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT, timeout=900)
    sys.stdout.write(p.stdout + p.stderr)
    return p


def case(name, cmd, keep, env):
    print(f"--- {name}")
    subprocess.run(["rm", "-rf", keep], check=True)  # an earlier run's build must not count
    p = run(cmd + ["--keep", keep, "--jobs", "2"], env)
    if p.returncode != 2 or "ERROR validate-rtl:" not in p.stderr:
        sys.exit(f"FAIL {name}: expected exit 2 and an ERROR, got exit {p.returncode}")
    if os.path.isdir(os.path.join(keep, "obj")):
        sys.exit(f"FAIL {name}: the mismatch was found only after a Verilator build")
    advice = [shlex.split(line) for line in p.stderr.splitlines() if line.startswith("  ")]
    if not advice:
        sys.exit(f"FAIL {name}: no advice to follow")
    for c in advice:
        q = run(c, env)
        if q.returncode != 0:
            sys.exit(f"FAIL {name}: advised command exited {q.returncode}: {shlex.join(c)}")
        if c[0].endswith("validate-rtl") and "PASS" not in q.stdout:
            sys.exit(f"FAIL {name}: advised check did not pass: {shlex.join(c)}")
    print(f"ok: {name}: {len(advice)} advised commands ran and passed")


def main():
    sparsesim, traces, work = sys.argv[1:4]
    env = dict(os.environ, SPARSESIM=sparsesim, SYSTEMC_DISABLE_COPYRIGHT_MESSAGE="1")
    os.makedirs(work, exist_ok=True)
    # Fresh copies: the advised traces are written next to the given ones.
    for t in ("cs_jsonl", "dense_2x4_jsonl", "dense_ws_jsonl", "cs_sram_jsonl"):
        subprocess.run(["rm", "-rf", os.path.join(work, t)], check=True)
        subprocess.run(["cp", "-r", os.path.join(traces, t), os.path.join(work, t)], check=True)
    pe = ["--block", "pe_array", "--top", "pe_array", "--rtl", os.path.join(RTL, "pe_array.v"), os.path.join(RTL, "mac_pe.v")]
    case("pe_array on a cs trace", [TOOL, *pe, "--trace", os.path.join(work, "cs_jsonl")], os.path.join(work, "b1"), env)
    case("4x4 pe_array on a 2x4 trace", [TOOL, *pe, "--trace", os.path.join(work, "dense_2x4_jsonl")], os.path.join(work, "b2"), env)
    kw = os.path.join(work, "cs_kwta_only")
    subprocess.run(["rm", "-rf", kw], check=True)
    p = run([sparsesim, "run", "--arch", os.path.join(ROOT, "tests", "rtl", "configs", "cs-2x4.json"), "--network",
             os.path.join(ROOT, "tests", "rtl", "configs", "tiny-gsc.json"), "--trace", kw, "--trace-blocks", "kwta_selector", "-q",
             "--out", kw + "-run"], env)
    if p.returncode != 0:
        sys.exit("FAIL: could not write the kwta_selector-only trace")
    case("mac_array on a trace without it", [TOOL, "--block", "mac_array", "--top", "cs_mac_slice", "--rtl", os.path.join(RTL, "cs_mac_slice.v"),
                                             "--trace", kw], os.path.join(work, "b3"), env)
    case("os pe_array on a ws trace", [TOOL, *pe, "--trace", os.path.join(work, "dense_ws_jsonl")], os.path.join(work, "b4"), env)
    case("weight_sram data ports on a trace without mac_array", [TOOL, "--block", "weight_sram", "--top", "weight_sram_data", "--rtl",
                                                                 os.path.join(RTL, "weight_sram_data.v"), os.path.join(RTL, "weight_sram_banks.v"),
                                                                 "--trace", os.path.join(work, "cs_sram_jsonl")], os.path.join(work, "b6"), env)
    case("kwta_bitonic on a threshold trace", [TOOL, "--block", "kwta_bitonic", "--top", "kwta_bitonic", "--rtl",
                                               os.path.join(RTL, "kwta_bitonic.v"), "--trace", os.path.join(work, "cs_jsonl")],
         os.path.join(work, "b5"), env)


if __name__ == "__main__":
    main()

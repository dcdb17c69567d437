#!/usr/bin/python3
"""The whole dense output-stationary datapath RTL runs every layer of a model run cycle-exact.

usage: dense_datapath.py TESTBENCH TRACE_DIR RUN_DIR DUMP_DIR

The three directories are one `sparsesim run --trace TRACE_DIR --trace-blocks pe_array --out
RUN_DIR --dump-tensors DUMP_DIR` of an output-stationary dense architecture in SCALE-Sim
compatibility (ideal memory). TESTBENCH (traces/checker/run_dense_datapath.cpp verilated with
traces/rtl/dense_os_datapath.v) runs each layer from the trace's operands; this script passes when,
for every layer, the RTL's outputs equal the model's dumped output.npy element for element and
the RTL's cycle count equals the model's simulated_cycles in report.json, and when the layers
include at least three GEMM shapes and a partial tile (a dimension that is not a multiple of the
array's). It prints both cycle counts per layer.
"""
import json
import os
import subprocess
import sys

import numpy as np


def main():
    tb, trace, run, dump = sys.argv[1:5]
    out = os.path.join(run, "rtl-datapath.json")
    p = subprocess.run([tb, "--trace", trace, "--out", out], capture_output=True, text=True, timeout=600)
    sys.stdout.write(p.stdout + p.stderr)
    if p.returncode != 0:
        sys.exit(f"FAIL: the testbench exited {p.returncode}")
    rtl = json.load(open(out))
    report = json.load(open(os.path.join(run, "report.json")))
    rows, cols = rtl["rows"], rtl["cols"]
    failures, shapes, partial = [], set(), False
    for L in rtl["layers"]:
        lr = report["layers"][L["layer"]]
        y = np.load(os.path.join(dump, lr["name"], "output.npy"))  # (1, out_c, out_h, out_w)
        y = y.reshape(y.shape[1], -1)  # channel x pixel
        bad = total = 0
        for g in L["groups"]:
            m, n = g["m"], g["n"]
            c = np.array(g["c"], dtype=np.int64).reshape(m, n)  # pixel x channel of the group
            want = y[g["group"] * n:(g["group"] + 1) * n, :].T.astype(np.int64)
            if want.shape != c.shape:
                sys.exit(f"FAIL: layer {lr['name']} group {g['group']}: RTL output {c.shape}, model output {want.shape}")
            bad += int((c != want).sum())
            total += c.size
            shapes.add((m, g["k"], n))
            partial = partial or m % rows != 0 or n % cols != 0
        model = lr["simulated_cycles"]
        print(f"layer {lr['name']}: model {model} cycles (report.json simulated_cycles; layers[].cycles {lr['cycles']}), "
              f"RTL {L['cycles']} cycles; outputs {total - bad}/{total} equal")
        if bad:
            failures.append(f"{lr['name']}: {bad} of {total} outputs differ")
        if L["cycles"] != model:
            failures.append(f"{lr['name']}: RTL {L['cycles']} cycles, model {model}")
    if len(rtl["layers"]) != len(report["layers"]):
        failures.append(f"the RTL ran {len(rtl['layers'])} layers, the model {len(report['layers'])}")
    if len(shapes) < 3 or not partial:
        failures.append(f"the run covers {len(shapes)} GEMM shapes{'' if partial else ' and no partial tile'}: it shows too little")
    if failures:
        sys.exit("FAIL: " + "; ".join(failures))
    print(f"ok: {len(rtl['layers'])} layers on the {rows}x{cols} datapath RTL: outputs equal and cycle counts equal")


if __name__ == "__main__":
    main()

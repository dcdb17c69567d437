#!/usr/bin/python3
"""The imported residual model (onnx_models.residual_model) runs on every datapath, every layer verified.

usage: run_imported.py <sparsesim binary> <source dir> <scratch dir>

Imports the model with tools/import-onnx, then for dense, cs, sod and sparse_pe runs
`sparsesim run --network <imported>.json --dump-tensors` and checks:
  - exit 0, report.json total.verified and every layer's "verified";
  - each compute layer's weight_nonzeros equals the non-zeros of its ONNX initializer (the
    pruned pattern reaches the datapath: quantisation keeps zeros zero, adds none);
  - each compute layer's dumped weights.npy has exactly the initializer's zero pattern.
Needs chained networks in the simulator (docs/networks.md).
"""
import json
import os
import shutil
import subprocess
import sys

import numpy as np
import onnx
from onnx import numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import onnx_models as M  # noqa: E402

BIN, SRC, SCRATCH = sys.argv[1:4]
ARCHS = {"dense": "dense-16x16.json", "cs": "cs-small.json", "sod": "sod-16x16.json", "sparse_pe": "sparse-pe-8x8.json"}
INIT_OF = {"conv1": "w1", "conv2": "w2", "conv3": "w3", "fc": "fc"}

shutil.rmtree(SCRATCH, ignore_errors=True)
os.makedirs(SCRATCH)
model = M.residual_model()
path = os.path.join(SCRATCH, "residual.onnx")
onnx.save(model, path)
subprocess.run([sys.executable, os.path.join(SRC, "tools", "import-onnx"), path, "--out", os.path.join(SCRATCH, "net")], check=True)
net_file = os.path.join(SCRATCH, "net", "residual.json")
ini = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
failures = []
for dp, arch in ARCHS.items():
    out, dump = os.path.join(SCRATCH, dp), os.path.join(SCRATCH, dp + "-dump")
    p = subprocess.run([BIN, "run", "--arch", os.path.join(SRC, "configs", "arch", arch), "--network", net_file,
                        "--out", out, "--dump-tensors", dump, "-q"], capture_output=True, text=True)
    if p.returncode != 0:
        failures.append("%s: exit %d: %s" % (dp, p.returncode, p.stderr.strip()[:300]))
        continue
    rep = json.load(open(os.path.join(out, "report.json")))
    if not rep["total"]["verified"]:
        failures.append(dp + ": total.verified is false")
    for l in rep["layers"]:
        if not l.get("verified", False):
            failures.append("%s: layer %s not verified" % (dp, l["name"]))
        if l["name"] in INIT_OF:
            want = int(np.count_nonzero(ini[INIT_OF[l["name"]]]))
            if l["weight_nonzeros"] != want:
                failures.append("%s: layer %s weight_nonzeros %d, initializer has %d" % (dp, l["name"], l["weight_nonzeros"], want))
            wf = os.path.join(dump, l["name"], "weights.npy")
            if os.path.exists(wf):
                w = np.load(wf)
                if not np.array_equal((w == 0).reshape(-1), (ini[INIT_OF[l["name"]]] == 0).reshape(-1)):
                    failures.append("%s: layer %s dumped weights' zero pattern differs from the initializer's" % (dp, l["name"]))
            else:
                failures.append("%s: no dumped weights for %s" % (dp, l["name"]))
    print("%s: ran %d layers" % (dp, len(rep["layers"])))
for f in failures:
    print("FAIL " + f)
print("%d datapaths, %d failures" % (len(ARCHS), len(failures)))
sys.exit(1 if failures else 0)

#!/usr/bin/python3
"""The imported ONNX test models run on every datapath, every layer verified, the forward pass the numpy one.

usage: run_imported.py <sparsesim binary> <source dir> <scratch dir>

Imports onnx_models.residual_model (float, pruned, BatchNormalization), qlinear_model (int8,
the model's own scales) and mixed_model (depthwise, ReLU6, grouped dilated conv, Add + ReLU,
Concat, Reshape, Gemm transB 0, MatMul) with tools/import-onnx, then for dense, cs, sod and sparse_pe runs
`sparsesim run --network <imported>.json --dump-tensors` and checks:
  - exit 0, report.json total.verified and every layer's "verified";
  - each compute layer's weight_nonzeros equals the non-zeros of its ONNX initializer (the
    pruned pattern reaches the datapath: quantisation keeps zeros zero, adds none);
  - each compute layer's dumped weights.npy has exactly the initializer's zero pattern;
  - the whole forward pass: every layer's dumped value.npy (its output after the post-ops) equals
    onnx_reference.forward in integer arithmetic (the simulator's documented rules, written in
    that file from docs/networks.md), fed with the dumped network_input.npy and the imported
    float32 weights (the reference quantises them itself);
  - the residual model's add has non-zero operands of different tensor scales (node.json), so
    the add's rescaling rule is what the equality checks.
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
import onnx_reference as R  # noqa: E402

BIN, SRC, SCRATCH = sys.argv[1:4]
ARCHS = {"dense": "dense-16x16.json", "cs": "cs-small.json", "sod": "sod-16x16.json", "sparse_pe": "sparse-pe-8x8.json"}
# Per model: compute layer -> its weights initializer, and whether the .npy holds it transposed.
MODELS = [("residual", M.residual_model(), {"conv1": ("w1", False), "conv2": ("w2", False), "conv3": ("w3", False), "fc": ("fc", False)}),
          ("qlinear", M.qlinear_model(), {"qconv1": ("w1", False), "qconv2": ("w2", False), "matmul": ("wm", True)}),
          ("mixed", M.mixed_model(), {"dw": ("dw", False), "grouped": ("g2", False), "gemm_kn": ("wg", True), "mm": ("wm", True)})]

shutil.rmtree(SCRATCH, ignore_errors=True)
os.makedirs(SCRATCH)
failures = []
for model_name, model, init_of in MODELS:
    path = os.path.join(SCRATCH, model_name + ".onnx")
    onnx.save(model, path)
    subprocess.run([sys.executable, os.path.join(SRC, "tools", "import-onnx"), path, "--out", os.path.join(SCRATCH, model_name)],
                   check=True, stdout=subprocess.DEVNULL)
    net_file = os.path.join(SCRATCH, model_name, model_name + ".json")
    ini = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    for dp, arch in ARCHS.items():
        tag = model_name + " on " + dp
        out, dump = os.path.join(SCRATCH, model_name + "-" + dp), os.path.join(SCRATCH, model_name + "-" + dp + "-dump")
        p = subprocess.run([BIN, "run", "--arch", os.path.join(SRC, "configs", "arch", arch), "--network", net_file,
                            "--out", out, "--dump-tensors", dump, "-q"], capture_output=True, text=True)
        if p.returncode != 0:
            failures.append("%s: exit %d: %s" % (tag, p.returncode, p.stderr.strip()[:300]))
            continue
        rep = json.load(open(os.path.join(out, "report.json")))
        if not rep["total"]["verified"]:
            failures.append(tag + ": total.verified is false")
        for l in rep["layers"]:
            if not l.get("verified", False):
                failures.append("%s: layer %s not verified" % (tag, l["name"]))
            if l["name"] not in init_of:
                continue
            init, transposed = init_of[l["name"]]
            zeros = (ini[init].T if transposed else ini[init]) == 0
            if l["weight_nonzeros"] != zeros.size - int(np.count_nonzero(zeros)):
                failures.append("%s: layer %s weight_nonzeros %d, initializer has %d" %
                                (tag, l["name"], l["weight_nonzeros"], zeros.size - int(np.count_nonzero(zeros))))
            wf = os.path.join(dump, l["name"], "weights.npy")
            if not os.path.exists(wf):
                failures.append("%s: no dumped weights for %s" % (tag, l["name"]))
            elif not np.array_equal((np.load(wf) == 0).reshape(-1), zeros.reshape(-1)):
                failures.append("%s: layer %s dumped weights' zero pattern differs from the initializer's" % (tag, l["name"]))
        x = np.load(os.path.join(dump, "network_input.npy"))
        ref = R.forward(json.load(open(net_file)), os.path.dirname(net_file), x, integer=True)
        equal = 0
        for name, want in ref.items():
            if name == "input":
                continue
            vf = os.path.join(dump, name, "value.npy")
            if not os.path.exists(vf):
                failures.append("%s: no dumped value for layer %s" % (tag, name))
                continue
            got = np.load(vf)
            if got.size == want.size and np.array_equal(got.reshape(-1), want.reshape(-1)):
                equal += 1
            else:
                failures.append("%s: layer %s value differs from the numpy forward pass (%s)" % (tag, name,
                                "%d of %d elements" % (int(np.sum(got.reshape(-1) != want.reshape(-1))), want.size)
                                if got.size == want.size else "shape %s vs %s" % (got.shape, want.shape)))
        # The residual model's add meets operands of different scales (each its own calibrated
        # requant) and non-zero values, so the equality above covers the add's rescaling, not only
        # a plain sum. Any other add whose operands are all zero is said: its equality is vacuous.
        for l in json.load(open(net_file))["layers"]:
            if l["type"] == "add":
                rs = [json.load(open(os.path.join(dump, n, "node.json")))["tensor_scale"] for n in l["inputs"]]
                live = all(np.count_nonzero(np.load(os.path.join(dump, n, "value.npy"))) for n in l["inputs"])
                if model_name == "residual" and (rs[0] == rs[1] or not live):
                    failures.append("%s: add %s: operands of one scale %s or all zero: the rescaling is not exercised" % (tag, l["name"], rs[0]))
                elif not live:
                    print("note: %s: add %s has an all-zero operand: its equality is vacuous" % (tag, l["name"]))
        print("%s: %d compute layers run, %d of %d layer values equal to the numpy forward pass" %
              (tag, len(rep["layers"]), equal, len(ref) - 1))
for f in failures:
    print("FAIL " + f)
print("%d models x %d datapaths, %d failures" % (len(MODELS), len(ARCHS), len(failures)))
sys.exit(1 if failures else 0)

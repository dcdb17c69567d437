#!/usr/bin/python3
"""An imported int8 model keeps its own scales end to end (docs/networks.md, "Tensor scales").

usage: int8_model_scales.py <sparsesim binary> <source dir> <scratch dir>

onnx_models.int8_branch_model (QuantizeLinear, QLinearConv with per-channel weight scales, QDQ
ReLU, two QLinearConv branches summed by DequantizeLinear / Add / QuantizeLinear or by
com.microsoft QLinearAdd, QDQ MaxPool, QLinearConv + QDQ Clip(0, 6), QDQ Concat, Flatten,
QLinearMatMul; no scale is 1/127) is imported with tools/import-onnx and checked:
  - the network file carries the model's scales: input.scale = the input QuantizeLinear's
    y_scale, every compute layer's weight_scale = its w_scale (per channel where the model's is),
    the add's and the concat's output_scale = the QuantizeLinear (or QLinearAdd C_scale) after them;
  - `sparsesim run --input xq.npy --dump-tensors` on dense, cs, sod and sparse_pe: every layer
    verified, and every layer's dumped value.npy equal, element for element, to the tensor ONNX
    computes for it, evaluated from the ONNX graph itself by onnx_spec_eval.py (the ONNX operator
    definitions, float32 scale arithmetic as ONNX's reference implementation); the dumped
    tensor_scale of the add, the concat and a branch is the model's scale;
  - a control: the same network file with the model's scales removed (the simulator's 1/127
    convention) gives an add output that differs from ONNX's, so the equality above depends on the
    scales being carried.
The two sides round the same real numbers by different arithmetic (ONNX: acc x float32(x_s w_s /
y_s); the simulator: acc / double(y_s / (x_s w_s))), which can differ by one step only where a
value lies within about 1e-6 of a rounding tie (a real value exactly on a tie is the case in
point: ONNX and the simulator then see it from different sides of .5). The scales here are
chosen so that no value is that close; a failure of one step at one element is that case.
"""
import copy
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
import onnx_spec_eval as E  # noqa: E402

BIN, SRC, SCRATCH = sys.argv[1:4]
ARCHS = {"dense": "dense-16x16.json", "cs": "cs-small.json", "sod": "sod-16x16.json", "sparse_pe": "sparse-pe-8x8.json"}
# simulator layer -> the ONNX tensor holding its output after the post-ops
TENSOR_OF = {"qconv1": "r1", "branch_a": "qa", "branch_b": "qb", "add": "aq", "pool": "pq", "qconv4": "c4",
             "concat": "cat", "flatten": "fl", "fc": "y"}
WEIGHT_SCALE_OF = {"qconv1": "w1s", "branch_a": "w2s", "branch_b": "w3s", "qconv4": "w4s", "fc": "wfs"}
failures = []
checks = [0]


def check(cond, what):
    checks[0] += 1
    if not cond:
        failures.append(what)
    return cond


def run(net_file, arch, out, dump, xfile):
    return subprocess.run([BIN, "run", "--arch", os.path.join(SRC, "configs", "arch", arch), "--network", net_file,
                           "--input", xfile, "--out", out, "--dump-tensors", dump, "-q"], capture_output=True, text=True)


shutil.rmtree(SCRATCH, ignore_errors=True)
os.makedirs(SCRATCH)
for variant, qlinear_add in (("qdq_add", False), ("qlinear_add", True)):
    model = M.int8_branch_model(qlinear_add=qlinear_add)
    ini = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    path = os.path.join(SCRATCH, variant + ".onnx")
    onnx.save(model, path)
    d = os.path.join(SCRATCH, variant)
    subprocess.run([sys.executable, os.path.join(SRC, "tools", "import-onnx"), path, "--out", d], check=True, stdout=subprocess.DEVNULL)
    net_file = os.path.join(d, variant + ".json")
    net = json.load(open(net_file))
    L = {l["name"]: l for l in net["layers"]}
    f64 = lambda name: np.asarray(ini[name], dtype=np.float64).reshape(-1)
    check(net["input"].get("scale") == float(ini["xs"]), variant + ": input.scale is the input QuantizeLinear's y_scale")
    for layer, s in WEIGHT_SCALE_OF.items():
        got = np.asarray(L[layer].get("weight_scale", []), dtype=np.float64).reshape(-1)
        check(np.array_equal(got, f64(s)), "%s: %s weight_scale %s is the model's %s %s" % (variant, layer, got, s, f64(s)))
    check(L["add"].get("output_scale") == float(ini["yas"]), variant + ": the add's output_scale is the model's")
    check(L["concat"].get("output_scale") == float(ini["ycs"]), variant + ": the concat's output_scale is the model's")

    # The int8 input the simulator takes, and the float input ONNX quantises to exactly it.
    xq = np.random.default_rng(11).integers(-127, 128, (1, 3, 8, 8)).astype(np.int8)
    xfile = os.path.join(SCRATCH, variant + "-xq.npy")
    np.save(xfile, xq)
    env = E.evaluate(model, {"x": xq.astype(np.float32) * ini["xs"]})
    check(np.array_equal(env["xq"], xq), variant + ": ONNX's QuantizeLinear gives back the int8 input")
    c4 = env["c4"].astype(np.int64)
    check(np.count_nonzero(c4 == np.rint(6 / ini["y4s"])) > 0, variant + ": relu6 clamps some values at the model's 6.0")

    for dp, arch in ARCHS.items():
        tag = "%s on %s" % (variant, dp)
        out, dump = os.path.join(SCRATCH, "%s-%s" % (variant, dp)), os.path.join(SCRATCH, "%s-%s-dump" % (variant, dp))
        p = run(net_file, arch, out, dump, xfile)
        if not check(p.returncode == 0, "%s: exit %d: %s" % (tag, p.returncode, p.stderr.strip()[:300])):
            continue
        rep = json.load(open(os.path.join(out, "report.json")))
        check(rep["total"]["verified"] and all(l["verified"] for l in rep["layers"]), tag + ": every layer verified")
        equal = 0
        for layer, tensor in TENSOR_OF.items():
            got = np.load(os.path.join(dump, layer, "value.npy")).reshape(-1).astype(np.int64)
            want = env[tensor].reshape(-1).astype(np.int64)
            if check(got.shape == want.shape and np.array_equal(got, want),
                     "%s: %s differs from ONNX's %s in %s of %d elements" % (tag, layer, tensor,
                     int(np.sum(got != want)) if got.shape == want.shape else "shape", want.size)):
                equal += 1
        scale = lambda layer: np.asarray(json.load(open(os.path.join(dump, layer, "node.json")))["tensor_scale"], dtype=np.float64)
        for layer, s in (("add", "yas"), ("concat", "ycs"), ("branch_a", "y2s"), ("pool", "yas")):
            check(np.allclose(scale(layer), float(ini[s]), rtol=1e-9, atol=0),
                  "%s: %s tensor_scale %s is the model's %s %g" % (tag, layer, scale(layer), s, float(ini[s])))
        print("%s: %d of %d layer values equal to ONNX's" % (tag, equal, len(TENSOR_OF)))

    # Control: without the model's scales the add's operand ratio is the convention's, not ONNX's.
    bare = copy.deepcopy(net)
    bare["input"].pop("scale")
    for l in bare["layers"]:
        l.pop("weight_scale", None)
        l.pop("output_scale", None)
    bare_file = os.path.join(d, variant + "-convention.json")
    json.dump(bare, open(bare_file, "w"))
    out, dump = os.path.join(SCRATCH, variant + "-convention"), os.path.join(SCRATCH, variant + "-convention-dump")
    p = run(bare_file, ARCHS["dense"], out, dump, xfile)
    if check(p.returncode == 0, variant + ": the convention run: exit %d %s" % (p.returncode, p.stderr.strip()[:300])):
        got = np.load(os.path.join(dump, "add", "value.npy")).reshape(-1)
        check(not np.array_equal(got, env["aq"].reshape(-1).astype(np.int64)),
              variant + ": without the model's scales the add equals ONNX's anyway: the test would not see them missing")

for f in failures:
    print("FAIL " + f)
print("%d passed, %d failed" % (checks[0] - len(failures), len(failures)))
sys.exit(1 if failures else 0)

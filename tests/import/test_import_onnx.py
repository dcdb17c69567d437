#!/usr/bin/python3
"""tools/import-onnx on ONNX models built here with onnx.helper (nothing downloaded).

usage: test_import_onnx.py <source dir> <scratch dir>

Checks, each as its own case (prints PASS/FAIL per case, exits non-zero on any failure):
  - the residual model (conv, BatchNormalization, ReLU, max-pool, residual add, global average
    pool, Flatten, Gemm; pruned float weights): the emitted chained JSON, layer by layer; every
    weights .npy has exactly the zeros of its initializer; the folded conv weights are
    w * gamma / sqrt(var + eps); the float forward pass of the emitted network
    (onnx_reference.py) equals an independent numpy evaluation of the ONNX graph itself
    (BatchNormalization applied, not folded);
  - the int8 model (QuantizeLinear, QLinearConv with per-channel weight scales, QDQ MatMul): int8
    weights byte-identical, requant scale = y_scale / (x_scale * w_scale), and its integer forward
    pass (onnx_reference.py) equals ONNX's QLinearConv/QuantizeLinear arithmetic evaluated here;
  - groups (depthwise, grouped), dilation, Gemm transB 0, MatMul, Clip(0, 6), ReLU after Add,
    Reshape before a linear layer, Concat;
  - refusals: exit 2 naming the node, its op type and the reason, and no output directory (also a
    QuantizeLinear that requantises a tensor between layers in an int8 model).
"""
import json
import os
import shutil
import subprocess
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import onnx_models as M  # noqa: E402
import onnx_reference as R  # noqa: E402

SRC, SCRATCH = sys.argv[1], sys.argv[2]
TOOL = os.path.join(SRC, "tools", "import-onnx")
results = []


def case(fn):
    try:
        fn()
        results.append((fn.__name__, None))
    except Exception as e:  # report every case, not just the first failure
        results.append((fn.__name__, "%s: %s" % (type(e).__name__, e)))
    return fn


def run_import(model, name, *extra):
    d = os.path.join(SCRATCH, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    path = os.path.join(d, name + ".onnx")
    onnx.save(model, path)
    out = os.path.join(d, "out")
    p = subprocess.run([sys.executable, TOOL, path, "--out", out, *extra], capture_output=True, text=True)
    return p, out, path


def imported(model, name, *extra):
    p, out, _ = run_import(model, name, *extra)
    assert p.returncode == 0, "exit %d: %s" % (p.returncode, p.stderr)
    net = json.load(open(os.path.join(out, name + ".json")))
    return net, out, p.stderr


def refused(model, name, want):
    p, out, _ = run_import(model, name)
    assert p.returncode == 2, "exit %d, expected 2: %s" % (p.returncode, p.stderr)
    line = p.stderr.strip().splitlines()[0]
    assert line.startswith("error: ") and (name + ".onnx: ") in line, line
    assert want in line, "%r not in %r" % (want, line)
    assert not os.path.exists(out), "output written for a refused model"


def inits(model):
    return {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}


# ---- an evaluation of the ONNX graph itself, independent of the importer and the reference ----
def onnx_eval(model, x):
    env = dict(inits(model))
    env["x"] = x.astype(np.float64)
    for n in model.graph.node:
        a = {at.name: helper.get_attribute_value(at) for at in n.attribute}
        i = [env[t] for t in n.input]
        if n.op_type == "Conv":
            w = i[1].astype(np.float64)
            pt, pl, pb, pr = a.get("pads", [0] * 4)
            xp = np.pad(i[0], ((0, 0), (0, 0), (pt, pb), (pl, pr)))
            o, c, kh, kw = w.shape
            s = a.get("strides", [1, 1])[0]
            oh, ow = (xp.shape[2] - kh) // s + 1, (xp.shape[3] - kw) // s + 1
            y = np.zeros((1, o, oh, ow))
            for r in range(oh):  # one output pixel at a time: the definition of a convolution
                for q in range(ow):
                    y[0, :, r, q] = np.tensordot(w, xp[0, :, r * s:r * s + kh, q * s:q * s + kw], axes=3)
        elif n.op_type == "BatchNormalization":
            g, b, m, v = (t.reshape(1, -1, 1, 1).astype(np.float64) for t in i[1:5])
            y = (i[0] - m) / np.sqrt(v + a.get("epsilon", 1e-5)) * g + b
        elif n.op_type == "Relu":
            y = np.maximum(i[0], 0)
        elif n.op_type == "MaxPool":
            k, s = a["kernel_shape"][0], a["strides"][0]
            h = (i[0].shape[2] - k) // s + 1
            y = np.array([[[[i[0][0, c, r * s:r * s + k, q * s:q * s + k].max() for q in range(h)] for r in range(h)]
                           for c in range(i[0].shape[1])]])
        elif n.op_type == "Add":
            y = i[0] + i[1]
        elif n.op_type == "GlobalAveragePool":
            y = i[0].mean(axis=(2, 3), keepdims=True)
        elif n.op_type == "Flatten":
            y = i[0].reshape(1, -1)
        elif n.op_type == "Gemm":
            y = i[0] @ (i[1].T if a.get("transB", 0) else i[1])
        else:
            raise ValueError(n.op_type)
        env[n.output[0]] = y
    return env[model.graph.output[0].name]


@case
def residual_model_json():
    model = M.residual_model()
    net, out, _ = imported(model, "residual")
    assert net["chain"] is True and "batch" not in net, net
    assert net["input"] == {"channels": 3, "height": 12, "width": 12}, net["input"]
    conv = dict(type="conv2d", kernel_h=3, kernel_w=3, stride=1)
    want = [
        dict(name="conv1", **conv, in_channels=3, out_channels=8, in_h=12, in_w=12, padding=1, weights="weights/conv1.npy", activation="relu"),
        dict(name="pool1", type="maxpool2d", kernel_h=2, kernel_w=2, stride=2),
        dict(name="conv2", **conv, in_channels=8, out_channels=8, in_h=6, in_w=6, padding=1, weights="weights/conv2.npy", activation="relu"),
        dict(name="conv3", **conv, in_channels=8, out_channels=8, in_h=6, in_w=6, pads=[0, 0, 2, 2], weights="weights/conv3.npy"),
        dict(name="res_add", type="add", inputs=["conv3", "pool1"]),
        dict(name="gap", type="avgpool2d", **{"global": True}),
        dict(name="flatten", type="flatten"),
        dict(name="fc", type="linear", in_channels=8, out_channels=5, weights="weights/fc.npy"),
    ]
    assert net["layers"] == want, json.dumps(net["layers"], indent=1)


@case
def residual_model_weights_keep_every_zero():
    model = M.residual_model()
    _, out, _ = imported(model, "residual_w")
    ini = inits(model)
    for layer, tensor in (("conv1", "w1"), ("conv2", "w2"), ("conv3", "w3"), ("fc", "fc")):
        w = np.load(os.path.join(out, "weights", layer + ".npy"))
        assert w.dtype == np.float32 and w.shape == ini[tensor].shape, (layer, w.dtype, w.shape)
        assert np.array_equal(w == 0, ini[tensor] == 0), layer + ": zero pattern differs from the initializer's"
        assert 0.3 < np.mean(w == 0) < 0.7, layer + ": the test model is not pruned"
        if layer != "conv1":
            assert np.array_equal(w, ini[tensor]), layer
    s = ini["gamma"].astype(np.float64) / np.sqrt(ini["var"].astype(np.float64) + 1e-5)
    w1 = np.load(os.path.join(out, "weights", "conv1.npy"))
    assert np.allclose(w1, ini["w1"] * s.reshape(-1, 1, 1, 1), rtol=1e-6, atol=0), "BatchNormalization folding"


@case
def residual_model_forward_equals_onnx_graph():
    model = M.residual_model()
    net, out, _ = imported(model, "residual_f")
    x = np.random.default_rng(5).standard_normal((1, 3, 12, 12))
    ref = R.forward(net, out, x, integer=False)["fc"]
    direct = onnx_eval(model, x)
    assert ref.shape == direct.shape == (1, 5), (ref.shape, direct.shape)
    assert np.allclose(ref, direct, rtol=1e-5, atol=1e-6), (ref, direct)


@case
def qlinear_model_keeps_int8_weights_and_scales():
    model = M.qlinear_model()
    net, out, _ = imported(model, "qlinear")
    ini = inits(model)
    names = [l["name"] for l in net["layers"]]
    assert names == ["qconv1", "qconv2", "reshape", "matmul"], names
    w1 = np.load(os.path.join(out, "weights", "qconv1.npy"))
    assert w1.dtype == np.int8 and np.array_equal(w1, ini["w1"])
    wm = np.load(os.path.join(out, "weights", "matmul.npy"))
    assert wm.dtype == np.int8 and np.array_equal(wm, ini["wm"].T)
    l1, l2, _, lm = net["layers"]
    # The simulator divides by its scale (q = round(acc / scale)); ONNX multiplies by x_s * w_s / y_s.
    want1 = ini["y1s"] / (ini["xs"] * ini["w1s"].astype(np.float64))
    assert np.allclose(l1["requant"]["scale"], want1, rtol=1e-7) and l1["requant"]["zero_point"] == 0, l1
    assert np.isclose(l2["requant"]["scale"], ini["y2s"] / (ini["y1s"] * ini["w2s"]), rtol=1e-7), l2
    assert np.isclose(lm["requant"]["scale"], ini["ys"] / (ini["y2s"] * ini["wms"]), rtol=1e-7), lm
    assert l1.get("padding") == 1 and lm["type"] == "linear" and net["layers"][2]["type"] == "flatten"


def quantize(v, s, zp=0):
    return np.clip(np.rint(v / s) + zp, -128, 127)  # ONNX QuantizeLinear: round half to even, saturate


@case
def qlinear_model_forward_equals_onnx_qlinear_arithmetic():
    model = M.qlinear_model()
    net, out, _ = imported(model, "qlinear_f")
    ini = inits(model)
    xq = np.random.default_rng(7).integers(-60, 60, (1, 2, 5, 5))
    # ONNX semantics: QLinearConv = quantize(dequant(x) conv dequant(w)); QDQ MatMul the same.
    x = xq * ini["xs"].astype(np.float64)
    w1 = ini["w1"] * ini["w1s"].astype(np.float64).reshape(-1, 1, 1, 1)
    f = lambda w, v: R.conv(v, w, 1, [1, 1, 1, 1] if w.shape[2] == 3 else [0] * 4, 1, 1)
    q1 = quantize(f(w1, x), ini["y1s"])
    q2 = quantize(f(ini["w2"] * ini["w2s"].astype(np.float64), q1 * ini["y1s"]), ini["y2s"])
    y = quantize((q2 * ini["y2s"]).reshape(1, -1) @ (ini["wm"] * ini["wms"].astype(np.float64)), ini["ys"])
    ref = R.forward(net, out, xq, integer=True)
    assert np.array_equal(ref["qconv1"], q1), "qconv1"
    assert np.array_equal(ref["qconv2"], q2), "qconv2"
    # Exact equality: the two sides multiply the same float scales in a different order, which
    # could move a value sitting exactly on .5 by one step; this model's values hit no such tie.
    assert np.array_equal(ref["matmul"], y), (ref["matmul"], y)


@case
def groups_dilation_gemm_matmul_clip_concat_reshape():
    model = M.mixed_model()
    wg = inits(model)["wg"]
    net, out, _ = imported(model, "mix")
    L = {l["name"]: l for l in net["layers"]}
    assert L["dw"]["type"] == "depthwise_conv2d" and "groups" not in L["dw"] and L["dw"]["activation"] == "relu6", L["dw"]
    assert L["grouped"]["groups"] == 2 and L["grouped"]["dilation"] == 2 and L["grouped"]["padding"] == 2, L["grouped"]
    assert L["sum"]["inputs"] == ["grouped", "dw"] and L["sum"]["activation"] == "relu", L["sum"]
    assert L["cat"]["type"] == "concat" and L["cat"]["inputs"] == ["sum", "dw"], L["cat"]
    assert L["to_rows"]["type"] == "flatten" and "inputs" not in L["to_rows"], L["to_rows"]
    assert L["gemm_kn"]["in_channels"] == 288 and L["gemm_kn"]["out_channels"] == 7, L["gemm_kn"]
    assert np.array_equal(np.load(os.path.join(out, "weights", "gemm_kn.npy")), wg.T), "Gemm transB 0 is transposed"
    assert L["mm"]["type"] == "linear" and L["mm"]["in_channels"] == 7 and L["mm"]["out_channels"] == 3, L["mm"]


def one_node(node, extra_inits=(), in_shape=(1, 2, 6, 6), out_shape=("n", "c", "h", "w"), w=None):
    I = M.init
    ini = [I("w", w if w is not None else np.ones((2, 2, 3, 3), np.float32))] + list(extra_inits)
    return M.make_model([node], ini, list(in_shape), "y", out_shape)


@case
def refusals_name_node_op_and_reason():
    refused(M.residual_model(bn_bias=True), "bn_bias",
            "node bn1 (BatchNormalization): gives layer conv1 a non-zero bias")
    refused(one_node(helper.make_node("Sigmoid", ["x"], ["y"], name="act")), "sigmoid",
            "node act (Sigmoid): op type Sigmoid is not supported")
    refused(one_node(helper.make_node("Conv", ["x", "w"], ["y"], name="c", strides=[1, 2])), "strides",
            "node c (Conv): strides [1, 2] differ per dimension")
    refused(one_node(helper.make_node("MaxPool", ["x"], ["y"], name="p", kernel_shape=[2, 2], ceil_mode=1)), "ceil",
            "node p (MaxPool): ceil_mode 1 is not supported")
    refused(one_node(helper.make_node("Conv", ["x", "w", "b"], ["y"], name="cb"), [M.init("b", np.float32([0.5, 0]))]), "conv_bias",
            "node cb (Conv): gives layer cb a non-zero bias")
    refused(M.make_model([helper.make_node("Conv", ["x", "w"], ["c"], name="c"), helper.make_node("Clip", ["c", "lo", "hi"], ["y"], name="clip4")],
                         [M.init("w", np.ones((2, 2, 3, 3), np.float32)), M.init("lo", np.float32(0)), M.init("hi", np.float32(4))],
                         [1, 2, 6, 6], "y", ["n", "c", "h", "w"]), "clip4", "node clip4 (Clip): Clip(0.0, 4.0): only Clip(0, 6)")
    refused(M.qlinear_model(y1_zero_point=3), "qzp", "node qconv1 (QLinearConv): output zero point 3 (int8): the simulator's requant has zero point 0")


@case
def not_an_onnx_file_is_refused():
    d = os.path.join(SCRATCH, "garbage")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    path = os.path.join(d, "garbage.onnx")
    open(path, "wb").write(b"\x00\xffnot a protobuf at all" * 10)
    p = subprocess.run([sys.executable, TOOL, path, "--out", os.path.join(d, "out")], capture_output=True, text=True)
    assert p.returncode == 2 and p.stderr.startswith("error: " + path + ": not a readable ONNX model"), (p.returncode, p.stderr)
    assert not os.path.exists(os.path.join(d, "out"))


@case
def relu_after_flatten_relu6_after_pool_and_left_constant_matmul_are_refused():
    I = M.init
    refused(M.make_model([helper.make_node("Flatten", ["x"], ["f"], name="fl"),
                          helper.make_node("Relu", ["f"], ["y"], name="late_relu")], [], [1, 2, 6, 6], "y", ["n", "c"]),
            "relu_flat", "node late_relu (Relu): follows a flatten layer")
    refused(M.make_model([helper.make_node("MaxPool", ["x"], ["p"], name="mp", kernel_shape=[2, 2], strides=[2, 2]),
                          helper.make_node("Clip", ["p", "lo", "hi"], ["y"], name="pool_relu6")],
                         [I("lo", np.float32(0)), I("hi", np.float32(6))], [1, 2, 6, 6], "y", ["n", "c", "h", "w"]),
            "relu6_pool", "node pool_relu6 (Clip): follows a maxpool2d layer")
    refused(M.make_model([helper.make_node("Flatten", ["x"], ["f"], name="fl"),
                          helper.make_node("MatMul", ["w", "f"], ["y"], name="left")], [I("w", np.ones((3, 1), np.float32))],
                         [1, 2, 6, 6], "y", ["a", "b"]), "left_mm", "node left (MatMul): the constant is the left operand")


@case
def int8_input_takes_the_first_x_scale():
    # An int8 graph input feeding QLinearConv directly: its x_scale is the network input's scale.
    I = M.init
    z = np.array(0, np.int8)
    nodes = [helper.make_node("QLinearConv", ["x", "xs", "z", "w", "ws", "z", "ys", "z"], ["y"], name="qc")]
    ini = [I("xs", np.float32(0.07)), I("z", z), I("w", np.ones((2, 2, 3, 3), np.int8)), I("ws", np.float32(0.003)),
           I("ys", np.float32(0.2))]
    net, _, _ = imported(M.make_model(nodes, ini, [1, 2, 6, 6], "y", [1, 2, 4, 4], in_type=TensorProto.INT8, out_type=TensorProto.INT8),
                         "int8_input")
    assert net["input"]["scale"] == float(np.float32(0.07)), net["input"]
    assert net["layers"][0]["weight_scale"] == float(np.float32(0.003)), net["layers"][0]


@case
def int8_requantisation_between_layers_is_refused():
    # QuantizeLinear of another scale after a max-pool: a requantisation the simulator does not do.
    m = M.int8_branch_model()
    m.graph.initializer.append(M.init("other", np.array(0.5, np.float32)))
    for n in m.graph.node:
        if n.name == "q_pool":
            n.input[1] = "other"
    refused(m, "requant_between", "node q_pool (QuantizeLinear): y_scale 0.5 for pf, whose producer gave it scale")


@case
def drop_bias_is_said():
    net, out, err = imported(M.residual_model(bn_bias=True), "bn_bias_dropped", "--drop-bias")
    assert "note: " in err and "conv1: bias dropped" in err, err


for name, problem in results:
    print(("PASS " if problem is None else "FAIL ") + name + ("" if problem is None else ": " + problem))
failed = sum(p is not None for _, p in results)
print("%d passed, %d failed" % (len(results) - failed, failed))
sys.exit(1 if failed else 0)

"""ONNX models for the importer tests, built with onnx.helper (nothing downloaded).

residual_model(): conv -> BatchNormalization -> ReLU -> max-pool -> conv -> ReLU -> conv (asymmetric
pads) -> residual Add with the pool output -> global average pool -> Flatten -> Gemm, with pruned
float weights (about half of every weight tensor exactly zero). Its BatchNormalization has
beta = mean * gamma / sqrt(var + eps), so the folded bias is zero (sparsesim's layers have no bias)
while gamma, var and mean still rescale every kernel.
"""
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = [helper.make_opsetid("", 13)]


def pruned(rng, shape, density=0.5):
    w = rng.standard_normal(shape).astype(np.float32)
    w[rng.random(shape) >= density] = 0.0
    return w


def init(name, a):
    return numpy_helper.from_array(np.asarray(a), name)


def make_model(nodes, inits, in_shape, out_name, out_shape, in_type=TensorProto.FLOAT, out_type=TensorProto.FLOAT, name="m"):
    g = helper.make_graph(nodes, name, [helper.make_tensor_value_info("x", in_type, in_shape)],
                          [helper.make_tensor_value_info(out_name, out_type, out_shape)], initializer=inits)
    m = helper.make_model(g, opset_imports=OPSET, producer_name="sparsesim-tests")
    onnx.checker.check_model(m)
    return m


def residual_model(seed=1, bn_bias=False):
    rng = np.random.default_rng(seed)
    w1, w2, w3 = pruned(rng, (8, 3, 3, 3)), pruned(rng, (8, 8, 3, 3)), pruned(rng, (8, 8, 3, 3))
    fc = pruned(rng, (5, 8))
    gamma = rng.uniform(0.5, 1.5, 8).astype(np.float32)
    var = rng.uniform(0.5, 2.0, 8).astype(np.float32)
    mean = rng.uniform(-1, 1, 8).astype(np.float32)
    eps = 1e-5
    beta = (mean * gamma / np.sqrt(var + eps)).astype(np.float32)
    if bn_bias:
        beta = beta + 0.25
    nodes = [
        helper.make_node("Conv", ["x", "w1"], ["c1"], name="conv1", pads=[1, 1, 1, 1], kernel_shape=[3, 3]),
        helper.make_node("BatchNormalization", ["c1", "gamma", "beta", "mean", "var"], ["b1"], name="bn1", epsilon=eps),
        helper.make_node("Relu", ["b1"], ["r1"], name="relu1"),
        helper.make_node("MaxPool", ["r1"], ["p1"], name="pool1", kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Conv", ["p1", "w2"], ["c2"], name="conv2", pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c2"], ["r2"], name="relu2"),
        helper.make_node("Conv", ["r2", "w3"], ["c3"], name="conv3", pads=[0, 0, 2, 2]),
        helper.make_node("Add", ["c3", "p1"], ["a1"], name="res_add"),
        helper.make_node("GlobalAveragePool", ["a1"], ["g1"], name="gap"),
        helper.make_node("Flatten", ["g1"], ["f1"], name="flatten", axis=1),
        helper.make_node("Gemm", ["f1", "fc"], ["y"], name="fc", transB=1),
    ]
    inits = [init("w1", w1), init("w2", w2), init("w3", w3), init("fc", fc), init("gamma", gamma),
             init("beta", beta), init("mean", mean), init("var", var)]
    return make_model(nodes, inits, [1, 3, 12, 12], "y", [1, 5], name="residual")


def mixed_model(seed=3):
    """Depthwise conv -> ReLU6 -> grouped dilated conv -> Add (+ ReLU) -> Concat -> Reshape ->
    Gemm (transB 0) -> MatMul, pruned float weights."""
    rng = np.random.default_rng(seed)
    nodes = [
        helper.make_node("Conv", ["x", "dw"], ["d"], name="dw", group=4, pads=[1, 1, 1, 1]),
        helper.make_node("Clip", ["d", "lo", "hi"], ["d6"], name="relu6"),
        helper.make_node("Conv", ["d6", "g2"], ["g"], name="grouped", group=2, dilations=[2, 2], pads=[2, 2, 2, 2]),
        helper.make_node("Add", ["g", "d6"], ["s"], name="sum"),
        helper.make_node("Relu", ["s"], ["sr"], name="sum_relu"),
        helper.make_node("Concat", ["sr", "d6"], ["cat"], name="cat", axis=1),
        helper.make_node("Reshape", ["cat", "shape"], ["flat"], name="to_rows"),
        helper.make_node("Gemm", ["flat", "wg"], ["h"], name="gemm_kn"),
        helper.make_node("MatMul", ["h", "wm"], ["y"], name="mm"),
    ]
    inits = [init("dw", pruned(rng, (4, 1, 3, 3))), init("lo", np.float32(0)), init("hi", np.float32(6)),
             init("g2", pruned(rng, (4, 2, 3, 3))), init("shape", np.array([1, -1], np.int64)),
             init("wg", pruned(rng, (8 * 6 * 6, 7))), init("wm", pruned(rng, (7, 3)))]
    return make_model(nodes, inits, [1, 4, 6, 6], "y", [1, 3], name="mixed")


def qlinear_model(seed=2, y1_zero_point=0):
    """int8: QuantizeLinear(x) -> QLinearConv (per-channel weight scales) -> QLinearConv ->
    DequantizeLinear; and a QDQ-form MatMul tail."""
    rng = np.random.default_rng(seed)
    w1 = rng.integers(-127, 128, (4, 2, 3, 3), dtype=np.int8)
    w1[rng.random(w1.shape) < 0.5] = 0
    w2 = rng.integers(-127, 128, (6, 4, 1, 1), dtype=np.int8)
    wm = rng.integers(-127, 128, (6 * 5 * 5, 3), dtype=np.int8)
    f = lambda v: np.array(v, dtype=np.float32)
    z = lambda: np.array(0, dtype=np.int8)
    inits = [init("xs", f(0.05)), init("xz", z()), init("w1", w1), init("w1s", f(rng.uniform(0.01, 0.02, 4))),
             init("w1z", np.zeros(4, np.int8)), init("y1s", f(0.1)), init("y1z", np.array(y1_zero_point, np.int8)),
             init("w2", w2), init("w2s", f(0.02)), init("w2z", z()), init("y2s", f(0.2)), init("y2z", z()),
             init("wm", wm), init("wms", f(0.03)), init("wmz", z()), init("ys", f(0.5)), init("yz", z()),
             init("shape", np.array([1, -1], dtype=np.int64))]
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "xs", "xz"], ["xq"], name="quant_in"),
        helper.make_node("QLinearConv", ["xq", "xs", "xz", "w1", "w1s", "w1z", "y1s", "y1z"], ["q1"], name="qconv1", pads=[1, 1, 1, 1]),
        helper.make_node("QLinearConv", ["q1", "y1s", "y1z", "w2", "w2s", "w2z", "y2s", "y2z"], ["q2"], name="qconv2"),
        helper.make_node("DequantizeLinear", ["q2", "y2s", "y2z"], ["d2"], name="dq2"),
        helper.make_node("Reshape", ["d2", "shape"], ["flat"], name="reshape"),
        helper.make_node("DequantizeLinear", ["wm", "wms", "wmz"], ["wmf"], name="dq_w"),
        helper.make_node("MatMul", ["flat", "wmf"], ["mm"], name="matmul"),
        helper.make_node("QuantizeLinear", ["mm", "ys", "yz"], ["y"], name="quant_out"),
    ]
    return make_model(nodes, inits, [1, 2, 5, 5], "y", [1, 3], out_type=TensorProto.INT8, name="qlinear")


def int8_branch_model(seed=4, qlinear_add=False):
    """An int8 model with its own scales everywhere (none of them 1/127): QuantizeLinear ->
    QLinearConv (per-channel weight scales) -> ReLU in QDQ form -> two QLinearConv branches
    (3x3 and 1x1) -> their sum, as DequantizeLinear / Add / ReLU / QuantizeLinear or as
    com.microsoft QLinearAdd + QDQ ReLU, with its own output scale -> QDQ MaxPool -> QLinearConv
    -> ReLU6 as QDQ Clip(0, 6) -> QDQ Concat with the pool output, its own output scale ->
    Flatten -> QLinearMatMul, int8 output. Pruned int8 weights; the scales are chosen so that no
    real sum lands exactly on a rounding tie (docs/networks.md, "Tensor scales")."""
    rng = np.random.default_rng(seed)

    def w8(shape, density=0.6):
        w = rng.integers(-127, 128, shape, dtype=np.int8)
        w[rng.random(shape) >= density] = 0
        return w

    f = lambda v: np.array(v, dtype=np.float32)
    z = lambda n=None: np.zeros(n, np.int8) if n else np.array(0, dtype=np.int8)
    inits = [init("xs", f(0.0371)), init("z", z()),
             init("w1", w8((8, 3, 3, 3))), init("w1s", f(rng.uniform(0.004, 0.009, 8))), init("z8", z(8)), init("y1s", f(0.0913)),
             init("w2", w8((8, 8, 3, 3))), init("w2s", f(0.0061)), init("y2s", f(0.3177)),
             init("w3", w8((8, 8, 1, 1))), init("w3s", f(rng.uniform(0.006, 0.012, 8))), init("y3s", f(0.1537)),
             init("yas", f(0.2919)),
             init("w4", w8((6, 8, 3, 3))), init("w4s", f(rng.uniform(0.0007, 0.0014, 6))), init("z6", z(6)), init("y4s", f(0.0689)),
             init("lo", f(0)), init("hi", f(6)), init("ycs", f(0.1811)),
             init("wf", w8((14 * 4 * 4, 5))), init("wfs", f(0.0042)), init("yfs", f(0.7333))]
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "xs", "z"], ["xq"], name="quant_in"),
        helper.make_node("QLinearConv", ["xq", "xs", "z", "w1", "w1s", "z8", "y1s", "z"], ["q1"], name="qconv1", pads=[1, 1, 1, 1]),
        helper.make_node("DequantizeLinear", ["q1", "y1s", "z"], ["d1"], name="dq1"),
        helper.make_node("Relu", ["d1"], ["r1f"], name="relu1"),
        helper.make_node("QuantizeLinear", ["r1f", "y1s", "z"], ["r1"], name="q_relu1"),
        helper.make_node("QLinearConv", ["r1", "y1s", "z", "w2", "w2s", "z", "y2s", "z"], ["qa"], name="branch_a", pads=[1, 1, 1, 1]),
        helper.make_node("QLinearConv", ["r1", "y1s", "z", "w3", "w3s", "z8", "y3s", "z"], ["qb"], name="branch_b"),
    ]
    if qlinear_add:
        nodes += [
            helper.make_node("QLinearAdd", ["qa", "y2s", "z", "qb", "y3s", "z", "yas", "z"], ["sq"], name="add", domain="com.microsoft"),
            helper.make_node("DequantizeLinear", ["sq", "yas", "z"], ["sf"], name="dq_add"),
            helper.make_node("Relu", ["sf"], ["srf"], name="relu_add"),
            helper.make_node("QuantizeLinear", ["srf", "yas", "z"], ["aq"], name="q_add"),
        ]
    else:
        nodes += [
            helper.make_node("DequantizeLinear", ["qa", "y2s", "z"], ["fa"], name="dq_a"),
            helper.make_node("DequantizeLinear", ["qb", "y3s", "z"], ["fb"], name="dq_b"),
            helper.make_node("Add", ["fa", "fb"], ["s"], name="add"),
            helper.make_node("Relu", ["s"], ["srf"], name="relu_add"),
            helper.make_node("QuantizeLinear", ["srf", "yas", "z"], ["aq"], name="q_add"),
        ]
    nodes += [
        helper.make_node("DequantizeLinear", ["aq", "yas", "z"], ["af"], name="dq_pool"),
        helper.make_node("MaxPool", ["af"], ["pf"], name="pool", kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("QuantizeLinear", ["pf", "yas", "z"], ["pq"], name="q_pool"),
        helper.make_node("QLinearConv", ["pq", "yas", "z", "w4", "w4s", "z6", "y4s", "z"], ["q4"], name="qconv4", pads=[1, 1, 1, 1]),
        helper.make_node("DequantizeLinear", ["q4", "y4s", "z"], ["d4"], name="dq4"),
        helper.make_node("Clip", ["d4", "lo", "hi"], ["c4f"], name="relu6"),
        helper.make_node("QuantizeLinear", ["c4f", "y4s", "z"], ["c4"], name="q_relu6"),
        helper.make_node("DequantizeLinear", ["c4", "y4s", "z"], ["e4"], name="dq_cat4"),
        helper.make_node("DequantizeLinear", ["pq", "yas", "z"], ["ep"], name="dq_catp"),
        helper.make_node("Concat", ["e4", "ep"], ["catf"], name="concat", axis=1),
        helper.make_node("QuantizeLinear", ["catf", "ycs", "z"], ["cat"], name="q_cat"),
        helper.make_node("Flatten", ["cat"], ["fl"], name="flatten", axis=1),
        helper.make_node("QLinearMatMul", ["fl", "ycs", "z", "wf", "wfs", "z", "yfs", "z"], ["y"], name="fc"),
    ]
    g = helper.make_graph(nodes, "int8_branch", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 8, 8])],
                          [helper.make_tensor_value_info("y", TensorProto.INT8, [1, 5])], initializer=inits)
    opsets = OPSET + ([helper.make_opsetid("com.microsoft", 1)] if qlinear_add else [])
    m = helper.make_model(g, opset_imports=opsets, producer_name="sparsesim-tests")
    if not qlinear_add:  # the checker knows no com.microsoft schema
        onnx.checker.check_model(m)
    return m

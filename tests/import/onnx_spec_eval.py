"""An evaluator of an int8 ONNX graph node by node, written from the ONNX operator definitions,
independent of tools/import-onnx and of the simulator: it reads the ONNX model, not the network
file the importer writes.

Debian's python3-onnx (1.12) has no onnx.reference.ReferenceEvaluator (it arrived in onnx 1.13),
so this file is the oracle. It follows the arithmetic of that reference implementation:
  QuantizeLinear     y = saturate(round_half_even(x / y_scale) + zp), x / y_scale in float32
  DequantizeLinear   x = (q - zp) * scale, float32
  QLinearConv        acc = conv(x - x_zp, w - w_zp) in int32 (exact); y = saturate(round_half_even(
                     acc * M) + y_zp), M = x_scale * w_scale / y_scale in float32 (per output
                     channel with a per-channel w_scale), the product acc * M in float64
  QLinearMatMul      the same with a matrix product
  QLinearAdd         (com.microsoft, ONNX Runtime's contrib op) C = saturate(round_half_even(
                     (A_scale (A - A_zp) + B_scale (B - B_zp)) / C_scale) + C_zp), float32
  Add, Relu, Clip, MaxPool, Concat, Flatten on float32 (Flatten and MaxPool also on int8)
Ops it does not know raise ValueError.
"""
import numpy as np
from onnx import helper, numpy_helper

F32 = np.float32


def _saturate(v, dtype):
    info = np.iinfo(dtype)
    return np.clip(v, info.min, info.max).astype(dtype)


def _conv_int(x, w, pads, strides, group):
    """x [N, C, H, W] int32, w [O, C/g, kh, kw] int32: the definition, one output pixel at a time."""
    top, left, bottom, right = pads
    xp = np.pad(x, ((0, 0), (0, 0), (top, bottom), (left, right)))
    n, c, h, wd = xp.shape
    o, cg, kh, kw = w.shape
    s = strides[0]
    oh, ow = (h - kh) // s + 1, (wd - kw) // s + 1
    y = np.zeros((n, o, oh, ow), dtype=np.int64)
    og = o // group
    for b in range(n):
        for g in range(group):
            for r in range(oh):
                for q in range(ow):
                    patch = xp[b, g * cg:(g + 1) * cg, r * s:r * s + kh, q * s:q * s + kw].astype(np.int64)
                    y[b, g * og:(g + 1) * og, r, q] = np.tensordot(w[g * og:(g + 1) * og].astype(np.int64), patch, axes=3)
    assert np.all(np.abs(y) < 2 ** 31), "int32 accumulator overflow"
    return y


def evaluate(model, feeds):
    """feeds: {graph input name: array}. Returns {tensor name: value} for every tensor computed."""
    env = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    env.update(feeds)
    for n in model.graph.node:
        a = {at.name: helper.get_attribute_value(at) for at in n.attribute}
        i = [env[t] if t else None for t in n.input]
        op = n.op_type
        if op == "QuantizeLinear":
            zp = i[2] if len(i) > 2 and i[2] is not None else np.int8(0)
            y = _saturate(np.rint(i[0].astype(F32) / F32(i[1])).astype(np.float64) + int(zp), zp.dtype)
        elif op == "DequantizeLinear":
            zp = i[2] if len(i) > 2 and i[2] is not None else np.int8(0)
            y = (i[0].astype(np.int32) - zp.astype(np.int32)).astype(F32) * i[1].astype(F32)
        elif op == "QLinearConv":
            x, xs, xz, w, ws, wz, ys, yz = i[:8]
            acc = _conv_int(x.astype(np.int32) - int(xz), w.astype(np.int32) - wz.astype(np.int32).reshape(-1, 1, 1, 1),
                            a.get("pads", [0, 0, 0, 0]), a.get("strides", [1, 1]), a.get("group", 1))
            m = (xs.astype(F32) * ws.astype(F32) / ys.astype(F32)).reshape(-1)
            y = _saturate(np.rint(acc * m.reshape(1, -1, 1, 1).astype(np.float64)) + int(yz), yz.dtype)
        elif op == "QLinearMatMul":
            x, xs, xz, w, ws, wz, ys, yz = i[:8]
            acc = (x.astype(np.int64) - int(xz)) @ (w.astype(np.int64) - wz.astype(np.int64))
            m = (xs.astype(F32) * ws.astype(F32) / ys.astype(F32)).reshape(-1)
            y = _saturate(np.rint(acc * m.astype(np.float64)) + int(yz), yz.dtype)
        elif op == "QLinearAdd" and n.domain == "com.microsoft":
            A, As, Az, B, Bs, Bz, Cs, Cz = i[:8]
            real = (A.astype(np.int32) - int(Az)).astype(F32) * As.astype(F32) + (B.astype(np.int32) - int(Bz)).astype(F32) * Bs.astype(F32)
            y = _saturate(np.rint(real / Cs.astype(F32)).astype(np.float64) + int(Cz), Cz.dtype)
        elif op == "Add":
            y = i[0] + i[1]
        elif op == "Relu":
            y = np.maximum(i[0], 0)
        elif op == "Clip":
            y = np.clip(i[0], i[1], i[2])
        elif op == "MaxPool":
            k, s = a["kernel_shape"], a.get("strides", [1, 1])
            x = i[0]
            oh, ow = (x.shape[2] - k[0]) // s[0] + 1, (x.shape[3] - k[1]) // s[1] + 1
            y = np.empty(x.shape[:2] + (oh, ow), dtype=x.dtype)
            for r in range(oh):
                for q in range(ow):
                    y[:, :, r, q] = x[:, :, r * s[0]:r * s[0] + k[0], q * s[1]:q * s[1] + k[1]].max(axis=(2, 3))
        elif op == "Concat":
            y = np.concatenate(i, axis=a["axis"])
        elif op == "Flatten":
            y = i[0].reshape(i[0].shape[0], -1)
        else:
            raise ValueError("op %s is not modelled" % op)
        env[n.output[0]] = y
    return env

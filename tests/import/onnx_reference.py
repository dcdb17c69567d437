#!/usr/bin/python3
"""numpy forward pass of a chained network file (what tools/import-onnx writes), layer by layer.

  onnx_reference.py NET.json INPUT.npy OUTDIR [--float]

writes OUTDIR/<layer>.npy, the output of every layer after its post-ops, for comparison with
`sparsesim run --network NET.json --input INPUT.npy --dump-tensors` (or imported in a test:
forward(net, net_dir, x, integer)).

Two arithmetics:
  float   (integer=False): the weights as stored, float64 math, no requant. For a float model
          this is the ONNX model's own forward pass (with BatchNormalization folded); the
          importer test checks that against an independent evaluation of the ONNX graph.
  integer (integer=True): int8 weights and activations, int64 accumulation, then per layer
          requant q = clip(round_half_even(acc * scale) + zero_point, -128, 127) with the layer's
          "requant" scale (per output channel when a list), then relu = max(q, 0) (the importer
          admits only zero point 0 on activations that feed another layer). add saturates to
          int8; max-pool pads with -128; average pools round the mean half to even. The requant
          is ONNX's QuantizeLinear / QLinear* rule; the add and pool rules are this reference's
          assumptions until the simulator documents its own (docs/networks.md). A layer whose
          "requant" is "calibrate" or absent stays int32 (the last layer) or needs the simulator's
          calibration rule (docs/networks.md), which this reference does not guess: it refuses.
"""
import json
import os
import sys

import numpy as np


def pad_nchw(x, top, left, bottom, right, value=0):
    return np.pad(x, ((0, 0), (0, 0), (top, bottom), (left, right)), constant_values=value)


def conv(x, w, stride, pads, dilation, groups):
    """x [N, C, H, W], w [O, C/g, kh, kw]; plain loops over the kernel taps (vectorised over pixels)."""
    top, left, bottom, right = pads
    acc_t = np.int64 if np.issubdtype(x.dtype, np.integer) else np.float64
    xp = pad_nchw(x.astype(acc_t), top, left, bottom, right)
    n, c, h, wd = xp.shape
    o, cg, kh, kw = w.shape
    oh = (h - dilation * (kh - 1) - 1) // stride + 1
    ow = (wd - dilation * (kw - 1) - 1) // stride + 1
    out = np.zeros((n, o, oh, ow), dtype=acc_t)
    og = o // groups
    for g in range(groups):
        xs = xp[:, g * cg:(g + 1) * cg]
        wg = w[g * og:(g + 1) * og].astype(acc_t)
        for i in range(kh):
            for j in range(kw):
                patch = xs[:, :, i * dilation:i * dilation + stride * (oh - 1) + 1:stride,
                           j * dilation:j * dilation + stride * (ow - 1) + 1:stride]
                out[:, g * og:(g + 1) * og] += np.einsum("nchw,oc->nohw", patch, wg[:, :, i, j])
    return out


def pool(x, kh, kw, stride, pad, kind, integer):
    fill = (-128 if integer else -np.inf) if kind == "max" else 0
    xp = pad_nchw(x.astype(np.float64), pad, pad, pad, pad, fill)
    n, c, h, w = xp.shape
    oh, ow = (h - kh) // stride + 1, (w - kw) // stride + 1
    win = np.stack([xp[:, :, i:i + stride * (oh - 1) + 1:stride, j:j + stride * (ow - 1) + 1:stride]
                    for i in range(kh) for j in range(kw)])
    r = win.max(axis=0) if kind == "max" else win.mean(axis=0)
    return np.rint(r).astype(np.int64) if integer else r


def requant(acc, rq, layer):
    if not isinstance(rq, dict):
        raise ValueError("layer %s: requant %r needs the simulator's calibration rule" % (layer, rq))
    s = np.asarray(rq["scale"], dtype=np.float64)
    shape = (1, -1, 1, 1) if acc.ndim == 4 else (1, -1)
    q = np.rint(acc * (s.reshape(shape) if s.size > 1 else s)) + int(rq.get("zero_point", 0))
    return np.clip(q, -128, 127).astype(np.int64)


def forward(net, net_dir, x, integer):
    """x: [batch, C, H, W]. Returns {layer name: output after post-ops}."""
    outs = {"input": x.astype(np.int64 if integer else np.float64)}
    prev = "input"
    layers = net["layers"]
    for idx, l in enumerate(layers):
        ins = [outs[n] for n in l.get("inputs", [prev])]
        t = l["type"]
        if t in ("conv2d", "depthwise_conv2d", "linear"):
            w = np.load(os.path.join(net_dir, l["weights"]))
            if integer and w.dtype != np.int8:
                raise ValueError("layer %s: float weights need the simulator's quantisation rule" % l["name"])
            if t == "linear":
                y = ins[0].reshape(ins[0].shape[0], -1) @ w.T.astype(ins[0].dtype)
            else:
                p = l.get("padding", 0)
                pads = l.get("pads", [p, p, p, p])
                groups = l["in_channels"] if t == "depthwise_conv2d" else l.get("groups", 1)
                y = conv(ins[0], w, l.get("stride", 1), pads, l.get("dilation", 1), groups)
            if integer and (idx + 1 < len(layers) or "requant" in l):
                y = requant(y, l.get("requant", "calibrate"), l["name"])
        elif t in ("maxpool2d", "avgpool2d"):
            kind = "max" if t == "maxpool2d" else "avg"
            if l.get("global"):
                y = ins[0].mean(axis=(2, 3), keepdims=True) if kind == "avg" else ins[0].max(axis=(2, 3), keepdims=True)
                y = np.rint(y).astype(np.int64) if integer else y
            else:
                y = pool(ins[0], l["kernel_h"], l["kernel_w"], l.get("stride", l["kernel_h"]), l.get("padding", 0), kind, integer)
        elif t == "add":
            y = ins[0] + ins[1]
            if integer:
                y = np.clip(y, -128, 127)
        elif t == "concat":
            y = np.concatenate(ins, axis=1)
        elif t == "flatten":
            y = ins[0].reshape(ins[0].shape[0], -1)
        else:
            raise ValueError("layer %s: type %s" % (l["name"], t))
        act = l.get("activation", "none")
        if act == "relu":
            y = np.maximum(y, 0)
        elif act == "relu6":
            if integer:
                raise ValueError("layer %s: relu6 on int8 needs the simulator's rule" % l["name"])
            y = np.clip(y, 0, 6)
        if "kwta" in l:
            raise ValueError("layer %s: kwta is not modelled by this reference" % l["name"])
        outs[l["name"]] = y
        prev = l["name"]
    return outs


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    net_file, x_file, out_dir = argv[:3]
    net = json.load(open(net_file))
    outs = forward(net, os.path.dirname(os.path.abspath(net_file)), np.load(x_file), "--float" not in argv)
    os.makedirs(out_dir, exist_ok=True)
    for name, y in outs.items():
        if name != "input":
            np.save(os.path.join(out_dir, name + ".npy"), y)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

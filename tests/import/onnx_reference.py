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
  integer (integer=True): the simulator's documented rules (docs/networks.md, "Post-ops" and
          "Real data"), written here from that text: float32 weights quantised per output
          channel, scale_o = max|w_o| / 127, q = clamp(round_half_even(w / scale_o), -127, 127),
          a non-zero weight that rounds to 0 becomes its sign; int64 accumulation; requant
          q = clamp(round_half_even(acc / scale[c]), -128, 127), "calibrate" (the default for a
          compute layer whose output feeds another layer) with scale = max|acc| / 127 (1 when all
          are 0; with relu6 max|acc| is capped at the real 6.0, 6 / acc_step), none for a graph
          output (int32 stays); relu = max(q, 0), relu6 = min(max(q, 0), round_half_even(6 / r[c]))
          with r the output's tensor scale; max-pool ignores padding; average pools
          average the values inside the input, rounded half to even. Tensor scales from the
          network input's 1/127: a compute layer's accumulator step acc_step is its input's scale
          (the largest, if per channel) times a weight's step 1/127, its output scale acc_step
          times its requant scale; add dequantises each operand by its scale and
          requantises to r = max|a ra + b rb| / 127 (rounded half to even, saturated); concat
          requantises every input to the largest input scale. A model's own scales replace the
          convention where the file gives them: `input.scale` for the network input's step,
          a layer's `weight_scale` (one, or one per output channel) for its weights' step, an
          add's or concat's `output_scale` for r (docs/networks.md, "Tensor scales").
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
    """Padding takes no part: never the maximum, not counted in the mean (ONNX's defaults)."""
    xp = pad_nchw(x.astype(np.float64), pad, pad, pad, pad, np.nan)
    n, c, h, w = xp.shape
    oh, ow = (h - kh) // stride + 1, (w - kw) // stride + 1
    win = np.stack([xp[:, :, i:i + stride * (oh - 1) + 1:stride, j:j + stride * (ow - 1) + 1:stride]
                    for i in range(kh) for j in range(kw)])
    r = np.nanmax(win, axis=0) if kind == "max" else np.nanmean(win, axis=0)
    return np.rint(r).astype(np.int64) if integer else r


def channel_view(v, ndim):
    v = np.asarray(v, dtype=np.float64)
    return v.reshape((1, -1, 1, 1) if ndim == 4 else (1, -1)) if v.size > 1 else v.reshape(())


def requant(acc, rq, rng=np.inf):
    """Returns (int8 values as int64, the scale used). rng: the calibrated range's cap."""
    if rq == "calibrate":
        m = float(np.max(np.abs(acc))) if acc.size else 0.0
        s = np.float64(min(m, rng) / 127.0 if m > 0 else 1.0)
    else:
        s = np.asarray(rq["scale"], dtype=np.float64)
        if int(rq.get("zero_point", 0)) != 0:
            raise ValueError("requant zero_point must be 0")
    q = np.rint(acc / channel_view(s, acc.ndim))
    return np.clip(q, -128, 127).astype(np.int64), s


def quantise_weights(w):
    """float32 OIHW (or [out, in]) -> int8 per output channel, every zero kept and no new one."""
    w = w.astype(np.float64)
    flat = w.reshape(w.shape[0], -1)
    m = np.max(np.abs(flat), axis=1)
    s = np.where(m > 0, m / 127.0, 1.0)
    q = np.clip(np.rint(flat / s[:, None]), -127, 127)
    q = np.where((q == 0) & (flat != 0), np.sign(flat), q)
    return q.reshape(w.shape).astype(np.int8)


def per_channel(r, y):
    """A tensor scale (one value or one per channel) broadcast over y's channels."""
    r = np.asarray(r, dtype=np.float64).reshape(-1)
    return channel_view(np.repeat(r, y.shape[1]) if r.size == 1 else r, y.ndim)


def rescaled_add(a, b, ra, rb, given=None):
    ra, rb = per_channel(ra, a), per_channel(rb, b)
    m = float(np.max(np.abs(a * ra + b * rb))) if a.size else 0.0
    r = m / 127.0 if m > 0 else max(float(np.max(ra)), float(np.max(rb)))
    r = given if given else r
    return np.clip(np.rint(a * (ra / r) + b * (rb / r)), -128, 127).astype(np.int64), np.array([r])


def rescaled_concat(ins, rs, given=None):
    r = given if given else max(float(np.max(s)) for s in rs)
    parts = [np.clip(np.rint(x * (per_channel(s, x) / r)), -128, 127).astype(np.int64) for x, s in zip(ins, rs)]
    return np.concatenate(parts, axis=1), np.array([r])


def forward(net, net_dir, x, integer):
    """x: [batch, C, H, W]. Returns {layer name: output after post-ops}."""
    outs = {"input": x.astype(np.int64 if integer else np.float64)}
    step = 1.0 / 127.0  # an int8 step of the network input and of every weight
    rscale = {"input": np.array([net["input"].get("scale", step)])}
    prev = "input"
    layers = net["layers"]
    for idx, l in enumerate(layers):
        ins = [outs[n] for n in l.get("inputs", [prev])]
        rins = [rscale[n] for n in l.get("inputs", [prev])]
        r = rins[0]
        t = l["type"]
        scale = None
        if t in ("conv2d", "depthwise_conv2d", "linear"):
            w = np.load(os.path.join(net_dir, l["weights"]))
            if integer and w.dtype != np.int8:
                w = quantise_weights(w)
            if t == "linear":
                y = ins[0].reshape(ins[0].shape[0], -1) @ w.T.astype(ins[0].dtype)
            else:
                p = l.get("padding", 0)
                pads = l.get("pads", [p, p, p, p])
                groups = l["in_channels"] if t == "depthwise_conv2d" else l.get("groups", 1)
                y = conv(ins[0], w, l.get("stride", 1), pads, l.get("dilation", 1), groups)
            feeds = any(l["name"] in m.get("inputs", [layers[k - 1]["name"] if k else "input"])
                        for k, m in enumerate(layers))
            if integer and l.get("requant", "calibrate" if feeds or "kwta" in l else "none") != "none":
                acc_step = np.max(rins[0]) * np.asarray(l.get("weight_scale", step), dtype=np.float64).reshape(-1)
                rng = 6.0 / np.min(acc_step) if l.get("activation") == "relu6" else np.inf
                y, scale = requant(y, l.get("requant", "calibrate"), rng)
                r = acc_step * np.asarray(scale, dtype=np.float64).reshape(-1)
        elif t in ("maxpool2d", "avgpool2d"):
            kind = "max" if t == "maxpool2d" else "avg"
            if l.get("global"):
                y = ins[0].mean(axis=(2, 3), keepdims=True) if kind == "avg" else ins[0].max(axis=(2, 3), keepdims=True)
                y = np.rint(y).astype(np.int64) if integer else y
            else:
                y = pool(ins[0], l["kernel_h"], l["kernel_w"], l.get("stride", l["kernel_h"]), l.get("padding", 0), kind, integer)
        elif t == "add":
            if integer:
                y, r = rescaled_add(ins[0], ins[1], rins[0], rins[1], l.get("output_scale"))
            else:
                y = ins[0] + ins[1]
        elif t == "concat":
            if integer:
                y, r = rescaled_concat(ins, rins, l.get("output_scale"))
            else:
                y = np.concatenate(ins, axis=1)
        elif t == "flatten":
            y = ins[0].reshape(ins[0].shape[0], -1)
            if np.size(r) > 1:
                r = np.repeat(r, y.shape[1] // np.size(r))
        else:
            raise ValueError("layer %s: type %s" % (l["name"], t))
        act = l.get("activation", "none")
        if act == "relu":
            y = np.maximum(y, 0)
        elif act == "relu6":
            if integer:
                if scale is None:
                    raise ValueError("layer %s: relu6 without a requant scale" % l["name"])
                y = np.minimum(np.maximum(y, 0), np.minimum(127, np.rint(6.0 / per_channel(r, y))))
            else:
                y = np.clip(y, 0, 6)
        if "kwta" in l:
            raise ValueError("layer %s: kwta is not modelled by this reference" % l["name"])
        outs[l["name"]] = y
        rscale[l["name"]] = np.asarray(r, dtype=np.float64).reshape(-1)
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

#!/usr/bin/python3
"""Whole-network check of chained runs: the forward pass recomputed with plain numpy from the
network input and the layers' int8 weights of a `--dump-tensors` folder (docs/networks.md).

usage: forward_ref.py <sparsesim binary> <source dir> <scratch dir>

Cases (each run with --dump-tensors, exit 0 and every layer verified required):
  - configs/networks/gsc-chained.json on dense, cs, sod and sparse_pe (16x16 / cs-small arrays),
  - a generated graph covering asymmetric pads, dilation 2, relu / relu6, a per-channel given
    requant scale, a depthwise conv, max-pool with padding, average pool, residual add, concat,
    global average pool, grouped k-WTA by density, flatten, float32 weights (quantised by the
    documented rule), and an --input file, on dense and sparse_pe; the same graph with a model's
    own scales (input.scale, per-channel and scalar weight_scale, output_scale on the add and the
    concat) on dense and cs.
For every layer, in file order, numpy computes the layer from its producers' values:
  conv / linear with int64 accumulation (must equal the dumped output.npy, the raw int32 GEMM
  result), requant (calibrate: scale = max|acc| / 127, with relu6 at most the real 6.0 in
  accumulator steps; q = clip(rint(acc / scale), -128, 127)),
  relu / relu6 (clip at rint(6 / r), r the output's tensor scale), k-WTA (largest magnitudes, ties to the lower flat
  index, per channel group), max / average pooling, add, concat, flatten; each must equal the
  dumped value.npy exactly. Tensor scales (the real value of one int8 step) are tracked from the
  network input's 1/127: a compute layer's output scale is its input's (the largest, if per
  channel) times a weight's step 1/127 times its requant scale; add dequantises each operand by its scale and requantises
  to max|a ra + b rb| / 127; concat requantises every input to the largest input scale; each
  must equal node.json's tensor_scale. The generated graph adds and concatenates operands of
  different scales. A compute layer's dumped input.npy must equal its
  producer's value: ReLU zeros and k-WTA winners come from the data. The float32 weights must
  quantise to the dumped int8 weights with the same zero pattern. CS: the k-WTA selector's
  winners match the layer's input (report: selection_matches_workload) on a real previous output.
Exits non-zero on any failure; prints one line per check group.
"""
import json
import os
import shutil
import subprocess
import sys

import numpy as np

FAILS = []


def check(cond, what):
    if not cond:
        FAILS.append(what)
        print("FAIL", what)
    return cond


def conv(x, w, stride, pads, dil, groups):
    """x [C,H,W] int64, w [O,C/g,kh,kw]: the plain definition, one kernel tap at a time."""
    C, H, W = x.shape
    O, cpg, kh, kw = w.shape
    pt, pl, pb, pr = pads
    xp = np.zeros((C, H + pt + pb, W + pl + pr), dtype=np.int64)
    xp[:, pt:pt + H, pl:pl + W] = x
    oh = (H + pt + pb - (dil * (kh - 1) + 1)) // stride + 1
    ow = (W + pl + pr - (dil * (kw - 1) + 1)) // stride + 1
    out = np.zeros((O, oh, ow), dtype=np.int64)
    opg = O // groups
    for o in range(O):
        g = o // opg
        for c in range(cpg):
            for ky in range(kh):
                for kx in range(kw):
                    v = int(w[o, c, ky, kx])
                    if v == 0:
                        continue
                    y0, x0 = ky * dil, kx * dil
                    patch = xp[g * cpg + c, y0:y0 + stride * (oh - 1) + 1:stride, x0:x0 + stride * (ow - 1) + 1:stride]
                    out[o] += v * patch
    return out


def pool(x, k, stride, pads, is_max):
    C, H, W = x.shape
    pt, pl, pb, pr = pads
    oh = (H + pt + pb - k[0]) // stride + 1
    ow = (W + pl + pr - k[1]) // stride + 1
    out = np.zeros((C, oh, ow), dtype=np.int64)
    for oy in range(oh):
        for ox in range(ow):
            y0, y1 = max(0, oy * stride - pt), min(H, oy * stride - pt + k[0])
            x0, x1 = max(0, ox * stride - pl), min(W, ox * stride - pl + k[1])
            win = x[:, y0:y1, x0:x1].reshape(C, -1)
            out[:, oy, ox] = win.max(axis=1) if is_max else np.rint(win.sum(axis=1) / win.shape[1])
    return out


def kwta(v, groups, k=None, density=None):
    flat = v.reshape(groups, -1).copy()
    n = flat.shape[1]
    kk = min(k, n) if k else max(1, min(n, int(np.floor(density * n + 0.5))))
    for g in range(groups):
        order = np.lexsort((np.arange(n), -np.abs(flat[g])))  # magnitude desc, then index asc
        keep = np.zeros(n, dtype=bool)
        keep[order[:kk]] = True
        flat[g][~keep] = 0
    return flat.reshape(v.shape)


def chan(r, c):
    """A tensor scale (one value, or one per channel) as one value per channel, shape [c, 1, 1]."""
    r = np.asarray(r, dtype=np.float64).reshape(-1)
    return (np.repeat(r, c) if r.size == 1 else r).reshape(c, 1, 1)


def rescaled_add(a, b, ra, rb, given=None):
    """Each operand dequantised by its scale, the sum requantised to max|real| / 127 (or the given output scale)."""
    c = a.shape[0]
    ra, rb = chan(ra, c), chan(rb, c)
    m = np.abs(a * ra + b * rb).max()
    ro = m / 127.0 if m > 0 else max(ra.max(), rb.max())
    ro = given if given else ro
    return np.clip(np.rint(a * (ra / ro) + b * (rb / ro)), -128, 127).astype(np.int64), np.array([ro])


def rescaled_concat(ins, rs, given=None):
    """Every input requantised to the largest input scale."""
    ro = given if given else max(float(np.max(r)) for r in rs)
    parts = [np.clip(np.rint(x * (chan(r, x.shape[0]) / ro)), -128, 127).astype(np.int64) for x, r in zip(ins, rs)]
    return np.concatenate(parts, axis=0), np.array([ro])


def forward(dump, layers, report, input_scale=None):
    vals = {"input": np.load(os.path.join(dump, "network_input.npy")).astype(np.int64)[0]}
    step = 1.0 / 127.0  # an int8 step of the network input and of every weight, unless the file gives the model's
    rscale = {"input": np.array([input_scale or step])}
    verified = {l["name"]: l for l in report["layers"]}
    relu_checked = 0
    for l in layers:
        name, t = l["name"], l["type"]
        d = os.path.join(dump, name)
        node = json.load(open(os.path.join(d, "node.json")))
        ins = [vals[p] for p in node["inputs"]]
        rins = [rscale[p] for p in node["inputs"]]
        pads = node["pads"]
        if t in ("conv2d", "depthwise_conv2d", "linear"):
            x = ins[0]
            got_in = np.load(os.path.join(d, "input.npy")).astype(np.int64)
            w = np.load(os.path.join(d, "weights.npy")).astype(np.int64)
            raw = np.load(os.path.join(d, "output.npy")).astype(np.int64)
            if t == "linear":
                x = x.reshape(x.shape[0], -1)  # [C, rows]
                check(np.array_equal(got_in, x.T), name + ": input.npy is the producer's value")
                acc = (w @ x)  # [O, rows]
                check(np.array_equal(raw, acc.T), name + ": GEMM output equals numpy")
                acc = acc.reshape(acc.shape[0], acc.shape[1], 1)
            else:
                check(np.array_equal(got_in[0], x), name + ": input.npy is the producer's value")
                acc = conv(x, w, node["stride"], pads, node["dilation"], node["groups"])
                check(np.array_equal(raw[0], acc), name + ": conv output equals numpy")
            check(verified[name]["verified"], name + ": verified against the reference conv")
            v = acc
            acc_step = np.max(rins[0]) * np.asarray(l.get("weight_scale", step), dtype=np.float64).reshape(-1)
            if node["requant"] == "calibrate":
                # relu6: the calibrated range stops at the real 6.0 (6 / acc_step accumulator
                # steps, of the channel with the finest step).
                m = np.abs(acc).max()
                rng = 6.0 / np.min(acc_step) if node["activation"] == "relu6" else np.inf
                scales = [min(float(m), rng) / 127.0 if m > 0 else 1.0]
            else:
                scales = l["requant"]["scale"] if node["requant"] == "given" else []
                scales = scales if isinstance(scales, list) else [scales]
            if scales:
                s = np.array(scales, dtype=np.float64).reshape(-1, 1, 1)
                v = np.clip(np.rint(acc / s), -128, 127).astype(np.int64)
                check(np.allclose(node["scales"], scales, rtol=0, atol=0), name + ": requant scales " + str(node["scales"]))
            r = acc_step * np.array(scales if scales else [1.0], dtype=np.float64)
            r = r if r.size > 1 or acc_step.size == 1 else np.repeat(r, acc_step.size)
        else:
            r = rins[0]
            if t in ("maxpool2d", "avgpool2d"):
                v = pool(ins[0], node["kernel"], node["stride"], pads, t == "maxpool2d")
            elif t == "add":
                v, r = rescaled_add(ins[0], ins[1], rins[0], rins[1], l.get("output_scale"))
            elif t == "concat":
                v, r = rescaled_concat(ins, rins, l.get("output_scale"))
            else:
                v = ins[0].reshape(-1, 1, 1)
                r = np.repeat(r, ins[0].shape[1] * ins[0].shape[2]) if np.size(r) > 1 else r
            scales = []
        if node["activation"] == "relu":
            v = np.maximum(v, 0)
        elif node["activation"] == "relu6":
            hi = np.minimum(127, np.rint(6.0 / chan(r, v.shape[0])))
            v = np.clip(v, 0, hi).astype(np.int64)
        if "kwta" in node:
            kw = node["kwta"]
            v = kwta(v, kw["groups"], k=kw["k"] or None, density=kw["density"])
        got = np.load(os.path.join(d, "value.npy")).astype(np.int64)[0]
        check(got.shape == v.shape and np.array_equal(got, v), name + ": value equals numpy (" + t + ")")
        check(np.array_equal(np.asarray(node["tensor_scale"], dtype=np.float64), np.asarray(r, dtype=np.float64).reshape(-1)),
              name + ": tensor scale " + str(node["tensor_scale"]) + " equals numpy's " + str(r))
        vals[name] = v
        rscale[name] = np.asarray(r, dtype=np.float64).reshape(-1)
        if node["activation"] in ("relu", "relu6"):
            relu_checked += int((v == 0).sum())
    return vals, relu_checked, rscale


def run(exe, arch, net, out, extra=()):
    if os.path.exists(out):
        shutil.rmtree(out)
    cmd = [exe, "run", "--arch", arch, "--network", net, "--out", out + "/report", "--dump-tensors", out + "/dump", "-q"] + list(extra)
    p = subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ, SYSTEMC_DISABLE_COPYRIGHT_MESSAGE="1"))
    if not check(p.returncode == 0, " ".join(cmd) + " exit " + str(p.returncode) + ": " + p.stderr[-2000:]):
        return None
    report = json.load(open(out + "/report/report.json"))
    check(report["total"]["verified"] and all(l["verified"] for l in report["layers"]),
          net + ": every layer verified")
    return report


def mixed_network(scratch):
    rng = np.random.default_rng(7)
    wf = rng.normal(size=(6, 3, 3, 3)).astype(np.float32)
    wf[rng.random(wf.shape) < 0.5] = 0.0
    wf[0, 0, 0, 0] = 1e-6  # would round to zero: must stay non-zero
    np.save(os.path.join(scratch, "c1_float.npy"), wf)
    x = rng.integers(-128, 128, size=(1, 3, 11, 9), dtype=np.int8)
    np.save(os.path.join(scratch, "input.npy"), x)
    pm = np.full((2, 3, 5, 5), 127, dtype=np.int8)
    pm[1] = -127
    np.save(os.path.join(scratch, "pm127.npy"), pm)
    net = {
        "name": "chain-mix", "description": "Generated by tests/networks/forward_ref.py", "chain": True,
        "input": {"channels": 3, "height": 11, "width": 9},
        "layers": [
            {"name": "c1", "type": "conv2d", "out_channels": 6, "kernel_h": 3, "kernel_w": 3, "pads": [1, 0, 2, 1],
             "weights": "c1_float.npy", "activation": "relu"},
            {"name": "p1", "type": "maxpool2d", "kernel_h": 3, "kernel_w": 3, "stride": 2, "padding": 1},
            {"name": "dw", "type": "depthwise_conv2d", "out_channels": 6, "kernel_h": 3, "kernel_w": 3, "padding": 1,
             "weight_sparsity": 0.3, "requant": {"scale": [0.05, 0.1, 0.2, 0.3, 0.4, 0.5]}, "activation": "relu6"},
            {"name": "res", "type": "add", "inputs": ["dw", "p1"], "activation": "relu"},
            {"name": "dil", "type": "conv2d", "inputs": ["c1"], "out_channels": 4, "kernel_h": 2, "kernel_w": 2,
             "dilation": 2, "stride": 2, "pads": [1, 1, 0, 0], "weight_sparsity": 0.5},
            {"name": "cat", "type": "concat", "inputs": ["res", "dil"]},
            {"name": "ap", "type": "avgpool2d", "kernel_h": 2, "kernel_w": 2, "stride": 1, "kwta": {"density": 0.3, "groups": 2}},
            {"name": "c2", "type": "conv2d", "out_channels": 8, "kernel_h": 1, "kernel_w": 1, "activation": "relu"},
            {"name": "gap", "type": "avgpool2d", "global": True},
            {"name": "flat", "type": "flatten"},
            {"name": "fc", "type": "linear", "out_channels": 5, "kwta": {"k": 2}},
            {"name": "out", "type": "linear", "out_channels": 3},
            # 75 taps of weight +-1 (int8 +-127) on the input: real sums beyond 6, so relu6 clips.
            {"name": "clip6", "type": "conv2d", "inputs": ["input"], "out_channels": 2, "kernel_h": 5, "kernel_w": 5,
             "weights": "pm127.npy", "requant": "calibrate", "activation": "relu6"},
        ],
    }
    path = os.path.join(scratch, "chain-mix.json")
    json.dump(net, open(path, "w"), indent=1)
    return path, net, wf, x


def quantised(wf):
    q = np.zeros(wf.shape, dtype=np.int64)
    for o in range(wf.shape[0]):
        m = np.abs(wf[o].astype(np.float64)).max()
        r = np.clip(np.rint(wf[o].astype(np.float64) / (m / 127.0)), -127, 127)
        r[(r == 0) & (wf[o] != 0)] = np.sign(wf[o][(r == 0) & (wf[o] != 0)])
        r[wf[o] == 0] = 0
        q[o] = r
    return q


def main():
    exe, src, scratch = sys.argv[1:4]
    os.makedirs(scratch, exist_ok=True)
    gsc = os.path.join(src, "configs/networks/gsc-chained.json")
    gsc_layers = json.load(open(gsc))["layers"]
    arches = {"dense": "dense-16x16.json", "cs": "cs-small.json", "sod": "sod-16x16.json", "sparse_pe": "sparse-pe-16x16.json"}
    for dp, arch in arches.items():
        out = os.path.join(scratch, "gsc-" + dp)
        report = run(exe, os.path.join(src, "configs/arch", arch), gsc, out)
        if report is None:
            continue
        vals, _, _ = forward(out + "/dump", gsc_layers, report)
        by = {l["name"]: l for l in report["layers"]}
        # conv2's input is pool1's real k-WTA output: exactly 1200 winners from the data.
        got = np.load(out + "/dump/conv2/input.npy")
        check(int((got != 0).sum()) <= 1200 and by["conv2"]["kwta_k"] == 1200, dp + ": conv2 input holds pool1's 1200 k-WTA winners")
        if dp == "cs":
            # conv2, linear and output take a producer's k-WTA selection: the selector runs on it.
            for name in ("conv2", "linear", "output"):
                sel = by[name]["cs"]["selector"]
                check(sel["active"] and sel["matches_workload"], "cs: " + name + " selector active on the real previous output and matching it")
        check("host_ops" in report and report["total"]["host_op_cycles"] > 0, dp + ": host ops costed")
        print("gsc-chained on", dp, "checked")
    path, net, wf, x = mixed_network(scratch)
    for dp in ("dense", "sparse_pe"):
        out = os.path.join(scratch, "mix-" + dp)
        report = run(exe, os.path.join(src, "configs/arch", arches[dp]), path, out, ["--input", os.path.join(scratch, "input.npy")])
        if report is None:
            continue
        vals, zeros, rscale = forward(out + "/dump", net["layers"], report)
        # The add and the concat meet operands of different scales, so the rescaling is exercised.
        check(not np.array_equal(chan(rscale["dw"], 6), chan(rscale["p1"], 6)), dp + ": res adds operands of different scales")
        check(float(np.max(rscale["res"])) != float(np.max(rscale["dil"])), dp + ": cat joins inputs of different scales")
        check(not np.array_equal(np.load(out + "/dump/res/value.npy")[0], np.maximum(np.clip(vals["dw"] + vals["p1"], -128, 127), 0)),
              dp + ": res is not the raw int8 sum")
        check(np.array_equal(np.load(out + "/dump/network_input.npy"), x), dp + ": --input is the network input")
        qw = np.load(out + "/dump/c1/weights.npy").astype(np.int64)
        check(np.array_equal(qw, quantised(wf)), dp + ": float32 weights quantised by the documented rule")
        check(np.array_equal(qw == 0, wf == 0), dp + ": float32 weights keep their zero pattern exactly")
        # The ReLU zeros of c1 are exactly the zeros of the next compute layer's (dil's) input.
        c1 = vals["c1"]
        dil_in = np.load(out + "/dump/dil/input.npy")[0]
        check((c1 == 0).sum() > 0 and np.array_equal(dil_in == 0, c1 == 0), dp + ": ReLU zeros of c1 are the zeros of dil's input")
        # relu6 after calibrate: the range stops at the real 6.0, so sums beyond it saturate at 127.
        acc = np.load(out + "/dump/clip6/output.npy").astype(np.int64)
        sc = json.load(open(out + "/dump/clip6/node.json"))["scales"][0]
        v6 = np.load(out + "/dump/clip6/value.npy")
        check(sc < np.abs(acc).max() / 127.0 and (v6 == 127).sum() > 1 and (v6 == 0).sum() > 0,
              dp + ": relu6 clips at the real 6.0 (scale %g, %d values at 127)" % (sc, (v6 == 127).sum()))
        c2_in = np.load(out + "/dump/c2/input.npy")[0]
        check(np.array_equal(c2_in, vals["ap"]), dp + ": c2's input is ap's k-WTA output")
        print("chain-mix on", dp, "checked (", zeros, "activation zeros )")
    # The same graph with a model's own scales: input.scale, per-channel weight_scale (with a
    # given requant and relu6, and with a calibrated requant and relu6), a scalar weight_scale,
    # the add's and the concat's output_scale (docs/networks.md, "Tensor scales").
    scaled = json.loads(json.dumps(net))
    scaled["name"] = "chain-mix-scaled"
    scaled["input"]["scale"] = 0.0213
    L = {l["name"]: l for l in scaled["layers"]}
    L["dw"]["weight_scale"] = [0.011, 0.017, 0.007, 0.013, 0.019, 0.009]
    L["dil"]["weight_scale"] = 0.0031
    L["clip6"]["weights"] = os.path.join(scratch, "pm127.npy")
    L["clip6"]["weight_scale"] = [0.0021, 0.004]  # channel 1 (the largest sums) passes its real 6.0 before int8 127
    L["res"]["output_scale"] = 0.093
    L["cat"]["output_scale"] = 0.061
    L["c1"]["weights"] = os.path.join(scratch, "c1_float.npy")
    spath = os.path.join(scratch, "chain-mix-scaled.json")
    json.dump(scaled, open(spath, "w"), indent=1)
    for dp in ("dense", "cs"):
        out = os.path.join(scratch, "mix-scaled-" + dp)
        report = run(exe, os.path.join(src, "configs/arch", arches[dp]), spath, out, ["--input", os.path.join(scratch, "input.npy")])
        if report is None:
            continue
        vals, zeros, rscale = forward(out + "/dump", scaled["layers"], report, input_scale=scaled["input"]["scale"])
        check(np.allclose(rscale["res"], 0.093, rtol=0, atol=0) and np.allclose(rscale["cat"], 0.061, rtol=0, atol=0),
              dp + ": add and concat take the given output scales")
        check(rscale["dw"].size == 6 and rscale["clip6"].size == 2, dp + ": per-channel weight scales give per-channel tensor scales")
        v6, b6 = vals["clip6"], np.minimum(127, np.rint(6.0 / rscale["clip6"]))
        check(b6[1] < 127 and b6[0] == 127 and (v6[1] == b6[1]).sum() > 1,
              dp + ": relu6 clips channel 1 at its own bound %d (%d values), channel 0 (a finer step) at 127" % (b6[1], (v6[1] == b6[1]).sum()))
        print("chain-mix-scaled on", dp, "checked")
    print("%d failed" % len(FAILS))
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""Check the JSON network configs under configs/networks/ (stdlib only).

  /usr/bin/python3 tools/check-networks.py [file.json ...]

For every file: only schema keys are present; types and field values are sane
(depthwise: groups = in = out channels; linear: 1x1 kernel, in_w = 1; groups
divide the channels); every conv's output size floor((in + 2p - k)/s) + 1 >= 1;
each layer's input is consistent with what precedes it (see link kinds below).
Prints a table (name, in, out, MACs, link) and the total dense MACs, and compares
the totals with published reference values (assert within 1%; GSC exact).

Link kinds (how a layer's input relates to the layers before it):
  input    first layer, matches the network "input" object
  direct   equals the previous layer's output
  pool     previous output after a standard pool (2x2 s2, 3x3 s2, 3x3 s2 p1)
  flatten  linear after conv: in_channels = C*H*W of the previous output, taken
           directly, after a standard pool, or after global average pooling
  branch   equals the input or output of an earlier (non-adjacent) layer
           (residual shortcut, Q/K/V sharing the block input, ...)
  copy     a layer of a subset network (e.g. alexnet-pruned-rep) identical, every field, to
           the layer of the same name in its parent (the network file whose name, followed by
           "-", begins this one's: alexnet-pruned.json); its input followed from the parent's
Any layer with none of these fails the check.
"""
import glob
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NET_DIR = os.path.join(ROOT, "configs", "networks")

NET_KEYS = {"name", "description", "input", "defaults", "layers"}
INPUT_KEYS = {"channels", "height", "width"}
DEFAULT_KEYS = {"weight_sparsity", "activation_density", "weight_pattern"}
LAYER_KEYS = {"name", "type", "in_channels", "out_channels", "in_h", "in_w",
              "kernel_h", "kernel_w", "stride", "padding", "groups",
              "weight_sparsity", "activation_density", "weights"}
LAYER_REQUIRED = {"name", "type", "in_channels", "out_channels", "in_h", "in_w",
                  "kernel_h", "kernel_w"}
TYPES = {"conv2d", "depthwise_conv2d", "linear"}
POOLS = [(2, 2, 0), (3, 2, 0), (3, 2, 1)]   # (kernel, stride, padding)

# Reference dense MAC totals (conv + fc/linear layers).
REFERENCE = {
    # torchvision model card: 4.09 GFLOPS (= multiply-accumulates)
    "resnet50": (4.09e9, 0.01, "torchvision ResNet-50: 4.09 GMACs"),
    # torchvision: 0.30 GMACs; MobileNetV2 paper Table 3: 300M multiply-adds
    "mobilenetv2": (3.0e8, 0.01, "MobileNetV2 paper / torchvision: 300 M MACs"),
    # torchvision AlexNet: 0.71 GMACs
    "alexnet": (7.1e8, 0.01, "torchvision AlexNet: 0.71 GMACs"),
    # torchvision VGG-16: 15.47 GMACs
    "vgg16": (1.547e10, 0.01, "torchvision VGG-16: 15.47 GMACs"),
    # analytic: 128*(4*768*768 + 2*768*3072) + 2*12*128*128*64
    "bert-base-block": (128 * (4 * 768 * 768 + 2 * 768 * 3072) + 2 * 12 * 128 * 128 * 64,
                        0.0, "analytic: 12*L*d^2 + 2*L^2*d, L=128, d=768"),
    # the pruned variants keep the dense shapes (tools/gen-networks.py)
    "alexnet-pruned": (7.1e8, 0.01, "torchvision AlexNet: 0.71 GMACs (dense shapes)"),
    "vgg16-pruned": (1.547e10, 0.01, "torchvision VGG-16: 15.47 GMACs (dense shapes)"),
    "bert-base-pruned": (12 * (128 * (4 * 768 * 768 + 2 * 768 * 3072) + 2 * 12 * 128 * 128 * 64),
                         0.0, "analytic: 12 blocks x (12*L*d^2 + 2*L^2*d), L=128, d=768"),
    # domain.md section 1: conv1 + conv2 + linear, plus the 1000->12 output layer
    "gsc": (1254400 + 10240000 + 1600000 + 1000 * 12, 0.0,
            "domain.md: 1,254,400 + 10,240,000 + 1,600,000 (+ output 12,000)"),
}
# Exact per-layer values (domain.md section 1).
LAYER_REFERENCE = {"gsc": {"conv1": 1254400, "conv2": 10240000, "linear": 1600000}}


class CheckError(Exception):
    pass


def req(cond, msg):
    if not cond:
        raise CheckError(msg)


def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def out_size(layer):
    if layer["type"] == "linear":
        return layer["out_channels"], layer["in_h"], layer["in_w"]
    s, p = layer.get("stride", 1), layer.get("padding", 0)
    oh = (layer["in_h"] + 2 * p - layer["kernel_h"]) // s + 1
    ow = (layer["in_w"] + 2 * p - layer["kernel_w"]) // s + 1
    return layer["out_channels"], oh, ow


def macs(layer):
    c, oh, ow = out_size(layer)
    g = layer.get("groups", 1)
    return oh * ow * c * (layer["in_channels"] // g) * layer["kernel_h"] * layer["kernel_w"]


def in_size(layer):
    return layer["in_channels"], layer["in_h"], layer["in_w"]


def pooled(h, w):
    for k, s, p in POOLS:
        ph, pw = (h + 2 * p - k) // s + 1, (w + 2 * p - k) // s + 1
        if ph >= 1 and pw >= 1:
            yield ph, pw


def check_layer(layer, where):
    unknown = set(layer) - LAYER_KEYS
    req(not unknown, "%s: unknown keys %s" % (where, sorted(unknown)))
    missing = LAYER_REQUIRED - set(layer)
    req(not missing, "%s: missing keys %s" % (where, sorted(missing)))
    req(isinstance(layer["name"], str) and layer["name"], "%s: bad name" % where)
    req(layer["type"] in TYPES, "%s: bad type %r" % (where, layer["type"]))
    for k in ("in_channels", "out_channels", "in_h", "in_w", "kernel_h", "kernel_w",
              "stride", "groups"):
        if k in layer:
            req(is_int(layer[k]) and layer[k] >= 1, "%s: %s must be an int >= 1" % (where, k))
    if "padding" in layer:
        req(is_int(layer["padding"]) and layer["padding"] >= 0, "%s: bad padding" % where)
    for k, lo, hi in (("weight_sparsity", 0.0, 1.0), ("activation_density", 0.0, 1.0)):
        if k in layer:
            v = layer[k]
            req(isinstance(v, (int, float)) and not isinstance(v, bool) and lo <= v <= hi,
                "%s: %s out of [%g, %g]" % (where, k, lo, hi))
    req("weights" not in layer, "%s: 'weights' not expected in generated configs" % where)
    g = layer.get("groups", 1)
    req(layer["in_channels"] % g == 0 and layer["out_channels"] % g == 0,
        "%s: groups %d does not divide channels" % (where, g))
    if layer["type"] == "depthwise_conv2d":
        req(g == layer["in_channels"] == layer["out_channels"],
            "%s: depthwise needs groups = in_channels = out_channels" % where)
    if layer["type"] == "linear":
        req(layer["kernel_h"] == 1 and layer["kernel_w"] == 1 and layer["in_w"] == 1,
            "%s: linear needs kernel 1x1 and in_w 1" % where)
        req(layer.get("stride", 1) == 1 and layer.get("padding", 0) == 0,
            "%s: linear with stride/padding" % where)
    c, oh, ow = out_size(layer)
    req(oh >= 1 and ow >= 1, "%s: output size %dx%d < 1" % (where, oh, ow))


def parent_layers(name, paths):
    """Layers by name of the longest-named network in paths whose name + "-" begins name."""
    best = None
    for p in paths:
        stem = os.path.splitext(os.path.basename(p))[0]
        if name.startswith(stem + "-") and (best is None or len(stem) > len(best[0])):
            best = (stem, p)
    if best is None:
        return {}
    with open(best[1]) as f:
        return {l["name"]: l for l in json.load(f)["layers"]}


def link_kind(i, layers, net_input, parent=None):
    cur = layers[i]
    if parent and parent.get(cur["name"]) == cur and (i > 0 or net_input is None or in_size(cur) == (
            net_input["channels"], net_input["height"], net_input["width"])):
        return "copy"
    cin = in_size(cur)
    if i == 0:
        if net_input is None:
            return "input"
        exp = (net_input["channels"], net_input["height"], net_input["width"])
        req(cin == exp, "%s: input %s != network input %s" % (cur["name"], cin, exp))
        return "input"
    prev = layers[i - 1]
    pc, ph, pw = out_size(prev)
    if cin == (pc, ph, pw):
        return "direct"
    if cur["type"] == "linear" and prev["type"] != "linear":
        if cur["in_h"] == 1:
            flats = [pc * ph * pw, pc] + [pc * a * b for a, b in pooled(ph, pw)]
            if cur["in_channels"] in flats:
                return "flatten"
    elif cur["type"] != "linear" and prev["type"] != "linear" and cin[0] == pc:
        if (cin[1], cin[2]) in set(pooled(ph, pw)):
            return "pool"
    for j in range(i - 2, -1, -1):
        if cin == out_size(layers[j]) or cin == in_size(layers[j]):
            return "branch"
    if cin == in_size(prev):
        return "branch"
    raise CheckError("%s: input %s does not follow from %s (out %s) or any earlier layer"
                     % (cur["name"], cin, prev["name"], (pc, ph, pw)))


def fmt_shape(s):
    return "%dx%dx%d" % s


def check_file(path):
    with open(path) as f:
        net = json.load(f)
    where = os.path.basename(path)
    req(isinstance(net, dict), "%s: top level must be an object" % where)
    unknown = set(net) - NET_KEYS
    req(not unknown, "%s: unknown keys %s" % (where, sorted(unknown)))
    req(isinstance(net.get("name"), str), "%s: missing name" % where)
    req(isinstance(net.get("layers"), list) and net["layers"], "%s: missing layers" % where)
    if "input" in net:
        req(set(net["input"]) == INPUT_KEYS, "%s: bad input object" % where)
    if "defaults" in net:
        req(not (set(net["defaults"]) - DEFAULT_KEYS), "%s: bad defaults keys" % where)
    layers = net["layers"]
    names = [l.get("name") for l in layers]
    req(len(set(names)) == len(names), "%s: duplicate layer names" % where)
    defaults = net.get("defaults", {})
    parent = parent_layers(net["name"], glob.glob(os.path.join(NET_DIR, "*.json")))

    print("== %s (%s): %d layers" % (net["name"], where, len(layers)))
    print("  %-28s %-8s %-14s %-14s %5s %14s %14s  %s"
          % ("name", "type", "in (CxHxW)", "out (CxHxW)", "k/s/p/g", "dense MACs",
             "eff MACs", "link"))
    total = 0
    eff_total = 0.0
    for i, layer in enumerate(layers):
        check_layer(layer, "%s[%d] %s" % (where, i, layer.get("name")))
        kind = link_kind(i, layers, net.get("input"), parent)
        m = macs(layer)
        ws = layer.get("weight_sparsity", defaults.get("weight_sparsity", 0.0))
        ad = layer.get("activation_density", defaults.get("activation_density", 1.0))
        eff = m * (1.0 - ws) * ad
        total += m
        eff_total += eff
        ksp = "%d/%d/%d/%d" % (layer["kernel_h"], layer.get("stride", 1),
                               layer.get("padding", 0), layer.get("groups", 1))
        tshort = {"conv2d": "conv", "depthwise_conv2d": "dwconv", "linear": "linear"}[layer["type"]]
        print("  %-28s %-8s %-14s %-14s %7s %14d %14.0f  %s"
              % (layer["name"], tshort, fmt_shape(in_size(layer)), fmt_shape(out_size(layer)),
                 ksp, m, eff, kind))
        ref = LAYER_REFERENCE.get(net["name"], {}).get(layer["name"])
        if ref is not None:
            req(m == ref, "%s: %s MACs %d != reference %d" % (where, layer["name"], m, ref))
    print("  total dense MACs: %d (%.4g)   effective (x density): %.4g"
          % (total, total, eff_total))
    ref = REFERENCE.get(net["name"])
    if ref is not None:
        value, tol, what = ref
        rel = abs(total - value) / value
        print("  reference: %.4g [%s]   computed: %.4g   rel diff %.3f%% (tol %.1f%%)"
              % (value, what, total, 100 * rel, 100 * tol))
        req(rel <= tol + 1e-12, "%s: total %d differs from reference %.4g by %.2f%%"
            % (where, total, value, 100 * rel))
    else:
        print("  reference: none")
    print()
    return net["name"], len(layers), total


def main(argv):
    paths = argv[1:] or sorted(glob.glob(os.path.join(NET_DIR, "*.json")))
    if not paths:
        print("no network files found in %s" % NET_DIR)
        return 1
    failed = 0
    summary = []
    for p in paths:
        with open(p) as f:
            if json.load(f).get("chain") is True:
                # Chained graphs (docs/networks.md): the loader derives and checks their shapes.
                print("skip %s: chained graph, checked by sparsesim's loader" % p)
                continue
        try:
            summary.append(check_file(p))
        except (CheckError, ValueError, KeyError, TypeError) as e:
            print("FAIL %s: %s\n" % (p, e))
            failed += 1
    print("%-18s %7s %16s" % ("network", "layers", "dense MACs"))
    for name, n, total in summary:
        print("%-18s %7d %16d" % (name, n, total))
    if failed:
        print("%d file(s) failed" % failed)
        return 1
    print("all %d file(s) OK" % len(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

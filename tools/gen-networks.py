#!/usr/bin/python3
"""Generate the JSON network configs under configs/networks/.

Stdlib only.  Run from anywhere:  /usr/bin/python3 tools/gen-networks.py
Writes: gsc.json, resnet50.json, mobilenetv2.json, alexnet.json, vgg16.json,
bert-base-block.json, and pruned variants with published densities:
alexnet-pruned.json, vgg16-pruned.json, bert-base-pruned.json, and their representative-layer
subsets for the ASIC iso-area study (alexnet-pruned-rep.json, vgg16-pruned-rep.json,
bert-base-pruned-rep.json, alexnet-pruned-conv4.json: a few layers copied unchanged, so a sweep over all four datapaths
runs in minutes; docs/asic-iso-area.md).

Layer conventions (see the network schema):
  conv2d / depthwise_conv2d: in_channels x in_h x in_w input, kernel_h x kernel_w,
      stride, padding (symmetric), groups.
  linear: GEMM with M = in_h rows (1 for a fc layer on one image), in_w = 1,
      K = in_channels, N = out_channels, kernel 1x1.  groups > 1 means a
      block-diagonal GEMM (one block per group).
Fields equal to their defaults (stride 1, padding 0, groups 1) are omitted, and
so are weight_sparsity 0 / activation_density 1 (dense) in the dense networks.
Pooling, activation, normalisation and residual-add layers are not listed; only
layers that carry MACs are.  Layer names follow torchvision's module names.
"""
import json
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, "configs", "networks")

LAYER_KEY_ORDER = ["name", "type", "in_channels", "out_channels", "in_h", "in_w",
                   "kernel_h", "kernel_w", "stride", "padding", "groups",
                   "weight_sparsity", "activation_density", "weights"]
NET_KEY_ORDER = ["name", "description", "input", "defaults", "layers"]


def conv_out(n, k, s, p):
    return (n + 2 * p - k) // s + 1


def pool_out(n, k, s, p=0):
    return (n + 2 * p - k) // s + 1


def conv(name, cin, cout, h, w, k, stride=1, padding=0, groups=1, depthwise=False,
         **extra):
    """Returns (layer, out_h, out_w)."""
    layer = {"name": name, "type": "depthwise_conv2d" if depthwise else "conv2d",
             "in_channels": cin, "out_channels": cout, "in_h": h, "in_w": w,
             "kernel_h": k, "kernel_w": k}
    if stride != 1:
        layer["stride"] = stride
    if padding != 0:
        layer["padding"] = padding
    if depthwise:
        assert groups == cin == cout, name
    if groups != 1:
        layer["groups"] = groups
    layer.update(extra)
    oh, ow = conv_out(h, k, stride, padding), conv_out(w, k, stride, padding)
    assert oh >= 1 and ow >= 1, name
    return layer, oh, ow


def linear(name, cin, cout, rows=1, groups=1, **extra):
    layer = {"name": name, "type": "linear", "in_channels": cin, "out_channels": cout,
             "in_h": rows, "in_w": 1, "kernel_h": 1, "kernel_w": 1}
    if groups != 1:
        assert cin % groups == 0 and cout % groups == 0, name
        layer["groups"] = groups
    layer.update(extra)
    return layer


# ---------------------------------------------------------------- networks

def gsc():
    # domain.md section 1: Numenta GSC sparse CNN.
    k1 = 1200   # k-WTA winners kept after conv1 + pool (of 64*14*14 = 12544)
    k2 = 200    # after conv2 + pool (of 64*5*5 = 1600)
    k3 = 100    # after linear (of 1000)
    layers = []
    l, h, w = conv("conv1", 1, 64, 32, 32, 5,
                   weight_sparsity=0.5, activation_density=1.0)
    layers.append(l)                                   # 28x28
    h, w = pool_out(h, 2, 2), pool_out(w, 2, 2)        # max-pool 2 -> 14x14
    l, h, w = conv("conv2", 64, 64, h, w, 5, weight_sparsity=0.8,
                   activation_density=round(k1 / (64 * h * w), 4))
    layers.append(l)                                   # 10x10
    h, w = pool_out(h, 2, 2), pool_out(w, 2, 2)        # max-pool 2 -> 5x5
    flat = 64 * h * w
    assert flat == 1600
    layers.append(linear("linear", flat, 1000, weight_sparsity=0.9,
                         activation_density=round(k2 / flat, 4)))
    layers.append(linear("output", 1000, 12, weight_sparsity=0.0,
                         activation_density=round(k3 / 1000, 4)))
    return {
        "name": "gsc",
        "description": (
            "Numenta Google Speech Commands sparse CNN (Hunter, Spracklen, Ahmad, "
            "'Two sparsities are better than one', NCE 2022, arXiv 2112.13896; "
            "Numenta public training code), per domain.md section 1. Input 1x32x32; "
            "conv1 5x5 1->64 (28x28) + max-pool 2 (14x14) + k-WTA 1200/12544; "
            "conv2 5x5 64->64 (10x10) + max-pool 2 (5x5) + k-WTA 200/1600; "
            "linear 1600->1000 + k-WTA 100/1000; output linear 1000->12. "
            "Weight density conv1 50%, conv2 20%, linear 10%; output layer weight "
            "sparsity not given in the source, taken as dense (0.0). "
            "activation_density = k/L of the layer's input, rounded to 4 decimals. "
            "Pooling and k-WTA layers carry no MACs and are not listed. "
            "Generated by tools/gen-networks.py."),
        "input": {"channels": 1, "height": 32, "width": 32},
        "layers": layers,
    }


def gsc_complementary():
    # The same network with masks made complementary by construction, as CS-trained networks
    # are (the CS paper packs kernels whose non-zeros are disjoint).
    net = gsc()
    net["name"] = "gsc-complementary"
    net["description"] = ("GSC sparse CNN as gsc.json, with complementary weight masks: runs of "
                          "floor(1/(1-s)) kernels have disjoint non-zeros, so Complementary Sparsity "
                          "packs them perfectly. " + net["description"])
    net["defaults"] = {"weight_pattern": "complementary"}
    return net


def resnet50():
    layers = []
    l, h, w = conv("conv1", 3, 64, 224, 224, 7, stride=2, padding=3)
    layers.append(l)                                             # 112
    h, w = pool_out(h, 3, 2, 1), pool_out(w, 3, 2, 1)            # maxpool -> 56
    cin = 64
    for li, (blocks, width, first_stride) in enumerate(
            [(3, 64, 1), (4, 128, 2), (6, 256, 2), (3, 512, 2)], start=1):
        for b in range(blocks):
            s = first_stride if b == 0 else 1
            cout = width * 4
            p = "layer%d.%d." % (li, b)
            l, h1, w1 = conv(p + "conv1", cin, width, h, w, 1)
            layers.append(l)
            l, h2, w2 = conv(p + "conv2", width, width, h1, w1, 3, stride=s, padding=1)
            layers.append(l)
            l, h3, w3 = conv(p + "conv3", width, cout, h2, w2, 1)
            layers.append(l)
            if b == 0:  # projection shortcut (stride or channel change)
                l, hd, wd = conv(p + "downsample", cin, cout, h, w, 1, stride=s)
                assert (hd, wd) == (h3, w3)
                layers.append(l)
            cin, h, w = cout, h3, w3
    assert (cin, h, w) == (2048, 7, 7)
    layers.append(linear("fc", 2048, 1000))                      # after global avg-pool
    return {
        "name": "resnet50",
        "description": (
            "torchvision ResNet-50 (v1.5: stride on the 3x3 conv of each bottleneck), "
            "ImageNet 224x224. Every conv (downsample 1x1 projections as their own "
            "layers, named '<block>.downsample') and the fc layer; batch-norm, ReLU, "
            "max-pool (3x3 s2 p1 after conv1), residual adds and global average pool "
            "carry no MACs and are not listed. Dense. Generated by tools/gen-networks.py."),
        "input": {"channels": 3, "height": 224, "width": 224},
        "layers": layers,
    }


def mobilenetv2():
    layers = []
    l, h, w = conv("features.0.0", 3, 32, 224, 224, 3, stride=2, padding=1)
    layers.append(l)                                             # 112
    cin = 32
    idx = 1
    # (expansion t, out channels c, repeats n, first stride s) -- torchvision
    for t, c, n, s in [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2),
                       (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]:
        for i in range(n):
            stride = s if i == 0 else 1
            hidden = cin * t
            p = "features.%d.conv." % idx
            j = 0
            if t != 1:
                l, h, w = conv(p + "0.0", cin, hidden, h, w, 1)
                layers.append(l)
                j = 1
            l, h, w = conv(p + "%d.0" % j, hidden, hidden, h, w, 3, stride=stride,
                           padding=1, groups=hidden, depthwise=True)
            layers.append(l)
            l, h, w = conv(p + "%d" % (j + 1), hidden, c, h, w, 1)
            layers.append(l)
            cin = c
            idx += 1
    l, h, w = conv("features.%d.0" % idx, cin, 1280, h, w, 1)
    layers.append(l)
    assert (h, w, idx) == (7, 7, 18)
    layers.append(linear("classifier.1", 1280, 1000))            # after global avg-pool
    return {
        "name": "mobilenetv2",
        "description": (
            "torchvision MobileNetV2 (width 1.0), ImageNet 224x224. First conv 3x3 s2 "
            "3->32; 17 inverted residual blocks (1x1 expansion, 3x3 depthwise with "
            "groups = channels, 1x1 projection; no expansion conv in the t=1 block); "
            "last conv 1x1 320->1280; classifier linear 1280->1000. Layer names follow "
            "torchvision module names. BN, ReLU6, residual adds, global average pool "
            "and dropout are not listed. Dense. Generated by tools/gen-networks.py."),
        "input": {"channels": 3, "height": 224, "width": 224},
        "layers": layers,
    }


def alexnet():
    layers = []
    l, h, w = conv("features.0", 3, 64, 224, 224, 11, stride=4, padding=2)
    layers.append(l)                                             # 55
    h, w = pool_out(h, 3, 2), pool_out(w, 3, 2)                  # 27
    l, h, w = conv("features.3", 64, 192, h, w, 5, padding=2)
    layers.append(l)                                             # 27
    h, w = pool_out(h, 3, 2), pool_out(w, 3, 2)                  # 13
    l, h, w = conv("features.6", 192, 384, h, w, 3, padding=1)
    layers.append(l)
    l, h, w = conv("features.8", 384, 256, h, w, 3, padding=1)
    layers.append(l)
    l, h, w = conv("features.10", 256, 256, h, w, 3, padding=1)
    layers.append(l)                                             # 13
    h, w = pool_out(h, 3, 2), pool_out(w, 3, 2)                  # 6 (adaptive avg-pool 6x6: identity)
    assert 256 * h * w == 9216
    layers.append(linear("classifier.1", 9216, 4096))
    layers.append(linear("classifier.4", 4096, 4096))
    layers.append(linear("classifier.6", 4096, 1000))
    return {
        "name": "alexnet",
        "description": (
            "torchvision AlexNet (single-tower variant), ImageNet 224x224: convs "
            "11x11 s4 p2 3->64 (55x55), 5x5 p2 64->192 (27x27), 3x3 p1 192->384, "
            "384->256, 256->256 (13x13), max-pools 3x3 s2 between, adaptive avg-pool "
            "6x6; linear 9216->4096->4096->1000. Dense. "
            "Generated by tools/gen-networks.py."),
        "input": {"channels": 3, "height": 224, "width": 224},
        "layers": layers,
    }


def vgg16():
    layers = []
    h = w = 224
    cin = 3
    idx = 0
    for stage in [[64, 64], [128, 128], [256, 256, 256], [512, 512, 512], [512, 512, 512]]:
        for c in stage:
            l, h, w = conv("features.%d" % idx, cin, c, h, w, 3, padding=1)
            layers.append(l)
            cin = c
            idx += 2                      # conv, ReLU
        h, w = pool_out(h, 2, 2), pool_out(w, 2, 2)
        idx += 1                          # max-pool
    assert cin * h * w == 25088
    layers.append(linear("classifier.0", 25088, 4096))
    layers.append(linear("classifier.3", 4096, 4096))
    layers.append(linear("classifier.6", 4096, 1000))
    return {
        "name": "vgg16",
        "description": (
            "VGG-16 (configuration D, torchvision vgg16), ImageNet 224x224: 13 convs "
            "3x3 p1 at 224/112/56/28/14 with 2x2 max-pools between; linear "
            "25088->4096->4096->1000. Dense. Generated by tools/gen-networks.py."),
        "input": {"channels": 3, "height": 224, "width": 224},
        "layers": layers,
    }


def bert_base_block():
    seq, d, heads, dff = 128, 768, 12, 3072
    dh = d // heads
    layers = [
        linear("attention.self.query", d, d, rows=seq),
        linear("attention.self.key", d, d, rows=seq),
        linear("attention.self.value", d, d, rows=seq),
        # scores_h = Q_h (seq x dh) . K_h^T (dh x seq), one block per head
        linear("attention.scores", heads * dh, heads * seq, rows=seq, groups=heads),
        # context_h = P_h (seq x seq) . V_h (seq x dh), one block per head
        linear("attention.context", heads * seq, heads * dh, rows=seq, groups=heads),
        linear("attention.output.dense", d, d, rows=seq),
        linear("intermediate.dense", d, dff, rows=seq),
        linear("output.dense", dff, d, rows=seq),
    ]
    return {
        "name": "bert-base-block",
        "description": (
            "One BERT-base encoder block (hidden 768, 12 heads of 64, FFN 3072) at "
            "sequence length 128, as GEMMs: linear layers with M = in_h = 128 rows, "
            "K = in_channels, N = out_channels. Q/K/V projections 768->768; attention "
            "scores Q_h.K_h^T and context P_h.V_h as grouped (block-diagonal) linear "
            "layers with groups = 12, one group per head (scores: K=64, N=128 per head; "
            "context: K=128, N=64 per head); their 'weights' are activations (K^T, V), "
            "not stored parameters. Output projection 768->768, FFN 768->3072->768. "
            "Softmax, layer norm, GELU, bias and residual adds are not listed. Dense. "
            "Generated by tools/gen-networks.py."),
        "input": {"channels": d, "height": seq, "width": 1},
        "layers": layers,
    }


# ---------------------------------------------------------------- pruned (published densities)

# Han, Pool, Tran, Dally, "Learning both Weights and Connections for Efficient Neural Networks",
# NeurIPS 2015: fraction of weights remaining per layer after pruning (Table 4: AlexNet, Table 5:
# VGG-16). The per-layer figures reproduce the paper's totals (AlexNet 6.7 M of 61 M parameters,
# VGG-16 10.3 M of 138 M); tests/asic/check_pruned_networks.py checks that.
HAN_ALEXNET = [0.84, 0.38, 0.35, 0.37, 0.37, 0.09, 0.09, 0.25]
HAN_VGG16 = [0.58, 0.22, 0.34, 0.36, 0.53, 0.24, 0.42, 0.32, 0.27, 0.34, 0.35, 0.29, 0.36, 0.04, 0.04, 0.23]
# Input-activation densities of the fully connected layers: Han et al., "EIE: Efficient Inference
# Engine on Compressed Deep Neural Network", ISCA 2016, Table III (Act%: AlexNet fc6/fc7/fc8 35.1/35.3/
# 37.5%, VGG-16 fc6/fc7/fc8 18.3/37.5/41.1%). Conv layers after the first: ASSUMED 0.5 (ReLU
# outputs about half zero; an assumption, swept in the iso-area study). First layer: the image, dense.
EIE_ACT_ALEXNET_FC = [0.351, 0.353, 0.375]
EIE_ACT_VGG16_FC = [0.183, 0.375, 0.411]
CONV_ACT_ASSUMED = 0.5


def pruned(net, name, weight_density, fc_act, description):
    layers = [dict(l) for l in net["layers"]]
    assert len(layers) == len(weight_density)
    n_fc = len(fc_act)
    for i, (l, d) in enumerate(zip(layers, weight_density)):
        l["weight_sparsity"] = round(1.0 - d, 4)
        if i == 0:
            continue                                     # the input image: dense
        fc = i - (len(layers) - n_fc)
        l["activation_density"] = fc_act[fc] if fc >= 0 else CONV_ACT_ASSUMED
    return {"name": name, "description": description, "input": net["input"], "layers": layers}


def alexnet_pruned():
    return pruned(alexnet(), "alexnet-pruned", HAN_ALEXNET, EIE_ACT_ALEXNET_FC, (
        "torchvision AlexNet (single tower, as alexnet.json) with the per-layer weight densities of Han et al., "
        "'Learning both Weights and Connections for Efficient Neural Networks', NeurIPS 2015, Table 4 (conv1..5 "
        "84/38/35/37/37%, fc6/fc7/fc8 9/9/25% of weights remaining; the paper prunes the two-tower Caffe AlexNet, whose "
        "grouped conv2/4/5 hold fewer weights, so the densities are applied per layer, not the parameter counts). "
        "Input-activation densities: fc6/fc7/fc8 35.1/35.3/37.5% from Han et al., 'EIE', ISCA 2016, Table III; conv2..5 "
        "ASSUMED 50% (post-ReLU; an assumption, not a measurement); conv1 reads the image (dense). "
        "Generated by tools/gen-networks.py."))


def vgg16_pruned():
    return pruned(vgg16(), "vgg16-pruned", HAN_VGG16, EIE_ACT_VGG16_FC, (
        "VGG-16 (as vgg16.json) with the per-layer weight densities of Han et al., 'Learning both Weights and "
        "Connections for Efficient Neural Networks', NeurIPS 2015, Table 5 (conv1_1..conv5_3 58/22/34/36/53/24/42/32/"
        "27/34/35/29/36%, fc6/fc7/fc8 4/4/23% of weights remaining; 10.3 M of 138 M parameters in all). "
        "Input-activation densities: fc6/fc7/fc8 18.3/37.5/41.1% from Han et al., 'EIE', ISCA 2016, Table III; "
        "conv1_2..conv5_3 ASSUMED 50% (post-ReLU; an assumption, not a measurement); conv1_1 reads the image (dense). "
        "Generated by tools/gen-networks.py."))


# BERT-base encoder weights at 70% unstructured sparsity: Chen et al., "The Lottery Ticket
# Hypothesis for Pre-trained BERT Networks", NeurIPS 2020 (iterative magnitude pruning on the
# masked-language-modelling task finds subnetworks at 70% sparsity that transfer to the GLUE and
# SQuAD tasks; the paper prunes the encoder's linear layers uniformly, as here).
BERT_WEIGHT_SPARSITY = 0.70
BERT_LAYERS = 12


def bert_base_pruned():
    block = bert_base_block()
    layers = []
    for b in range(BERT_LAYERS):
        for l in block["layers"]:
            l = dict(l)
            l["name"] = "encoder.layer.%d.%s" % (b, l["name"])
            # Q.K^T and P.V multiply activations by activations: nothing to prune.
            if not l["name"].endswith(("attention.scores", "attention.context")):
                l["weight_sparsity"] = BERT_WEIGHT_SPARSITY
            layers.append(l)
    return {"name": "bert-base-pruned", "input": block["input"], "layers": layers, "description": (
        "BERT-base encoder (12 blocks as bert-base-block.json: hidden 768, 12 heads, FFN 3072) at sequence length 128 "
        "as GEMMs. Weights of the Q/K/V, attention-output and FFN linear layers at 70% unstructured sparsity: Chen et "
        "al., 'The Lottery Ticket Hypothesis for Pre-trained BERT Networks', NeurIPS 2020 (IMP subnetworks at 70% "
        "sparsity found on the masked-language-modelling task transfer to downstream tasks). The attention scores and "
        "context multiply activations by activations and stay dense. Activations: dense (GELU and softmax outputs are "
        "not exactly zero; an assumption). Embeddings, pooler, softmax, layer norm, bias and residual adds are not "
        "listed. Generated by tools/gen-networks.py.")}


# Representative layers of the pruned networks for the ASIC iso-area study: one conv (or
# projection) layer and one fully connected (or attention) layer each, copied unchanged, because
# the sparse-PE model simulates every PE every cycle and whole networks on it take far longer than
# a shipped sweep may (docs/asic-iso-area.md gives the cost).
# The weight x activation density grid of the study runs on AlexNet conv4 alone (-conv4).
REPRESENTATIVE = {
    "alexnet-pruned-rep": ["features.8", "classifier.4"],
    "vgg16-pruned-rep": ["features.28", "classifier.3"],
    "bert-base-pruned-rep": ["encoder.layer.0.attention.self.query", "encoder.layer.0.attention.scores"],
    "alexnet-pruned-conv4": ["features.8"],
}


def representative(net, name):
    keep = REPRESENTATIVE[name]
    layers = [dict(l) for l in net["layers"] if l["name"] in keep]
    assert [l["name"] for l in layers] == keep
    first = layers[0]
    return {"name": name, "input": {"channels": first["in_channels"], "height": first["in_h"],
                                                     "width": first["in_w"]}, "layers": layers,
            "description": "Layers %s of %s.json, copied unchanged (densities and their sources as there: %s) "
                           "Representative subset for the ASIC iso-area study (docs/asic-iso-area.md). Generated by "
                           "tools/gen-networks.py." % (", ".join(keep), net["name"], net["description"].replace(
                               " Generated by tools/gen-networks.py.", ""))}


# ---------------------------------------------------------------- writer

def ordered(obj, order):
    unknown = set(obj) - set(order)
    assert not unknown, unknown
    return {k: obj[k] for k in order if k in obj}


def dump_network(net):
    net = ordered(net, NET_KEY_ORDER)
    lines = ["{"]
    items = list(net.items())
    for i, (k, v) in enumerate(items):
        comma = "," if i + 1 < len(items) else ""
        if k == "layers":
            lines.append('  "layers": [')
            for j, layer in enumerate(v):
                lc = "," if j + 1 < len(v) else ""
                lines.append("    " + json.dumps(ordered(layer, LAYER_KEY_ORDER),
                                                 separators=(", ", ": ")) + lc)
            lines.append("  ]" + comma)
        else:
            lines.append("  %s: %s%s" % (json.dumps(k), json.dumps(v, separators=(", ", ": ")), comma))
    lines.append("}")
    return "\n".join(lines) + "\n"


NETWORKS = [("gsc.json", gsc), ("gsc-complementary.json", gsc_complementary), ("resnet50.json", resnet50),
            ("mobilenetv2.json", mobilenetv2), ("alexnet.json", alexnet),
            ("vgg16.json", vgg16), ("bert-base-block.json", bert_base_block),
            ("alexnet-pruned.json", alexnet_pruned), ("vgg16-pruned.json", vgg16_pruned),
            ("bert-base-pruned.json", bert_base_pruned),
            ("alexnet-pruned-rep.json", lambda: representative(alexnet_pruned(), "alexnet-pruned-rep")),
            ("vgg16-pruned-rep.json", lambda: representative(vgg16_pruned(), "vgg16-pruned-rep")),
            ("bert-base-pruned-rep.json", lambda: representative(bert_base_pruned(), "bert-base-pruned-rep")),
            ("alexnet-pruned-conv4.json", lambda: representative(alexnet_pruned(), "alexnet-pruned-conv4"))]


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    for fname, fn in NETWORKS:
        net = fn()
        text = dump_network(net)
        assert json.loads(text) == json.loads(json.dumps(net))  # round-trip sanity
        path = os.path.join(OUT_DIR, fname)
        with open(path, "w") as f:
            f.write(text)
        print("wrote %s (%d layers)" % (os.path.relpath(path, ROOT), len(net["layers"])))


if __name__ == "__main__":
    main()

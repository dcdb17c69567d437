#!/usr/bin/python3
"""The pruned networks' per-layer weight densities against the published totals they come from.

Han et al., NeurIPS 2015 give per-layer densities (Table 4, 5) and the totals they add up to:
AlexNet 61 M -> 6.7 M weights, VGG-16 138 M -> 10.3 M. Summing (1 - weight_sparsity) x weights
over the layers of configs/networks/{alexnet,vgg16}-pruned.json must land within 5% of the
published remaining count (the networks here are torchvision's single-tower AlexNet, whose conv
weight counts differ slightly from the paper's two-tower one; biases are not counted). A
mistyped density (0.9 for 0.09) moves a total by far more. BERT-base: every linear layer with
stored weights at 70% sparsity (Chen et al. 2020), the activation-activation GEMMs dense.
"""
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def weights(l):
    return l["in_channels"] // l.get("groups", 1) * l["out_channels"] * l["kernel_h"] * l["kernel_w"]


def main():
    ok = True
    for name, published, total_published in (("alexnet-pruned", 6.7e6, 61e6), ("vgg16-pruned", 10.3e6, 138e6)):
        net = json.load(open(os.path.join(ROOT, "configs", "networks", name + ".json")))
        total = sum(weights(l) for l in net["layers"])
        kept = sum(weights(l) * (1 - l.get("weight_sparsity", 0)) for l in net["layers"])
        err = kept / published - 1
        print("%-15s weights %.2f M (paper %.0f M), kept %.2f M (paper %.1f M): %+.1f%%"
              % (name, total / 1e6, total_published / 1e6, kept / 1e6, published / 1e6, 100 * err))
        ok &= abs(err) <= 0.05 and abs(total / total_published - 1) <= 0.05
    bert = json.load(open(os.path.join(ROOT, "configs", "networks", "bert-base-pruned.json")))
    for l in bert["layers"]:
        act_act = l["name"].endswith(("attention.scores", "attention.context"))
        want = 0.0 if act_act else 0.70
        if abs(l.get("weight_sparsity", 0) - want) > 1e-9:
            print("bert-base-pruned %s: weight_sparsity %s, expected %s" % (l["name"], l.get("weight_sparsity", 0), want))
            ok = False
    stored = sum(weights(l) for l in bert["layers"] if not l["name"].endswith(("scores", "context")))
    print("bert-base-pruned encoder linear weights %.1f M (BERT-base encoder: 12 x 7.08 M = 84.9 M)" % (stored / 1e6))
    ok &= abs(stored - 12 * (4 * 768 * 768 + 2 * 768 * 3072)) == 0
    print("pruned networks: %s" % ("ok" if ok else "FAIL"))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

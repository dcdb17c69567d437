#!/usr/bin/python3
"""The CS k-WTA selector with cs.selector.group_size on a chained network whose layer input is a
producer's kwta post-op (docs/networks.md, "Post-ops"; docs/cs.md, section 4).

usage: selector_groups.py <sparsesim binary> <source dir> <scratch dir>

A selector group of N elements keeps kwtaK(density, N) of them; the kwta post-op keeps k of every
channel group of E elements. The selector reproduces the selection exactly when each of its groups
holds whole k-WTA groups (N a multiple of E, or N at least the image); otherwise the run is exit 2
naming the architecture file, cs.selector.group_size and the producer's kwta, nothing written.
Checked on a small conv -> kwta -> conv graph (batch 1 and 2), through a max-pool and a flatten
into a linear layer, and on configs/networks/gsc-chained.json. A layer's own activation_density
(one k-WTA per image of its input) is reproduced only by a selector group of at least that input:
a smaller group is exit 2 before the run; the same density after a kwta through a flatten is the
network file's contradiction, exit 2. Every run that is accepted must
have every layer verified, the selector active (not bypassed) on the real previous output with
matches_workload (every non-zero of the layer's input is one of the selector's winners) and the
layer's k equal to the winners the kwta kept.
"""
import copy
import json
import os
import shutil
import subprocess
import sys

FAILS = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        FAILS.append(what)


def main():
    exe, src, scratch = sys.argv[1:4]
    shutil.rmtree(scratch, ignore_errors=True)
    os.makedirs(scratch)
    base_arch = json.load(open(os.path.join(src, "configs/arch/cs-small.json")))
    env = dict(os.environ, SYSTEMC_DISABLE_COPYRIGHT_MESSAGE="1")

    def run(tag, net, group_size, mode="sparse_sparse"):
        arch = copy.deepcopy(base_arch)
        arch["name"] = "cs-" + tag
        arch["cs"]["mode"] = mode
        arch["cs"]["selector"]["group_size"] = group_size
        ap, np_ = os.path.join(scratch, tag + "-arch.json"), os.path.join(scratch, tag + "-net.json")
        json.dump(arch, open(ap, "w"))
        if isinstance(net, dict):
            json.dump(net, open(np_, "w"))
        else:
            np_ = net
        out = os.path.join(scratch, tag)
        p = subprocess.run([exe, "run", "--arch", ap, "--network", np_, "--out", out, "-q"], capture_output=True, text=True, env=env)
        report = json.load(open(out + "/report.json")) if p.returncode == 0 else None
        return p, report, out

    def accepted(tag, net, group_size, selected, mode="sparse_sparse"):
        p, report, _ = run(tag, net, group_size, mode)
        check(p.returncode == 0, tag + ": runs (exit %d %s)" % (p.returncode, p.stderr.strip()[-300:]))
        if report is None:
            return
        check(all(l["verified"] for l in report["layers"]), tag + ": every layer verified")
        by = {l["name"]: l for l in report["layers"]}
        for name, kept in selected.items():
            sel = by[name]["cs"]["selector"]
            if mode == "sparse_sparse":
                check(sel["active"] and not sel["bypassed"] and sel["matches_workload"],
                      tag + ": " + name + "'s selector runs on the real k-WTA output and reproduces it")
            check(by[name]["kwta_k"] == kept, tag + ": " + name + " takes the %d winners of its producer's kwta (got %d)" % (kept, by[name]["kwta_k"]))

    def refused(tag, net, group_size, producer, mode="sparse_sparse"):
        p, _, out = run(tag, net, group_size, mode)
        err = p.stderr
        check(p.returncode == 2, tag + ": exit 2 (got %d)" % p.returncode)
        check(tag + "-arch.json: cs.selector.group_size: %d elements per selector group" % group_size in err,
              tag + ": names the file, the JSON path and the group size: " + err.strip()[:300])
        check(producer + ".kwta" in err, tag + ": names the producer's kwta (" + producer + ")")
        check(not os.path.exists(out), tag + ": nothing written")

    # conv1 (4 x 4 x 4 = 64 outputs per image) -> kwta -> conv2 on the selection.
    net = {"name": "sel-groups", "chain": True, "input": {"channels": 1, "height": 6, "width": 6},
           "layers": [{"name": "c1", "type": "conv2d", "out_channels": 4, "kernel_h": 3, "kernel_w": 3,
                       "activation": "relu", "kwta": {"k": 8}},
                      {"name": "c2", "type": "conv2d", "out_channels": 4, "kernel_h": 1, "kernel_w": 1}]}
    # One global k-WTA of 64: a selector group of 16 keeps 2, but the 8 winners fall where the data puts them.
    refused("global-16", net, 16, "layers[0]")
    accepted("global-64", net, 64, {"c2": 8})      # one group per image
    accepted("global-1024", net, 1024, {"c2": 8})  # larger than the image: still one group per image
    accepted("global-0", net, 0, {"c2": 8})
    accepted("global-16-dense", net, 16, {"c2": 8}, mode="sparse_dense")  # no selector runs: nothing to refuse
    grouped = copy.deepcopy(net)
    grouped["layers"][0]["kwta"] = {"density": 0.3, "groups": 4}  # 4 channel groups of 16: 5 winners each
    accepted("groups4-16", grouped, 16, {"c2": 20})
    accepted("groups4-32", grouped, 32, {"c2": 20})  # two whole k-WTA groups per selector group
    refused("groups4-8", grouped, 8, "layers[0]")
    refused("groups4-24", grouped, 24, "layers[0]")
    batch = copy.deepcopy(grouped)
    batch["batch"] = 2
    accepted("groups4-16-batch2", batch, 16, {"c2": 40})
    batch["layers"][0]["kwta"] = {"k": 8}
    refused("global-16-batch2", batch, 16, "layers[0]")
    accepted("global-64-batch2", batch, 64, {"c2": 16})

    # Through a max-pool's kwta and a flatten into a linear layer: the selection reaches the linear layer.
    pooled = {"name": "sel-pool", "chain": True, "input": {"channels": 1, "height": 10, "width": 10},
              "layers": [{"name": "c1", "type": "conv2d", "out_channels": 4, "kernel_h": 3, "kernel_w": 3, "activation": "relu"},
                         {"name": "p1", "type": "maxpool2d", "kernel_h": 2, "kernel_w": 2, "kwta": {"k": 4, "groups": 4}},
                         {"name": "flat", "type": "flatten"},
                         {"name": "fc", "type": "linear", "out_channels": 6}]}
    accepted("pool-flatten-16", pooled, 16, {"fc": 16})
    refused("pool-flatten-12", pooled, 12, "layers[1]")

    # A layer's own activation_density after an upstream kwta (through a max-pool, which carries no
    # selection): one k-WTA over each image of its 64-element input, so only a selector group of
    # the whole image reproduces it; a smaller one is refused before the run, not left to fail
    # verification.
    own = {"name": "sel-own", "chain": True, "input": {"channels": 1, "height": 10, "width": 10},
           "layers": [{"name": "c1", "type": "conv2d", "out_channels": 4, "kernel_h": 3, "kernel_w": 3, "activation": "relu",
                       "kwta": {"k": 40}},
                      {"name": "p1", "type": "maxpool2d", "kernel_h": 2, "kernel_w": 2},
                      {"name": "c2", "type": "conv2d", "out_channels": 4, "kernel_h": 1, "kernel_w": 1, "activation_density": 0.5}]}
    accepted("own-density-64", own, 64, {"c2": 32})
    accepted("own-density-0", own, 0, {"c2": 32})
    p, _, out = run("own-density-8", own, 8)
    check(p.returncode == 2 and "own-density-8-arch.json: cs.selector.group_size: 8 elements per selector group" in p.stderr
          and "layers[2].activation_density 0.5" in p.stderr and not os.path.exists(out),
          "own-density-8: exit 2 naming the arch file, cs.selector.group_size and the layer's activation_density, nothing written: " +
          p.stderr.strip()[:300])
    # The same density after a kwta seen through a flatten contradicts it (the network file's error).
    through = copy.deepcopy(pooled)
    through["layers"][3]["activation_density"] = 0.5
    p, _, out = run("density-through-flatten", through, 16)
    check(p.returncode == 2 and "density-through-flatten-net.json: layers[3].activation_density: contradicts the kwta post-op of \"p1\"" in p.stderr
          and not os.path.exists(out), "density-through-flatten: exit 2 naming the network file and the path: " + p.stderr.strip()[:300])

    # The shipped GSC graph: global k-WTA after each pooling layer.
    gsc = os.path.join(src, "configs/networks/gsc-chained.json")
    refused("gsc-196", gsc, 196, "layers[1]")  # pool1

    print("%d failed" % len(FAILS))
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())

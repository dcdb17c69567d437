#!/usr/bin/python3
"""The shipped chained graphs configs/networks/resnet50-chained.json and mobilenetv2-chained.json
on every datapath (dense-32x32, cs-large, sod-32x32, sparse-pe-16x16), on their synthetic input.

usage: shipped_graphs.py <sparsesim binary> <source dir> <scratch dir>

Each run must exit 0 with total.verified and every compute layer verified against the reference
convolution (its input the real previous output), and the host layers (residual adds, pooling,
flatten) listed in host_ops. The data must reach every layer: no compute layer's input is all
zeros (MobileNetV2's ReLU6 keeps the real 6.0 representable, docs/networks.md, "Post-ops").
"""
import json
import os
import shutil
import subprocess
import sys
import time

ARCHS = ["dense-32x32", "cs-large", "sod-32x32", "sparse-pe-16x16"]
ADDS = {"resnet50-chained": 16, "mobilenetv2-chained": 10}


def main():
    exe, src, scratch = sys.argv[1:4]
    shutil.rmtree(scratch, ignore_errors=True)
    os.makedirs(scratch)
    fails = []
    for net, adds in ADDS.items():
        for arch in ARCHS:
            tag, out = net + " on " + arch, os.path.join(scratch, net + "-" + arch)
            t0 = time.time()
            p = subprocess.run([exe, "run", "--arch", os.path.join(src, "configs/arch", arch + ".json"),
                                "--network", os.path.join(src, "configs/networks", net + ".json"), "--out", out, "-q"],
                               capture_output=True, text=True, env=dict(os.environ, SYSTEMC_DISABLE_COPYRIGHT_MESSAGE="1"))
            if p.returncode != 0:
                fails.append("%s: exit %d: %s" % (tag, p.returncode, p.stderr.strip()[-300:]))
                continue
            r = json.load(open(os.path.join(out, "report.json")))
            bad = [l["name"] for l in r["layers"] if not l["verified"]]
            if not r["total"]["verified"] or bad:
                fails.append("%s: not verified: %s" % (tag, bad[:5]))
            got_adds = sum(h["op"] == "add" for h in r.get("host_ops", []))
            if got_adds != adds:
                fails.append("%s: %d adds in host_ops, expected %d" % (tag, got_adds, adds))
            zero = [l["name"] for l in r["layers"] if l["input_nonzeros"] == 0]
            if zero:
                fails.append("%s: all-zero inputs at %s" % (tag, zero[:5]))
            print("%s: %d compute layers verified, %d adds, %d all-zero inputs, %.0f s" %
                  (tag, len(r["layers"]) - len(bad), got_adds, len(zero), time.time() - t0))
    for f in fails:
        print("FAIL " + f)
    print("%d failed" % len(fails))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""A network-level `batch` N (docs/networks.md "Batch"): checked through the CLI only.

  1. Equivalence: a batch of N images gives, image by image, exactly what N runs of batch 1 give
     (every .npy of --dump-tensors: each compute layer's input and raw output, each node's
     value after its post-ops, the network input), on dense, cs, sod and sparse_pe, for
     configs/networks/gsc-chained.json (max-pool, flatten, k-WTA per image, complementary
     weights) and tests/networks/forward_ref.py's generated graph (pads, dilation, relu / relu6,
     calibrated requant, residual add, concat, average and global pooling, grouped k-WTA,
     float32 weights, linear layers) on dense and sparse_pe; every layer verified;
     useful MACs of the batch = the sum of the images'; weights.npy the same (one set of weights).
     Also an independent-layer file: image 0 of a synthetic batch-2 input is batch 1's input.
  2. Weight reuse: GSC's linear layer (1600 -> 1000) on a 96x96 output-stationary dense array,
     weights streamed from DRAM: the DRAM weight bytes of batch 1, 8, 32 and 96 are equal (read
     once per batch), cycles per image fall with the batch (the ratio is printed), useful
     utilisation (useful MACs / (cycles x multipliers)) rises, inferences/s = batch / seconds.
  3. Malformed: batch 0 and a --input whose N differs from batch are exit 2 naming the file
     (also in the malformed corpus: chain-batch-0, input-wrong-batch).

usage: batch_test.py SPARSESIM SOURCE_DIR WORK_DIR     (about 7 s on 2 cores)
"""
import json
import os
import shutil
import subprocess
import sys

import numpy as np

BIN, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
ENV = dict(os.environ, SYSTEMC_DISABLE_COPYRIGHT_MESSAGE="1")
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)
    return cond


def write(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f, indent=1)
    return path


def run(arch, net, name, extra=(), expect_rc=0):
    out = os.path.join(WORK, name)
    cmd = [BIN, "run", "--arch", arch, "--network", net, "--out", out + "/report", "-q"] + list(extra)
    p = subprocess.run(cmd, capture_output=True, text=True, env=ENV)
    if p.returncode != expect_rc:
        print(p.stdout, p.stderr)
        raise SystemExit(f"{name}: exit {p.returncode}, expected {expect_rc}")
    if expect_rc != 0:
        return p
    with open(os.path.join(out, "report", "report.json")) as f:
        return json.load(f)


def npys(dump):
    """{relative path: array} of every .npy under a --dump-tensors folder."""
    found = {}
    for root, _, files in os.walk(dump):
        for f in files:
            if f.endswith(".npy"):
                p = os.path.join(root, f)
                found[os.path.relpath(p, dump)] = np.load(p)
    return found


def mixed_network():
    """The generated graph of tests/networks/forward_ref.py (its float32 weights file written here)."""
    sys.path.insert(0, os.path.join(SRC, "tests", "networks"))
    import forward_ref
    _, net, _, _ = forward_ref.mixed_network(WORK)
    return net


def equivalence(tag, net, archs, B, rng):
    shape = (B, net["input"]["channels"], net["input"]["height"], net["input"]["width"])
    x = rng.integers(-127, 128, size=shape, dtype=np.int8)
    xb = os.path.join(WORK, f"{tag}-x.npy")
    np.save(xb, x)
    nb = write(os.path.join(WORK, f"{tag}-b{B}.json"), dict(net, batch=B))
    n1 = write(os.path.join(WORK, f"{tag}-b1.json"), dict(net, batch=1))
    for dp, arch in archs:
        a = os.path.join(SRC, "configs", "arch", arch)
        rep = run(a, nb, f"{tag}-{dp}-b{B}", ["--input", xb, "--dump-tensors", os.path.join(WORK, f"{tag}-{dp}-b{B}", "dump")])
        batch = npys(os.path.join(WORK, f"{tag}-{dp}-b{B}", "dump"))
        check(all(l["verified"] for l in rep["layers"]) and rep["total"]["verified"], f"{tag} {dp} batch {B}: every layer verified")
        check(rep["total"].get("batch") == B, f"{tag} {dp}: report total.batch = {rep['total'].get('batch')}")
        ips = rep["total"]["inferences_per_second"]
        check(abs(ips - B / rep["total"]["seconds"]) <= 1e-9 * ips, f"{tag} {dp}: inferences/s = batch / seconds ({ips:.6g})")
        if dp == "cs":
            sel = [l for l in rep["layers"] if l.get("cs", {}).get("selector", {}).get("active")]
            check(sel and all(l["cs"]["selector"]["matches_workload"] for l in sel),
                  f"{tag} cs: the k-WTA selector picks the workload's per-image winners in {len(sel)} layer(s)")
        images, useful = [], 0
        for i in range(B):
            xi = os.path.join(WORK, f"{tag}-x{i}.npy")
            np.save(xi, x[i:i + 1])
            r1 = run(a, n1, f"{tag}-{dp}-i{i}", ["--input", xi, "--dump-tensors", os.path.join(WORK, f"{tag}-{dp}-i{i}", "dump")])
            useful += r1["total"]["macs_useful"]
            images.append(npys(os.path.join(WORK, f"{tag}-{dp}-i{i}", "dump")))
        check(set(batch) == set(images[0]), f"{tag} {dp}: the batch dump holds the same tensors ({len(batch)})")
        bad = []
        for f, v in sorted(batch.items()):
            if f.endswith("weights.npy"):
                same = all(np.array_equal(v, im[f]) for im in images)
            else:
                same = np.array_equal(v, np.concatenate([im[f] for im in images], axis=0))
            if not same:
                bad.append(f)
        check(not bad, f"{tag} {dp}: batch {B} = {B} runs of batch 1, image by image, in all {len(batch)} tensors {bad[:4]}")
        check(rep["total"]["macs_useful"] == useful,
              f"{tag} {dp}: useful MACs of the batch {rep['total']['macs_useful']} = sum over the images {useful}")


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    rng = np.random.default_rng(11)
    every = [("dense", "dense-16x16.json"), ("cs", "cs-small.json"), ("sod", "sod-16x16.json"),
             ("sparse_pe", "sparse-pe-16x16.json")]
    # ---- 1. batch N == N x batch 1 -----------------------------------------------------
    with open(os.path.join(SRC, "configs", "networks", "gsc-chained.json")) as f:
        gsc = json.load(f)
    equivalence("gsc", gsc, every, 3, rng)
    equivalence("mix", mixed_network(), [("dense", "dense-16x16.json"), ("sparse_pe", "sparse-pe-16x16.json")], 2, rng)
    # Independent layers: the synthetic input of a batch starts with batch 1's image.
    indep = {"name": "indep", "description": "one conv layer", "layers": [
        {"name": "conv", "type": "conv2d", "in_channels": 4, "out_channels": 8, "in_h": 7, "in_w": 6, "kernel_h": 3,
         "kernel_w": 3, "padding": 1, "weight_sparsity": 0.5, "activation_density": 0.4}]}
    dense = os.path.join(SRC, "configs", "arch", "dense-16x16.json")
    d = {}
    for B in (1, 2):
        rep = run(dense, write(os.path.join(WORK, f"indep-b{B}.json"), dict(indep, batch=B)), f"indep-b{B}",
                  ["--dump-tensors", os.path.join(WORK, f"indep-b{B}", "dump")])
        check(rep["layers"][0]["verified"], f"independent layer, batch {B}: verified")
        check(rep["layers"][0]["gemm"]["M"] == B * 7 * 6, f"independent layer, batch {B}: GEMM M = batch x pixels ({rep['layers'][0]['gemm']['M']})")
        d[B] = npys(os.path.join(WORK, f"indep-b{B}", "dump"))
    for f in ("conv/input.npy", "conv/output.npy"):
        check(d[2][f].shape[0] == 2 and np.array_equal(d[2][f][:1], d[1][f]), f"independent layer: image 0 of batch 2 = batch 1 ({f})")
    check(np.count_nonzero(d[2]["conv/input.npy"][1]) == np.count_nonzero(d[1]["conv/input.npy"]),
          "independent layer: k-WTA keeps the same count in each image (per image)")

    # ---- 2. weight reuse on a 96x96 OS array ------------------------------------------
    lin = {"name": "gsc-linear", "description": "GSC's linear layer shape (1600 -> 1000)",
           "layers": [{"name": "linear", "type": "linear", "in_channels": 1600, "out_channels": 1000, "in_h": 1, "in_w": 1,
                       "weight_sparsity": 0.0, "activation_density": 1.0}]}
    sets = ["--set", "array.rows=96", "--set", "array.cols=96", "--set", 'dataflow="os"', "--set", 'memory.weights="stream"']
    prev = None
    per_image = {}
    for B in (1, 8, 32, 96):
        rep = run(dense, write(os.path.join(WORK, f"lin-b{B}.json"), dict(lin, batch=B)), f"lin-b{B}", sets)
        l, t = rep["layers"][0], rep["total"]
        cpi = t["cycles"] / B
        util = l["macs_useful"] / (l["cycles"] * 96 * 96)
        per_image[B] = cpi
        check(l["verified"] and l["gemm"]["M"] == B and t["macs_dense"] == B * 1600 * 1000,
              f"linear batch {B}: verified, GEMM M = batch, dense MACs = batch x 1600 x 1000 ({t['macs_dense']})")
        check(abs(t["inferences_per_second"] - B / t["seconds"]) <= 1e-9 * t["inferences_per_second"],
              f"linear batch {B}: inferences/s = batch / seconds ({t['inferences_per_second']:.6g})")
        print(f"     batch {B:3d}: {t['cycles']} cycles, {cpi:.1f} cycles/image, useful utilisation {util:.4f}, "
              f"DRAM weight bytes {t['dram_weight_read_bytes']}")
        if prev:
            check(t["dram_weight_read_bytes"] == prev["w"], f"linear batch {B}: weights read once per batch ({t['dram_weight_read_bytes']} B)")
            check(cpi < prev["cpi"], f"linear batch {B}: cycles per image fall ({cpi:.1f} < {prev['cpi']:.1f})")
            check(util > prev["util"], f"linear batch {B}: useful utilisation rises ({util:.4f} > {prev['util']:.4f})")
        prev = {"w": t["dram_weight_read_bytes"], "cpi": cpi, "util": util}
    print(f"     cycles per image, batch 1 / batch 96: {per_image[1] / per_image[96]:.2f}x")

    # ---- 3. malformed --------------------------------------------------------------------
    p = run(dense, write(os.path.join(WORK, "b0.json"), dict(lin, batch=0)), "b0", expect_rc=2)
    check("b0.json" in p.stderr and "batch" in p.stderr, f"batch 0: exit 2 naming the file and the key ({p.stderr.strip()})")
    check(not os.path.exists(os.path.join(WORK, "b0", "report")), "batch 0: nothing written")
    xw = os.path.join(WORK, "gsc-x0.npy")  # one image
    p = run(dense, os.path.join(WORK, "gsc-b3.json"), "wrong-n", ["--input", xw], expect_rc=2)
    check("gsc-x0.npy" in p.stderr and "(1, 1, 32, 32)" in p.stderr and "(3, 1, 32, 32)" in p.stderr,
          f"--input with N=1 for batch 3: exit 2 naming the file and both shapes ({p.stderr.strip()})")

    if failures:
        print(f"{len(failures)} check(s) failed")
        sys.exit(1)
    print("all batch checks passed")


main()

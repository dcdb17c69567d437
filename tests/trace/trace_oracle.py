#!/usr/bin/python3
"""Independent check of sparsesim's golden traces (docs/traces.md), with numpy.

usage: trace_oracle.py <sparsesim binary> <source dir> <scratch dir>

The trace files are decoded here from the documented format (not with the simulator's code),
and every traced block is replayed against its documented semantics:
  pe_array      the edge operands run through an output-stationary array (a moves right, b
                down, one PE per cycle) give exactly the drained accumulators; the drains of
                all k-folds summed per (m, n) give the layer's output (--dump-tensors).
  decompressor  every dense vector equals the dumped weights / im2col'd input at its tile and
                index (zeros re-inserted where the compressed form had none).
  mac_array     multiplying each lane's (act, w[q]) and routing by kid[q] into acc[q][kid]
                gives exactly the lane's drains.
  weight_sram   each read's columns are exactly the columns the lanes multiply in that cycle; each
                pass's table holds, per column, the weights and kernel IDs the lanes multiply.
  kwta_selector the winners leaving (ascending index, out_width a cycle at most) are the k
                largest |v| of the streamed input, ties to the lower index; for the threshold
                circuit the search's threshold, count above and budget and the rows' flags
                agree with that top-k.
Also: the binary form decodes to the same records as the JSON lines; trace.vcd declares a
strobe per event and raises it once per record; tracing does not change report.json; a
failed run leaves no trace directory.
"""
import json
import os
import shutil
import struct
import subprocess
import sys

import numpy as np

FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print("FAIL:", what)
    return cond


def read_jsonl(path):
    with open(path) as f:
        return [json.loads(line) for line in f]


def read_bin(path, header, block):
    events = header["events"][block]
    out = []
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"SSTRACE1", path
    pos = 8
    widths = {1: "b", 2: "h", 4: "i"}
    while pos < len(data):
        t, ev, nf = struct.unpack_from("<QHH", data, pos)
        pos += 12
        name = events[ev]
        rec = {"t": t, "ev": name}
        for fname in header["fields"][block + "." + name][:nf]:
            n, w = struct.unpack_from("<IB", data, pos)
            pos += 5
            vals = list(struct.unpack_from("<%d%s" % (n, widths[w]), data, pos))
            pos += n * w
            rec[fname] = vals
        out.append(rec)
    return out


def normalise(records, header, block):
    """Binary fields are lists; scalars become ints where the JSON form has a scalar."""
    return records


def load(trace_dir, block):
    header = json.load(open(os.path.join(trace_dir, "header.json")))
    if header["encoding"] == "jsonl":
        recs = read_jsonl(os.path.join(trace_dir, block + ".jsonl"))
    else:
        recs = read_bin(os.path.join(trace_dir, block + ".bin"), header, block)
    bad = next((i for i in range(1, len(recs)) if recs[i]["t"] < recs[i - 1]["t"]), None)
    check(bad is None, "%s/%s: record %s goes back in time" % (trace_dir, block, bad))
    return header, recs


def run(binary, args, expect=0):
    p = subprocess.run([binary, "run", "-q"] + args, capture_output=True, text=True,
                       env=dict(os.environ, SYSTEMC_DISABLE_COPYRIGHT_MESSAGE="1"))
    if p.returncode != expect:
        print(p.stdout, p.stderr)
        raise SystemExit("sparsesim %s exited %d, expected %d" % (" ".join(args), p.returncode, expect))
    return p


def im2col(x, geom, group):
    """A[m][k] of one conv group: m = output pixel, k = (c, ky, kx)."""
    _, C, H, W = x.shape
    g = geom
    cper = C // g["groups"]
    xs = x[0, group * cper:(group + 1) * cper].astype(np.int64)
    pt, pl = g["pad_top"], g["pad_left"]
    oh, ow, kh, kw, s = g["out_h"], g["out_w"], g["kernel_h"], g["kernel_w"], g["stride"]
    padded = np.zeros((cper, max(H + pt + kh + s * oh, 1), max(W + pl + kw + s * ow, 1)), dtype=np.int64)
    padded[:, pt:pt + H, pl:pl + W] = xs
    A = np.zeros((oh * ow, cper * kh * kw), dtype=np.int64)
    for oy in range(oh):
        for ox in range(ow):
            win = padded[:, oy * s:oy * s + kh, ox * s:ox * s + kw]
            A[oy * ow + ox] = win.reshape(-1)
    return A


def layer_geometry(tensors, layer_name):
    return json.load(open(os.path.join(tensors, layer_name, "layer.json")))


def check_pe_array(trace_dir, tensors, layer_names):
    header, recs = load(trace_dir, "pe_array")
    R, C = header["blocks"]["pe_array"]["rows"], header["blocks"]["pe_array"]["cols"]
    folds = {}
    for r in recs:
        folds.setdefault(scalar(r["fold"]), []).append(r)
    sums = {}
    ok = True
    for fid, rs in folds.items():
        f = next(r for r in rs if r["ev"] == "fold")
        edges = [r for r in rs if r["ev"] == "edge"]
        drains = {scalar(r["row"]): np.array(r["acc"], dtype=np.int64) for r in rs if r["ev"] == "drain"}
        a = np.array([e["a"] for e in edges], dtype=np.int64)  # cycles x R
        b = np.array([e["b"] for e in edges], dtype=np.int64)  # cycles x C
        T = len(edges)
        acc = np.zeros((R, C), dtype=np.int64)
        # PE (i, j) sees at cycle c the a that entered row i at c - j and the b that entered
        # column j at c - i.
        for i in range(R):
            for j in range(C):
                cs = np.arange(max(i, j), T + max(i, j))
                ia, ib = cs - j, cs - i
                valid = (ia >= 0) & (ia < T) & (ib >= 0) & (ib < T)
                acc[i, j] = np.sum(a[ia[valid], i] * b[ib[valid], j])
        got = np.array([drains[i] for i in range(R)])
        ok &= check(np.array_equal(acc, got), "pe_array fold %d: replayed edges != drained accumulators" % fid)
        ok &= check(all(e["t"] >= f["t"] for e in edges), "pe_array fold %d: edge before its fold" % fid)
        key = (scalar(f["layer"]), scalar(f["group"]))
        m0, n0, mlen, nlen = (scalar(f[k]) for k in ("m0", "n0", "mlen", "nlen"))
        s = sums.setdefault(key, {})
        for i in range(mlen):
            for j in range(nlen):
                s[(m0 + i, n0 + j)] = s.get((m0 + i, n0 + j), 0) + int(got[i, j])
    for (layer, group), s in sums.items():
        name = layer_names[layer]
        out = np.load(os.path.join(tensors, name, "output.npy")).astype(np.int64)
        geo = layer_geometry(tensors, name)
        nper = out.shape[1] // geo["groups"]
        bad = 0
        for (m, n), v in s.items():
            oy, ox = divmod(m, out.shape[3])
            bad += out[0, group * nper + n, oy, ox] != v
        ok &= check(bad == 0, "pe_array layer %s group %d: %d drained sums differ from output.npy" % (name, group, bad))
    print("pe_array: %d folds, %d records replayed%s" % (len(folds), len(recs), "" if ok else " (FAILED)"))


def scalar(v):
    return v[0] if isinstance(v, list) else v


def check_decompressor(trace_dir, tensors, layer_names):
    header, recs = load(trace_dir, "decompressor")
    ok = True
    cache = {}
    for r in recs:
        layer, group, op, tile, idx = (scalar(r[k]) for k in ("layer", "group", "operand", "tile", "index"))
        name = layer_names[layer]
        if (layer, group) not in cache:
            geo = layer_geometry(tensors, name)
            w = np.load(os.path.join(tensors, name, "weights.npy")).astype(np.int64)
            x = np.load(os.path.join(tensors, name, "input.npy"))
            nper = w.shape[0] // geo["groups"]
            geo["kernel_h"], geo["kernel_w"] = w.shape[2], w.shape[3]
            Bt = w[group * nper:(group + 1) * nper].reshape(nper, -1)
            cache[(layer, group)] = (Bt, im2col(x, geo, group))
        Bt, A = cache[(layer, group)]
        v = np.array(r["v"], dtype=np.int64)
        want = Bt[tile:tile + len(v), idx] if op == 0 else A[tile:tile + len(v), idx]
        want = np.pad(want, (0, len(v) - len(want)))
        ok &= check(np.array_equal(v, want), "decompressor t=%d operand %d tile %d index %d: vector != dumped operand" % (r["t"], op, tile, idx))
        if not ok:
            break
    print("decompressor: %d vectors match the dumped operands%s" % (len(recs), "" if ok else " (FAILED)"))


def check_mac_array(trace_dir):
    header, recs = load(trace_dir, "mac_array")
    p = header["blocks"]["mac_array"]
    S, K = p["slots"], p["kernel_ids"]
    lanes = {}
    drains = 0
    ok = True
    for r in recs:
        if r["ev"] == "mac":
            key = (scalar(r["pass"]), scalar(r["lane"]))
            acc = lanes.setdefault(key, np.zeros(S * K, dtype=np.int64))
            w, kid = np.array(r["w"]), np.array(r["kid"])
            np.add.at(acc, np.arange(S) * K + kid, scalar(r["act"]) * w)
        elif r["ev"] == "drain":
            key = (scalar(r["pass"]), scalar(r["lane"]))
            acc = lanes.pop(key, np.zeros(S * K, dtype=np.int64))
            ok &= check(np.array_equal(acc, np.array(r["acc"])), "mac_array drain t=%d lane %d pixel %d differs from the replay" % (r["t"], key[1], scalar(r["pixel"])))
            drains += 1
    ok &= check(not any(a.any() for a in lanes.values()), "mac_array: products never drained")
    ok &= check(drains > 0, "mac_array: no drains")
    print("mac_array: %d drains replayed%s" % (drains, "" if ok else " (FAILED)"))
    return recs


def check_weight_sram(trace_dir, mac_recs):
    header, recs = load(trace_dir, "weight_sram")
    cols_at = {}
    for r in mac_recs:
        if r["ev"] == "mac":
            cols_at.setdefault((r["t"], scalar(r["pass"])), set()).add(scalar(r["col"]))
    # The pass's table: entry q of column k is what every lane multiplying column k uses in slot q.
    uses = {}
    for r in mac_recs:
        if r["ev"] == "mac":
            uses.setdefault(scalar(r["pass"]), []).append(r)
    ok = True
    reads = tables = 0
    for r in recs:
        if r["ev"] == "table":
            tables += 1
            R = r["slots"]
            for u in uses.get(r["pass"], []):
                k = scalar(u["col"])
                ok &= check(list(u["w"][:R]) == r["w"][k * R:(k + 1) * R] and list(u["kid"][:R]) == r["kid"][k * R:(k + 1) * R],
                            "weight_sram table of pass %d: column %d differs from what lane %d multiplies at t=%d" % (r["pass"], k, scalar(u["lane"]), u["t"]))
                if not ok:
                    break
            continue
        reads += 1
        ok &= check(set(r["cols"]) == cols_at.get((r["t"], scalar(r["pass"])), set()) and len(set(r["cols"])) == len(r["cols"]),
                    "weight_sram read t=%d: columns differ from the lanes' columns" % r["t"])
        if not ok:
            break
    ok &= check(tables > 0, "weight_sram: no table records")
    print("weight_sram: %d reads match the lanes' columns, %d tables what they multiply%s" % (reads, tables, "" if ok else " (FAILED)"))


def check_kwta(trace_dir):
    header, recs = load(trace_dir, "kwta_selector")
    E = header["blocks"]["kwta_selector"]["out_width"]
    groups = []
    for r in recs:
        if r["ev"] == "group":
            groups.append({"g": r, "in": [], "out": []})
        else:
            groups[-1].setdefault(r["ev"], []).append(r)
    ok = True
    for G in groups:
        g = G["g"]
        n, k, base = scalar(g["n"]), scalar(g["k"]), scalar(g["base"])
        v = np.concatenate([np.array(r["v"], dtype=np.int64) for r in G["in"]])[:n]
        order = np.lexsort((np.arange(n), -np.abs(v)))  # larger |v| first, then lower index
        want = np.sort(order[:k]) + base
        got = [i for r in G["out"] for i in r["idx"]]
        gotv = [x for r in G["out"] for x in r["v"]]
        ok &= check(list(want) == got, "kwta group at t=%d: winners differ from numpy top-k" % g["t"])
        ok &= check(gotv == [int(v[i - base]) for i in got], "kwta group at t=%d: winner values differ from the input" % g["t"])
        ok &= check(all(len(r["idx"]) <= E for r in G["out"]), "kwta: more than out_width winners in one cycle")
        ok &= check(all(G["out"][i]["t"] < G["out"][i + 1]["t"] for i in range(len(G["out"]) - 1)), "kwta: two out records in one cycle")
        if header["blocks"]["kwta_selector"]["circuit"] == "threshold":
            ok &= check_kwta_phase(G, v, k, base, want, header["blocks"]["kwta_selector"]["lanes"])
    ok &= check(all(recs[i]["t"] <= recs[i + 1]["t"] for i in range(len(recs) - 1)), "kwta: records out of cycle order")
    print("kwta_selector: %d groups match numpy top-k%s" % (len(groups), "" if ok else " (FAILED)"))


def check_kwta_phase(G, v, k, base, want, lanes):
    """Threshold circuit: the threshold is the k-th largest |v| (the scan from 128 down stops at
    the first bin where the count reaches k; k = 0 stops at once), `above` counts |v| > thr, the
    budget is k - above, and the
    flagged lanes of the rows, in row order, are exactly the winners; each row's flags come
    before its winners leave."""
    g = G["g"]
    mag = np.sort(np.abs(v))[::-1]
    thr = int(mag[k - 1]) if k > 0 else 128
    above = int(np.sum(np.abs(v) > thr))
    t = G.get("threshold", [])
    ok = check(len(t) == 1 and (scalar(t[0]["thr"]), scalar(t[0]["above"]), scalar(t[0]["budget"])) == (thr, above, k - above),
               "kwta group at t=%d: threshold record is not (thr %d, above %d, budget %d)" % (g["t"], thr, above, k - above))
    flags = G.get("flag", [])
    rows = -(-len(v) // lanes)
    ok &= check([scalar(r["row"]) for r in flags] == list(range(rows)), "kwta group at t=%d: flag rows are not 0..%d" % (g["t"], rows - 1))
    flagged = [row * lanes + l + base for row, r in enumerate(flags) for l, w in enumerate(r["win"]) if w]
    ok &= check(flagged == list(want), "kwta group at t=%d: flagged lanes differ from numpy top-k" % g["t"])
    if flags and t and G["out"]:
        ok &= check(t[0]["t"] < flags[0]["t"] <= G["out"][0]["t"], "kwta group at t=%d: threshold, flags and outs out of order" % g["t"])
    return ok


def check_bin_equals_jsonl(jsonl_dir, bin_dir, block):
    hj, rj = load(jsonl_dir, block)
    hb, rb = load(bin_dir, block)
    norm = lambda rs: [{k: (v if isinstance(v, list) or k in ("t", "ev") else [v]) for k, v in r.items()} for r in rs]
    check(norm(rj) == norm(rb), "%s: binary records differ from the JSON lines" % block)
    print("%s: binary == jsonl (%d records; %d vs %d bytes)" % (block, len(rj),
          os.path.getsize(os.path.join(bin_dir, block + ".bin")), os.path.getsize(os.path.join(jsonl_dir, block + ".jsonl"))))


def check_vcd(trace_dir, block, event):
    _, recs = load(trace_dir, block)
    n = sum(1 for r in recs if r["ev"] == event)
    text = open(os.path.join(trace_dir, "trace.vcd")).read()
    head, body = text.split("$enddefinitions $end", 1)
    # Find the strobe of <block>.<event> (single-slot events only).
    lines = head.splitlines()
    scope, sid = [], None
    for ln in lines:
        p = ln.split()
        if p[:2] == ["$scope", "module"]:
            scope.append(p[2])
        elif p[:1] == ["$upscope"]:
            scope.pop()
        elif p[:1] == ["$var"] and p[4] == "valid" and scope == [block, event]:
            sid = p[3]
    if not check(sid is not None, "vcd: no strobe for %s.%s" % (block, event)):
        return
    rises = sum(1 for ln in body.splitlines() if ln == "1" + sid)
    check(rises <= n and rises > 0, "vcd: %s.%s strobe rose %d times for %d records" % (block, event, rises, n))
    print("vcd: %s.%s strobe rises %d times for %d records" % (block, event, rises, n))


def main():
    binary, src, scratch = sys.argv[1:4]
    shutil.rmtree(scratch, ignore_errors=True)
    os.makedirs(scratch)
    arch = lambda n: os.path.join(src, "configs", "arch", n)
    net = lambda n: os.path.join(src, "configs", "networks", n)
    S = lambda *p: os.path.join(scratch, *p)

    # Dense: pe_array, both encodings, VCD; tracing leaves report.json unchanged.
    run(binary, ["--arch", arch("dense-16x16.json"), "--network", net("gsc.json"), "--layers", "conv1,conv2",
                 "--out", S("dense-plain")])
    run(binary, ["--arch", arch("dense-16x16.json"), "--network", net("gsc.json"), "--layers", "conv1,conv2",
                 "--out", S("dense"), "--dump-tensors", S("dense-t"), "--trace", S("dense-trace"), "--trace-vcd"])
    run(binary, ["--arch", arch("dense-16x16.json"), "--network", net("gsc.json"), "--layers", "conv1,conv2",
                 "--out", S("dense-b"), "--trace", S("dense-bin"), "--trace-format", "bin"])
    check(open(S("dense-plain", "report.json")).read() == open(S("dense", "report.json")).read(),
          "report.json changes when the run is traced")
    check_pe_array(S("dense-trace"), S("dense-t"), ["conv1", "conv2"])
    check_bin_equals_jsonl(S("dense-trace"), S("dense-bin"), "pe_array")
    check_vcd(S("dense-trace"), "pe_array", "fold")

    # SoD: decompressor vectors against the dumped operands; the shared array's drains.
    run(binary, ["--arch", arch("sod-32x32.json"), "--network", net("gsc.json"), "--layers", "conv2",
                 "--out", S("sod"), "--dump-tensors", S("sod-t"), "--trace", S("sod-trace")])
    check_decompressor(S("sod-trace"), S("sod-t"), ["conv2"])
    check_pe_array(S("sod-trace"), S("sod-t"), ["conv2"])

    # CS sparse-sparse: selector, SRAM reads, MAC routing; binary form of all three.
    cs = ["--arch", arch("cs-small.json"), "--network", net("gsc-complementary.json"), "--layers", "conv2"]
    run(binary, cs + ["--out", S("cs"), "--trace", S("cs-trace")])
    run(binary, cs + ["--out", S("cs-b"), "--trace", S("cs-bin"), "--trace-format", "bin"])
    mac = check_mac_array(S("cs-trace"))
    check_weight_sram(S("cs-trace"), mac)
    check_kwta(S("cs-trace"))
    for b in ("kwta_selector", "weight_sram", "mac_array"):
        check_bin_equals_jsonl(S("cs-trace"), S("cs-bin"), b)
    # The bitonic circuit emits the same winners.
    run(binary, cs + ["--out", S("cs-bitonic"), "--trace", S("cs-bitonic-trace"), "--trace-blocks", "kwta_selector",
                      "--set", "cs.selector.circuit=\"bitonic\""])
    check_kwta(S("cs-bitonic-trace"))

    # Bad requests: exit 2, no trace directory.
    for extra, what in ((["--trace-blocks", "mac_array"], "a block the dense datapath lacks"),
                        (["--trace-blocks", "pe_arrray"], "an unknown block"),
                        (["--trace-format", "xml"], "an unknown encoding")):
        p = run(binary, ["--arch", arch("dense-16x16.json"), "--network", net("gsc.json"), "--layers", "conv1",
                         "--out", S("bad"), "--trace", S("bad-trace")] + extra, expect=2)
        check("--trace" in p.stderr and not os.path.exists(S("bad-trace")), "refusing %s: message or leftovers" % what)
    print("%d failure(s)" % len(FAILURES))
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())

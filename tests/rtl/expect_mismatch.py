#!/usr/bin/env python3
"""A deliberately broken RTL build must fail its check, naming the first record it gets wrong.

usage: expect_mismatch.py CHECKER TRACE_DIR VARIANT [CHECKER_ARGS...]
       (VARIANT: acc_carry, kid_route, tie_break, drop_last, bank_map; drop_last reads the RTL's geometry
       from the environment: DUT_LANES, DUT_NNZ, DUT_INDEX_BITS)

Runs CHECKER --trace TRACE_DIR [CHECKER_ARGS] (a JSON-lines trace) and passes when the checker
exits 1 with one
  MISMATCH cycle=<t> block=<block> signal=<name>[<index>] expected=<x> actual=<y>
  last matching cycle=<t'>
report whose cycle, signal and last matching cycle are the ones this script predicts on its own:
it replays the trace's input records through the variant's broken arithmetic (not through the
RTL) and finds the first compared value, in cycle order, that the broken hardware gets wrong. For
pe_array traces with pe_state (and no --no-state) that is the first cycle at which a PE's partial
sum leaves the traced one; otherwise the first drained output.
"""
import json
import os
import re
import subprocess
import sys


def records(trace, block):
    """The block's records in cycle order (stable), the order the checkers take them in."""
    with open(os.path.join(trace, block + ".jsonl")) as f:
        return sorted((json.loads(line) for line in f if line.strip()), key=lambda r: r["t"])


def wrap32(x):
    return (x + (1 << 31)) % (1 << 32) - (1 << 31)


def acc_carry(trace, state):
    """pe_array whose accumulator adds its 16-bit halves without the carry between them."""
    def add(acc, p):
        lo = ((acc & 0xFFFF) + (p & 0xFFFF)) & 0xFFFF
        hi = (((acc >> 16) & 0xFFFF) + ((p >> 16) & 0xFFFF)) & 0xFFFF
        return (hi << 16) | lo
    header = json.load(open(os.path.join(trace, "header.json")))
    rows, cols = header["blocks"]["pe_array"]["rows"], header["blocks"]["pe_array"]["cols"]
    states = {}
    if state and "pe_state" in header["blocks"]:
        states = {r["t"]: r["acc"] for r in records(trace, "pe_state")}
    last = None
    folds = []  # (t0, cycles, edges by fold cycle, drains)
    for r in records(trace, "pe_array"):
        if r["ev"] == "fold":
            folds.append((r["t"], r["cycles"], {}, []))
        elif r["ev"] == "edge":
            folds[-1][2][r["t"] - folds[-1][0]] = (r["a"], r["b"])
        elif r["ev"] == "drain":
            folds[-1][3].append(r)
    for t0, cycles, edges, drains in folds:
        acc = [[0] * cols for _ in range(rows)]
        for c in range(cycles):  # PE (i, j) meets a[i] from fold cycle c - j and b[j] from c - i
            for i in range(rows):
                for j in range(cols):
                    a = edges.get(c - j, ([0] * rows, None))[0][i]
                    b = edges.get(c - i, (None, [0] * cols))[1][j]
                    acc[i][j] = add(acc[i][j], (a * b) & 0xFFFFFFFF)
            want = states.get(t0 + c)
            if want is not None:
                for i in range(rows):
                    for j in range(cols):
                        if wrap32(acc[i][j]) != wrap32(want[i * cols + j]):
                            return t0 + c, f"pe_acc[{i}][{j}]", last
                last = t0 + c
        for r in drains:
            for j, want in enumerate(r["acc"]):
                if wrap32(acc[r["row"]][j]) != wrap32(want):
                    return r["t"], f"acc[{r['row']}][{j}]", last
            last = r["t"]
    return None


def kid_route(trace, state):
    """mac_array routing product q to kernel ID kid[q] + 1 (mod kernel_ids)."""
    kids = json.load(open(os.path.join(trace, "header.json")))["blocks"]["mac_array"]["kernel_ids"]
    steps, last = {}, None
    for r in records(trace, "mac_array"):
        if r["ev"] == "mac":
            steps.setdefault((r["pass"], r["lane"], r["pixel"]), []).append(r)
        elif r["ev"] == "drain":
            acc = [0] * len(r["acc"])
            for s in steps.pop((r["pass"], r["lane"], r["pixel"]), []):
                for q, (w, k) in enumerate(zip(s["w"], s["kid"])):
                    acc[q * kids + (k + 1) % kids] += s["act"] * w
            for i, want in enumerate(r["acc"]):
                if wrap32(acc[i]) != wrap32(want):
                    return r["t"], f"acc[{i}]", last
            last = r["t"]
    return None


def tie_break(trace, state):
    """kwta_selector handing the tie budget to the highest indices."""
    groups = []
    for r in records(trace, "kwta_selector"):
        if r["ev"] == "group":
            groups.append({"g": r, "v": [], "out": []})
        elif r["ev"] == "in":
            groups[-1]["v"] += r["v"]
        elif r["ev"] == "out":
            groups[-1]["out"] += [(r["t"], e, i) for e, i in enumerate(r["idx"])]
    last = None
    for grp in groups:
        n, k, base = grp["g"]["n"], grp["g"]["k"], grp["g"]["base"]
        v = grp["v"][:n]
        if not v:
            continue
        broken = sorted(sorted(range(n), key=lambda i: (-abs(v[i]), -i))[:k])
        for (t, e, want), got in zip(grp["out"], broken):
            if base + got != want:
                return t, f"idx[{e}]", last
            last = t
    return None


def drop_last(trace, state):
    """decompressor dropping the last entry of every full beat (tests/rtl/broken/decompressor_drop_last.v).
    Replays the unit's own arithmetic: entry p of a beat has ordinal base + p, its segment is the
    last s with ptr[s] <= ordinal, its lane s * SEGL + index; base grows by the beat's entries."""
    header = json.load(open(os.path.join(trace, "header.json")))
    prm = header["blocks"]["decompressor"]
    lanes, nnz, index_bits = int(os.environ["DUT_LANES"]), int(os.environ["DUT_NNZ"]), int(os.environ["DUT_INDEX_BITS"])
    posw = max(1, (lanes - 1).bit_length())
    segl = 1 << min(index_bits, posw)
    last = None
    for r in records(trace, "decompressor"):
        unit_nnz = prm["nnz_per_cycle"] if r["operand"] == 0 else prm["activation_nnz_per_cycle"]
        if len(r["v"]) != lanes or unit_nnz != nnz:
            continue
        out, base, n = [0] * lanes, 0, len(r["nz_v"])
        for e0 in range(0, max(n, 1), nnz):
            slots = [e0 + q < n for q in range(nnz)]
            if all(slots):
                slots[-1] = False
            for q in range(nnz):
                if slots[q]:
                    ordinal = base + q
                    seg = max(s for s, p in enumerate(r["ptr"]) if p <= ordinal) if ordinal >= 0 else 0
                    out[seg * segl + r["nz_idx"][e0 + q]] = r["nz_v"][e0 + q]
            base += sum(slots)
        for lane, (got, want) in enumerate(zip(out, r["v"])):
            if got != want:
                return r["t"], f"v[{lane}]", last
        last = r["t"]
    return None


def bank_map(trace, state):
    """weight_sram_banks placing word j of column k in bank (k + j) mod banks (the wpc stride
    forgotten); the address stays (k * wpc + j) div banks, so the words it reports are wrong."""
    prm = json.load(open(os.path.join(trace, "header.json")))["blocks"]["weight_sram"]
    banks, ports = prm["banks"], prm["ports"]
    last = None
    for r in records(trace, "weight_sram"):
        if not r["cols"]:
            continue
        wpc = r["wpc"]
        exp, got = [[] for _ in range(banks)], [[] for _ in range(banks)]
        for k in r["cols"]:
            for j in range(wpc):
                w = k * wpc + j
                exp[w % banks].append(w)
                got[(k + j) % banks].append(w // banks * banks + (k + j) % banks)
        for b in range(banks):
            if sorted(exp[b]) != sorted(got[b]):
                return r["t"], f"bank[{b}].words", last
        if max(-(-len(g) // ports) for g in got) != r["cycles"]:
            return r["t"], "cycles", last
        last = r["t"]
    return None


VARIANTS = {"acc_carry": ("pe_array", acc_carry), "kid_route": ("mac_array", kid_route), "tie_break": ("kwta_selector", tie_break),
            "drop_last": ("decompressor", drop_last), "bank_map": ("weight_sram", bank_map)}


def main():
    checker, trace, variant, extra = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    block, oracle = VARIANTS[variant]
    predicted = oracle(trace, "--no-state" not in extra)
    if predicted is None:
        sys.exit(f"FAIL: the trace gives the {variant} variant nothing to get wrong; it cannot show the variant is caught")
    p = subprocess.run([checker, "--trace", trace, *extra], capture_output=True, text=True, timeout=300)
    sys.stdout.write(p.stdout + p.stderr)
    lines = [line for line in p.stdout.splitlines() if line.startswith("MISMATCH")]
    m = re.fullmatch(r"MISMATCH cycle=(\d+) block=(\w+) signal=(\S+) expected=(\S+) actual=(\S+)", lines[0]) if len(lines) == 1 else None
    lm = re.search(r"^  last matching cycle=(\d+|none)", p.stdout, re.M)
    if p.returncode != 1 or not m or not lm:
        sys.exit(f"FAIL: expected exit 1, one MISMATCH line and its last matching cycle, got exit {p.returncode} and {len(lines)} MISMATCH lines")
    got = (int(m.group(1)), m.group(3), None if lm.group(1) == "none" else int(lm.group(1)))
    if m.group(2) != block or got != predicted or m.group(4) == m.group(5):
        sys.exit(f"FAIL: reported block {m.group(2)} cycle {got[0]} signal {got[1]} last match {got[2]}; "
                 f"predicted {block} cycle {predicted[0]} signal {predicted[1]} last match {predicted[2]}")
    print(f"ok: {variant} caught at cycle {got[0]}, signal {got[1]}, last matching cycle {got[2]}, as predicted from the trace")


if __name__ == "__main__":
    main()

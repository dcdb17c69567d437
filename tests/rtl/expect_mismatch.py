#!/usr/bin/env python3
"""A deliberately broken RTL build must fail its check, naming the first record it gets wrong.

usage: expect_mismatch.py CHECKER TRACE_DIR VARIANT [CHECKER_ARGS...]
       (VARIANT: acc_carry, unsigned_weight, match_highest, tie_ignored, kid_route, tie_break, drop_last, bank_map, port_mux; drop_last reads the RTL's geometry
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


def unsigned_weight(trace, state):
    """Weight-stationary pe_array whose PEs zero-extend the weight into the multiplier. Replays the
    documented WS array register by register: the first ROWS fold cycles shift the weights down
    from the top edge, then each PE adds its input times its weight to the sum from above."""
    header = json.load(open(os.path.join(trace, "header.json")))
    rows, cols = header["blocks"]["pe_array"]["rows"], header["blocks"]["pe_array"]["cols"]
    states = {}
    if state and "pe_state" in header["blocks"]:
        states = {r["t"]: r["acc"] for r in records(trace, "pe_state")}
    folds = []  # (t0, cycles, edges by fold cycle, psum_out records by fold cycle)
    for r in records(trace, "pe_array"):
        if r["ev"] == "fold":
            folds.append((r["t"], r["cycles"], {}, {}))
        elif r["ev"] == "edge":
            folds[-1][2][r["t"] - folds[-1][0]] = (r["a"], r["b"])
        elif r["ev"] == "psum_out":
            folds[-1][3][r["t"] - folds[-1][0]] = r
    last = None
    for t0, cycles, edges, outs in folds:
        w = [[0] * cols for _ in range(rows)]
        a = [[0] * cols for _ in range(rows)]
        p = [[0] * cols for _ in range(rows)]
        for c in range(cycles):
            ea, eb = edges.get(c, ([0] * rows, [0] * cols))
            if c < rows:
                w = [list(eb)] + [list(w[i - 1]) for i in range(1, rows)]
            else:
                na = [[ea[i] if j == 0 else a[i][j - 1] for j in range(cols)] for i in range(rows)]
                p = [[((p[i - 1][j] if i else 0) + na[i][j] * (w[i][j] & 0xFF)) & 0xFFFFFFFF for j in range(cols)] for i in range(rows)]
                a = na
            want = states.get(t0 + c)
            if want is not None:
                for i in range(rows):
                    for j in range(cols):
                        if wrap32(p[i][j]) != wrap32(want[i * cols + j]):
                            return t0 + c, f"pe_psum[{i}][{j}]", last
                last = t0 + c
            r = outs.get(c)
            if r is not None:
                for j in range(cols):
                    if r["m"][j] >= 0 and wrap32(p[rows - 1][j]) != wrap32(r["psum"][j]):
                        return r["t"], f"psum_out[{j}]", last
                last = r["t"]
    return None


def match_highest(trace, state):
    """sparse_pe array whose matchers issue the highest common index of the windows, not the
    smallest. Replays every PE from the trace's bus deliveries (as the checker drives them):
    windows, pops, finishing, back-pressure, in the documented order (readiness before the
    edge, then each PE's x, y, fills, issue, done, acc)."""
    prm = json.load(open(os.path.join(trace, "header.json")))["blocks"]["sparse_pe"]
    R, C, D, W = prm["rows"], prm["cols"], prm["fifo_depth"], prm["match_width"]
    last = None
    pes = alen = wlen = atail = wtail = None

    def step(pe):
        """One cycle of one PE's matcher on its pre-edge FIFOs (the deliveries come after)."""
        fa, fw = pe["fa"], pe["fw"]
        pa = pw = 0
        fire = 0
        if not pe["done"] and fa and fw:
            wa, wb = fa[:W], fw[:W]
            common = [i for i, (k, _) in enumerate(wa) if any(k == kk for kk, _ in wb)]
            if common:
                i = common[-1]  # the broken choice: the highest common index
                j = next(j for j, (kk, _) in enumerate(wb) if kk == wa[i][0])
                fire, pa, pw = 1, i + 1, j + 1
                pe["acc"] = (pe["acc"] + wa[i][1] * wb[j][1]) & 0xFFFFFFFF
            else:
                pa = sum(1 for k, _ in wa if k <= wb[-1][0])
                pw = sum(1 for k, _ in wb if k <= wa[-1][0])
        pe["x"] += pa
        pe["y"] += pw
        del fa[:pa], fw[:pw]
        pe["issue"] = fire
        pe["done"] = pe["done"] or pe["x"] == pe["alen"] or pe["y"] == pe["wlen"]
        return pe

    for r in records(trace, "sparse_pe"):
        if r["ev"] == "fold":
            alen, wlen = r["a_len"], r["w_len"]
            atail, wtail = [0] * R, [0] * C
            pes = [{"fa": [], "fw": [], "x": 0, "y": 0, "issue": 0, "acc": 0, "alen": alen[q // C], "wlen": wlen[q % C],
                    "done": alen[q // C] == 0 or wlen[q % C] == 0} for q in range(R * C)]
        elif r["ev"] == "bus":
            # The matchers' pops of this cycle decide finishing and room, which gate the buses.
            nxt = [step(json.loads(json.dumps(pe))) for pe in pes]
            for bus, n_, tails, lens, count, key in (("a_ready", r["a_n"], atail, alen, R, "fa"), ("w_ready", r["w_n"], wtail, wlen, C, "fw")):
                for q in range(count):
                    on_bus = [p for i, p in enumerate(nxt) if (i // C if key == "fa" else i % C) == q and not p["done"]]
                    got = int(bool(on_bus) and all(len(p[key]) < D for p in on_bus))
                    if n_[q] == 0 and tails[q] >= lens[q]:
                        continue
                    if got != int(n_[q] > 0):
                        return r["t"], f"{bus}[{q}]", last
            for q, p in enumerate(nxt):
                i, j = q // C, q % C
                if r["a_n"][i] and not p["done"] and len(p["fa"]) < D:
                    p["fa"].append((r["a_k"][i], r["a_v"][i]))
                if r["w_n"][j] and not p["done"] and len(p["fw"]) < D:
                    p["fw"].append((r["w_k"][j], r["w_v"][j]))
            for i in range(R):
                atail[i] += r["a_n"][i]
            for j in range(C):
                wtail[j] += r["w_n"][j]
            pes = nxt
        elif r["ev"] == "pe":
            for q, p in enumerate(pes):
                got = {"x": p["x"], "y": p["y"], "a_fill": len(p["fa"]), "w_fill": len(p["fw"]), "issue": p["issue"],
                       "done": int(p["done"]), "acc": wrap32(p["acc"])}
                for f in ("x", "y", "a_fill", "w_fill", "issue", "done", "acc"):
                    if r["done"][q] and f in ("a_fill", "w_fill"):
                        continue
                    want = wrap32(r[f][q]) if f == "acc" else r[f][q]
                    if got[f] != want:
                        return r["t"], f"{f}[{q // C}][{q % C}]", last
            last = r["t"]
    return None


def tie_ignored(trace, state):
    """Bitonic k-WTA whose comparators compare magnitudes only (the index tie-break lost).
    Runs the documented network in Python on each group's traced input: stages in order, key
    (valid, magnitude, complemented index), and compares every stage's positions with the trace's
    stage records as the checker does (index, then magnitude). Every cycle of a group is compared,
    so the last matching cycle is the one before the divergence."""
    groups = []
    for r in records(trace, "kwta_selector"):
        if r["ev"] == "group":
            groups.append({"g": r, "in": [], "stage": []})
        elif r["ev"] in ("in", "stage"):
            groups[-1][r["ev"]].append(r)
    for G in groups:
        g = G["g"]
        if not G["in"]:
            continue
        n = g["n"]
        v = [x for r in G["in"] for x in r["v"]][:n]
        P = 1
        while P < n:
            P *= 2
        key = [(1, abs(v[i]), -i) if i < n else (0, 0, 0) for i in range(P)]  # -i: lower index sorts higher
        stages = iter(G["stage"])
        size = 2
        while size <= P:
            stride = size // 2
            while stride:
                for i in range(P):
                    j = i ^ stride
                    if j > i:
                        a, b = key[i][:2], key[j][:2]  # the broken compare: no index
                        if (a < b) if (i & size) == 0 else (a > b):
                            key[i], key[j] = key[j], key[i]
                rec = next(stages)
                for p in range(P):
                    got = -key[p][2] if key[p][0] else -1
                    if got != rec["idx"][p]:
                        return rec["t"], f"key_idx[{p}]", rec["t"] - 1
                    if got >= 0 and key[p][1] != rec["mag"][p]:
                        return rec["t"], f"key_mag[{p}]", rec["t"] - 1
                stride //= 2
            size *= 2
    return None


def kid_route(trace, state):
    """mac_array routing product q to kernel ID kid[q] + 1 (mod kernel_ids). With mac_state (and
    no --no-state) every step's accumulators are compared, in cycle order, as the checker does."""
    header = json.load(open(os.path.join(trace, "header.json")))
    kids = header["blocks"]["mac_array"]["kernel_ids"]
    states = {}
    if state and "mac_state" in header["blocks"]:
        states = {(r["t"], r["pass"], r["lane"]): r["acc"] for r in records(trace, "mac_state")}
    accs, last = {}, None
    for r in records(trace, "mac_array"):
        px = (r.get("pass"), r.get("lane"), r.get("pixel"))
        if r["ev"] == "mac":
            acc = accs.setdefault(px, [0] * (len(r["w"]) * kids))
            for q, (w, k) in enumerate(zip(r["w"], r["kid"])):
                acc[q * kids + (k + 1) % kids] += r["act"] * w
            want = states.get((r["t"], r["pass"], r["lane"]))
            if want is not None:
                for i, x in enumerate(want):
                    if wrap32(acc[i]) != wrap32(x):
                        return r["t"], f"lane_acc[{i}]", last
                last = r["t"]
        elif r["ev"] == "drain":
            acc = accs.pop(px)
            for i, want in enumerate(r["acc"]):
                if wrap32(acc[i]) != wrap32(want):
                    return r["t"], f"acc[{i}]", last
            last = r["t"]
    return None


def tie_break(trace, state):
    """kwta_selector handing the tie budget to the highest indices with |v| = threshold. With the
    phase records of a threshold trace (and no --no-state) the checker also compares the search's
    outcome and each pass-2 row's winner flags, in cycle order with the out records: this replays
    the documented threshold circuit on each group's traced input (histogram, scan from 128 down
    to the first bin where the count reaches k, tie budget k - count(> thr)) with the broken
    rank, the last `budget` ties of the group winning."""
    groups = []
    for r in records(trace, "kwta_selector"):
        if r["ev"] == "group":
            groups.append({"g": r, "v": [], "recs": []})
        elif r["ev"] == "in":
            groups[-1]["v"] += r["v"]
        elif r["ev"] == "out" or (state and r["ev"] in ("threshold", "flag")):
            groups[-1]["recs"].append(r)
    last = None
    for grp in groups:
        n, k, base = grp["g"]["n"], grp["g"]["k"], grp["g"]["base"]
        v = grp["v"][:n]
        if not v:
            continue
        mag = [abs(x) for x in v]
        above, thr = 0, 128
        while thr > 0 and above + mag.count(thr) < k:
            above += mag.count(thr)
            thr -= 1
        budget, ties = k - above, mag.count(thr)
        win, rank = [], 0
        for m in mag:
            win.append(m > thr or (m == thr and rank + budget >= ties))
            rank += m == thr
        broken = iter([i for i in range(n) if win[i]])
        cur = None  # the cycle being compared; `last` is the last cycle all of whose records matched
        for r in grp["recs"]:
            if cur is not None and r["t"] != cur:
                last = cur
            cur = r["t"]
            if r["ev"] == "threshold":
                if (r["thr"], r["budget"]) != (thr, budget):
                    return r["t"], "phase_thr" if r["thr"] != thr else "phase_budget", last
            elif r["ev"] == "flag":
                lanes = len(r["win"])
                got = [int(i < n and win[i]) for i in range(lanes * r["row"], lanes * r["row"] + lanes)]
                for lane, (g, want) in enumerate(zip(got, r["win"])):
                    if g != want:
                        return r["t"], f"phase_flag_win[{lane}]", last
            else:
                for e, want in enumerate(r["idx"]):
                    if base + next(broken) != want:
                        return r["t"], f"idx[{e}]", last
        if cur is not None:
            last = cur
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
        if r["ev"] != "read" or not r["cols"]:
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


def port_mux(trace, state):
    """weight_sram_data with one read mux per bank: every port of a bank delivers the word at port
    0's address. Replays the banks' grant order (each cycle a bank reads its first `ports` pending
    words in request order: column by column as the read record lists them, word by word), packs
    each pass's table into words (entry q of a column at bits q x entry_bits.., weight low, kernel
    ID above) and unpacks each lane's column from the words the broken ports deliver."""
    prm = json.load(open(os.path.join(trace, "header.json")))["blocks"]["weight_sram"]
    banks, ports, wb = prm["banks"], prm["ports"], prm["word_bits"]
    uses = {}
    for r in records(trace, "mac_array"):
        if r["ev"] == "mac":
            uses.setdefault(r["t"], []).append(r)
    words, last, slots, eb = {}, None, 0, 0
    for r in records(trace, "weight_sram"):
        if r["ev"] == "table":
            slots, eb, wpc = r["slots"], r["entry_bits"], r["wpc"]
            words = {}
            for k in range(r["columns"]):
                col = 0
                for q in range(slots):
                    col |= ((r["w"][k * slots + q] & 0xFF) | (r["kid"][k * slots + q] << 8)) << (q * eb)
                for j in range(wpc):
                    words[k * wpc + j] = (col >> (j * wb)) & ((1 << wb) - 1)
            continue
        if r["ev"] != "read" or not r["cols"]:
            continue
        wpc = r["wpc"]
        pending = [[k * wpc + j for k in r["cols"] for j in range(wpc) if (k * wpc + j) % banks == b] for b in range(banks)]
        got = {}
        while any(pending):
            for b in range(banks):
                grant, pending[b] = pending[b][:ports], pending[b][ports:]
                for w in grant:
                    got[w] = words[grant[0]]
        for u in uses.get(r["t"], []):
            col = 0
            for j in range(wpc):
                col |= got[u["col"] * wpc + j] << (j * wb)
            for q in range(min(slots, len(u["w"]))):
                e = (col >> (q * eb)) & ((1 << eb) - 1)
                w = (e & 0xFF) - 256 if e & 0x80 else e & 0xFF
                if w != u["w"][q]:
                    return r["t"], f"lane[{u['lane']}].w[{q}]", last
                if e >> 8 != u["kid"][q]:
                    return r["t"], f"lane[{u['lane']}].kid[{q}]", last
        last = r["t"]
    return None


VARIANTS = {"acc_carry": ("pe_array", acc_carry), "unsigned_weight": ("pe_array", unsigned_weight),
            "match_highest": ("sparse_pe", match_highest), "tie_ignored": ("kwta_selector", tie_ignored), "kid_route": ("mac_array", kid_route), "tie_break": ("kwta_selector", tie_break),
            "drop_last": ("decompressor", drop_last), "bank_map": ("weight_sram", bank_map),
            "port_mux": ("weight_sram", port_mux)}


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

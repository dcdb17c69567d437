#!/usr/bin/python3
"""tools/validate-rtl --vcd writes the RTL's waveform and the model's, around the first divergence.

usage: vcd_check.py TRACE_DIR WORK_DIR [sparse_pe|mac_array|kwta_selector]

Checks the broken pe_array (-D BROKEN_ACC_CARRY) against a trace with pe_state, with --vcd (with
`sparse_pe`: the broken sparse-PE array, -D BROKEN_MATCH_HIGHEST, against a sparse_pe trace, the
diverging PE register and the model's per-PE record field of the same name; with `mac_array`: the
CS lane routing to the wrong kernel ID, -D BROKEN_KID_ROUTE, against a trace with mac_state, the
diverging lane's accumulator register and the model's mac_state of that lane; with
`kwta_selector`: the selector with its phase ports and the wrong tie-break, -D BROKEN_TIE_BREAK,
the row flags phase_flag_win and the model's flag record). For mac_array and kwta_selector the
reported cycle must also be the one expect_mismatch.py's replay of the broken circuit predicts,
and the window the tool reports must hold it. Passes
when the tool reports the mismatch and both VCD files load in the small VCD reader below (an
independent parser of IEEE 1364 VCD, not the writer's code) and hold the divergence cycle: in
the RTL's waveform, PE (i, j)'s accumulator after that cycle's rising edge is the reported
`actual`; in the model's, the traced PE's partial sum at that cycle is the reported `expected`.
"""
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def read_vcd(path):
    """(timescale, {full signal name: id}, {id: [(time, value as int)]})"""
    tokens = open(path).read().split()
    names, changes, scope, i, ts = {}, {}, [], 0, None
    while i < len(tokens):
        tok = tokens[i]
        if tok == "$timescale":
            j = tokens.index("$end", i)
            ts = "".join(tokens[i + 1:j])
            i = j + 1
        elif tok == "$scope":
            scope.append(tokens[i + 2])
            i = tokens.index("$end", i) + 1
        elif tok == "$upscope":
            scope.pop()
            i += 2
        elif tok == "$var":
            j = tokens.index("$end", i)
            sid, ref = tokens[i + 3], tokens[i + 4]
            names[".".join(scope + [ref])] = sid
            changes.setdefault(sid, [])
            i = j + 1
        elif tok == "$enddefinitions":
            i = tokens.index("$end", i) + 1
            break
        else:
            i += 1
    t = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.startswith("#"):
            t = int(tok[1:])
        elif tok[0] in "bB":
            changes.setdefault(tokens[i + 1], []).append((t, int(tok[1:].replace("x", "0").replace("z", "0"), 2)))
            i += 1
        elif tok[0] in "01xz" and len(tok) > 1:
            changes.setdefault(tok[1:], []).append((t, 1 if tok[0] == "1" else 0))
        i += 1
    return ts, names, changes


def value_at(vcd, name, t):
    _, names, changes = vcd
    v = None
    for when, val in changes[names[name]]:
        if when > t:
            break
        v = val
    return v


def s32(v):
    return v - (1 << 32) if v >= 1 << 31 else v


def sparse_pe(trace, work):
    """The sparse-PE array's waveform: the diverging PE's register and the model's field."""
    wave = os.path.join(work, "wave-sparse-pe.vcd")
    rtl = os.path.join(ROOT, "traces", "rtl")
    p = subprocess.run([os.path.join(ROOT, "tools", "validate-rtl"), "--block", "sparse_pe", "--top", "sparse_pe_array", "--rtl",
                        os.path.join(rtl, "sparse_pe_array.v"), os.path.join(rtl, "sparse_pe_cell.v"), "-D", "BROKEN_MATCH_HIGHEST",
                        "-GFIFO_DEPTH=4", "-GMATCH_WIDTH=2", "--trace", trace, "--vcd", wave, "--vcd-window", "3", "--jobs", "2"],
                       capture_output=True, text=True, timeout=900)
    sys.stdout.write(p.stdout + p.stderr)
    m = re.search(r"^MISMATCH cycle=(\d+) block=sparse_pe signal=(x|y|a_fill|w_fill|issue|done|acc)\[(\d+)\]\[(\d+)\] expected=(-?\d+) actual=(-?\d+)",
                  p.stdout, re.M)
    if p.returncode != 1 or not m:
        sys.exit(f"FAIL: expected exit 1 and a per-PE sparse_pe MISMATCH, got exit {p.returncode}")
    t, field, i, j, want, got = int(m.group(1)), m.group(2), int(m.group(3)), int(m.group(4)), int(m.group(5)), int(m.group(6))
    dut = read_vcd(wave)
    model = read_vcd(re.sub(r"\.vcd$", "", wave) + ".model.vcd")
    reg = f"TOP.sparse_pe_array.g_row[{i}].g_col[{j}].pe." + {"a_fill": "a_n", "w_fill": "w_n"}.get(field, field)
    if reg not in dut[1]:
        sys.exit(f"FAIL: the RTL waveform has no {reg}")
    rtl_v = value_at(dut, reg, t * 1000)
    model_v = value_at(model, f"model.sparse_pe_pe_{field}_{i * 4 + j}", t)
    if rtl_v is None or s32(rtl_v) != got or model_v is None or s32(model_v) != want:
        sys.exit(f"FAIL: at cycle {t} the RTL waveform shows {rtl_v}, the model's {model_v}; the checker reported actual {got}, expected {want}")
    print(f"ok: both waveforms load and hold cycle {t}: PE ({i}, {j}) {field} RTL {got}, model {want}")


def tool(args, work, name):
    """tools/validate-rtl with --vcd WORK/name.vcd --vcd-window 3: (stdout, RTL vcd, model vcd, window)."""
    wave = os.path.join(work, name + ".vcd")
    for f in (wave, os.path.join(work, name + ".model.vcd")):
        if os.path.exists(f):
            os.remove(f)
    p = subprocess.run([os.path.join(ROOT, "tools", "validate-rtl"), *args, "--vcd", wave, "--vcd-window", "3", "--jobs", "2"],
                       capture_output=True, text=True, timeout=900)
    sys.stdout.write(p.stdout + p.stderr)
    w = re.search(r"^validate-rtl: waveforms of trace cycles (\d+)\.\.(\d+) \(divergence at (\d+)\)", p.stdout, re.M)
    if p.returncode != 1 or not w:
        sys.exit(f"FAIL: expected exit 1 and the waveforms line, got exit {p.returncode}")
    return p.stdout, read_vcd(wave), read_vcd(os.path.join(work, name + ".model.vcd")), (int(w.group(1)), int(w.group(2)))


def predicted(trace, variant, t, signal):
    """The cycle and signal expect_mismatch.py's replay of the broken circuit predicts (not the checker's)."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import expect_mismatch
    want = expect_mismatch.VARIANTS[variant][1](trace, True)
    if want is None or want[:2] != (t, signal):
        sys.exit(f"FAIL: reported cycle {t} signal {signal}; the replay predicts {want}")


def aligned(dut, model, window, t, rtl_sig, rtl_v, model_sig, model_v, got, want, what):
    """The divergence cycle inside the window, an RTL edge at it, both values as reported and different."""
    lo, hi = window
    if not lo <= t <= hi:
        sys.exit(f"FAIL: the divergence cycle {t} is outside the reported window {lo}..{hi}")
    if dut[0] != "1ps" or model[0] != "1ns":
        sys.exit(f"FAIL: timescales {dut[0]} / {model[0]}, expected 1ps (RTL, 1000 a cycle) / 1ns (model)")
    if rtl_sig not in dut[1] or model_sig not in model[1]:
        sys.exit(f"FAIL: the RTL waveform has no {rtl_sig} or the model's no {model_sig}")
    times = {when for ch in dut[2].values() for when, _ in ch}
    if t * 1000 not in times:
        sys.exit(f"FAIL: the RTL waveform has no edge at the divergence cycle {t} ({t * 1000} ps)")
    if rtl_v != got or model_v != want or got == want:
        sys.exit(f"FAIL: at cycle {t} the RTL waveform shows {rtl_v}, the model's {model_v}; the checker reported actual {got}, expected {want}")
    print(f"ok: both waveforms load and hold cycle {t} (window {lo}..{hi}): {what} RTL {got}, model {want}")


def mac_array(trace, work):
    """The CS lane's waveform: every lane one instance on one clock; the diverging lane's accumulator."""
    out, dut, model, window = tool(["--block", "mac_array", "--top", "cs_mac_slice", "--rtl", os.path.join(ROOT, "traces", "rtl", "cs_mac_slice.v"),
                                    "-D", "BROKEN_KID_ROUTE", "--trace", trace], work, "wave-mac-array")
    m = re.search(r"^MISMATCH cycle=(\d+) block=mac_array signal=lane_acc\[(\d+)\] expected=(-?\d+) actual=(-?\d+)", out, re.M)
    lane = re.search(r"^  at .* lane (\d+) pixel", out, re.M)
    if not m or not lane:
        sys.exit("FAIL: expected a per-step lane_acc MISMATCH naming its lane")
    t, i, want, got = (int(x) for x in m.groups())
    predicted(trace, "kid_route", t, f"lane_acc[{i}]")
    ids = json.load(open(os.path.join(trace, "header.json")))["blocks"]["mac_array"]["kernel_ids"]
    l = int(lane.group(1))
    reg = f"lane{l}.cs_mac_slice.g_slot[{i // ids}].g_acc[{i % ids}].acc"
    sig = f"model.mac_state_lane{l}_acc_acc_{i}"
    rtl_v, model_v = value_at(dut, reg, t * 1000) if reg in dut[1] else None, value_at(model, sig, t) if sig in model[1] else None
    aligned(dut, model, window, t, reg, rtl_v if rtl_v is None else s32(rtl_v), sig, model_v if model_v is None else s32(model_v), got, want,
            f"lane {l} accumulator {i}")


def kwta_selector(trace, work):
    """The selector's waveform: the pass-2 row's winner flags at the flag record's cycle."""
    rtl = os.path.join(ROOT, "traces", "rtl")
    out, dut, model, window = tool(["--block", "kwta_selector", "--top", "kwta_selector_phase", "--rtl", os.path.join(rtl, "kwta_selector_phase.v"),
                                    os.path.join(rtl, "kwta_selector.v"), "-D", "BROKEN_TIE_BREAK", "--trace", trace], work, "wave-kwta")
    m = re.search(r"^MISMATCH cycle=(\d+) block=kwta_selector signal=phase_flag_win\[(\d+)\] expected=(\d+) actual=(\d+)", out, re.M)
    if not m:
        sys.exit("FAIL: expected a phase_flag_win MISMATCH")
    t, lane, want, got = (int(x) for x in m.groups())
    predicted(trace, "tie_break", t, f"phase_flag_win[{lane}]")
    reg, sig = "TOP.kwta_selector_phase.phase_flag_win", f"model.kwta_selector_flag_win_{lane}"
    rtl_v = value_at(dut, reg, t * 1000) if reg in dut[1] else None
    model_v = value_at(model, sig, t) if sig in model[1] else None
    aligned(dut, model, window, t, reg, rtl_v if rtl_v is None else (rtl_v >> lane) & 1, sig, model_v, got, want, f"row flag of lane {lane}")


def main():
    trace, work = sys.argv[1:3]
    modes = {"sparse_pe": sparse_pe, "mac_array": mac_array, "kwta_selector": kwta_selector}
    if sys.argv[3:4] and sys.argv[3] in modes:
        os.makedirs(work, exist_ok=True)
        return modes[sys.argv[3]](trace, work)
    os.makedirs(work, exist_ok=True)
    wave = os.path.join(work, "wave.vcd")
    for f in (wave, os.path.join(work, "wave.model.vcd")):
        if os.path.exists(f):
            os.remove(f)
    rtl = os.path.join(ROOT, "traces", "rtl")
    p = subprocess.run([os.path.join(ROOT, "tools", "validate-rtl"), "--block", "pe_array", "--top", "pe_array", "--rtl",
                        os.path.join(rtl, "pe_array.v"), os.path.join(rtl, "mac_pe.v"), "-D", "BROKEN_ACC_CARRY", "--trace", trace,
                        "--vcd", wave, "--vcd-window", "5", "--jobs", "2"], capture_output=True, text=True, timeout=900)
    sys.stdout.write(p.stdout + p.stderr)
    m = re.search(r"^MISMATCH cycle=(\d+) block=pe_array signal=pe_acc\[(\d+)\]\[(\d+)\] expected=(-?\d+) actual=(-?\d+)", p.stdout, re.M)
    if p.returncode != 1 or not m:
        sys.exit(f"FAIL: expected exit 1 and a per-cycle pe_acc MISMATCH, got exit {p.returncode}")
    t, i, j, want, got = (int(x) for x in m.groups())
    dut = read_vcd(wave)
    model = read_vcd(os.path.join(work, "wave.model.vcd"))
    if dut[0] != "1ps" or model[0] != "1ns":
        sys.exit(f"FAIL: timescales {dut[0]} / {model[0]}, expected 1ps (RTL, 1000 a cycle) / 1ns (model)")
    acc = f"TOP.pe_array.g_row[{i}].g_col[{j}].pe.acc"
    if acc not in dut[1]:
        sys.exit(f"FAIL: the RTL waveform has no {acc}")
    times = {when for ch in dut[2].values() for when, _ in ch}
    if t * 1000 not in times:
        sys.exit(f"FAIL: the RTL waveform has no edge at the divergence cycle {t} ({t * 1000} ps)")
    rtl_v = value_at(dut, acc, t * 1000)
    model_v = value_at(model, f"model.pe_state_pe_{i}_{j}", t)
    if rtl_v is None or s32(rtl_v) != got or model_v is None or s32(model_v) != want:
        sys.exit(f"FAIL: at cycle {t} the RTL waveform shows {rtl_v}, the model's {model_v}; the checker reported actual {got}, expected {want}")
    before = value_at(model, f"model.pe_state_pe_{i}_{j}", t - 1)
    print(f"ok: both waveforms load and hold cycle {t}: PE ({i}, {j}) RTL {got}, model {want} (model at {t - 1}: {before and s32(before)})")


if __name__ == "__main__":
    main()

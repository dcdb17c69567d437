#!/usr/bin/python3
"""SCALE-Sim compat mode says what it drops (docs/report.md compat_notes).

A padded layer in compat mode runs the unpadded window, so its output is smaller than the layer
the file describes. `run` prints one note per such layer on stderr (nothing with -q) and
report.json lists them in compat_notes; both output shapes are checked against the closed forms
SCALE-Sim and PyTorch use, computed here. A run without compat has no compat_notes.
Usage: compat_note_test.py SPARSESIM SOURCE_DIR WORK_DIR
"""
import json
import pathlib
import shutil
import subprocess
import sys

exe, src, work = sys.argv[1], pathlib.Path(sys.argv[2]).resolve(), pathlib.Path(sys.argv[3]).resolve()
shutil.rmtree(work, ignore_errors=True)
work.mkdir(parents=True)
# ResNet-50's stem: 224x224, 7x7, stride 2, padding 3; a 1x1 unpadded layer that drops nothing.
net = {"name": "compat-note", "description": "a padded stem and an unpadded 1x1 layer",
       "layers": [{"name": "stem", "type": "conv2d", "in_channels": 3, "out_channels": 8, "in_h": 56, "in_w": 56,
                   "kernel_h": 7, "kernel_w": 7, "stride": 2, "padding": 3},
                  {"name": "pointwise", "type": "conv2d", "in_channels": 8, "out_channels": 8, "in_h": 28, "in_w": 28,
                   "kernel_h": 1, "kernel_w": 1}]}
netf = work / "net.json"
netf.write_text(json.dumps(net))


def run(arch, out, *extra):
    p = subprocess.run([exe, "run", "--arch", str(src / "configs/arch" / arch), "--network", str(netf), "--out", str(out), *extra],
                       capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"FAIL: run on {arch} exited {p.returncode}: {p.stderr.strip()}")
    return p, json.loads((out / "report.json").read_text())


compat_out = (56 - 7 + 2 + 2 - 1) // 2       # SCALE-Sim: ceil((in - k + s) / s)
real_out = (56 + 2 * 3 - 7) // 2 + 1         # floor((in + 2p - k) / s) + 1
p, rep = run("dense-32x32-scalesim.json", work / "compat")
notes = rep.get("compat_notes")
if not notes or len(notes) != 1:
    sys.exit(f"FAIL: expected one compat note (the stem), got {notes}")
want = f"output {compat_out}x{compat_out} instead of {real_out}x{real_out}"
if not notes[0].startswith("stem: padding 3 dropped") or want not in notes[0]:
    sys.exit(f"FAIL: note {notes[0]!r} does not name the stem, its padding and '{want}'")
if f"note: {notes[0]}" not in p.stderr:
    sys.exit(f"FAIL: run did not print the note on stderr: {p.stderr!r}")
if rep["layers"][0]["output_shape"][1:] != [compat_out, compat_out]:
    sys.exit(f"FAIL: the compat run's stem output is {rep['layers'][0]['output_shape']}, the note says {compat_out}x{compat_out}")
q, _ = run("dense-32x32-scalesim.json", work / "compat-q", "-q")
if q.stderr.strip() or q.stdout.strip():
    sys.exit(f"FAIL: -q printed something: {q.stdout!r} {q.stderr!r}")
_, plain = run("dense-32x32.json", work / "plain")
if "compat_notes" in plain or plain["layers"][0]["output_shape"][1:] != [real_out, real_out]:
    sys.exit("FAIL: a run without compat has compat_notes or not the padded output shape")
print(f"ok: {notes[0]}")

#!/usr/bin/python3
"""tools/validate-rtl --vcd FILE never replaces a file that is not a waveform.

  validate_rtl_vcd_target.py <source dir> <scratch dir>

FILE (or FILE's .model.vcd companion) holding a user's text, or being a directory, is exit 2
naming it before anything is built; the file is unchanged. Under 1 s (no Verilator run).
"""
import os
import shutil
import subprocess
import sys

SRC, SCRATCH = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
TOOL = os.path.join(SRC, "tools", "validate-rtl")
shutil.rmtree(SCRATCH, ignore_errors=True)
os.makedirs(os.path.join(SCRATCH, "trace"))
with open(os.path.join(SCRATCH, "trace", "header.json"), "w") as f:
    f.write("{}\n")
with open(os.path.join(SCRATCH, "top.v"), "w") as f:
    f.write("module top; endmodule\n")
failures = []
for name, setup, target in (
        ("user-text", lambda: open(os.path.join(SCRATCH, "notes.vcd"), "w").write("my notes\n"), "notes.vcd"),
        ("user-model-companion", lambda: open(os.path.join(SCRATCH, "w.model.vcd"), "w").write("my notes\n"), "w.vcd"),
        ("directory", lambda: os.makedirs(os.path.join(SCRATCH, "d.vcd")), "d.vcd")):
    setup()
    before = sorted((p, open(os.path.join(SCRATCH, p), "rb").read() if os.path.isfile(os.path.join(SCRATCH, p)) else None)
                    for p in os.listdir(SCRATCH))
    r = subprocess.run([sys.executable, TOOL, "--block", "pe_array", "--rtl", "top.v", "--top", "top", "--trace", "trace",
                        "--vcd", target], cwd=SCRATCH, capture_output=True, text=True, timeout=60)
    after = sorted((p, open(os.path.join(SCRATCH, p), "rb").read() if os.path.isfile(os.path.join(SCRATCH, p)) else None)
                   for p in os.listdir(SCRATCH))
    if r.returncode != 2 or "--vcd: " not in r.stderr or before != after:
        failures.append("%s: exit %d, files changed: %s, stderr: %s" % (name, r.returncode, before != after, r.stderr.strip()[:200]))
    else:
        print("PASS %s: %s" % (name, r.stderr.strip()))
for f in failures:
    print("FAIL " + f)
sys.exit(1 if failures else 0)

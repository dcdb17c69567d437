#!/usr/bin/python3
"""Runs `sparsesim run` with the given arguments into a fresh folder and fails unless it exits 0
and report.json says total.verified (every layer's output equals the reference convolution).

  run_verified.py SPARSESIM OUTDIR ARGS...
"""
import json
import os
import shutil
import subprocess
import sys


def main():
    sim, out, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    shutil.rmtree(out, ignore_errors=True)
    p = subprocess.run([sim, "run", *args, "-q", "--out", out], stderr=subprocess.PIPE,
                       env=dict(os.environ, SYSTEMC_DISABLE_COPYRIGHT_MESSAGE="1"))
    if p.returncode != 0:
        print(f"sparsesim exited {p.returncode}: {p.stderr.decode(errors='replace')[-800:]}")
        return 1
    with open(os.path.join(out, "report.json")) as f:
        total = json.load(f)["total"]
    print(f"cycles {total['cycles']}, verified {total['verified']}")
    return 0 if total["verified"] else 1


if __name__ == "__main__":
    sys.exit(main())

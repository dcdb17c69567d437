#!/usr/bin/env python3
"""Golden reports: runs every case of cases.json and compares its report.json and
resolved-config.json with the copies kept under golden/<case>/.

Integers, strings, booleans and the set of keys must match exactly; floating-point values to a
relative 1e-12 (summation order may change the last bits, never a figure a reader sees). A
timing or model change is then a visible, reviewed diff: re-generate with --update and say in
the commit why the figures moved.

usage: check_golden.py SPARSESIM_BINARY SOURCE_ROOT OUT_DIR [--update]
"""
import json
import math
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = ("report.json", "resolved-config.json")


def diff(expect, got, path, out):
    if isinstance(expect, dict) and isinstance(got, dict):
        for k in expect:
            if k not in got:
                out.append(f"{path}.{k}: missing (expected {json.dumps(expect[k])[:80]})")
            else:
                diff(expect[k], got[k], f"{path}.{k}", out)
        for k in got:
            if k not in expect:
                out.append(f"{path}.{k}: not in the golden report (got {json.dumps(got[k])[:80]})")
    elif isinstance(expect, list) and isinstance(got, list):
        if len(expect) != len(got):
            out.append(f"{path}: {len(got)} entries, expected {len(expect)}")
        for i, (e, g) in enumerate(zip(expect, got)):
            diff(e, g, f"{path}[{i}]", out)
    elif isinstance(expect, bool) or isinstance(got, bool) or isinstance(expect, str) or expect is None:
        if expect != got:
            out.append(f"{path}: expected {json.dumps(expect)}, got {json.dumps(got)}")
    elif isinstance(expect, int) and isinstance(got, int):
        if expect != got:
            out.append(f"{path}: expected {expect}, got {got} ({got - expect:+d})")
    elif isinstance(expect, (int, float)) and isinstance(got, (int, float)):
        if not math.isclose(float(expect), float(got), rel_tol=1e-12, abs_tol=1e-300):
            out.append(f"{path}: expected {expect!r}, got {got!r}")
        elif isinstance(expect, int) != isinstance(got, int):
            out.append(f"{path}: expected {'an integer' if isinstance(expect, int) else 'a float'}, got {got!r}")
    else:
        out.append(f"{path}: expected {json.dumps(expect)[:80]}, got {json.dumps(got)[:80]}")


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    binary, root, out_dir = sys.argv[1:4]
    update = "--update" in sys.argv[4:]
    cases = json.load(open(os.path.join(HERE, "cases.json")))["cases"]
    failed = 0
    for name, args in cases.items():
        out = os.path.join(os.path.abspath(out_dir), name)
        shutil.rmtree(out, ignore_errors=True)
        env = dict(os.environ, SYSTEMC_DISABLE_COPYRIGHT_MESSAGE="1")
        p = subprocess.run([binary, "run", *args, "--out", out, "-q"], cwd=root, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if p.returncode != 0:
            print(f"FAIL {name}: sparsesim exit {p.returncode}\n{p.stderr}")
            failed += 1
            continue
        gold_dir = os.path.join(HERE, "golden", name)
        if update:
            os.makedirs(gold_dir, exist_ok=True)
            for f in FILES:
                shutil.copyfile(os.path.join(out, f), os.path.join(gold_dir, f))
            print(f"updated {name}")
            continue
        problems = []
        for f in FILES:
            gold = os.path.join(gold_dir, f)
            if not os.path.exists(gold):
                problems.append(f"{f}: no golden copy (run with --update)")
                continue
            diff(json.load(open(gold)), json.load(open(os.path.join(out, f))), f, problems)
        rep = json.load(open(os.path.join(out, "report.json")))
        summary = f"{rep['total']['cycles']:,} cycles, verified {rep['total']['verified']}"
        if problems:
            failed += 1
            print(f"FAIL {name} ({summary}): {len(problems)} differences")
            for line in problems[:40]:
                print("   ", line)
        else:
            print(f"ok   {name} ({summary})")
    print(f"{len(cases) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

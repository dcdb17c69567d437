#!/usr/bin/python3
"""The generated sbatch script under hostile but valid values.

The sparsesim binary is copied into a folder whose name holds spaces, both quotes, $(...),
backticks, a semicolon, '#', '%' and unicode; the sweep file and --out folder get such names too,
and an --sbatch option holds a $(...) that would create a file if anything evaluated it. Then:
  1. a sweep name holding a newline is refused (exit 2, naming "name"), nothing written;
  2. `--backend slurm` with a stub `sbatch` first on PATH (it records its arguments and prints a
     job id): sparsesim calls it exactly as `sbatch --parsable <script>`;
  3. the script has no control character but newlines, passes `bash -n`, and its #SBATCH lines,
     read the way sbatch reads them (quotes group, backslash escapes, unquoted '#' ends the
     line), give the intended job name, array, and log path (with '%' doubled);
  4. the script run by bash with SLURM_ARRAY_TASK_ID=1, after the copied binary is replaced by a
     stub that records its argv, executes exactly one command: that binary with the intended
     argument vector; no canary file appears, stub srun/sbatch are not called again.
usage: slurm_script_test.py <sparsesim binary> <source dir> <scratch dir>
"""
import json
import os
import shutil
import stat
import subprocess
import sys

BIN, SRC, OUT = sys.argv[1], sys.argv[2], sys.argv[3]
shutil.rmtree(OUT, ignore_errors=True)
os.makedirs(OUT)
OUT = os.path.realpath(OUT)
# Canary commands create files in OUT, the working directory of every command below.
HOSTILE = "h \"q\" 'a' $(touch owned1) `touch owned2` ; touch owned3 # 100% \u00e9\u4e2d"
env = dict(os.environ, SYSTEMC_DISABLE_COPYRIGHT_MESSAGE="1")
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def canaries():
    return [f for f in os.listdir(OUT) if f.startswith("owned")]


# The binary, the sweep file and the output folder all live under hostile names.
bindir = os.path.join(OUT, "bin " + HOSTILE)
os.makedirs(bindir)
exe = os.path.join(bindir, "sparsesim")
shutil.copy2(BIN, exe)
cfgdir = os.path.join(OUT, "cfg " + HOSTILE)
os.makedirs(cfgdir)
for sub, name in (("arch", "dense-16x16.json"), ("networks", "gsc.json")):
    shutil.copy2(os.path.join(SRC, "configs", sub, name), os.path.join(cfgdir, name))
for sub in ("fpga", "energy"):  # tables are looked up beside the architecture file's folder
    shutil.copytree(os.path.join(SRC, "configs", sub), os.path.join(OUT, sub))
sweep = {"name": "hostile-test", "description": HOSTILE, "arch": "dense-16x16.json", "network": "gsc.json",
         "axes": {"array.rows": [8, 16]}}
sweep_file = os.path.join(cfgdir, "sweep " + HOSTILE + ".json")
with open(sweep_file, "w") as f:
    json.dump(sweep, f)
out_dir = os.path.join(OUT, "out " + HOSTILE)

# Stubs first on PATH: they record how they were called.
stubs = os.path.join(OUT, "stubs")
os.makedirs(stubs)
calls = os.path.join(OUT, "calls")
for tool, reply in (("sbatch", "4242"), ("srun", "")):
    p = os.path.join(stubs, tool)
    with open(p, "w") as f:
        f.write("#!/bin/bash\nprintf '%s\\0' " + tool + " \"$@\" >> '" + calls + "." + tool + "'\n"
                + (f"echo {reply}\n" if reply else ""))
    os.chmod(p, 0o755)
stub_env = dict(env, PATH=stubs + ":" + env.get("PATH", "/usr/bin:/bin"))

# 1. A newline in the sweep name: refused before anything is written.
bad = dict(sweep, name="x\ntouch owned0\n#")
bad_file = os.path.join(cfgdir, "bad.json")
with open(bad_file, "w") as f:
    json.dump(bad, f)
r = subprocess.run([exe, "sweep", bad_file, "--out", os.path.join(OUT, "bad-out"), "--backend", "slurm"],
                   env=stub_env, capture_output=True, text=True, cwd=OUT)
check(r.returncode == 2, f"newline in the sweep name: exit 2 (got {r.returncode})")
check(": name: character '\\n' at position 1" in r.stderr, "the message names `name` and shows the newline escaped: " + r.stderr.strip())
check(not os.path.exists(os.path.join(OUT, "bad-out")) and not os.path.exists(calls + ".sbatch"), "nothing written, sbatch not called")

# 2. Generation and submission through the stub sbatch.
r = subprocess.run([exe, "sweep", sweep_file, "--out", out_dir, "--backend", "slurm", "-j", "2",
                    "--sbatch=--comment=$(touch owned4)"], env=stub_env, capture_output=True, text=True, cwd=OUT)
check(r.returncode == 0, f"slurm backend with hostile paths: exit 0 (got {r.returncode}: {r.stderr.strip()})")
check("submitted Slurm job 4242" in r.stdout, "the stub's job id is reported")
script = os.path.join(out_dir, "sweep.sbatch")
sb = open(calls + ".sbatch", "rb").read().split(b"\0")[:-1] if os.path.exists(calls + ".sbatch") else []
check([a.decode() for a in sb] == ["sbatch", "--parsable", script], f"sbatch called once as sbatch --parsable SCRIPT: {sb}")

# 3. The script's text.
text = open(script, encoding="utf-8").read()
check(not any(ord(c) < 0x20 and c != "\n" or ord(c) == 0x7f for c in text), "no control character but newlines")
r = subprocess.run(["bash", "-n", script], capture_output=True, text=True, cwd=OUT)
check(r.returncode == 0, "bash -n accepts the script " + r.stderr.strip())


def sbatch_args(line):
    """The arguments sbatch's directive parser takes from one '#SBATCH ...' line."""
    rest, args, cur, quote, esc, have = line[len("#SBATCH"):], [], "", None, False, False
    i = 0
    while i < len(rest):
        c = rest[i]
        i += 1
        if esc:
            cur, esc, have = cur + c, False, True
        elif c == "\\":
            esc = True
        elif quote:
            if c == quote:
                quote = None
            else:
                cur += c
        elif c in "\"'":
            quote, have = c, True
        elif c == "#":
            break
        elif c.isspace():
            if have or cur:
                args.append(cur)
            cur, have = "", False
        else:
            cur, have = cur + c, True
    if have or cur:
        args.append(cur)
    return args


directives = [a for line in text.splitlines() if line.startswith("#SBATCH") for a in sbatch_args(line)]
want_log = os.path.join(out_dir, "slurm").replace("%", "%%") + "/%A_%a.out"
check(directives[:5] == ["--job-name=sparsesim-hostile-test", "--array=0-1", "--ntasks=1", "--cpus-per-task=2", "--output=" + want_log],
      f"directives as sbatch reads them: {directives[:5]}")
check(directives[5:] == ["--comment=$(touch owned4)"], f"the --sbatch option is one argument, not evaluated: {directives[5:]}")
commands = [l for l in text.splitlines() if l and not l.startswith("#")]
check(commands[:2] == ["set -eu", "export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1"] and len(commands) == 3 and commands[2].startswith("exec "),
      "three command lines: set, export, exec")

# 4. Run it: the copied binary becomes a stub recording its argv.
argv_log = os.path.join(OUT, "argv")
os.remove(exe)
with open(exe, "w") as f:
    f.write("#!/bin/bash\nprintf '%s\\0' \"$0\" \"$@\" > '" + argv_log + "'\n")
os.chmod(exe, 0o755)
trace = os.path.join(OUT, "xtrace")
with open(trace, "w") as tf:
    r = subprocess.run(["bash", "-x", script], env=dict(stub_env, SLURM_ARRAY_TASK_ID="1", SLURM_CPUS_PER_TASK="2"),
                       stderr=tf, stdout=subprocess.DEVNULL, cwd=OUT)
check(r.returncode == 0, f"the script runs (exit {r.returncode})")
got = open(argv_log, "rb").read().split(b"\0")[:-1] if os.path.exists(argv_log) else []
want = [exe, "sweep", sweep_file, "--out", out_dir, "--shard", "1/2", "-j", "2", "--seed", "1"]
check([a.decode() for a in got] == want, f"the one command is the binary with the intended arguments: {got}")
traced = [l for l in open(trace, encoding="utf-8", errors="replace").read().splitlines() if l.startswith("+ ")]
check(len(traced) == 4 and traced[:3] == ["+ set -eu", "+ export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1", "+ SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1"]
      and traced[3].startswith("+ exec "), f"bash -x shows set, export (and its assignment), exec only: {traced[:3]}")
check(not os.path.exists(calls + ".srun") and len(open(calls + ".sbatch", "rb").read().split(b"\0")) == 4, "no srun or second sbatch call")
check(canaries() == [], f"no canary file was created: {canaries()}")

print(f"{0 if failures else 1} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)

#!/usr/bin/python3
"""sparsesim writes only under the folders the user named (--out, --dump-tensors, --trace, the
DIR of `report`), plus, while it runs, staging folders beside them named <folder>.partial.<pid>
that are renamed into place or removed.

Every command runs in an empty temporary tree (HOME, TMPDIR and the working directory empty,
the inputs copied in) under `strace -f`, which logs every path any process of the command (the
point and variant processes, the plotting tools) opened for writing, created, renamed, removed
or linked. Each such path must lie under that command's named folders. Afterwards the inputs
are unchanged, HOME, TMPDIR and the working directory are still empty, and the whole tree is
listed. Commands: run, run with --dump-tensors and --trace (+ VCD), compare, sweep (local),
sweep --backend slurm --no-submit, report (run folder).
usage: write_confinement_test.py <sparsesim binary> <source dir> <scratch dir>
"""
import json
import os
import re
import shutil
import subprocess
import sys

BIN, SRC, T = os.path.realpath(sys.argv[1]), sys.argv[2], sys.argv[3]
shutil.rmtree(T, ignore_errors=True)
os.makedirs(T)
T = os.path.realpath(T)
IN, WORK, HOME, TMP, LOGS, NAMED = (os.path.join(T, d) for d in ("in", "work", "home", "tmp", "strace", "named"))
for d in (WORK, HOME, TMP, LOGS, NAMED):
    os.makedirs(d)
for sub in ("arch", "networks", "fpga", "energy"):
    shutil.copytree(os.path.join(SRC, "configs", sub), os.path.join(IN, sub))
with open(os.path.join(IN, "sweep.json"), "w") as f:
    json.dump({"name": "confined", "arch": "arch/dense-16x16.json", "network": "networks/gsc.json",
               "axes": {"array.rows": [8, 16]}}, f)
A1, A2, NET = (os.path.join(IN, p) for p in ("arch/cs-small.json", "arch/dense-16x16.json", "networks/gsc.json"))


def named(n):
    return os.path.join(NAMED, n)


COMMANDS = [
    ("run", ["run", "--arch", A1, "--network", NET, "--out", named("run"), "-q"], ["run"]),
    ("run-dump-trace", ["run", "--arch", A1, "--network", NET, "--out", named("run2"), "--dump-tensors", named("dump"),
                        "--trace", named("trace"), "--trace-vcd", "-q"], ["run2", "dump", "trace"]),
    ("compare", ["compare", "--arch", A1, "--arch", A2, "--network", NET, "--out", named("cmp")], ["cmp"]),
    ("sweep", ["sweep", os.path.join(IN, "sweep.json"), "--out", named("sweep"), "-j", "2", "-q"], ["sweep"]),
    ("sweep-slurm", ["sweep", os.path.join(IN, "sweep.json"), "--out", named("slurm"), "--backend", "slurm", "--no-submit"], ["slurm"]),
    ("report", ["report", named("run")], ["run"]),
]
WRITE_FLAGS = re.compile(r"O_WRONLY|O_RDWR|O_CREAT|O_TRUNC|O_APPEND")
CALL = re.compile(r"^(\w+)\((.*)\) += (-?\d+|\?)")
ARG = re.compile(r'(?:(AT_FDCWD)|(\d+)<((?:[^>\\]|\\.)*)>)?,? ?"((?:[^"\\]|\\.)*)"')
ALWAYS = ("/dev/", "/proc/")
ONE_PATH = ("open", "openat", "creat", "mkdir", "mkdirat", "unlink", "unlinkat", "rmdir", "truncate", "chmod", "fchmodat")
TWO_PATHS = ("rename", "renameat", "renameat2", "link", "linkat")


def unescape(s):
    return s.encode("latin-1", "backslashreplace").decode("unicode_escape").encode("latin-1").decode("utf-8", "replace")


def written_paths(prefix):
    """(syscall, absolute path) for every write-like call of every process in an `strace -ff -y`
    log set (one file per process). Relative paths are resolved against the process's working
    directory (followed through fork/clone and chdir) or the directory file descriptor."""
    logs = {}
    folder, base = os.path.split(prefix)
    for f in os.listdir(folder):
        if f.startswith(base + "."):
            logs[int(f.rsplit(".", 1)[1])] = [l.rstrip("\n") for l in open(os.path.join(folder, f), encoding="utf-8", errors="replace")]
    children = set()
    for lines in logs.values():
        for l in lines:
            m = CALL.match(l)
            if m and m.group(1) in ("clone", "clone3", "fork", "vfork") and m.group(3).isdigit():
                children.add(int(m.group(3)))
    out = []
    todo = [(pid, WORK) for pid in logs if pid not in children]
    while todo:
        pid, cwd = todo.pop()
        for l in logs.get(pid, []):
            m = CALL.match(l)
            if not m:
                continue
            call, args, ret = m.groups()
            if call in ("clone", "clone3", "fork", "vfork"):
                if ret.isdigit():
                    todo.append((int(ret), cwd))
                continue
            strings = []
            for am in ARG.finditer(args):
                base_dir = unescape(am.group(3)) if am.group(2) else cwd
                p = unescape(am.group(4))
                strings.append(os.path.normpath(p if os.path.isabs(p) else os.path.join(base_dir, p)))
            if call == "chdir" and strings and ret == "0":
                cwd = strings[0]
            elif call == "fchdir" and ret == "0":
                fm = re.match(r"\d+<([^>]*)>", args)
                if fm:
                    cwd = unescape(fm.group(1))
            elif call in ONE_PATH and strings:
                if call in ("open", "openat") and not WRITE_FLAGS.search(args):
                    continue
                out.append((call, strings[0]))
            elif call in TWO_PATHS:
                out += [(call, p) for p in strings[:2]]
            elif call.startswith("symlink") and strings:
                out.append((call, strings[-1]))
    return out


def allowed(path, folders):
    if path.startswith(ALWAYS):
        return True
    for f in folders:
        if path == f or path.startswith(f + "/") or re.fullmatch(re.escape(f) + r"\.partial\.\d+(/.*)?", path):
            return True
    return False


def snapshot(root):
    items = []
    for d, dirs, files in os.walk(root):
        for n in dirs + files:
            p = os.path.join(d, n)
            st = os.lstat(p)
            items.append((os.path.relpath(p, root), st.st_size, int(st.st_mtime_ns)))
    return sorted(items)


env = {"PATH": "/usr/bin:/bin", "HOME": HOME, "TMPDIR": TMP, "LANG": "C.UTF-8", "SYSTEMC_DISABLE_COPYRIGHT_MESSAGE": "1"}
# Under tools/sanitize the sanitizers' settings pass through (LeakSanitizer cannot run under ptrace).
for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS"):
    if k in os.environ:
        env[k] = os.environ[k] + (":detect_leaks=0" if k == "ASAN_OPTIONS" else "")
before = snapshot(IN)
failures = []
syscalls = ("open,openat,creat,mkdir,mkdirat,rename,renameat,renameat2,unlink,unlinkat,rmdir,link,linkat,symlink,symlinkat,"
            "truncate,chmod,fchmodat,chdir,fchdir,clone,clone3,fork,vfork")
for name, args, folders in COMMANDS:
    log = os.path.join(LOGS, name)
    r = subprocess.run(["strace", "-ff", "-y", "-qq", "-s", "4096", "-e", "trace=" + syscalls, "-o", log, BIN] + args,
                       cwd=WORK, env=env, capture_output=True, text=True)
    if r.returncode != 0:
        failures.append(name)
        print(f"FAIL {name}: exit {r.returncode}: {r.stderr.strip()[-400:]}")
        continue
    paths = written_paths(log)
    folders = [named(f) for f in folders]
    bad = [(c, p) for c, p in paths if not allowed(p, folders)]
    if bad:
        failures.append(name)
        print(f"FAIL {name}: writes outside {folders}:")
        for c, p in bad[:10]:
            print(f"    {c} {p}")
    else:
        print(f"ok   {name}: {len(paths)} write-like calls, all under {', '.join(os.path.relpath(f, T) for f in folders)}")

# Control: the check sees writes outside the named folders. A run without --out writes its
# documented default out/<arch>/<network> under the working directory, which no folder names here.
log = os.path.join(LOGS, "control")
subprocess.run(["strace", "-ff", "-y", "-qq", "-s", "4096", "-e", "trace=" + syscalls, "-o", log, BIN, "run", "--arch", A1,
                "--network", NET, "-q"], cwd=WORK, env=env, capture_output=True)
seen = [p for c, p in written_paths(log) if not allowed(p, [])]
if any(p.startswith(os.path.join(WORK, "out", "cs-small", "gsc")) for p in seen):
    print(f"ok   control: a run without --out is seen writing {os.path.join('work', 'out', 'cs-small', 'gsc')} ({len(seen)} calls)")
else:
    failures.append("control")
    print(f"FAIL control: the default-out run's writes were not seen: {seen[:5]}")
shutil.rmtree(os.path.join(WORK, "out"), ignore_errors=True)

if snapshot(IN) != before:
    failures.append("inputs")
    print("FAIL the input tree changed")
for d in (WORK, HOME, TMP):
    left = os.listdir(d)
    if left:
        failures.append(d)
        print(f"FAIL {os.path.relpath(d, T)} is not empty: {left[:5]}")
stray = [p for p, _, _ in snapshot(NAMED) if ".partial." in p or ".tmp" in p or ".report-plots" in p]
if stray:
    failures.append("staging")
    print(f"FAIL staging or temporary files left: {stray[:5]}")
print("written under named/ (folders and files):")
for p, size, _ in snapshot(NAMED):
    if p.count("/") <= 2:
        print(f"    {p} {size}")
print(f"{0 if failures else 1} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)

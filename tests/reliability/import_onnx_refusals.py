#!/usr/bin/python3
"""tools/import-onnx on inputs it must refuse, and on output folders it must not damage.

  import_onnx_refusals.py <source dir> <scratch dir>

Each case: exit code 2 (bad input) or 4 (cannot write), one "error: " line naming the file and
the reason, no output folder created, and every file that was there before unchanged. The
positive cases: an import into an empty folder and over an earlier import of the tool succeed.
A named pipe or a device as the model must be refused at once (onnx.load would block on a pipe
and read /dev/zero until memory runs out): every run has a 20 s timeout.
"""
import os
import shutil
import subprocess
import sys

SRC, SCRATCH = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
sys.path.insert(0, os.path.join(SRC, "tests", "import"))
import onnx  # noqa: E402
import onnx_models as M  # noqa: E402
import numpy as np  # noqa: E402

TOOL = os.path.join(SRC, "tools", "import-onnx")
failures = []


def tree(d):
    """Every file under d with its bytes, to prove nothing was changed or removed."""
    out = {}
    for root, _, files in os.walk(d):
        for f in files:
            p = os.path.join(root, f)
            out[os.path.relpath(p, d)] = open(p, "rb").read() if os.path.isfile(p) else "special"
    return out


def check(name, args, want_rc, want_in_msg, setup=None):
    d = os.path.join(SCRATCH, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    onnx.save(M.residual_model(), os.path.join(d, "model.onnx"))
    if setup:
        setup(d)
    before = tree(d)
    dirs_before = sorted(os.listdir(d))
    try:
        p = subprocess.run([sys.executable, TOOL, *args], cwd=d, capture_output=True, text=True, timeout=20)
        rc, err = p.returncode, p.stderr
    except subprocess.TimeoutExpired:
        failures.append("%s: timed out (blocked on its input)" % name)
        return
    problems = []
    if rc != want_rc:
        problems.append("exit %d, expected %d" % (rc, want_rc))
    first = next((line for line in err.splitlines() if line.startswith("error: ")), "")
    if want_rc != 0:
        if not first:
            problems.append("no error line")
        for w in want_in_msg:
            if w not in first:
                problems.append("message lacks %r" % w)
        if "Traceback" in err:
            problems.append("a Python traceback")
        if tree(d) != before or sorted(os.listdir(d)) != dirs_before:
            problems.append("files changed or added: %s" % sorted(set(os.listdir(d)) ^ set(dirs_before)))
    if problems:
        failures.append("%s: %s; stderr: %s" % (name, "; ".join(problems), err.strip()[:300]))
    else:
        print("PASS %s: %s" % (name, first or "exit 0"))


def user_file(rel, text=b"a user's file: must survive\n"):
    def f(d):
        p = os.path.join(d, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as fh:
            fh.write(text)
    return f


# Inputs that are not regular files, or not models.
check("model-fifo", ["fifo.onnx", "--out", "out"], 2, ["fifo.onnx: ", "named pipe"], lambda d: os.mkfifo(os.path.join(d, "fifo.onnx")))
check("model-dev-zero", ["/dev/zero", "--out", "out"], 2, ["/dev/zero: ", "character device"])
check("model-directory", ["dir.onnx", "--out", "out"], 2, ["dir.onnx: ", "a directory"], lambda d: os.mkdir(os.path.join(d, "dir.onnx")))
check("model-empty", ["empty.onnx", "--out", "out"], 2, ["empty.onnx: ", "empty file"], user_file("empty.onnx", b""))
check("model-missing", ["nope.onnx", "--out", "out"], 2, ["nope.onnx: ", "No such file"])
check("model-garbage", ["junk.onnx", "--out", "out"], 2, ["junk.onnx: ", "not a readable ONNX model"],
      user_file("junk.onnx", bytes(range(256)) * 4))
# Output folders holding files the tool did not write.
check("out-is-a-file", ["model.onnx", "--out", "notes.txt"], 2, ["--out: ", "is not a directory"], user_file("notes.txt"))
check("out-user-network", ["model.onnx", "--out", "mine"], 2, ["--out: ", "mine/model.json", "not part of an earlier import"],
      user_file("mine/model.json", b'{"name": "my own network"}\n'))
check("out-user-weights", ["model.onnx", "--out", "mine"], 2, ["--out: ", "mine/weights/conv1.npy", "not part of an earlier import"],
      user_file("mine/weights/conv1.npy"))
# A write failure is exit 4 naming the path, nothing partial (a read-only folder stands in for a
# full disk; root ignores permissions, so this case needs a non-root user or is skipped).
if os.geteuid() != 0:
    def ro(d):
        os.makedirs(os.path.join(d, "ro"))
        os.chmod(os.path.join(d, "ro"), 0o555)
    check("out-read-only", ["model.onnx", "--out", "ro/out"], 4, ["cannot write output"], ro)
else:
    print("SKIP out-read-only: running as root, which may write a read-only folder")
# A full disk: a 4 KiB tmpfs cannot hold the model's weights (about 8 KiB). Skipped, with the
# reason, where mount is not permitted.
t = os.path.join(SCRATCH, "tmpfs")
os.makedirs(t, exist_ok=True)
m = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4k", "tmpfs", t], capture_output=True, text=True)
if m.returncode != 0:
    print("SKIP out-full-disk: mount not permitted here (%s)" % m.stderr.strip())
else:
    try:
        onnx.save(M.residual_model(), os.path.join(SCRATCH, "full.onnx"))
        r = subprocess.run([sys.executable, TOOL, os.path.join(SCRATCH, "full.onnx"), "--out", os.path.join(t, "out")],
                           capture_output=True, text=True, timeout=60)
        left = os.listdir(t)
        if r.returncode != 4 or "error: cannot write output: " + t + "/out/" not in r.stderr or "No space left on device" not in r.stderr or left:
            failures.append("out-full-disk: exit %d, left %s: %s" % (r.returncode, left, r.stderr.strip()[:300]))
        else:
            print("PASS out-full-disk: " + r.stderr.strip())
    finally:
        subprocess.run(["umount", t])

# Allowed: a new folder, then the same folder again (an earlier import is replaced).
check("import-fresh", ["model.onnx", "--out", "out"], 0, [])
d = os.path.join(SCRATCH, "import-fresh")
r = subprocess.run([sys.executable, TOOL, "model.onnx", "--out", "out"], cwd=d, capture_output=True, text=True, timeout=60)
if r.returncode != 0:
    failures.append("import-again: an import over an earlier import gave exit %d: %s" % (r.returncode, r.stderr.strip()[:300]))
elif not np.load(os.path.join(d, "out", "weights", "conv1.npy")).size or [n for n in os.listdir(os.path.join(d, "out")) if n.startswith(".partial")]:
    failures.append("import-again: weights missing or a staging folder left behind")
else:
    print("PASS import-again: an earlier import is replaced")

for f in failures:
    print("FAIL " + f)
print("%d failed" % len(failures))
sys.exit(1 if failures else 0)

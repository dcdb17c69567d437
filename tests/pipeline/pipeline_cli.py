"""What the layer-pipelined tests share: a pass/fail line per check, one `sparsesim run`."""
import os
import subprocess

ENV = dict(os.environ, SYSTEMC_DISABLE_COPYRIGHT_MESSAGE="1")
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)
    return cond


def run_cli(binary, work, arch, net, name, sets=(), expect_rc=0):
    """Runs into work/name; exits the test on an unexpected exit code. Returns (process, out dir)."""
    out = os.path.join(work, name)
    cmd = [binary, "run", "--arch", arch, "--network", net, "--out", out, "-q"]
    for s in sets:
        cmd += ["--set", s]
    p = subprocess.run(cmd, capture_output=True, text=True, env=ENV)
    if p.returncode != expect_rc:
        print(p.stdout, p.stderr)
        raise SystemExit(f"{name}: exit {p.returncode}, expected {expect_rc}")
    return p, out

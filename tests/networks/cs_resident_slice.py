#!/usr/bin/python3
"""A resident CS weight table whose pass slice is larger than the SRAM words the resident tables
leave free (docs/memory.md: memory.weights preload).

usage: cs_resident_slice.py <sparsesim binary> <source dir> <scratch dir>

configs/arch/cs-small.json in dense_dense mode, one linear layer 6000 -> 64: its packed table
(two passes of 32 slots, 216,000 bytes each) fits the 432 KiB SRAM, so it is resident and only
10,368 bytes stay free. The fill must check a resident slice against the whole SRAM (as the slice
plan does), not against the free words a streamed slice may use: the run must finish, the
layer resident, verified, with no weight bytes read from DRAM. ResNet-50's chained graph on
cs-large met the same case at layer3.0.conv2.
"""
import json
import os
import shutil
import subprocess
import sys


def main():
    exe, src, scratch = sys.argv[1:4]
    shutil.rmtree(scratch, ignore_errors=True)
    os.makedirs(scratch)
    arch = json.load(open(os.path.join(src, "configs/arch/cs-small.json")))
    arch["cs"]["mode"] = "dense_dense"
    ap, npath = os.path.join(scratch, "cs-dense-dense.json"), os.path.join(scratch, "fill.json")
    json.dump(arch, open(ap, "w"))
    json.dump({"name": "fill", "layers": [{"name": "fc", "type": "linear", "in_channels": 6000, "out_channels": 64, "in_h": 1}]},
              open(npath, "w"))
    out = os.path.join(scratch, "out")
    p = subprocess.run([exe, "run", "--arch", ap, "--network", npath, "--out", out, "-q"], capture_output=True, text=True,
                       env=dict(os.environ, SYSTEMC_DISABLE_COPYRIGHT_MESSAGE="1"))
    fails = []
    if p.returncode != 0:
        fails.append("exit %d: %s" % (p.returncode, p.stderr.strip()[-300:]))
    else:
        l = json.load(open(os.path.join(out, "report.json")))["layers"][0]
        memory = 24 * 2048 * 72 // 8  # cs.sram: banks x depth x word_bits, in bytes
        # The premise: resident, and one pass's slice (half the table) is more than the free bytes.
        if not (l["weights_resident"] and l["weight_stored_bytes"] <= memory and l["weight_stored_bytes"] / 2 > memory - l["weight_stored_bytes"]):
            fails.append("premise not met: %s" % {k: l[k] for k in ("weights_resident", "weight_stored_bytes")})
        if not l["verified"]:
            fails.append("fc not verified")
        if l["dram_weight_read_bytes"] != 0:
            fails.append("a resident table read %d weight bytes from DRAM" % l["dram_weight_read_bytes"])
    for f in fails:
        print("FAIL " + f)
    print("%d failed" % len(fails))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())

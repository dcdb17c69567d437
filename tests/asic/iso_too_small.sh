#!/bin/sh
# An ASIC area too small for one datapath of an iso sweep: exit 2, the message names the sweep
# file, the "iso" path and the datapath that cannot fit, and nothing is written.
# usage: iso_too_small.sh SPARSESIM SWEEP.json OUTDIR
exe=$1 sweep=$2 out=$3
rm -rf "$out"
msg=$("$exe" sweep "$sweep" --out "$out" 2>&1)
rc=$?
echo "$msg"
[ "$rc" -eq 2 ] || { echo "FAIL: exit $rc, expected 2"; exit 1; }
case "$msg" in *"iso-area-too-small.json: iso: even the smallest sparse_pe design"*"mm^2 at 45nm"*) ;; *) echo "FAIL: message"; exit 1;; esac
[ ! -e "$out" ] || { echo "FAIL: $out was written"; exit 1; }
echo "ok"

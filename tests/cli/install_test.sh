#!/usr/bin/env bash
# cmake --install into a temporary prefix, then run the installed binary from another folder: it
# must find its tables under PREFIX/share/sparsesim (proved by editing the installed part file's
# timing limit and seeing the run refuse a clock the source tree's table accepts).
# usage: install_test.sh BUILD_DIR WORK_DIR
set -euo pipefail
build=$1 work=$2
rm -rf "$work"
mkdir -p "$work/prefix" "$work/elsewhere"
cmake --install "$build" --prefix "$work/prefix" >/dev/null
prefix=$(cd "$work/prefix" && pwd)
exe=$prefix/bin/sparsesim
share=$prefix/share/sparsesim
for f in "$exe" "$share/configs/fpga/zu3eg.json" "$share/configs/calibration/yosys-xc7.json" "$share/tools/plot_sweep.py" \
         "$share/docs/config.md" "$share/README.md"; do
  [ -e "$f" ] || { echo "FAIL: $f not installed"; exit 1; }
done
# An architecture outside any configs/ tree: fpga_part and the energy table resolve only through
# the binary's own share/sparsesim.
cp "$share/configs/arch/cs-small.json" "$work/elsewhere/arch.json"
cp "$share/configs/networks/gsc.json" "$work/elsewhere/net.json"
cd "$work/elsewhere"
"$exe" run -q --arch arch.json --network net.json --layers output --out out
[ -f out/report.json ] || { echo "FAIL: installed binary wrote no report"; exit 1; }
grep -q '"part": "zu3eg"' out/report.json || { echo "FAIL: report names no zu3eg part"; exit 1; }
# Lower the installed table's limit below the design's 200 MHz: the installed table must be the one read.
sed -i 's/"default": 500/"default": 150/' "$share/configs/fpga/zu3eg.json"
set +e
msg=$("$exe" run --arch arch.json --network net.json --layers output --out out2 2>&1 >/dev/null)
rc=$?
set -e
if [ $rc -ne 2 ] || ! grep -q "timing limit of 150 MHz" <<<"$msg"; then
  echo "FAIL: the installed binary did not read its installed tables (exit $rc): $msg"; exit 1
fi
"$exe" report out >/dev/null || { echo "FAIL: sparsesim report from the installed tree"; exit 1; }
[ -f out/report.html ] || { echo "FAIL: no report.html"; exit 1; }
echo "ok: installed under $prefix, ran from $work/elsewhere with the installed tables"

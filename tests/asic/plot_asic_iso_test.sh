#!/bin/sh
# tools/plot_asic_iso.py on two real tiny iso-area sweeps (the four datapaths, and a SoD /
# sparse-PE grid): both plots written as PNG and SVG, the tables printed with a SoD / sparse-PE
# ratio in every grid cell; a folder without results.csv is exit 2 with nothing written.
# usage: plot_asic_iso_test.sh SPARSESIM SRCDIR OUTDIR
exe=$1 src=$2 out=$3
rm -rf "$out"
"$exe" sweep "$src/tests/asic/iso-area-four-datapaths.json" --out "$out/net" -j2 -q || { echo "FAIL: sweep"; exit 1; }
"$exe" sweep "$src/tests/asic/iso-area-grid-tiny.json" --out "$out/grid" -j2 -q || { echo "FAIL: sweep"; exit 1; }
/usr/bin/python3 "$src/tools/plot_asic_iso.py" "$out/net" "$out/grid" --out "$out/plots" > "$out/tables.md" || { echo "FAIL: plot exit $?"; exit 1; }
cat "$out/tables.md"
for f in asic-iso-networks asic-iso-boundary; do
  for e in png svg; do [ -s "$out/plots/$f.$e" ] || { echo "FAIL: $f.$e missing"; exit 1; }; done
done
# one networks row per datapath, SoD's ratios against the three others
[ "$(grep -c '^| gsc | ' "$out/tables.md")" -eq 4 ] || { echo "FAIL: networks table rows"; exit 1; }
# 2 sparse-PE sizes x 2 metrics x 2 activation densities, each with 2 ratios
[ "$(grep -E -c '^\| [0-9.]+x \(asic-sparse-pe(-fifo16)?\) \| [^|]+ \| [0-9]+% \| [0-9.]+x \| [0-9.]+x \|$' "$out/tables.md")" -eq 8 ] \
  || { echo "FAIL: boundary table"; exit 1; }
mkdir -p "$out/empty"
/usr/bin/python3 "$src/tools/plot_asic_iso.py" "$out/empty" "$out/grid" --out "$out/none" 2> "$out/err.txt"
rc=$?
[ "$rc" -eq 2 ] && grep -q "results.csv" "$out/err.txt" && [ ! -e "$out/none" ] || { echo "FAIL: missing input: exit $rc"; cat "$out/err.txt"; exit 1; }
echo ok

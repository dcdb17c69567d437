#!/usr/bin/env bash
# tools/plot_sweep.py on a real iso-resource sweep (CS, SoD, dense, sparse-PE on GSC, 2 x 2
# sparsity cells, each datapath sized to 80% of a U250): every plot exists as PNG and SVG and is
# non-trivial; a results.csv without a required column is refused with exit 2 and writes nothing.
set -euo pipefail
BIN="$1"; SRC="$2"; OUT="$3"
rm -rf "$OUT"
mkdir -p "$OUT"
fail() { echo "FAIL $*"; echo "0 passed, 1 failed"; exit 1; }

cat > "$OUT/sweep.json" <<JSON
{
  "arch": "$SRC/configs/sweeps/iso-u250-base-arch.json",
  "network": "$SRC/configs/networks/gsc-complementary.json",
  "axes": {
    "datapath": ["cs", "sod", "dense", "sparse_pe"],
    "layers[*].weight_sparsity": [0, 0.9],
    "layers[*].activation_density": [1.0, 0.1]
  },
  "iso": {"part": "u250", "fraction": 0.8}
}
JSON
"$BIN" sweep "$OUT/sweep.json" --out "$OUT/run" -j 2 -q || fail "sparsesim sweep exited $?"
/usr/bin/python3 "$SRC/tools/plot_sweep.py" "$OUT/run" > "$OUT/plot.log" 2>&1 || { cat "$OUT/plot.log"; fail "plot_sweep.py exited $?"; }
for name in throughput_vs_resources speedup_cs_vs_sod energy_breakdown layer_cycles; do
  for ext in png svg; do
    f="$OUT/run/plots/$name.$ext"
    [ -f "$f" ] || { cat "$OUT/plot.log"; fail "$f was not written"; }
    size=$(stat -c %s "$f")
    [ "$size" -ge 15000 ] || fail "$f is only $size bytes"
    grep -q "plot: $f" "$OUT/plot.log" || fail "plot_sweep.py did not print the path of $f"
  done
  /usr/bin/python3 - "$OUT/run/plots/$name.png" <<'PY' || fail "$name.png is not a sane PNG"
import struct, sys
with open(sys.argv[1], "rb") as fh:
    head = fh.read(24)
assert head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR", "not a PNG"
w, h = struct.unpack(">II", head[16:24])
assert 500 <= w <= 8000 and 300 <= h <= 8000, f"{w}x{h} pixels"
PY
  grep -q "<svg" "$OUT/run/plots/$name.svg" || fail "$name.svg is not an SVG"
done

# What the plots say (SVG text is kept as text): the iso x axis is the binding resource's share
# with each design's binding resource named, the per-layer bars are linear with their values and
# design names, and each datapath has the same colour in both plots that show datapaths.
P="$OUT/run/plots"
grep -q "share of the part taken by the binding" "$P/throughput_vs_resources.svg" || fail "iso x axis is not the binding resource's share"
grep -q "96x96, DSP-bound" "$P/throughput_vs_resources.svg" || fail "a 96x96 design is not labelled DSP-bound"
grep -q "24x24, LUT-bound" "$P/throughput_vs_resources.svg" || fail "the sparse-PE design is not labelled LUT-bound"
grep -q "log scale" "$P/layer_cycles.svg" && fail "layer_cycles still uses a log axis"
grep -q "value on each bar" "$P/layer_cycles.svg" || fail "layer_cycles has no value labels"
grep -q "cs 96x96 (9,216 multipliers)" "$P/layer_cycles.svg" || fail "layer_cycles legend does not name the design"
for colour in d62728 1f77b4 7f7f7f 2ca02c; do  # cs, sod, dense, sparse_pe (COLORS in tools/plot_sweep.py)
  for name in throughput_vs_resources layer_cycles; do
    grep -qi "#$colour" "$P/$name.svg" || fail "$name.svg lacks the datapath colour #$colour"
  done
done

# A results.csv missing a required column: exit 2, a message naming it, no plot folder.
mkdir -p "$OUT/bad"
sed '1s/inferences_per_second/ips/' "$OUT/run/results.csv" > "$OUT/bad/results.csv"
set +e
/usr/bin/python3 "$SRC/tools/plot_sweep.py" "$OUT/bad" > "$OUT/bad.log" 2>&1
rc=$?
set -e
[ "$rc" -eq 2 ] || { cat "$OUT/bad.log"; fail "missing column: exit $rc, expected 2"; }
grep -q "missing required column(s) inferences_per_second" "$OUT/bad.log" || { cat "$OUT/bad.log"; fail "message does not name the column"; }
[ ! -e "$OUT/bad/plots" ] || fail "plots written despite the error"
echo "1 passed, 0 failed"

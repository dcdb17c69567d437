#!/usr/bin/env bash
# compare + tools/plot_layers.py: the plot files must exist and be non-trivial.
set -euo pipefail
BIN="$1"; SRC="$2"; OUT="$3"
rm -rf "$OUT"
"$BIN" compare --network "$SRC/configs/networks/gsc.json" --arch "$SRC/configs/arch/dense-16x16.json" \
  --arch "$SRC/configs/arch/cs-small.json" --out "$OUT" >/dev/null 2>&1
/usr/bin/python3 "$SRC/tools/plot_layers.py" "$OUT/plot" "$OUT/dense-16x16/report.json" "$OUT/cs-small/report.json"
for f in "$OUT/plot.png" "$OUT/plot.svg"; do
  size=$(stat -c %s "$f")
  if [ "$size" -lt 10000 ]; then echo "FAIL $f is only $size bytes"; echo "0 passed, 1 failed"; exit 1; fi
done
head -c 8 "$OUT/plot.png" | od -An -tx1 | grep -q "89 50 4e 47" || { echo "FAIL not a PNG"; exit 1; }
echo "1 passed, 0 failed"

#!/usr/bin/env bash
# Interrupts a sweep with SIGINT after its first point finishes, re-runs the same command and
# checks resume: every point present exactly once in results.csv, all ok, points finished before
# the interrupt not run again, and no staging (*.partial.*) or temporary (*.tmp.*) file left.
# usage: interrupt_test.sh <sparsesim binary> <source dir> <scratch dir>
set -u
BIN=$1; SRC=$2; OUT=$3
SWEEP="$SRC/tests/sweep/gsc-interrupt.json"
D="$OUT/sweep"
rm -rf "$OUT"; mkdir -p "$OUT"
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
fail() { echo "FAIL: $*"; echo "0 passed, 1 failed"; exit 1; }
leftovers() { find "$D" \( -name '*.partial.*' -o -name '*.tmp.*' \) | head -3; }

"$BIN" sweep "$SWEEP" --out "$D" -j2 >"$OUT/run1.out" 2>"$OUT/run1.err" &
pid=$!
for _ in $(seq 1 1500); do
  n=$(find "$D/points" -mindepth 2 -maxdepth 2 -name point.json 2>/dev/null | wc -l)
  [ "$n" -ge 1 ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.02
done
kill -INT "$pid" 2>/dev/null
wait "$pid"; rc=$?
[ "$rc" = 130 ] || fail "the first run was not interrupted (exit $rc; expected 130 = 128 + SIGINT); stderr: $(tail -3 "$OUT/run1.err")"
grep -q "re-run the same command to resume" "$OUT/run1.err" || fail "no resume hint on stderr: $(tail -2 "$OUT/run1.err")"
[ -z "$(leftovers)" ] || fail "leftovers after the interrupt: $(leftovers)"
done1=$(find "$D/points" -mindepth 2 -maxdepth 2 -name point.json | wc -l)
[ "$done1" -ge 1 ] && [ "$done1" -lt 8 ] || fail "expected 1..7 points finished at the interrupt, found $done1"
rows1=$(($(wc -l <"$D/results.csv") - 1))
[ "$rows1" = "$done1" ] || fail "results.csv after the interrupt has $rows1 rows for $done1 finished points"
# Fingerprints of the points finished before the interrupt: a resume must not run them again.
(cd "$D/points" && sha256sum */point.json) >"$OUT/before.sha"

"$BIN" sweep "$SWEEP" --out "$D" -j2 >"$OUT/run2.out" 2>"$OUT/run2.err"
rc=$?
[ "$rc" = 0 ] || fail "the resumed run exited $rc: $(tail -3 "$OUT/run2.err")"
grep -q " $done1 finished before; this run: ok $((8 - done1))," "$OUT/run2.out" || fail "resume summary unexpected: $(cat "$OUT/run2.out")"
(cd "$D/points" && sha256sum -c --quiet "$OUT/before.sha") || fail "points finished before the interrupt were rewritten"
[ -z "$(leftovers)" ] || fail "leftovers after the resumed run: $(leftovers)"

/usr/bin/python3 - "$D" <<'PY' || fail "results check"
import csv, json, os, sys
d = sys.argv[1]
rows = list(csv.DictReader(open(os.path.join(d, "results.csv"))))
ids = [r["point"] for r in rows]
assert len(rows) == 8, f"{len(rows)} rows, expected 8"
assert len(set(ids)) == 8, f"duplicate points: {ids}"
assert sorted(ids) == sorted(os.listdir(os.path.join(d, "points"))), "rows and point folders differ"
assert all(r["status"] == "ok" and r["verified"] == "true" for r in rows), [r["status"] for r in rows]
assert len(json.load(open(os.path.join(d, "results.json")))["rows"]) == 8
print("results.csv: 8 distinct points, all ok")
PY
echo "PASS interrupted after $done1 of 8 points; resumed and completed"
echo "1 passed, 0 failed"

#!/usr/bin/env bash
# Fault tests of sparsesim's outputs (docs/errors.md):
#   kill      SIGKILL a sweep after its first point, re-run: every point once, none lost or redone
#   term      the same with SIGTERM (exit 143, a resume hint)
#   lock      a second sweep into a folder a running sweep holds exits 2 naming the holder's pid
#   tmpfs     a 64 KiB tmpfs under --out (run: report cannot be written; run: dump cannot be
#             written; sweep): exit 4 "cannot write output: <path>: No space left on device" and no
#             partial result (skipped, with the reason printed, where mount is not permitted)
#   determinism  a run twice gives byte-identical reports; a sweep with -j1 and -j2 the same results.csv
# (SIGINT mid-sweep is tests/sweep/interrupt_test.sh.) About 20 s on 2 cores.
# usage: fault_test.sh <sparsesim binary> <source dir> <scratch dir>
set -u
BIN=$(realpath "$1"); SRC=$(realpath "$2"); OUT=$3
rm -rf "$OUT"; mkdir -p "$OUT"; OUT=$(realpath "$OUT")
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
SWEEP="$SRC/tests/sweep/gsc-interrupt.json"
ARCH="$SRC/configs/arch/dense-16x16.json"
NET="$SRC/configs/networks/gsc.json"
passed=0; failed=0
ok() { echo "PASS $1"; passed=$((passed + 1)); }
bad() { echo "FAIL $1: $2"; failed=$((failed + 1)); }
leftovers() { find "$1" \( -name '*.partial.*' -o -name '*.tmp.*' \) 2>/dev/null | head -3; }
points_done() { find "$1/points" -mindepth 2 -maxdepth 2 -name point.json 2>/dev/null | wc -l; }
wait_points() {  # <dir> <count> <pid>: until <count> points are finished or the process ended
  for _ in $(seq 1 1500); do
    [ "$(points_done "$1")" -ge "$2" ] && return 0
    kill -0 "$3" 2>/dev/null || return 1
    sleep 0.02
  done
  return 1
}
# Every point folder is complete (point.json, report.json, config) and results.csv lists each point once.
complete() {  # <dir> <expected points>
  local d=$1 n=$2 p
  for p in "$d"/points/*/; do
    [ -f "$p/point.json" ] && [ -f "$p/report.json" ] && [ -f "$p/config/arch.json" ] || { echo "incomplete point $p"; return 1; }
  done
  [ "$(points_done "$d")" = "$n" ] || { echo "$(points_done "$d") points, expected $n"; return 1; }
  [ "$(($(wc -l <"$d/results.csv") - 1))" = "$n" ] || { echo "results.csv has $(($(wc -l <"$d/results.csv") - 1)) rows"; return 1; }
  [ "$(tail -n +2 "$d/results.csv" | cut -d, -f1 | sort | uniq -d | wc -l)" = 0 ] || { echo "a point twice in results.csv"; return 1; }
  [ -z "$(leftovers "$d")" ] || { echo "leftovers: $(leftovers "$d")"; return 1; }
}

# ---- kill / term: interrupt after the first point, then resume
for sig in KILL TERM; do
  D="$OUT/sig-$sig"
  "$BIN" sweep "$SWEEP" --out "$D" -j2 -q >"$D.run1.out" 2>"$D.run1.err" &
  pid=$!
  wait_points "$D" 1 "$pid"
  kill -"$sig" "$pid" 2>/dev/null
  wait "$pid"; rc=$?
  sleep 0.5  # the points' processes end on their own (parent-death signal) after a SIGKILL
  done1=$(points_done "$D")
  want=$([ "$sig" = KILL ] && echo 137 || echo 143)
  if [ "$rc" != "$want" ]; then bad "sig-$sig" "first run exit $rc, expected $want"; continue; fi
  if [ "$sig" = TERM ] && ! grep -q "re-run the same command to resume" "$D.run1.err"; then bad "sig-$sig" "no resume hint"; continue; fi
  (cd "$D/points" && sha256sum */point.json) >"$D.before.sha"
  "$BIN" sweep "$SWEEP" --out "$D" -j2 >"$D.run2.out" 2>"$D.run2.err"; rc=$?
  if [ "$rc" != 0 ]; then bad "sig-$sig" "resume exit $rc: $(tail -2 "$D.run2.err")"; continue; fi
  if ! grep -q " $done1 finished before; this run: ok $((8 - done1))," "$D.run2.out"; then bad "sig-$sig" "resume summary: $(cat "$D.run2.out")"; continue; fi
  if ! (cd "$D/points" && sha256sum -c --quiet "$D.before.sha"); then bad "sig-$sig" "points finished before the signal were rewritten"; continue; fi
  why=$(complete "$D" 8) && ok "sig-$sig (interrupted after $done1 of 8 points, resumed)" || bad "sig-$sig" "$why"
done

# ---- lock: two sweeps into one folder
D="$OUT/lock"
"$BIN" sweep "$SWEEP" --out "$D" -j1 -q >"$D.a.out" 2>"$D.a.err" &
a=$!
wait_points "$D" 1 "$a"
"$BIN" sweep "$SWEEP" --out "$D" -j1 -q >"$D.b.out" 2>"$D.b.err"; rcb=$?
wait "$a"; rca=$?
if [ "$rcb" != 2 ]; then bad lock "second sweep exit $rcb, expected 2"
elif ! grep -q "error: command line: --out: \"$D\" is in use by another sparsesim sweep (pid $a)" "$D.b.err"; then bad lock "second sweep's message: $(head -2 "$D.b.err")"
elif [ "$rca" != 0 ]; then bad lock "first sweep exit $rca"
else why=$(complete "$D" 8) && ok "lock (second sweep refused naming pid $a; first complete)" || bad lock "$why"; fi
# A shard beside a whole sweep is refused too; two different shards share the folder.
D2="$OUT/shards"
"$BIN" sweep "$SWEEP" --out "$D2" --shard 0/2 -j1 -q >/dev/null 2>"$D2.s0.err" &
s0=$!
wait_points "$D2" 1 "$s0"
"$BIN" sweep "$SWEEP" --out "$D2" --shard 0/2 -j1 -q >/dev/null 2>"$D2.dup.err"; rcd=$?
"$BIN" sweep "$SWEEP" --out "$D2" --shard 1/2 -j1 -q >/dev/null 2>"$D2.s1.err"; rc1=$?
wait "$s0"; rc0=$?
"$BIN" sweep --merge "$D2" >/dev/null 2>&1; rcm=$?
if [ "$rcd" = 2 ] && grep -q "shard 0/2 of .* is already running (pid $s0)" "$D2.dup.err" && [ "$rc1" = 0 ] && [ "$rc0" = 0 ] && [ "$rcm" = 0 ]; then
  why=$(complete "$D2" 8) && ok "lock-shards (same shard twice refused, two shards share the folder)" || bad lock-shards "$why"
else bad lock-shards "exit codes dup $rcd, shard1 $rc1, shard0 $rc0, merge $rcm: $(head -2 "$D2.dup.err")"; fi

# ---- determinism
"$BIN" run --arch "$ARCH" --network "$NET" --out "$OUT/det1" -q >/dev/null 2>&1
"$BIN" run --arch "$ARCH" --network "$NET" --out "$OUT/det2" -q >/dev/null 2>&1
if cmp -s "$OUT/det1/report.json" "$OUT/det2/report.json" && cmp -s "$OUT/det1/resolved-config.json" "$OUT/det2/resolved-config.json"; then
  ok "determinism-run (two runs, byte-identical report.json and resolved-config.json)"
else bad determinism-run "the two runs' outputs differ"; fi
"$BIN" sweep "$SWEEP" --out "$OUT/j1" -j1 -q >/dev/null 2>&1; r1=$?
"$BIN" sweep "$SWEEP" --out "$OUT/j2" -j2 -q >/dev/null 2>&1; r2=$?
if [ "$r1" = 0 ] && [ "$r2" = 0 ] && cmp -s <(sed "s#$OUT/j1#DIR#g" "$OUT/j1/results.csv") <(sed "s#$OUT/j2#DIR#g" "$OUT/j2/results.csv"); then
  ok "determinism-jobs (-j1 and -j2 give the same results.csv)"
else bad determinism-jobs "exit $r1/$r2 or results.csv differ: $(diff <(sed "s#$OUT/j1#DIR#g" "$OUT/j1/results.csv") <(sed "s#$OUT/j2#DIR#g" "$OUT/j2/results.csv") | head -3)"; fi

# ---- tmpfs: a full filesystem under --out
T="$OUT/tmpfs"
mkdir -p "$T"
if ldd "$BIN" 2>/dev/null | grep -q libasan; then
  # The write failures are exceptions thrown after the simulation; SystemC's coroutine stack
  # switches are not annotated for ASan, which then cannot clean the unwound stack and reports
  # false stack-use-after-scope errors (it says so: google/sanitizers#189). The release build runs it.
  echo "SKIP tmpfs: AddressSanitizer build (exceptions after SystemC's unannotated stack switches give false reports)"
elif ! err=$(mount -t tmpfs -o size=64k tmpfs "$T" 2>&1); then
  echo "SKIP tmpfs: mount not permitted here ($err)"
else
  trap 'umount "$T" 2>/dev/null' EXIT
  fill() {  # leave about <bytes> free
    rm -f "$T/filler"
    dd if=/dev/zero of="$T/filler" bs=4096 2>/dev/null
    truncate -s "-$1" "$T/filler"
  }
  nospace() {  # <stderr file> <path prefix>: exit-4 message naming a path under the prefix and ENOSPC
    grep -q "^error: cannot write output: $2.*: No space left on device$" "$1"
  }
  # run: room for resolved-config.json (one page) but not report.json.
  fill 8192
  "$BIN" run --arch "$ARCH" --network "$NET" --out "$T/run" -q >/dev/null 2>"$OUT/tmpfs-run.err"; rc=$?
  if [ "$rc" = 4 ] && nospace "$OUT/tmpfs-run.err" "$T/run/" && [ ! -e "$T/run" ] && [ -z "$(leftovers "$T")" ]; then
    ok "tmpfs-run (exit 4, $(sed 's/^error: //' "$OUT/tmpfs-run.err"), nothing left)"
  else bad tmpfs-run "exit $rc, $(head -2 "$OUT/tmpfs-run.err"); left: $(ls -A "$T")"; fi
  # run with the report elsewhere and the dump on the full filesystem: no dump, no report.
  rm -f "$T/filler"
  "$BIN" run --arch "$ARCH" --network "$NET" --out "$OUT/tmpfs-dump-out" --dump-tensors "$T/dump" -q >/dev/null 2>"$OUT/tmpfs-dump.err"; rc=$?
  if [ "$rc" = 4 ] && nospace "$OUT/tmpfs-dump.err" "$T/dump" && [ -z "$(ls -A "$T")" ] && [ ! -e "$OUT/tmpfs-dump-out" ]; then
    ok "tmpfs-dump (exit 4, $(sed 's/^error: //' "$OUT/tmpfs-dump.err" | cut -c1-120), nothing left)"
  else bad tmpfs-dump "exit $rc, $(head -2 "$OUT/tmpfs-dump.err"); left: $(ls -A "$T") $(ls -A "$OUT/tmpfs-dump-out" 2>/dev/null)"; fi
  # sweep: points are written until the filesystem is full; the ones written are complete.
  "$BIN" sweep "$SWEEP" --out "$T/sweep" -j2 -q >/dev/null 2>"$OUT/tmpfs-sweep.err"; rc=$?
  n=$(points_done "$T/sweep")
  incomplete=$(for p in "$T"/sweep/points/*/; do [ -d "$p" ] && [ ! -f "$p/point.json" ] && echo "$p"; done | head -2)
  # The first write to fail is the sweep's own (ENOSPC named) or a point's run, whose log on the
  # same full filesystem may hold no error line: then the sweep names the point's folder.
  if [ "$rc" = 4 ] && { nospace "$OUT/tmpfs-sweep.err" "$T/sweep/" ||
       grep -q "^error: cannot write output: $T/sweep/points/[0-9a-f]*: the point's run could not write its outputs (exit 4), and not its log either" "$OUT/tmpfs-sweep.err"; } &&
     [ -z "$(leftovers "$T")" ] && [ -z "$incomplete" ] && [ "$n" -lt 8 ]; then
    ok "tmpfs-sweep (exit 4 after $n complete points, $(sed 's/^error: //' "$OUT/tmpfs-sweep.err" | cut -c1-120))"
  else bad tmpfs-sweep "exit $rc, $n points, incomplete: $incomplete; leftovers: $(leftovers "$T"); $(head -2 "$OUT/tmpfs-sweep.err")"; fi
  umount "$T"; trap - EXIT
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]

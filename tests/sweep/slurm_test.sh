#!/usr/bin/env bash
# Runs a 3-point sweep as a Slurm job array on a single-node Slurm this script starts on
# localhost: munged, slurmctld and slurmd with a generated slurm.conf in the scratch folder (no
# systemd, no files outside it), stopped by a trap. Then merges and checks that every point is
# present exactly once with status ok. Needs root and the Debian packages slurm-wlm and munge
# (tools/install-deps). If Slurm cannot start, the test FAILS and prints the daemons' logs.
# usage: slurm_test.sh <sparsesim binary> <source dir> <scratch dir>
set -u
BIN=$(realpath "$1"); SRC=$(realpath "$2"); OUT=$3
rm -rf "$OUT"; mkdir -p "$OUT"; OUT=$(realpath "$OUT")
# The sweep folder's name holds what a shell or sbatch's directive parser could misread (spaces,
# quotes, $(...), backticks, ';', '#', '%', unicode): the array must still run and log there, and
# nothing in the name may run (no "owned" file appears).
T="$OUT/slurm"; D="$OUT/sweep dir 'q' \"dq\" \$(touch owned1) \`touch owned2\` ; touch owned3 # 100% é"
mkdir -p "$T/state" "$T/spool"
chmod 755 "$OUT" "$T"
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1

pids=()
stop_all() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
}
trap stop_all EXIT
fail() {
  echo "FAIL: $*"
  for f in munged.log slurmctld.log slurmd.log; do
    [ -f "$T/$f" ] && { echo "--- last lines of $T/$f"; tail -15 "$T/$f"; }
  done
  echo "0 passed, 1 failed"
  exit 1
}

[ "$(id -u)" = 0 ] || fail "must run as root (slurmd runs jobs as their owner and needs root to start)"
for tool in munged mungekey slurmctld slurmd sbatch squeue scontrol; do
  command -v "$tool" >/dev/null || fail "$tool not found: install the Debian packages slurm-wlm and munge (tools/install-deps)"
done

# ---- munge: a private key and socket in the scratch folder.
mungekey -c -k "$T/munge.key" >/dev/null 2>&1 || dd if=/dev/urandom of="$T/munge.key" bs=1024 count=1 2>/dev/null
chmod 600 "$T/munge.key"
munged -F --force --key-file="$T/munge.key" --socket="$T/munge.sock" --pid-file="$T/munged.pid" \
  --seed-file="$T/munge.seed" --log-file="$T/munged.log" >>"$T/munged.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 50); do [ -S "$T/munge.sock" ] && break; sleep 0.1; done
[ -S "$T/munge.sock" ] || fail "munged did not create its socket"

# ---- slurm.conf: one node (this host), one partition, ports picked from this shell's pid.
HOST=$(hostname -s)
CPUS=$(nproc)
PORT=$((20000 + ($$ % 5000) * 2))
cat >"$T/slurm.conf" <<CONF
ClusterName=sparsesimtest
SlurmctldHost=$HOST(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$PORT
SlurmdPort=$((PORT + 1))
AuthType=auth/munge
AuthInfo=socket=$T/munge.sock
CredType=cred/munge
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/slurmctld.log
SlurmdLogFile=$T/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MpiDefault=none
MaxArraySize=1001
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=$CPUS State=UNKNOWN
PartitionName=sweeptest Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$T/slurm.conf"

slurmctld -D -c -f "$T/slurm.conf" >>"$T/slurmctld.stdout" 2>&1 &
pids+=($!)
slurmd -D -f "$T/slurm.conf" >>"$T/slurmd.stdout" 2>&1 &
pids+=($!)
state=""
for _ in $(seq 1 60); do
  state=$(sinfo -h -n "$HOST" -o %T 2>/dev/null | head -1)
  case "$state" in idle*|mix*|alloc*) break ;; esac
  for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null || fail "a Slurm daemon exited at start (pid $p); state \"$state\""; done
  sleep 0.5
done
case "$state" in idle*|mix*|alloc*) ;; *) fail "the node did not come up within 30 s (sinfo state \"$state\")" ;; esac
echo "slurm up: node $HOST $state, $CPUS CPUs, controller port $PORT"

# ---- the sweep through the job array.
"$BIN" sweep "$SRC/tests/sweep/gsc-slurm.json" --out "$D" --backend slurm >"$OUT/submit.log" 2>&1 \
  || fail "sparsesim sweep --backend slurm exited $?: $(cat "$OUT/submit.log")"
cat "$OUT/submit.log"
grep -q '^#SBATCH --array=0-2$' "$D/sweep.sbatch" || fail "sweep.sbatch lacks --array=0-2: $(grep SBATCH "$D/sweep.sbatch")"
job=$(sed -n 's/^submitted Slurm job \([0-9][0-9]*\).*/\1/p' "$OUT/submit.log")
[ -n "$job" ] || fail "no job id in the submit output"
for _ in $(seq 1 240); do
  [ -z "$(squeue -h -j "$job" 2>/dev/null)" ] && break
  sleep 0.5
done
[ -z "$(squeue -h -j "$job" 2>/dev/null)" ] || fail "job $job still queued or running after 120 s: $(squeue -j "$job")"
"$BIN" sweep --merge "$D" >"$OUT/merge.log" 2>&1 || { cat "$D"/slurm/*.out 2>/dev/null | tail -20; fail "merge exited $?: $(cat "$OUT/merge.log")"; }
cat "$OUT/merge.log"
n_logs=$(ls "$D"/slurm/*.out 2>/dev/null | wc -l)
[ "$n_logs" = 3 ] || fail "expected 3 array-task logs in $D/slurm, found $n_logs"

/usr/bin/python3 - "$D" <<'PY' || fail "results check"
import csv, os, sys
d = sys.argv[1]
rows = list(csv.DictReader(open(os.path.join(d, "results.csv"))))
ids = [r["point"] for r in rows]
assert len(rows) == 3 and len(set(ids)) == 3, ids
assert sorted(r["array.rows"] for r in rows) == ["16", "32", "8"], rows
assert all(r["status"] == "ok" and r["verified"] == "true" for r in rows), [(r["point"], r["status"], r["note"]) for r in rows]
print("3 points, each once, all ok")
PY
owned=$(find "$OUT" "$PWD" -maxdepth 1 -name 'owned*' | head -3)
[ -z "$owned" ] || fail "a command in the folder name ran: $owned"
echo "1 passed, 0 failed"

#!/usr/bin/env bash
# A 4-point sweep with -j2: results.csv has the documented columns in order, every point ok, the
# points equal to the base files match a plain `sparsesim run` cycle for cycle, and two shards
# merged with --merge (the GNU parallel / Slurm path) give a byte-identical results.csv.
# usage: run_test.sh <sparsesim binary> <source dir> <scratch dir>
. "$(dirname "$0")/test_start.sh" "$@"
SWEEP="$SRC/tests/sweep/gsc-columns.json"

"$BIN" sweep "$SWEEP" --out "$OUT/full" -j2 -q >"$OUT/full.log" 2>&1 || fail "sweep exited $?: $(tail -3 "$OUT/full.log")"
for a in dense-16x16 cs-small; do
  "$BIN" run --arch "$SRC/configs/arch/$a.json" --network "$SRC/configs/networks/gsc.json" --out "$OUT/direct-$a" -q >/dev/null 2>&1 \
    || fail "direct run of $a failed"
done
# Shards 0/2 and 1/2 into another folder, then merge.
for i in 0 1; do
  "$BIN" sweep "$SWEEP" --out "$OUT/sharded" --shard "$i/2" -j1 -q >"$OUT/shard$i.log" 2>&1 || fail "shard $i/2 exited $?"
done
[ ! -e "$OUT/sharded/results.csv" ] || fail "a shard wrote results.csv (only --merge should)"
"$BIN" sweep --merge "$OUT/sharded" >"$OUT/merge.log" 2>&1 || fail "merge exited $?: $(cat "$OUT/merge.log")"
cmp -s "$OUT/full/results.csv" "$OUT/sharded/results.csv" || fail "merged shards differ from the single run: $(diff "$OUT/full/results.csv" "$OUT/sharded/results.csv" | head -5)"

/usr/bin/python3 - "$OUT" <<'PY' || fail "results check"
import csv, json, os, sys
out = sys.argv[1]
d = os.path.join(out, "full")
want = ["point", "status", "arch_file", "layers[conv2].activation_density", "arch", "network", "datapath", "cycles", "seconds",
        "inferences_per_second", "lut", "ff", "dsp", "bram36", "uram", "fits", "binding_resource", "copies_per_part",
        "full_chip_inferences_per_second", "energy_per_inference_j", "inferences_per_joule", "macs_issued", "macs_useful",
        "utilization_issued", "utilization_useful", "dram_read_bytes", "dram_write_bytes",
        "dram_weight_read_bytes", "weight_stored_bytes", "weight_resident_fraction", "stall_decompressor",
        "stall_dram", "stall_dram_operands", "stall_mac_pipeline_fill", "stall_output_buffer_full", "stall_routing_conflict",
        "stall_selector_throughput", "stall_sram_bandwidth", "stall_sram_bank_conflict", "stall_other", "verified",
        "report", "note"]
reader = csv.DictReader(open(os.path.join(d, "results.csv")))
assert reader.fieldnames == want, f"columns {reader.fieldnames}"
rows = list(reader)
assert len(rows) == 4 and len({r["point"] for r in rows}) == 4, rows
assert [r["arch"] for r in rows] == ["dense-16x16"] * 2 + ["cs-small"] * 2, "product order: first axis slowest"
for r in rows:
    assert r["status"] == "ok" and r["verified"] == "true", r
    rep = json.load(open(os.path.join(d, r["report"])))
    assert int(r["cycles"]) == rep["total"]["cycles"]
    assert abs(float(r["full_chip_inferences_per_second"]) - float(r["inferences_per_second"]) * int(r["copies_per_part"])) < 1e-6 * float(r["full_chip_inferences_per_second"])
    assert abs(float(r["seconds"]) * float(r["inferences_per_second"]) - 1) < 1e-9
    if r["layers[conv2].activation_density"] == "0.0957":
        direct = json.load(open(os.path.join(out, "direct-" + r["arch"], "report.json")))
        assert int(r["cycles"]) == direct["total"]["cycles"], (r["arch"], r["cycles"], direct["total"]["cycles"])
        assert float(r["energy_per_inference_j"]) == direct["energy"]["per_inference_j"]
        assert float(r["lut"]) == direct["resources"]["lut"]
# Denser conv2 inputs: the CS datapath (which skips zero activations) takes longer, the dense one the same.
by = {(r["arch"], r["layers[conv2].activation_density"]): int(r["cycles"]) for r in rows}
assert by[("cs-small", "0.5")] > by[("cs-small", "0.0957")], by
assert by[("dense-16x16", "0.5")] == by[("dense-16x16", "0.0957")], by
assert json.load(open(os.path.join(d, "results.json")))["columns"] == want
rec = json.load(open(os.path.join(d, "sweep.json")))
assert len(rec["points"]) == 4 and rec["seed"] == 1
print("columns, order, oracle and merge ok:", by)
PY
echo "1 passed, 0 failed"

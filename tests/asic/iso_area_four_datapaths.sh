#!/bin/sh
# A real iso-area sweep over the four datapaths of the ASIC study: every point ok and verified,
# every sized design's 45 nm area (results column and report resources.asic.area_mm2) within the
# budget, four different datapaths, and the per-mm^2 throughput columns equal to the report's MAC
# counts x inferences/s / area. That the next grid size would not fit is the gtest
# IsoAsicArea.StudyBasesFitEveryAreaAndTheBuffersAreNotMost.
# usage: iso_area_four_datapaths.sh SPARSESIM SWEEP.json OUTDIR
exe=$1 sweep=$2 out=$3
rm -rf "$out"
"$exe" sweep "$sweep" --out "$out" -j2 -q || { echo "FAIL: sweep exit $?"; exit 1; }
exec /usr/bin/python3 - "$out" 4.0 <<'PY'
import csv, json, os, sys
out, budget = sys.argv[1], float(sys.argv[2])
rows = list(csv.DictReader(open(os.path.join(out, "results.csv"))))
bad = []
for r in rows:
    rep = json.load(open(os.path.join(out, r["report"])))
    area = rep["resources"]["asic"]["area_mm2"]
    col = float(r["iso.asic_area_mm2"])
    print(f"{r['datapath']:10s} {r['iso.rows']}x{r['iso.cols']}  {col:.3f} mm^2 of {budget}  status {r['status']}  verified {r['verified']}")
    if r["status"] != "ok" or r["verified"] not in ("true", "1", "True"):
        bad.append(f"{r['datapath']}: status {r['status']}, verified {r['verified']}")
    if not (0 < col <= budget) or abs(area - col) > 1e-6 * budget:
        bad.append(f"{r['datapath']}: area {col} (report {area}) not within {budget}")
    # throughput per area: the report's MAC counts x inferences/s / its area
    ips = rep["total"]["inferences_per_second"]
    for col_name, macs in (("iso.dense_macs_per_s_per_mm2", rep["total"]["macs_dense"]),
                           ("iso.useful_macs_per_s_per_mm2", rep["total"]["macs_useful"])):
        want = macs * ips / area
        got = float(r[col_name])
        if not abs(got - want) <= 1e-6 * want:
            bad.append(f"{r['datapath']}: {col_name} {got} != {want}")
if sorted(r["datapath"] for r in rows) != ["cs", "dense", "sod", "sparse_pe"]:
    bad.append("datapaths: " + ",".join(r["datapath"] for r in rows))
print("\n".join("FAIL: " + b for b in bad) if bad else "ok")
sys.exit(1 if bad else 0)
PY

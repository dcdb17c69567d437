#pragma once
#include <nlohmann/json.hpp>

#include <ostream>
#include <string>

#include "sim/core/Version.h"
#include "sim/io/StagedDir.h"
#include "sim/run/RunResult.h"

namespace sparsesim {

// report.json: the fields named in docs/report.md. Field names are never renamed; later
// features add fields. Byte-identical for the same inputs and seed (no timestamps, no hosts).
nlohmann::ordered_json buildReport(const RunResult& r);
// resolved-config.json: the architecture and the layers that ran, after defaults, and the seed.
nlohmann::ordered_json buildResolvedConfig(const RunResult& r);
// The per-layer table, units in the headers, and where the constants came from.
void printTable(const RunResult& r, std::ostream& os);

// The run's result set: resolved-config.json, report.json and layers.csv, staged into `out`
// (committed by the caller once everything else of the run is written).
void writeReports(const RunResult& r, StagedDir& out);


}  // namespace sparsesim

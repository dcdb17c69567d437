#pragma once
#include <nlohmann/json.hpp>

#include <ostream>
#include <string>

#include "sim/core/Version.h"
#include "sim/run/RunResult.h"

namespace sparsesim {

// report.json: the fields named in docs/report.md. Field names are never renamed; later
// features add fields. Byte-identical for the same inputs and seed (no timestamps, no hosts).
nlohmann::ordered_json buildReport(const RunResult& r);
// resolved-config.json: the architecture and the layers that ran, after defaults, and the seed.
nlohmann::ordered_json buildResolvedConfig(const RunResult& r);
// The per-layer table, units in the headers, and where the constants came from.
void printTable(const RunResult& r, std::ostream& os);

// Writes resolved-config.json, report.json and layers.csv into outDir, each atomically.
void writeReports(const RunResult& r, const std::string& outDir);


}  // namespace sparsesim

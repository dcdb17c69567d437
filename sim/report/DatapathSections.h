#pragma once
// The per-layer fields of report.json that belong to one datapath (docs/report.md), written from
// the datapath's typed LayerInfo: dense and the PE arrays' fold facts, the `cs`, `sod` and
// `sparse_pe` objects.
#include <nlohmann/json.hpp>

#include "sim/run/RunResult.h"

namespace sparsesim {

// Appends the layer's datapath fields to `x` (a layer object of report.json).
void addDatapathSection(const RunResult& r, const LayerResult& l, nlohmann::ordered_json& x);

}  // namespace sparsesim

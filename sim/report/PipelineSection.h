#pragma once
// The `pipeline` object of report.json for a layer-pipelined run (docs/report.md,
// docs/pipelined.md), written from the typed PipelineResult.
#include <nlohmann/json.hpp>

#include "sim/run/RunResult.h"

namespace sparsesim {

nlohmann::ordered_json pipelineJson(const RunResult& r);

}  // namespace sparsesim

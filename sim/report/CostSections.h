#pragma once
// The `resources` and `energy` objects of report.json and each layer's `energy` (docs/report.md,
// docs/resources.md), written from the typed estimates of sim/resources.
#include <nlohmann/json.hpp>

#include "sim/run/RunResult.h"

namespace sparsesim {

nlohmann::ordered_json resourcesJson(const ResourceEstimate& e, const FpgaPart& p, const PartFit& f);
nlohmann::ordered_json asicAreaJson(const AsicAreaEstimate& e);
nlohmann::ordered_json energyJson(const RunResult& r);
nlohmann::ordered_json layerEnergyJson(const EnergyResult& e);

}  // namespace sparsesim

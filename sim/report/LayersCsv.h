#pragma once
// layers.csv, written beside every report.json: one row per layer of the report, one column per
// field of a layer (nested objects flattened with '.', arrays with [i]: gemm.M,
// stall_cycles.dram, events.sram_read_bytes, output_shape[0]), in the order report.json lists
// them; a field a layer lacks is an empty cell. Integers stay integers; text cells are escaped by
// csvCell (sim/io/Escape.h). Units: docs/report.md.
#include <nlohmann/json.hpp>

#include <string>

namespace sparsesim {

std::string layersCsv(const nlohmann::ordered_json& report);

}  // namespace sparsesim

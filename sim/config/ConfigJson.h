#pragma once
// The JSON side of the config structs: readers of the datapath sections and the resolved-config
// dump. Implementation side: only sim/config, sim/sweep, sim/report, sim/cli, sim/trace and
// sim/run include it; the plain structs (ArchConfig.h, NetworkConfig.h, CsConfig.h, SodConfig.h,
// SparsePeConfig.h) know no JSON, so models/ never sees it through them.
#include <nlohmann/json.hpp>

#include "sim/config/ArchConfig.h"
#include "sim/config/NetworkConfig.h"

namespace sparsesim {

class JsonReader;

// Read the optional datapath sections of an architecture file (defaults when absent).
CsConfig readCsConfig(JsonReader& arch);
SodConfig readSodConfig(JsonReader& arch);
SparsePeConfig readSparsePeConfig(JsonReader& arch);

// The whole configuration after defaults, for resolved-config.json.
nlohmann::ordered_json toJson(const CsConfig& c);
nlohmann::ordered_json toJson(const SodConfig& c);
nlohmann::ordered_json toJson(const SparsePeConfig& c);
nlohmann::ordered_json toJson(const NetworkConfig& n);
nlohmann::ordered_json toJson(const ArchConfig& a);

}  // namespace sparsesim

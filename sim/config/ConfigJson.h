#pragma once
// The JSON side of the config structs: readers of the datapath sections and the resolved-config
// dump. Implementation side: only sim/config, sim/sweep, sim/report, sim/cli, sim/trace and
// sim/run include it; the plain structs (ArchConfig.h, NetworkConfig.h, CsConfig.h, SodConfig.h,
// SparsePeConfig.h) know no JSON, so models/ never sees it through them.
#include <nlohmann/json.hpp>

#include "sim/config/ArchConfig.h"
#include "sim/config/NetworkConfig.h"
#include "sim/config/Params.h"

namespace sparsesim {

// The descriptor table of each config section (sim/config/Params.h): one row per parameter.
// Keys are relative to the section's object: the architecture file's top level (archParams,
// resourceParams), its "cs", "sod" and "sparse_pe" objects, the network file's top level and
// one entry of its "layers" array (also the keys its "defaults" object may set).
const ParamTable<ArchConfig>& archParams();
const ParamTable<ArchConfig>& resourceParams();
const ParamTable<CsConfig>& csParams();
const ParamTable<SodConfig>& sodParams();
const ParamTable<SparsePeConfig>& sparsePeParams();
const ParamTable<NetworkConfig>& networkParams();
const ParamTable<LayerConfig>& layerParams();
// The layer keys a network's "defaults" object may set.
const std::set<std::string>& layerDefaultKeys();

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

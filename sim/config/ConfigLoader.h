#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/config/ArchConfig.h"
#include "sim/config/NetworkConfig.h"

namespace sparsesim {

// Parse and validate config files into plain structs. Throw ConfigError naming file, JSON
// path and reason on any problem. Relative paths inside a file resolve against its folder.
// A .csv file is a SCALE-Sim topology (sim/config/ScaleSimTopology.h).
NetworkConfig loadNetwork(const std::string& file);
// The network file's JSON; a SCALE-Sim topology is read as the network JSON it stands for, and
// what its reader noted (ignored columns and rows, renamed layers) goes to stderr as "note:" lines.
nlohmann::json readNetworkJson(const std::string& file);
// overrides: "layers[SEL].key=value" applied to the file's JSON before validation (see
// applyNetworkOverride); errors name the network file.
NetworkConfig loadNetwork(const std::string& file, const std::vector<std::string>& overrides);
// Splits --set assignments into those for the network (isNetworkPath) and the architecture.
void splitOverrides(const std::vector<std::string>& all, std::vector<std::string>& arch, std::vector<std::string>& network);
// overrides: "json.path=value" applied to the file's JSON before validation (value is parsed as
// JSON, or taken as a string when it is not valid JSON), e.g. "array.rows=16", "cs.mode=\"auto\"".
ArchConfig loadArch(const std::string& file, const std::vector<std::string>& overrides = {});
// Applies one "path=value" override; a path through a non-object is a ConfigError.
void applyOverride(nlohmann::json& j, const std::string& file, const std::string& assignment);
// The same for a network file: "layers[SEL].key=value" where SEL is * (every layer), a layer
// index from 0, or a layer name. A selector matching no layer is a ConfigError naming the path;
// an unknown key is caught later by networkFromJson, like any unknown key in the file.
void applyNetworkOverride(nlohmann::json& j, const std::string& file, const std::string& assignment);
// True for override paths that address the network ("layers[...]..."), not the architecture.
bool isNetworkPath(const std::string& path);

// The same from parsed JSON; `file` names its origin in messages (the fuzzer uses these).
NetworkConfig networkFromJson(const nlohmann::json& j, const std::string& file);
ArchConfig archFromJson(const nlohmann::json& j, const std::string& file);

}  // namespace sparsesim

#pragma once
// Parameters of the "cs" datapath: the "cs" object of an architecture file.
#include <nlohmann/json.hpp>

namespace sparsesim {

class JsonReader;

struct CsConfig {
};

// Reads the optional "cs" object of an architecture file (defaults when absent).
CsConfig readCsConfig(JsonReader& arch);
nlohmann::ordered_json toJson(const CsConfig& c);

}  // namespace sparsesim

#pragma once
// Parameters of the "sod" datapath: the "sod" object of an architecture file.
#include <nlohmann/json.hpp>

namespace sparsesim {

class JsonReader;

struct SodConfig {
};

// Reads the optional "sod" object of an architecture file (defaults when absent).
SodConfig readSodConfig(JsonReader& arch);
nlohmann::ordered_json toJson(const SodConfig& c);

}  // namespace sparsesim

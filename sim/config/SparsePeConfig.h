#pragma once
// Parameters of the "sparse_pe" datapath: the "sparse_pe" object of an architecture file.
#include <nlohmann/json.hpp>

namespace sparsesim {

class JsonReader;

struct SparsePeConfig {
};

// Reads the optional "sparse_pe" object of an architecture file (defaults when absent).
SparsePeConfig readSparsePeConfig(JsonReader& arch);
nlohmann::ordered_json toJson(const SparsePeConfig& c);

}  // namespace sparsesim

#pragma once
// SCALE-Sim topology CSV files as network files (docs/networks.md, "Importers"). The conv form
// (`Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter,
// Strides,`) and the GEMM form (`Layer, M, N, K,`) become the independent-layer network JSON a
// user would write by hand, so every check and default of a JSON network file applies to it.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace sparsesim {

struct ScaleSimTopology {
  nlohmann::json network;          // a network file's JSON: name, description, input, layers
  std::vector<std::string> notes;  // what was read differently from a plain row ("line 2: ...")
};

// True when `file` names a SCALE-Sim topology (by its .csv extension, any case).
bool isScaleSimTopologyFile(const std::string& file);

// Reads `file`. A missing or non-numeric shape field, a header of neither form, or a filter larger
// than its input throws ConfigError(file, "line L, column C (<header>)", reason).
ScaleSimTopology readScaleSimTopology(const std::string& file);
// The same for the file's text; `file` names it in messages and gives the network its name.
ScaleSimTopology parseScaleSimTopology(const std::string& text, const std::string& file);

}  // namespace sparsesim

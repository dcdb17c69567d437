#pragma once
#include <string>
#include <vector>

namespace sparsesim {

// `sparsesim config-doc [--update FILE | --check FILE]`: prints, rewrites or checks the
// generated parameter tables of docs/config.md (sim/config/ConfigDoc.h).
int cmdConfigDoc(const std::vector<std::string>& args);

}  // namespace sparsesim

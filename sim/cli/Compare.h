#pragma once
#include <string>
#include <vector>

namespace sparsesim {

// sparsesim compare: runs `sparsesim run` once per variant, each in its own process (SystemC
// elaborates once per process), then prints the variants side by side from their report.json.
// Variants: every --arch file, times every value of each --vary path=v1,v2,...
int cmdCompare(const std::vector<std::string>& args);

}  // namespace sparsesim

#pragma once
// The table `sparsesim compare` prints: one column per design (headed by its name), one row per
// layer's cycles, then what explains the difference: totals, issued and useful utilisation, the
// largest stall causes, DRAM traffic, whether the design fits its FPGA part (binding resource,
// copies per part) and energy per inference. Read from the designs' report.json files, so the
// table shows exactly what the reports hold.
#include <nlohmann/json.hpp>

#include <ostream>
#include <string>
#include <vector>

namespace sparsesim {

struct CompareColumn {
  std::string label;        // the design's name (architecture name and the values varied)
  std::string arch_file;
  std::string report_file;  // where its report.json is
  nlohmann::json report;
};

// Stall causes shown per design: its largest ones (the union over designs is listed).
constexpr size_t kCompareTopStalls = 3;

void printCompareTable(const std::vector<CompareColumn>& designs, const std::string& networkFile, std::ostream& os);

// 1234567 -> "1,234,567".
std::string withThousands(uint64_t v);

}  // namespace sparsesim

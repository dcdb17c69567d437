#pragma once
// The Complementary Sparsity datapath's per-layer facts for the report
// (sim/report/DatapathSections.cpp) and for verification (sim/run/Verify: the selector's winners
// against the workload's k-WTA).
#include <cstdint>
#include <vector>

#include "sim/config/CsConfig.h"

namespace sparsesim {

struct CsInfo {
  CsMode mode = CsMode::DenseDense;
  // Packing (offline).
  int N = 1;                    // kernels in the fullest packed group
  int64_t groups = 0;           // packed groups
  double packing_efficiency = 0;
  int id_bits = 0;
  // Selection: k of L activations processed per input.
  uint64_t k = 0, L = 0;
  bool selection_active = false;  // sparse-sparse: the selector ran
  std::vector<uint32_t> winners;  // the selector's winners (flat input indices), when active
  uint64_t selector_cycles = 0, selector_load_cycles = 0, selector_search_cycles = 0, selector_emit_cycles = 0;
  bool selector_bypassed = false;
  int64_t compare_stages = 0;
  // MAC array.
  uint64_t passes = 0;
  int slots_per_pass = 0;
  int64_t lanes_per_pass = 0;
  uint64_t items = 0, mac_busy_cycles = 0, routing_conflict_columns = 0;
  bool activations_resident = false;
  // Weight-packing SRAM.
  int words_per_column = 0;
  uint64_t slice_words = 0, table_words = 0, table_bytes = 0, capacity_words = 0, peak_words = 0;
  bool table_fits = false, resident = false;
  int64_t blocks = 0;
};

}  // namespace sparsesim

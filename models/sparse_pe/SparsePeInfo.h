#pragma once
// The sparse-PE datapath's per-layer facts for the report (sim/report/DatapathSections.cpp).
#include <cstdint>

#include "models/common/ArrayInfo.h"

namespace sparsesim {

struct SparsePeInfo {
  ArrayLayerInfo array;
  int64_t pe_count = 0;
  uint64_t macs = 0;                // matching pairs issued
  uint64_t active_pe_cycles = 0;    // PE-cycles with entries on both sides
  uint64_t starved_pe_cycles = 0;   // PE-cycles an unfinished PE waited on an empty FIFO
  uint64_t idle_pe_cycles = 0;
  uint64_t bus_blocked_cycles = 0;
  uint64_t entries_examined = 0;
  uint64_t weight_bytes_dense = 0, weight_bytes_compressed = 0;
  uint64_t activation_bytes_dense = 0, activation_bytes_compressed = 0;
};

}  // namespace sparsesim

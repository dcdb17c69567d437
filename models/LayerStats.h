#pragma once
// Counters the blocks of a datapath add to while a layer runs; the run pipeline turns them into
// the report. Every counter is an event count, never an estimate from a formula.
#include <cstdint>
#include <map>
#include <string>

namespace sparsesim {

struct LayerStats {
  uint64_t macs_issued = 0;       // multiplies the hardware performed, zero operands included
  uint64_t dram_read_bytes = 0;
  uint64_t dram_write_bytes = 0;
  uint64_t folds = 0;
  uint64_t array_busy_cycles = 0;  // cycles the array spent computing folds
  std::map<std::string, uint64_t> stall_cycles;  // by cause
};

}  // namespace sparsesim

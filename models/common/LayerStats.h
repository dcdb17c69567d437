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
  // Energy events (docs/resources.md); zero where a datapath does not count them (the energy
  // model then estimates them from the counters above and says so).
  uint64_t sram_read_bytes = 0;     // bytes read from on-chip buffers into the compute array
  uint64_t sram_write_bytes = 0;    // bytes written into on-chip buffers (fills and results)
  uint64_t register_accesses = 0;   // operand / accumulator register reads + writes in PEs
  uint64_t routing_hops = 0;        // products steered through a router
  uint64_t selector_comparisons = 0;  // k-WTA / index-match comparisons
  // Events of one datapath's own blocks, "block.event" -> count (docs/resources.md, "Energy
  // events"), e.g. "weight_sram.read_bits", "decompressor.lane_writes", "sparse_pe.fifo_writes".
  std::map<std::string, uint64_t> block_events;
  std::map<std::string, uint64_t> stall_cycles;  // by cause
};

}  // namespace sparsesim

#pragma once
// Counters the blocks of a datapath add to while a layer runs; the run pipeline turns them into
// the report. Every counter is an event count, never an estimate from a formula.
//
// Stall causes and block events are declared once here, each with its report name, unit and
// meaning (statInfo); the report, the CSV columns, the energy model and docs/report.md all read
// these tables. Both enums are in the alphabetical order of their names, so a report lists them
// in a stable order.
#include <array>
#include <bitset>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace sparsesim {

// Why a layer's cycles exceed its work: each cycle a block waited, by the reason it waited.
enum class StallCause {
  Decompressor,        // "decompressor"
  Dram,                // "dram"
  DramOperands,        // "dram_operands"
  MacPipelineFill,     // "mac_pipeline_fill"
  OutputBufferFull,    // "output_buffer_full"
  RoutingConflict,     // "routing_conflict"
  SelectorThroughput,  // "selector_throughput"
  SramBandwidth,       // "sram_bandwidth"
  SramBankConflict,    // "sram_bank_conflict"
};
constexpr size_t kStallCauseCount = 9;

// Events of one datapath's own blocks ("block.event"), the inputs of the energy model.
enum class BlockEvent {
  ActivationBufferReadBytes,   // "activation_buffer.read_bytes"
  ActivationBufferWriteBytes,  // "activation_buffer.write_bytes"
  DecompressorLaneWrites,      // "decompressor.lane_writes"
  DecompressorReadBits,        // "decompressor.read_bits"
  GlobalBufferDenseReadBytes,  // "global_buffer.dense_read_bytes"
  KwtaSelectorBusyCycles,      // "kwta_selector.busy_cycles"
  MacArrayAccumulate,          // "mac_array.accumulate"
  SparsePeBusEntries,          // "sparse_pe.bus_entries"
  SparsePeFifoPops,            // "sparse_pe.fifo_pops"
  SparsePeFifoWrites,          // "sparse_pe.fifo_writes"
  WeightSramReadBits,          // "weight_sram.read_bits"
};
constexpr size_t kBlockEventCount = 11;

struct StatInfo {
  const char* name;         // as in report.json
  const char* unit;
  const char* description;  // one line: who counts it, when
};
const StatInfo& statInfo(StallCause c);
const StatInfo& statInfo(BlockEvent e);
// Every value of the enum, in declaration (= name) order.
const std::array<StallCause, kStallCauseCount>& allStallCauses();
const std::array<BlockEvent, kBlockEventCount>& allBlockEvents();

// Counts by an enum key. A key a block has counted (even zero) is present; the report lists the
// present keys, as it lists every cause a datapath can have.
template <typename E, size_t N>
class CounterSet {
 public:
  uint64_t& operator[](E e) {
    seen_.set(static_cast<size_t>(e));
    return v_[static_cast<size_t>(e)];
  }
  uint64_t get(E e) const { return v_[static_cast<size_t>(e)]; }
  bool has(E e) const { return seen_.test(static_cast<size_t>(e)); }
  void erase(E e) {
    seen_.reset(static_cast<size_t>(e));
    v_[static_cast<size_t>(e)] = 0;
  }
  size_t size() const { return seen_.count(); }
  bool empty() const { return seen_.none(); }
  uint64_t total() const {
    uint64_t t = 0;
    for (uint64_t x : v_) t += x;
    return t;
  }
  // The present keys with their counts, in enum (= name) order.
  std::vector<std::pair<E, uint64_t>> entries() const {
    std::vector<std::pair<E, uint64_t>> out;
    for (size_t i = 0; i < N; ++i)
      if (seen_.test(i)) out.emplace_back(static_cast<E>(i), v_[i]);
    return out;
  }

 private:
  std::array<uint64_t, N> v_{};
  std::bitset<N> seen_;
};
using StallCounts = CounterSet<StallCause, kStallCauseCount>;
using EventCounts = CounterSet<BlockEvent, kBlockEventCount>;

struct LayerStats {
  uint64_t macs_issued = 0;       // multiplies the hardware performed, zero operands included
  uint64_t dram_read_bytes = 0;
  uint64_t dram_write_bytes = 0;
  uint64_t dram_weight_read_bytes = 0;  // of dram_read_bytes, weights (0 for a resident layer)
  uint64_t folds = 0;
  uint64_t array_busy_cycles = 0;  // cycles the array spent computing folds
  // Energy events (docs/resources.md) every datapath may count.
  uint64_t sram_read_bytes = 0;     // bytes read from on-chip buffers into the compute array
  uint64_t sram_write_bytes = 0;    // bytes written into on-chip buffers (fills and results)
  uint64_t register_accesses = 0;   // operand / accumulator register reads + writes in PEs
  uint64_t routing_hops = 0;        // products steered through a router
  uint64_t selector_comparisons = 0;  // k-WTA / index-match comparisons
  EventCounts block_events;  // events of one datapath's own blocks
  StallCounts stall_cycles;  // by cause

  // The layer's row profile (docs/pipelined.md, per-row timing), one entry per output row
  // (image-major: batch x out_h; a linear layer's output is one row), filled by the block whose
  // folds or passes finish the rows. row_done[r]: the cycle the last fold (or pass) contributing
  // to row r finished, less the layer's DRAM waits until then (dramWaits: what an engine with its
  // operands on chip does not spend). row_reach[r]: the last output row any fold finished by then
  // had touched (a fold that completes row r may have begun row r + 1: its input rows are read).
  std::vector<uint64_t> row_done, row_reach;
  uint64_t rows_touched = 0;  // 1 + the last row touched so far (0: none)
  // Sizes the profile for `rows` output rows (nothing finished).
  void beginRows(uint64_t rows);
  // A fold or pass that touched output rows first..last finished at cycle `now`.
  void rowsFinished(uint64_t first, uint64_t last, uint64_t now);
  // The waits a layer's engine spends on DRAM: operands (dram, dram_operands) and its output
  // buffer draining to DRAM (output_buffer_full).
  uint64_t dramWaits() const;
};

}  // namespace sparsesim

#include "models/common/LayerStats.h"

#include <algorithm>

namespace sparsesim {

namespace {

constexpr StatInfo kStall[kStallCauseCount] = {
    {"decompressor", "cycles", "SoD: the array waited for a decompression unit to emit its operands"},
    {"dram", "cycles", "CS: the MAC array waited for the DRAM port (activation fetch or refetch)"},
    {"dram_operands", "cycles", "PE arrays: the array waited for the global buffer to fetch a fold's operands from DRAM"},
    {"mac_pipeline_fill", "cycles", "CS: the multiply-route-accumulate pipeline filled or drained between passes"},
    {"output_buffer_full", "cycles", "the array waited for the output buffer to accept a write-back"},
    {"routing_conflict", "cycles", "CS: products of one column for the same accumulator serialised"},
    {"selector_throughput", "cycles", "CS: the MAC array waited for the k-WTA selector's winners"},
    {"sram_bandwidth", "cycles", "CS: a step read more weight-SRAM words than the ports deliver per cycle"},
    {"sram_bank_conflict", "cycles", "CS: a step's column reads fell on the same weight-SRAM bank"},
};

constexpr StatInfo kEvent[kBlockEventCount] = {
    {"activation_buffer.read_bytes", "bytes", "CS: activation-buffer bytes the MAC array read"},
    {"activation_buffer.write_bytes", "bytes", "CS: activation-buffer bytes written (the input, or the selector's winners)"},
    {"decompressor.lane_writes", "elements", "SoD: dense elements the decompression units wrote into the array's edge registers"},
    {"decompressor.read_bits", "bits", "SoD: compressed bits the decompression units read from the global buffer"},
    {"global_buffer.dense_read_bytes", "bytes", "SoD: operand bytes read around bypassed (dense) decompression units"},
    {"kwta_selector.busy_cycles", "cycles", "CS: cycles the k-WTA selector spent loading, searching and emitting"},
    {"mac_array.accumulate", "additions", "CS: accumulator additions of routed products"},
    {"sparse_pe.bus_entries", "entries", "sparse-PE: (value, index) entries the row and column buses read from the buffer"},
    {"sparse_pe.fifo_pops", "entries", "sparse-PE: FIFO entries the matching units consumed"},
    {"sparse_pe.fifo_writes", "entries", "sparse-PE: FIFO entries written (a bus entry lands in every PE on the bus)"},
    {"weight_sram.read_bits", "bits", "CS: weight-packing SRAM bits read (distinct column words per step)"},
};

}  // namespace

const StatInfo& statInfo(StallCause c) { return kStall[static_cast<size_t>(c)]; }
const StatInfo& statInfo(BlockEvent e) { return kEvent[static_cast<size_t>(e)]; }

const std::array<StallCause, kStallCauseCount>& allStallCauses() {
  static const std::array<StallCause, kStallCauseCount> all = [] {
    std::array<StallCause, kStallCauseCount> a{};
    for (size_t i = 0; i < kStallCauseCount; ++i) a[i] = static_cast<StallCause>(i);
    return a;
  }();
  return all;
}

const std::array<BlockEvent, kBlockEventCount>& allBlockEvents() {
  static const std::array<BlockEvent, kBlockEventCount> all = [] {
    std::array<BlockEvent, kBlockEventCount> a{};
    for (size_t i = 0; i < kBlockEventCount; ++i) a[i] = static_cast<BlockEvent>(i);
    return a;
  }();
  return all;
}

void LayerStats::beginRows(uint64_t rows) {
  row_done.assign(rows, 0);
  row_reach.assign(rows, 0);
  rows_touched = 0;
}

void LayerStats::rowsFinished(uint64_t first, uint64_t last, uint64_t now) {
  if (row_done.empty()) return;  // the layer keeps no profile (a block run outside a datapath)
  last = std::min<uint64_t>(last, row_done.size() - 1);
  rows_touched = std::max(rows_touched, last + 1);
  const uint64_t waits = dramWaits();
  const uint64_t t = now > waits ? now - waits : 0;
  // A later fold over the same row overwrites an earlier one's: the last fold finishes the row.
  for (uint64_t r = first; r <= last; ++r) {
    row_done[r] = t;
    row_reach[r] = rows_touched - 1;
  }
}

uint64_t LayerStats::dramWaits() const {
  return stall_cycles.get(StallCause::Dram) + stall_cycles.get(StallCause::DramOperands) + stall_cycles.get(StallCause::OutputBufferFull);
}

}  // namespace sparsesim

#pragma once
// The work items that travel between the blocks of a datapath through bounded FIFOs. Shared by
// every datapath: the PE arrays (dense, sod, sparse_pe) take FoldTasks from the global buffer,
// and every compute array (the CS MAC array too) hands WritebackTasks to the output buffer.
#include <cstdint>
#include <ostream>

#include "models/common/FoldSchedule.h"
#include "models/common/LayerStats.h"

namespace sparsesim {

struct GroupGemm;

// One fold in flight between blocks: the schedule entry plus the operands and the accumulators
// it reads and writes.
struct FoldTask {
  Fold fold;
  const GroupGemm* gemm = nullptr;
  int32_t* C = nullptr;             // the group's M x N accumulators
  uint64_t write_bytes = 0;         // what finishing this fold writes back to DRAM
  bool last_of_layer = false;
  LayerStats* stats = nullptr;
  // The cycle the layer's run began on this engine (LayerWorkload::time_origin): the array's wait
  // for the fold counts from here at the earliest. 0: from the array's previous fold.
  uint64_t origin = 0;
  // GEMM rows (output pixels) per output row of the layer (out_w): the fold's rows finish its
  // part of the layer's row profile (LayerStats::rowsFinished). 0: no profile.
  int64_t row_pixels = 0;
};
// sc_fifo prints its contents when traced or dumped.
inline std::ostream& operator<<(std::ostream& os, const FoldTask& t) {
  return os << "fold(g" << t.fold.group << " m" << t.fold.m0 << " n" << t.fold.n0 << " k" << t.fold.k0 << ")";
}

// What finishing a fold (or a CS pass) writes back to DRAM through the output buffer.
struct WritebackTask {
  uint64_t bytes = 0;
  bool last_of_layer = false;
  LayerStats* stats = nullptr;
};
inline std::ostream& operator<<(std::ostream& os, const WritebackTask& t) { return os << "writeback(" << t.bytes << " B)"; }

}  // namespace sparsesim

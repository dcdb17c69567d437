#pragma once
// The SC_THREAD loop every fold-driven compute array runs (dense systolic, sparse-PE): take the
// next fold from the global buffer, compute it, hold the array busy for its cycles, hand its
// write-back to the output buffer. The two FIFO waits are where the array stalls on its
// neighbours, so they are charged here, the same way for every array: waiting for a fold is
// StallCause::DramOperands (the buffer had not finished fetching its operands), waiting to write
// back is StallCause::OutputBufferFull. What a fold costs and counts stays in each block.
#include <systemc>

#include <algorithm>
#include <cstdint>

#include "models/common/Cycles.h"
#include "models/common/LayerStats.h"
#include "models/common/Tasks.h"

namespace sparsesim {

using FoldInPort = sc_core::sc_port<sc_core::sc_fifo_in_if<FoldTask>>;
using WritebackOutPort = sc_core::sc_port<sc_core::sc_fifo_out_if<WritebackTask>>;

// Whether a write-back that did not wait still lists OutputBufferFull in the report: the CS MAC
// array names the cause on every layer (at 0 when the buffer never filled); the fold arrays name
// it only once the buffer has stalled them.
enum class ListStall { WhenWaited, Always };

// Reads the next fold; the cycles spent waiting for it are charged to its layer.
inline FoldTask readFold(FoldInPort& in) {
  const uint64_t t0 = nowCycles();
  FoldTask t = in->read();
  if (uint64_t waited = nowCycles() - std::max(t0, std::min(t.origin, nowCycles()))) t.stats->stall_cycles[StallCause::DramOperands] += waited;
  return t;
}

// Hands one write-back to the output buffer; the cycles a full buffer holds the array are charged
// to the write-back's layer.
inline void writeBack(WritebackOutPort& out, const WritebackTask& wb, ListStall list = ListStall::WhenWaited) {
  const uint64_t w0 = nowCycles();
  out->write(wb);
  const uint64_t waited = nowCycles() - w0;
  if (waited || list == ListStall::Always) wb.stats->stall_cycles[StallCause::OutputBufferFull] += waited;
}

// The array's SC_THREAD body; never returns. computeFold(FoldTask&) does the block's own work for
// one fold (engine, tracing, its counters) and returns the cycles the fold keeps the array busy;
// the loop counts them as array_busy_cycles and the fold in folds.
template <typename ComputeFold>
[[noreturn]] void runFoldLoop(FoldInPort& in, WritebackOutPort& out, ComputeFold&& computeFold) {
  for (;;) {
    FoldTask t = readFold(in);
    const uint64_t c = computeFold(t);
    t.stats->array_busy_cycles += c;
    t.stats->folds++;
    waitCycles(c);
    if (t.row_pixels > 0)
      t.stats->rowsFinished(uint64_t(t.fold.m0 / t.row_pixels), uint64_t((t.fold.m0 + t.fold.mlen - 1) / t.row_pixels), nowCycles());
    if (t.write_bytes > 0 || t.last_of_layer) writeBack(out, WritebackTask{t.write_bytes, t.last_of_layer, t.stats});
  }
}

}  // namespace sparsesim

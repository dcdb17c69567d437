#include "models/common/DataflowChoice.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <deque>
#include <utility>
#include <vector>

#include "models/common/DramController.h"
#include "models/common/FoldSchedule.h"

namespace sparsesim {

namespace {

uint64_t ceilDiv(int64_t a, int64_t b) { return uint64_t((a + b - 1) / b); }

}  // namespace

DataflowEstimate estimateDataflow(const LayerGeometry& g, int R, int C, Dataflow df, const MemoryConfig& m,
                                  double bytesPerCycle, const OperandStorage& storage, WeightPlacement at) {
  DataflowEstimate e;
  e.dataflow = df;
  const uint64_t G = uint64_t(g.groups);
  uint64_t perFold = 0;
  if (df == Dataflow::OutputStationary) {
    e.folds = G * ceilDiv(g.M, R) * ceilDiv(g.N, C);
    perFold = uint64_t(g.K) + uint64_t(R) + uint64_t(C) - 2;
  } else {
    e.folds = G * ceilDiv(g.N, C) * ceilDiv(g.K, R);
    perFold = 2 * uint64_t(R) + uint64_t(g.M) + uint64_t(C) - 2;
  }
  e.compute_cycles = e.folds * perFold;
  // The fold pipeline, fold by fold: the buffer fetches fold i once it has handed fold i-1 to
  // the array's input FIFO (room once fold i-1-depth has started), the array starts a fold when
  // the previous one is done and its operands are in, and the one DRAM channel serves fetches
  // and write-backs first come, first served.
  BufferResidency residency(g, m, C, storage, at);
  DramChannel channel(bytesPerCycle);
  const size_t depth = size_t(std::max(1, m.prefetch_depth));
  std::vector<uint64_t> starts;
  std::deque<std::pair<uint64_t, uint64_t>> writes;  // (request cycle, bytes), in request order
  uint64_t fetchEnd = 0, pushed = 0, end = 0, lastWrite = 0;
  auto serveWritesUntil = [&](uint64_t t) {
    while (!writes.empty() && writes.front().first <= t) {
      lastWrite = channel.schedule(writes.front().first, writes.front().second);
      writes.pop_front();
    }
  };
  for (const Fold& f : buildFoldSchedule(g, R, C, df)) {
    const size_t i = starts.size();
    const uint64_t read = residency.readBytes(f), write = residency.writeBytes(f);
    e.dram_bytes += read + write;
    const uint64_t request = pushed;
    serveWritesUntil(request);
    fetchEnd = channel.schedule(request, read);
    const uint64_t start = std::max(end, fetchEnd);
    starts.push_back(start);
    end = start + perFold;
    if (write) writes.emplace_back(end, write);
    // Fold i enters the FIFO when fetched and when fold i - depth has left it.
    pushed = i >= depth ? std::max(fetchEnd, starts[i - depth]) : fetchEnd;
  }
  serveWritesUntil(UINT64_MAX);
  e.dram_cycles = bytesPerCycle > 0 ? uint64_t(std::ceil(double(e.dram_bytes) / bytesPerCycle)) : 0;
  e.cycles = std::max({end, lastWrite, e.compute_cycles, e.dram_cycles});
  return e;
}

DataflowChoice chooseDataflow(const LayerGeometry& g, int R, int C, Dataflow configured, const MemoryConfig& m,
                              double bytesPerCycle, const OperandStorage& storage, WeightPlacement at) {
  DataflowChoice c;
  if (configured != Dataflow::Auto) {
    c.chosen = configured;
    return c;
  }
  for (Dataflow df : {Dataflow::OutputStationary, Dataflow::WeightStationary})
    c.candidates.push_back(estimateDataflow(g, R, C, df, m, bytesPerCycle, storage, at));
  c.chosen = c.candidates[1].cycles < c.candidates[0].cycles ? Dataflow::WeightStationary : Dataflow::OutputStationary;
  return c;
}

}  // namespace sparsesim

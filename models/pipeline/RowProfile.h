#pragma once
// When an engine finishes each of its output rows within one inference (docs/pipelined.md,
// per-row timing), taken from its own datapath run: the layer's row profile as its folds or passes
// filled it (LayerStats::row_done, row_reach), in cycles from the layer's start with the DRAM
// waits removed, the same accounting as the engine's cycles per inference.
#include <cstdint>
#include <vector>

#include "models/common/LayerStats.h"

namespace sparsesim {

struct RowProfile {
  // done[r]: cycles from the inference's start on the engine until output row r is complete;
  // non-decreasing, at most `cycles`.
  std::vector<uint64_t> done;
  // The engine's cycles for the inference. What it spends after its last row is complete (in its
  // own run: its output buffer's last write-backs draining to DRAM) still occupies it before its
  // next inference, but no row waits for it.
  uint64_t cycles = 0;
  // reach[r]: the last output row whose input the engine has read when row r is complete (>= r).
  std::vector<uint64_t> reach;

  // From a layer's stats: `start` the cycle the layer began, `cycles` the engine's cycles for it
  // (DRAM waits removed). Throws std::logic_error when the datapath left no profile of `rows` rows.
  static RowProfile fromStats(const LayerStats& s, uint64_t start, uint64_t cycles, uint64_t rows, const char* layer);
};

}  // namespace sparsesim

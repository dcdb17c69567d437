#include "models/pipeline/RowProfile.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace sparsesim {

RowProfile RowProfile::fromStats(const LayerStats& s, uint64_t start, uint64_t cycles, uint64_t rows, const char* layer) {
  if (s.row_done.size() != rows || s.row_reach.size() != rows)
    throw std::logic_error(std::string("layer \"") + layer + "\": its datapath reported a row profile of " + std::to_string(s.row_done.size()) +
                           " rows for " + std::to_string(rows) + " output rows");
  RowProfile p;
  p.done.resize(rows);
  p.reach.resize(rows);
  uint64_t prev = 0, reach = 0;
  for (uint64_t r = 0; r < rows; ++r) {
    // The DRAM waits of the first fold may begin before the layer (an engine shared by several
    // layers waits from its previous layer's end): clamp into [previous row, the inference].
    const uint64_t t = s.row_done[r] > start ? s.row_done[r] - start : 0;
    prev = std::min(std::max(prev, t), cycles);
    reach = std::max({reach, s.row_reach[r], r});
    p.done[r] = prev;
    p.reach[r] = std::min(reach, rows - 1);
  }
  p.cycles = cycles;
  return p;
}

}  // namespace sparsesim

#include "sim/workload/plans/CompressedInputMap.h"

#include <algorithm>

namespace sparsesim {

CompressedInputMap::CompressedInputMap(const LayerWorkload& w, const CompressionSpec& spec)
    : map_(CompressedTensor::compress(w.input.data.data(), int64_t(w.geom.batch) * w.geom.in_c,
                                      int64_t(w.geom.in_h) * w.geom.in_w, int64_t(w.geom.in_h) * w.geom.in_w, 1, spec)),
      inC_(w.geom.in_c), inH_(w.geom.in_h), inW_(w.geom.in_w) {}

uint64_t CompressedInputMap::rowsBits(int channel, int row_lo, int row_hi) const {
  uint64_t bits = 0;
  for (int b = row_lo / inH_; b * inH_ < row_hi; ++b) {
    const int lo = std::max(row_lo - b * inH_, 0), hi = std::min(row_hi - b * inH_, inH_);
    if (hi > lo) bits += map_.bitsOfRange(int64_t(b) * inC_ + channel, int64_t(lo) * inW_, int64_t(hi) * inW_);
  }
  return bits;
}

}  // namespace sparsesim

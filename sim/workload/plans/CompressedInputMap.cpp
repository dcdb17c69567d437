#include "sim/workload/plans/CompressedInputMap.h"

namespace sparsesim {

CompressedInputMap::CompressedInputMap(const LayerWorkload& w, const CompressionSpec& spec)
    : map_(CompressedTensor::compress(w.input.data.data(), w.geom.in_c, int64_t(w.geom.in_h) * w.geom.in_w,
                                      int64_t(w.geom.in_h) * w.geom.in_w, 1, spec)),
      inW_(w.geom.in_w) {}

}  // namespace sparsesim

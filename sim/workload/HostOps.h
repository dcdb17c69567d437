#pragma once
// The layers of a chained network that are not GEMMs, executed on real int8 values
// (docs/networks.md): tensors are [1, C, H, W], held as int32.
#include <cstdint>
#include <vector>

#include "sim/config/NetworkConfig.h"
#include "sim/core/Tensor.h"

namespace sparsesim {

// maxpool2d: the largest value in the window, padding ignored. avgpool2d: the mean of the
// window's values inside the input (padding not counted), rounded half to even. add: the sum
// saturated to [-128, 127]. concat: the inputs stacked along channels. flatten: the same
// values as [1, C*H*W, 1, 1].
Int32Tensor runHostOp(const LayerConfig& l, const std::vector<const Int32Tensor*>& inputs);
// Elements the op reads, the figure its output-path cost is counted from (docs/networks.md).
uint64_t hostOpElementsRead(const LayerConfig& l, const std::vector<const Int32Tensor*>& inputs);

}  // namespace sparsesim

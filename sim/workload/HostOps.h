#pragma once
// The layers of a chained network that are not GEMMs, executed on real int8 values
// (docs/networks.md): tensors are [1, C, H, W], held as int32.
#include <cstdint>
#include <vector>

#include "sim/config/NetworkConfig.h"
#include "sim/core/Tensor.h"

namespace sparsesim {

// The real value one int8 step of a tensor stands for (docs/networks.md, "Tensor scales"): one
// value for the tensor, or one per channel.
using TensorScale = std::vector<double>;
// The step of the network input and of every int8 weight unless the network file gives a
// model's own (input.scale, weight_scale): int8 values stand for [-1, 1].
inline constexpr double kInt8Step = 1.0 / 127.0;

// maxpool2d: the largest value in the window, padding ignored. avgpool2d: the mean of the
// window's values inside the input (padding not counted), rounded half to even. add: both
// operands rescaled to one output scale calibrated on the real sum (max |a ra + b rb| / 127),
// rounded half to even, saturated to [-128, 127]. concat: the inputs stacked along channels,
// each rescaled to the largest input scale. A layer's output_scale (a model's own) replaces the
// calibrated / largest scale of an add or concat. flatten: the same values as [1, C*H*W, 1, 1].
// scales: each input's scale; outScale: the output's.
Int32Tensor runHostOp(const LayerConfig& l, const std::vector<const Int32Tensor*>& inputs,
                      const std::vector<TensorScale>& scales, TensorScale& outScale);
// The scale of a [1, C, ...] tensor's channel c.
double channelScale(const TensorScale& s, int64_t c);
// Elements the op reads, the figure its output-path cost is counted from (docs/networks.md).
uint64_t hostOpElementsRead(const LayerConfig& l, const std::vector<const Int32Tensor*>& inputs);

}  // namespace sparsesim

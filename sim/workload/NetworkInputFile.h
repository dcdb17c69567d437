#pragma once
// The tensor a run feeds its first layer: `--input x.npy` (int8, N x C x H x W), or in a chained
// network without it the synthetic input from the seed (Workload.h, stream "input").
#include <cstdint>
#include <string>

#include "sim/config/NetworkConfig.h"
#include "sim/core/Tensor.h"

namespace sparsesim {

// The shape the first layer takes: (batch, C, H, W) of "input" when chained, else the first
// layer's (1, in_channels, in_h, in_w).
std::vector<int64_t> networkInputShape(const NetworkConfig& n);
// file empty: the synthetic input (chained) or an empty tensor (independent layers generate
// their own). A wrong dtype or shape is a ConfigError naming the file and both shapes.
Int8Tensor networkInputTensor(const NetworkConfig& n, const std::string& file, uint64_t seed);

}  // namespace sparsesim

#pragma once
// The memory simulating a layer takes, estimated from its shapes before anything is allocated.
#include <cstdint>
#include <optional>
#include <string>

#include "sim/workload/LayerGeometry.h"

namespace sparsesim {

// Largest estimate a layer may have: 16 GB.
constexpr uint64_t kMaxLayerMemoryBytes = 16000000000ull;

// Bytes of the largest buffers of one layer: the lowered GEMM input of one group (int8), the
// int32 output of every group, the input and the weights; nullopt when the sum overflows 64 bits.
std::optional<uint64_t> layerMemoryBytes(const LayerGeometry& g);
// Throws ConfigError(file, layerPath, ...) naming the size when the layer is over the limit.
void checkLayerMemory(const LayerGeometry& g, const std::string& file, const std::string& layerPath);

}  // namespace sparsesim

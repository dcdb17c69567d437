#pragma once
#include <cstdint>
#include <string>

#include "sim/workload/Tensor.h"

namespace sparsesim {

// .npy files through xtensor's reader and writer. Loading checks dtype, byte order, layout and
// that the file really holds the bytes its header promises before allocating anything;
// problems throw ConfigError naming the file.
Int8Tensor loadInt8Npy(const std::string& file, const std::string& jsonPath);
void writeNpyAtomic(const std::string& file, const Int8Tensor& t);
void writeNpyAtomic(const std::string& file, const Int32Tensor& t);

}  // namespace sparsesim

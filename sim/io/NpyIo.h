#pragma once
#include <cstdint>
#include <string>
#include <variant>

#include "sim/core/Tensor.h"

namespace sparsesim {

// .npy files: a strict reader of our own (NpyHeader; C or Fortran order, returned in C order) and
// xtensor's writer. Loading checks the file, dtype and that it holds exactly the bytes its header promises;
// problems throw ConfigError naming the file.
Int8Tensor loadInt8Npy(const std::string& file, const std::string& jsonPath);
// The same with the dtype message's "what must be int8" part, e.g. "--input must be int8 (|i1)".
Int8Tensor loadInt8Npy(const std::string& file, const std::string& jsonPath, const std::string& dtypeRule);
// An int8 or a little-endian float32 .npy (weights before quantisation).
std::variant<Int8Tensor, FloatTensor> loadInt8OrFloat32Npy(const std::string& file, const std::string& jsonPath);
void writeNpyAtomic(const std::string& file, const Int8Tensor& t);
void writeNpyAtomic(const std::string& file, const Int32Tensor& t);

}  // namespace sparsesim

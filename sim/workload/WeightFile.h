#pragma once
// A layer's "weights" file: int8 as written, or float32 quantised (docs/networks.md) per output
// channel (the first dimension), symmetric: scale = max|w| / 127, q = round_half_even(w / scale).
// Every zero stays zero and every non-zero weight stays non-zero (one that would round to 0
// becomes +-1), so the file's zero pattern is exactly the layer's.
#include <string>

#include "sim/core/Tensor.h"

namespace sparsesim {

Int8Tensor loadWeightsFile(const std::string& file, const std::string& jsonPath);
Int8Tensor quantiseWeights(const FloatTensor& w, const std::string& file, const std::string& jsonPath);

}  // namespace sparsesim

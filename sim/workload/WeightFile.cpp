#include "sim/workload/WeightFile.h"

#include <algorithm>
#include <cmath>

#include "sim/core/ConfigError.h"
#include "sim/io/NpyIo.h"

namespace sparsesim {

Int8Tensor quantiseWeights(const FloatTensor& w, const std::string& file, const std::string& jsonPath) {
  Int8Tensor q(w.shape);
  const size_t rows = w.shape.empty() ? 1 : static_cast<size_t>(w.shape[0]);
  const size_t per = rows ? w.size() / rows : 0;
  for (size_t o = 0; o < rows; ++o) {
    const float* src = w.data.data() + o * per;
    double m = 0;
    for (size_t i = 0; i < per; ++i) {
      if (!std::isfinite(src[i]))
        throw ConfigError(file, "", "float32 weight " + std::to_string(o * per + i) + " (flat index) is not finite (named by " + jsonPath + ")");
      m = std::max(m, std::fabs(double(src[i])));
    }
    const double scale = m / 127.0;
    for (size_t i = 0; i < per; ++i) {
      if (src[i] == 0.0f) continue;  // stays 0
      double r = std::clamp(std::nearbyint(double(src[i]) / scale), -127.0, 127.0);
      if (r == 0) r = src[i] > 0 ? 1 : -1;  // a non-zero weight stays non-zero
      q.data[o * per + i] = static_cast<int8_t>(r);
    }
  }
  return q;
}

Int8Tensor loadWeightsFile(const std::string& file, const std::string& jsonPath) {
  auto t = loadInt8OrFloat32Npy(file, jsonPath);
  if (auto* i8 = std::get_if<Int8Tensor>(&t)) return std::move(*i8);
  return quantiseWeights(std::get<FloatTensor>(t), file, jsonPath);
}

}  // namespace sparsesim

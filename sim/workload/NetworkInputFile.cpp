#include "sim/workload/NetworkInputFile.h"

#include "sim/core/ConfigError.h"
#include "sim/io/NpyIo.h"
#include "sim/workload/Workload.h"

namespace sparsesim {

namespace {
std::string shapeText(const std::vector<int64_t>& s) {
  std::string t;
  for (auto d : s) t += (t.empty() ? "" : ", ") + std::to_string(d);
  return "(" + t + (s.size() == 1 ? ",)" : ")");
}
}  // namespace

std::vector<int64_t> networkInputShape(const NetworkConfig& n) {
  if (n.chain) return {n.batch, n.input.channels, n.input.height, n.input.width};
  const LayerConfig& l = n.layers.at(0);
  return {n.batch, l.in_channels, l.in_h, l.in_w};
}

Int8Tensor networkInputTensor(const NetworkConfig& n, const std::string& file, uint64_t seed) {
  const std::vector<int64_t> want = networkInputShape(n);
  if (file.empty()) return n.chain ? syntheticInput(want, seed, "input") : Int8Tensor();
  Int8Tensor t = loadInt8Npy(file, "--input", "--input must be int8 (|i1), NCHW " + shapeText(want));
  if (t.shape != want)
    throw ConfigError(file, "", "--input has shape " + shapeText(t.shape) + ", but the first layer of " + n.source_file +
                                    " takes NCHW " + shapeText(want));
  return t;
}

}  // namespace sparsesim

#include "sim/workload/LayerMemory.h"

#include <cstdio>

#include "sim/core/ConfigError.h"
#include "sim/core/CheckedSize.h"

namespace sparsesim {

std::optional<uint64_t> layerMemoryBytes(const LayerGeometry& g) {
  auto u = [](int64_t x) { return static_cast<uint64_t>(x < 0 ? 0 : x); };
  const uint64_t cPer = u(g.groups > 0 ? g.in_c / g.groups : g.in_c);
  auto lowered = checkedProduct({u(g.batch), u(g.out_h), u(g.out_w), u(g.kh), u(g.kw), cPer});
  auto output = checkedProduct({u(g.batch), u(g.out_h), u(g.out_w), u(g.out_c), 4});
  auto input = checkedProduct({u(g.batch), u(g.in_c), u(g.in_h), u(g.in_w)});
  auto weights = checkedProduct({u(g.out_c), cPer, u(g.kh), u(g.kw)});
  if (!lowered || !output || !input || !weights) return std::nullopt;
  auto s = checkedAdd(*lowered, *output);
  if (s) s = checkedAdd(*s, *input);
  if (s) s = checkedAdd(*s, *weights);
  return s;
}

void checkLayerMemory(const LayerGeometry& g, const std::string& file, const std::string& layerPath) {
  auto bytes = layerMemoryBytes(g);
  if (bytes && *bytes <= kMaxLayerMemoryBytes) return;
  char size[64];
  if (bytes) std::snprintf(size, sizeof size, "about %.0f GB", double(*bytes) / 1e9);
  else std::snprintf(size, sizeof size, "more than 2^64 bytes (over 18 EB)");
  throw ConfigError(file, layerPath, std::string("layer would need ") + size + " of memory to simulate (the limit is " +
                                         std::to_string(kMaxLayerMemoryBytes / 1000000000ull) + " GB); refusing");
}

}  // namespace sparsesim

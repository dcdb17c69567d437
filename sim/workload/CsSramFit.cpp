#include "sim/workload/CsSramFit.h"

#include <algorithm>

#include "sim/core/ConfigError.h"
#include "sim/core/Math.h"
#include "sim/workload/WeightPacker.h"

namespace sparsesim {

uint64_t csSmallestSliceWords(const LayerGeometry& g, const CsConfig& cs) {
  // Dense-dense packs one kernel per group (no kernel ID); the other modes pack up to max_n.
  const int64_t kernels = cs.mode == CsMode::DenseDense ? 1 : std::max<int64_t>(1, std::min<int64_t>(cs.packing.max_n, g.N));
  const uint64_t entryBits = 8 + static_cast<uint64_t>(ceilLog2(kernels));
  const uint64_t wordBits = static_cast<uint64_t>(std::max(1, cs.sram.word_bits));
  const uint64_t wordsPerColumn = std::max<uint64_t>(1, (entryBits + wordBits - 1) / wordBits);
  return static_cast<uint64_t>(std::max<int64_t>(0, g.K)) * wordsPerColumn;
}

void checkCsSramFits(const ArchConfig& a, const LayerGeometry& g, const std::string& layerName, const std::string& layerPath) {
  if (a.datapath != DatapathKind::Cs) return;
  const uint64_t need = csSmallestSliceWords(g, a.cs);
  const uint64_t have = uint64_t(std::max(0, a.cs.sram.banks)) * uint64_t(std::max(0, a.cs.sram.depth));
  if (need <= have) return;
  throw ConfigError(a.source_file, "cs.sram",
                    "too small for layer \"" + layerName + "\" (" + layerPath + "): one packed group's " + std::to_string(g.K) +
                        " weight columns need " + std::to_string(need) + " words, the SRAM holds banks x depth = " +
                        std::to_string(a.cs.sram.banks) + " x " + std::to_string(a.cs.sram.depth) + " = " + std::to_string(have));
}

}  // namespace sparsesim

#include "sim/workload/WeightPacker.h"
#include "sim/core/Math.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace sparsesim {


namespace {

// A packed group under construction: its union mask as a bitset, for disjointness tests.
struct OpenGroup {
  std::vector<uint64_t> mask;
  int64_t used = 0;  // set bits
};

}  // namespace

PackedLayer packLayer(const int8_t* w, int64_t outChannels, int convGroups, int64_t K, PackingStrategy strategy, int maxN) {
  if (maxN < 1) throw std::invalid_argument("packLayer: maxN must be >= 1");
  if (convGroups < 1 || outChannels % convGroups != 0) throw std::invalid_argument("packLayer: groups must divide the output channels");
  if (maxN > 65536) throw std::invalid_argument("packLayer: maxN exceeds the 16-bit kernel ID");
  PackedLayer p;
  p.K = K;
  p.convGroups = convGroups;
  p.kernelsPerGroup = outChannels / convGroups;
  p.groups.resize(convGroups);
  const int64_t words = (K + 63) / 64;
  p.live.resize(convGroups);
  for (int g = 0; g < convGroups; ++g) {
    auto& packs = p.groups[g];
    // Columns (kernel positions) where no kernel of the conv group is non-zero, as channel
    // pruning leaves them: no packed group stores anything there, and the MAC array skips them.
    std::vector<uint8_t>& live = p.live[g];
    live.assign(static_cast<size_t>(K), 0);
    for (int64_t n = 0; n < p.kernelsPerGroup; ++n) {
      const int8_t* kernel = w + (g * p.kernelsPerGroup + n) * K;
      for (int64_t k = 0; k < K; ++k) live[static_cast<size_t>(k)] |= kernel[k] != 0;
    }
    for (int64_t k = 0; k < K; ++k) p.deadColumns += live[static_cast<size_t>(k)] ? 0 : 1;
    std::vector<OpenGroup> open;
    std::vector<uint64_t> km(words);
    for (int64_t n = 0; n < p.kernelsPerGroup; ++n) {
      const int8_t* kernel = w + (g * p.kernelsPerGroup + n) * K;
      int64_t nnz = 0;
      std::fill(km.begin(), km.end(), 0);
      for (int64_t k = 0; k < K; ++k)
        if (kernel[k] != 0) { km[k >> 6] |= uint64_t(1) << (k & 63); ++nnz; }
      p.nonzeros += nnz;
      size_t target = packs.size();
      if (strategy == PackingStrategy::FirstFitDisjoint) {
        for (size_t q = 0; q < packs.size(); ++q) {
          if (static_cast<int>(packs[q].kernels.size()) >= maxN || open[q].used + nnz > K) continue;
          bool disjoint = true;
          for (int64_t i = 0; i < words && disjoint; ++i) disjoint = (open[q].mask[i] & km[i]) == 0;
          if (disjoint) { target = q; break; }
        }
      }
      if (target == packs.size()) {
        packs.emplace_back();
        packs.back().slots.resize(K);
        open.push_back(OpenGroup{std::vector<uint64_t>(words, 0), 0});
      }
      PackedGroup& pg = packs[target];
      const uint16_t id = static_cast<uint16_t>(pg.kernels.size());
      pg.kernels.push_back(static_cast<int>(n));
      for (int64_t k = 0; k < K; ++k) {
        // OnePerGroup stores every element of a live column (the dense kernel); packing stores
        // non-zeros only.
        if (kernel[k] == 0 && (strategy != PackingStrategy::OnePerGroup || !live[static_cast<size_t>(k)])) continue;
        PackedSlot& s = pg.slots[k];
        if (s.valid) throw std::logic_error("packLayer: two kernels in one slot");
        s.weight = kernel[k];
        s.kernel = id;
        s.valid = true;
      }
      for (int64_t i = 0; i < words; ++i) open[target].mask[i] |= km[i];
      open[target].used += nnz;
    }
    p.packedGroups += static_cast<int64_t>(packs.size());
    for (const auto& pg : packs) p.maxN = std::max<int>(p.maxN, static_cast<int>(pg.kernels.size()));
  }
  p.idBits = ceilLog2(p.maxN);
  return p;
}

std::vector<int8_t> unpackLayer(const PackedLayer& p) {
  std::vector<int8_t> w(static_cast<size_t>(p.convGroups * p.kernelsPerGroup * p.K), 0);
  for (int g = 0; g < p.convGroups; ++g)
    for (const PackedGroup& pg : p.groups[g])
      for (int64_t k = 0; k < p.K; ++k) {
        const PackedSlot& s = pg.slots[k];
        if (!s.valid) continue;
        int64_t n = pg.kernels.at(s.kernel);
        w[(g * p.kernelsPerGroup + n) * p.K + k] = s.weight;
      }
  return w;
}

}  // namespace sparsesim

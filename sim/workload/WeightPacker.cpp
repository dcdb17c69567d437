#include "sim/workload/WeightPacker.h"
#include "sim/core/Math.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace sparsesim {


namespace {

// A packed group under construction: its union mask as a bitset, for disjointness tests.
struct OpenGroup {
  std::vector<uint64_t> mask;
  int64_t used = 0;  // set bits
};

// Bit k of words[k / 64] set where x[k] != 0; returns the count.
int64_t nonZeroMask(const int8_t* x, int64_t K, uint64_t* words) {
  const int64_t nw = (K + 63) / 64;
  int64_t nnz = 0;
  for (int64_t i = 0; i < nw; ++i) {
    const int64_t k0 = i * 64;
    uint64_t m = 0;
    if (k0 + 64 <= K) {
#if defined(__SSE2__)
      const __m128i zero = _mm_setzero_si128();
      for (int j = 0; j < 4; ++j) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(x + k0 + 16 * j));
        const uint64_t z = static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, zero)));
        m |= (~z & 0xffffu) << (16 * j);
      }
#else
      for (int j = 0; j < 64; ++j) m |= uint64_t(x[k0 + j] != 0) << j;
#endif
    } else {
      for (int64_t k = k0; k < K; ++k) m |= uint64_t(x[k] != 0) << (k - k0);
    }
    words[i] = m;
    nnz += __builtin_popcountll(m);
  }
  return nnz;
}

}  // namespace

PackedLayer packLayer(const int8_t* w, int64_t outChannels, int convGroups, int64_t K, PackingStrategy strategy, int maxN,
                      bool withSlots) {
  if (maxN < 1) throw std::invalid_argument("packLayer: maxN must be >= 1");
  if (convGroups < 1 || outChannels % convGroups != 0) throw std::invalid_argument("packLayer: groups must divide the output channels");
  if (maxN > 65536) throw std::invalid_argument("packLayer: maxN exceeds the 16-bit kernel ID");
  PackedLayer p;
  p.hasSlots = withSlots;
  p.K = K;
  p.convGroups = convGroups;
  p.kernelsPerGroup = outChannels / convGroups;
  p.groups.resize(convGroups);
  const int64_t words = (K + 63) / 64;
  p.live.resize(convGroups);
  for (int g = 0; g < convGroups; ++g) {
    auto& packs = p.groups[g];
    // Each kernel's non-zero positions as a bitset, and their union: the columns (kernel
    // positions) where some kernel of the conv group is non-zero. The others are dead, as channel
    // pruning leaves them: no packed group stores anything there, and the MAC array skips them.
    std::vector<uint64_t> masks(static_cast<size_t>(p.kernelsPerGroup * words));
    std::vector<int64_t> nnzOf(static_cast<size_t>(p.kernelsPerGroup));
    std::vector<uint64_t> liveMask(static_cast<size_t>(words), 0);
    for (int64_t n = 0; n < p.kernelsPerGroup; ++n) {
      uint64_t* km = masks.data() + n * words;
      nnzOf[static_cast<size_t>(n)] = nonZeroMask(w + (g * p.kernelsPerGroup + n) * K, K, km);
      for (int64_t i = 0; i < words; ++i) liveMask[static_cast<size_t>(i)] |= km[i];
    }
    std::vector<uint8_t>& live = p.live[g];
    live.assign(static_cast<size_t>(K), 0);
    int64_t liveCount = 0;
    for (int64_t k = 0; k < K; ++k) {
      live[static_cast<size_t>(k)] = (liveMask[static_cast<size_t>(k >> 6)] >> (k & 63)) & 1;
      liveCount += live[static_cast<size_t>(k)];
    }
    p.deadColumns += K - liveCount;
    std::vector<OpenGroup> open;
    for (int64_t n = 0; n < p.kernelsPerGroup; ++n) {
      const int8_t* kernel = w + (g * p.kernelsPerGroup + n) * K;
      const uint64_t* km = masks.data() + n * words;
      const int64_t nnz = nnzOf[static_cast<size_t>(n)];
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
        if (withSlots) packs.back().slots.resize(K);
        open.push_back(OpenGroup{std::vector<uint64_t>(words, 0), 0});
      }
      PackedGroup& pg = packs[target];
      const uint16_t id = static_cast<uint16_t>(pg.kernels.size());
      pg.kernels.push_back(static_cast<int>(n));
      // OnePerGroup stores every element of a live column (the dense kernel); packing stores
      // non-zeros only.
      const uint64_t* stored = strategy == PackingStrategy::OnePerGroup ? liveMask.data() : km;
      for (int64_t i = 0; i < words && withSlots; ++i)
        for (uint64_t bits = stored[i]; bits; bits &= bits - 1) {
          const int64_t k = i * 64 + __builtin_ctzll(bits);
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

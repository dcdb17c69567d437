#include "models/cs/PassAccumulate.h"

#include <algorithm>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define SPARSESIM_CS_AVX2 1
#endif

namespace sparsesim {

namespace {

// One pixel's non-zero items taken two at a time: the rows (k * R) of both columns and both
// activations packed as the int16 pair a multiply-add of interleaved weights takes. An odd item
// is paired with a zero activation on the same row.
struct ItemPairs {
  std::vector<int64_t> rowA, rowB;
  std::vector<int32_t> act;
  void build(const PixelItems& it, int64_t m, int R) {
    rowA.clear(), rowB.clear(), act.clear();
    const int64_t s0 = it.start[static_cast<size_t>(m)], s1 = it.start[static_cast<size_t>(m) + 1];
    bool half = false;
    for (int64_t i = s0; i < s1; ++i) {
      const int8_t a = it.value[static_cast<size_t>(i)];
      if (a == 0) continue;  // a zero activation's products are zero
      const int64_t row = int64_t(it.column(m, i)) * R;
      const uint32_t a16 = static_cast<uint16_t>(int16_t(a));
      if (!half) {
        rowA.push_back(row), rowB.push_back(row), act.push_back(int32_t(a16));
      } else {
        rowB.back() = row;
        act.back() = int32_t(static_cast<uint32_t>(act.back()) | (a16 << 16));
      }
      half = !half;
    }
  }
};

inline void drainInto(int32_t* out, const int32_t* kernelOf, const int32_t* sums, int n) {
  for (int i = 0; i < n; ++i)
    if (kernelOf[i] >= 0) out[kernelOf[i]] += sums[i];
}

// Slots [q0, q1) of one pixel, one slot per accumulator (the direct case), plain C++.
void directBlockScalar(const PassColumns& t, const ItemPairs& p, int q0, int q1, int32_t* out) {
  int32_t sums[64];
  for (int b = q0; b < q1; b += 64) {
    const int n = std::min(64, q1 - b);
    std::fill(sums, sums + n, 0);
    for (size_t j = 0; j < p.act.size(); ++j) {
      const int32_t aa = int16_t(p.act[j] & 0xffff), ab = int16_t(uint32_t(p.act[j]) >> 16);
      const int16_t* wa = t.weight + p.rowA[j] + b;
      const int16_t* wb = t.weight + p.rowB[j] + b;
      for (int q = 0; q < n; ++q) sums[q] += aa * wa[q] + ab * wb[q];
    }
    drainInto(out, t.kernel_of + b, sums, n);
  }
}

#ifdef SPARSESIM_CS_AVX2
// V vectors of 16 slots from q0: 2V accumulators of 8 int32 stay in registers over every item
// pair; vpmaddwd forms a_i x w_i[q] + a_j x w_j[q] per 32-bit lane of the interleaved weights.
template <int V>
__attribute__((target("avx2"))) void directBlockAvx2(const PassColumns& t, const ItemPairs& p, int q0, int32_t* out,
                                                     int n = 16 * V) {
  __m256i acc[2 * V];
  for (int v = 0; v < 2 * V; ++v) acc[v] = _mm256_setzero_si256();
  const size_t pairs = p.act.size();
  for (size_t j = 0; j < pairs; ++j) {
    const __m256i a = _mm256_set1_epi32(p.act[j]);
    const int16_t* wa = t.weight + p.rowA[j] + q0;
    const int16_t* wb = t.weight + p.rowB[j] + q0;
    for (int v = 0; v < V; ++v) {
      const __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(wa + 16 * v));
      const __m256i y = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(wb + 16 * v));
      acc[2 * v] = _mm256_add_epi32(acc[2 * v], _mm256_madd_epi16(_mm256_unpacklo_epi16(x, y), a));
      acc[2 * v + 1] = _mm256_add_epi32(acc[2 * v + 1], _mm256_madd_epi16(_mm256_unpackhi_epi16(x, y), a));
    }
  }
  alignas(32) int32_t sums[16 * V];
  for (int v = 0; v < V; ++v) {
    // unpacklo holds slots 0-3 and 8-11 of the vector, unpackhi 4-7 and 12-15.
    _mm256_store_si256(reinterpret_cast<__m256i*>(sums + 16 * v), _mm256_permute2x128_si256(acc[2 * v], acc[2 * v + 1], 0x20));
    _mm256_store_si256(reinterpret_cast<__m256i*>(sums + 16 * v + 8), _mm256_permute2x128_si256(acc[2 * v], acc[2 * v + 1], 0x31));
  }
  drainInto(out, t.kernel_of + q0, sums, n);
}

// Eight slots from q0 on 128-bit vectors (a table whose R is not a multiple of 16).
__attribute__((target("avx2"))) void directBlock8(const PassColumns& t, const ItemPairs& p, int q0, int32_t* out) {
  __m128i lo = _mm_setzero_si128(), hi = _mm_setzero_si128();
  for (size_t j = 0; j < p.act.size(); ++j) {
    const __m128i a = _mm_set1_epi32(p.act[j]);
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(t.weight + p.rowA[j] + q0));
    const __m128i y = _mm_loadu_si128(reinterpret_cast<const __m128i*>(t.weight + p.rowB[j] + q0));
    lo = _mm_add_epi32(lo, _mm_madd_epi16(_mm_unpacklo_epi16(x, y), a));
    hi = _mm_add_epi32(hi, _mm_madd_epi16(_mm_unpackhi_epi16(x, y), a));
  }
  alignas(16) int32_t sums[8];
  _mm_store_si128(reinterpret_cast<__m128i*>(sums), lo);
  _mm_store_si128(reinterpret_cast<__m128i*>(sums + 4), hi);
  drainInto(out, t.kernel_of + q0, sums, 8);
}

void directPixelAvx2(const PassColumns& t, const ItemPairs& p, int32_t* out) {
  int q = 0;
  for (; q + 64 <= t.R; q += 64) directBlockAvx2<4>(t, p, q, out);
  for (; q + 16 <= t.R; q += 16) directBlockAvx2<1>(t, p, q, out);
  for (; q + 8 <= t.R; q += 8) directBlock8(t, p, q, out);
  // The last slots: one vector reaching into the next column (or the padding after the last),
  // of which only the table's slots drain.
  if (q < t.R && t.pad >= 16) directBlockAvx2<1>(t, p, q, out, t.R - q);
  else if (q < t.R) directBlockScalar(t, p, q, t.R, out);
}
#endif

}  // namespace

void accumulatePass(const PassColumns& t, const PixelItems& it, int32_t* C, int64_t Nper, std::vector<int32_t>& scratch) {
  const int R = t.R;
  if (!t.direct) {
    // Several kernels per packed group: each product goes to the accumulator its kernel ID names.
    const size_t perPixel = static_cast<size_t>(R) * static_cast<size_t>(t.ids);
    scratch.assign(perPixel, 0);
    for (int64_t m = 0; m < it.M; ++m) {
      const int64_t s0 = it.start[static_cast<size_t>(m)], s1 = it.start[static_cast<size_t>(m) + 1];
      if (s0 == s1) continue;
      for (int64_t i = s0; i < s1; ++i) {
        const int32_t a = it.value[static_cast<size_t>(i)];
        if (a == 0) continue;
        const size_t row = static_cast<size_t>(it.column(m, i)) * static_cast<size_t>(R);
        const int16_t* w = t.weight + row;
        const int32_t* to = t.acc + row;
        for (int q = 0; q < R; ++q) scratch[static_cast<size_t>(to[q])] += a * w[q];
      }
      int32_t* out = C + m * Nper;
      drainInto(out, t.kernel_of, scratch.data(), static_cast<int>(perPixel));
      std::fill(scratch.begin(), scratch.end(), 0);
    }
    return;
  }
#ifdef SPARSESIM_CS_AVX2
  static const bool hasAvx2 = __builtin_cpu_supports("avx2");
#else
  const bool hasAvx2 = false;
#endif
  ItemPairs pairs;
  for (int64_t m = 0; m < it.M; ++m) {
    pairs.build(it, m, R);
    if (pairs.act.empty()) continue;
    int32_t* out = C + m * Nper;
#ifdef SPARSESIM_CS_AVX2
    if (hasAvx2) {
      directPixelAvx2(t, pairs, out);
      continue;
    }
#endif
    (void)hasAvx2;
    directBlockScalar(t, pairs, 0, R, out);
  }
}

}  // namespace sparsesim

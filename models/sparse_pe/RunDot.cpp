#include "models/sparse_pe/RunDot.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define SPARSESIM_RUNDOT_AVX2 1
#endif

namespace sparsesim {

namespace {

// Products from u on, one at a time, added to s (uint32: the accumulator's wrap-around).
inline int32_t plainFrom(const int8_t* a, const int8_t* b, int64_t u, int64_t n, uint32_t s) {
  for (; u < n; ++u) s += uint32_t(int32_t(a[u]) * int32_t(b[u]));
  return int32_t(s);
}

#if defined(__SSE2__)
int32_t dotSse2(const int8_t* a, const int8_t* b, int64_t n) {
  uint32_t s = 0;
  int64_t u = 0;
  // Bytes sign-extended to int16, pairs of products summed by pmaddwd (int8 x int8 pairs fit
  // int32); lanes add modulo 2^32 like the accumulator.
  if (n >= 16) {
    __m128i sum = _mm_setzero_si128();
    const __m128i zero = _mm_setzero_si128();
    for (; u + 16 <= n; u += 16) {
      const __m128i va = _mm_loadu_si128(reinterpret_cast<const __m128i*>(a + u));
      const __m128i vb = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b + u));
      const __m128i sa = _mm_cmpgt_epi8(zero, va), sb = _mm_cmpgt_epi8(zero, vb);
      sum = _mm_add_epi32(sum, _mm_madd_epi16(_mm_unpacklo_epi8(va, sa), _mm_unpacklo_epi8(vb, sb)));
      sum = _mm_add_epi32(sum, _mm_madd_epi16(_mm_unpackhi_epi8(va, sa), _mm_unpackhi_epi8(vb, sb)));
    }
    alignas(16) uint32_t lane[4];
    _mm_store_si128(reinterpret_cast<__m128i*>(lane), sum);
    s = lane[0] + lane[1] + lane[2] + lane[3];
  }
  return plainFrom(a, b, u, n, s);
}
#endif

#if SPARSESIM_RUNDOT_AVX2
// The same with vpmovsxbw (sign extension in one instruction) and 256-bit pmaddwd; stretches of
// 16 and 8 left over take one 256-bit or 128-bit step, so at most seven products stay scalar.
__attribute__((target("avx2"))) int32_t dotAvx2(const int8_t* a, const int8_t* b, int64_t n) {
  int64_t u = 0;
  __m256i sum = _mm256_setzero_si256();
  for (; u + 32 <= n; u += 32) {
    const __m256i va = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(a + u));
    const __m256i vb = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b + u));
    const __m256i alo = _mm256_cvtepi8_epi16(_mm256_castsi256_si128(va)), ahi = _mm256_cvtepi8_epi16(_mm256_extracti128_si256(va, 1));
    const __m256i blo = _mm256_cvtepi8_epi16(_mm256_castsi256_si128(vb)), bhi = _mm256_cvtepi8_epi16(_mm256_extracti128_si256(vb, 1));
    sum = _mm256_add_epi32(sum, _mm256_add_epi32(_mm256_madd_epi16(alo, blo), _mm256_madd_epi16(ahi, bhi)));
  }
  if (u + 16 <= n) {
    const __m256i va = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(a + u)));
    const __m256i vb = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(b + u)));
    sum = _mm256_add_epi32(sum, _mm256_madd_epi16(va, vb));
    u += 16;
  }
  __m128i s4 = _mm_add_epi32(_mm256_castsi256_si128(sum), _mm256_extracti128_si256(sum, 1));
  if (u + 8 <= n) {
    const __m128i va = _mm_cvtepi8_epi16(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(a + u)));
    const __m128i vb = _mm_cvtepi8_epi16(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(b + u)));
    s4 = _mm_add_epi32(s4, _mm_madd_epi16(va, vb));
    u += 8;
  }
  s4 = _mm_add_epi32(s4, _mm_shuffle_epi32(s4, 0x4E));
  s4 = _mm_add_epi32(s4, _mm_shuffle_epi32(s4, 0xB1));
  return plainFrom(a, b, u, n, uint32_t(_mm_cvtsi128_si32(s4)));
}
#endif

int32_t dotPlain(const int8_t* a, const int8_t* b, int64_t n) { return plainFrom(a, b, 0, n, 0); }

using DotFn = int32_t (*)(const int8_t*, const int8_t*, int64_t);

DotFn widest() {
#if SPARSESIM_RUNDOT_AVX2
  if (__builtin_cpu_supports("avx2")) return dotAvx2;
#endif
#if defined(__SSE2__)
  return dotSse2;
#else
  return dotPlain;
#endif
}

}  // namespace

bool runDotAvailable(RunDotPath p) {
  switch (p) {
    case RunDotPath::Plain: return true;
#if defined(__SSE2__)
    case RunDotPath::Sse2: return true;
#endif
#if SPARSESIM_RUNDOT_AVX2
    case RunDotPath::Avx2: return __builtin_cpu_supports("avx2");
#endif
    default: return false;
  }
}

int32_t runDotOn(RunDotPath p, const int8_t* a, const int8_t* b, int64_t n) {
  if (!runDotAvailable(p)) return dotPlain(a, b, n);
  switch (p) {
#if defined(__SSE2__)
    case RunDotPath::Sse2: return dotSse2(a, b, n);
#endif
#if SPARSESIM_RUNDOT_AVX2
    case RunDotPath::Avx2: return dotAvx2(a, b, n);
#endif
    default: return dotPlain(a, b, n);
  }
}

int32_t runDot(const int8_t* a, const int8_t* b, int64_t n) {
  static const DotFn best = widest();
  return best(a, b, n);
}

}  // namespace sparsesim

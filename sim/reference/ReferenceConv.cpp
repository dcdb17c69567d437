#include "sim/reference/ReferenceConv.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <thread>
#include <vector>

#include "sim/core/HostThreads.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

namespace sparsesim {

namespace {

std::atomic<int> gThreads{0};  // 0: one per hardware thread

// Output channels [o0, o1) as weight-stationary row updates: for each non-zero weight, the output
// row gains weight x the input row it sees. Zero weights cost nothing, so this form is the
// faster one on pruned layers.
// Exact integer arithmetic, so each machine's widest vectors give the same sums: AVX2 where the
// CPU has it (GCC's function multi-versioning picks at load time), else the baseline x86-64 build.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define SPARSESIM_WIDE_VECTORS __attribute__((target_clones("avx2", "default")))
#else
#define SPARSESIM_WIDE_VECTORS
#endif

SPARSESIM_WIDE_VECTORS void convRows(const LayerWorkload& w, int o0, int o1, int32_t* outData) {
  const LayerGeometry& g = w.geom;
  const int cPer = g.in_c / g.groups;
  const int oPer = g.out_c / g.groups;
  for (int o = o0; o < o1; ++o) {
    const int grp = o / oPer;
    int32_t* op = outData + int64_t(o) * g.out_h * g.out_w;
    for (int c = 0; c < cPer; ++c) {
      const int8_t* ip = w.input.data.data() + int64_t(grp * cPer + c) * g.in_h * g.in_w;
      for (int ky = 0; ky < g.kh; ++ky) {
        for (int kx = 0; kx < g.kw; ++kx) {
          const int32_t wv = w.weights.data[((int64_t(o) * cPer + c) * g.kh + ky) * g.kw + kx];
          if (wv == 0) continue;  // adds nothing
          // The output columns whose input column ix = ox * s + off lies inside the row: bounds
          // hoisted out of the inner loop so that it vectorises.
          const int s = g.stride, off = kx * g.dilation - g.pad_left;
          const int lo = off >= 0 ? 0 : (-off + s - 1) / s;
          const int hi = g.in_w - 1 - off < 0 ? 0 : std::min(g.out_w, (g.in_w - 1 - off) / s + 1);
          for (int oy = 0; oy < g.out_h; ++oy) {
            const int iy = oy * s - g.pad_top + ky * g.dilation;
            if (iy < 0 || iy >= g.in_h) continue;
            const int8_t* row = ip + int64_t(iy) * g.in_w + off;
            int32_t* orow = op + int64_t(oy) * g.out_w;
            if (s == 1) {
              for (int ox = lo; ox < hi; ++ox) orow[ox] += wv * row[ox];
            } else {
              for (int ox = lo; ox < hi; ++ox) orow[ox] += wv * row[ox * s];
            }
          }
        }
      }
    }
  }
}

// The receptive fields of one group, one row per output pixel, taps in (c, ky, kx) order and
// zero-padded to a multiple of 32 taps (so that dot products run whole vectors).
struct Patches {
  int64_t pixels = 0, taps = 0, stride = 0;
  std::vector<int8_t> data;
};

int64_t paddedTaps(const LayerGeometry& g) {
  const int64_t taps = int64_t(g.in_c / g.groups) * g.kh * g.kw;
  return (taps + 31) / 32 * 32;
}

Patches gatherPatches(const LayerWorkload& w, int grp) {
  const LayerGeometry& g = w.geom;
  const int cPer = g.in_c / g.groups;
  Patches p;
  p.pixels = int64_t(g.out_h) * g.out_w;
  p.taps = int64_t(cPer) * g.kh * g.kw;
  p.stride = paddedTaps(g);
  p.data.assign(size_t(p.pixels * p.stride), 0);
  for (int oy = 0; oy < g.out_h; ++oy)
    for (int ox = 0; ox < g.out_w; ++ox) {
      int8_t* dst = p.data.data() + (int64_t(oy) * g.out_w + ox) * p.stride;
      for (int c = 0; c < cPer; ++c) {
        const int8_t* plane = w.input.data.data() + int64_t(grp * cPer + c) * g.in_h * g.in_w;
        for (int ky = 0; ky < g.kh; ++ky) {
          const int iy = oy * g.stride - g.pad_top + ky * g.dilation;
          for (int kx = 0; kx < g.kw; ++kx, ++dst) {
            const int ix = ox * g.stride - g.pad_left + kx * g.dilation;
            if (iy >= 0 && iy < g.in_h && ix >= 0 && ix < g.in_w) *dst = plane[int64_t(iy) * g.in_w + ix];
          }
        }
      }
    }
  return p;
}

// Output channels [o0, o1) (all in group grp) as dot products of each kernel with each receptive
// field, two kernels at a time: pairDots(ka, kb, p, outA, outB) takes two kernels (their taps as V,
// zero-padded to the patches' stride) and fills their output rows. At an odd end ob = oa.
template <class V, class PairDots>
void convKernelPairs(const LayerWorkload& w, const Patches& p, int o0, int o1, int32_t* outData, PairDots pairDots) {
  const int64_t T = p.stride, taps = p.taps;
  std::vector<V> kern(size_t(2 * T), 0);
  for (int o = o0; o < o1; o += 2) {
    const int oa = o, ob = std::min(o + 1, o1 - 1);
    std::copy_n(w.weights.data.data() + int64_t(oa) * taps, taps, kern.begin());
    std::copy_n(w.weights.data.data() + int64_t(ob) * taps, taps, kern.begin() + T);
    pairDots(kern.data(), kern.data() + T, p, outData + int64_t(oa) * p.pixels, outData + int64_t(ob) * p.pixels);
  }
}

// Two kernels by two pixels at a time, so that every loaded vector is used twice.
void pairDots(const int8_t* ka, const int8_t* kb, const Patches& p, int32_t* outA, int32_t* outB) {
  const int64_t T = p.stride;
  int64_t m = 0;
  for (; m + 1 < p.pixels; m += 2) {
    const int8_t* x0 = p.data.data() + m * T;
    const int8_t* x1 = x0 + T;
    int32_t s00 = 0, s01 = 0, s10 = 0, s11 = 0;
    for (int64_t k = 0; k < T; ++k) {
      const int32_t a = ka[k], b = kb[k], u = x0[k], v = x1[k];
      s00 += a * u;
      s01 += a * v;
      s10 += b * u;
      s11 += b * v;
    }
    outA[m] = s00;
    outA[m + 1] = s01;
    outB[m] = s10;
    outB[m + 1] = s11;
  }
  for (; m < p.pixels; ++m) {
    const int8_t* x0 = p.data.data() + m * T;
    int32_t s0 = 0, s1 = 0;
    for (int64_t k = 0; k < T; ++k) {
      s0 += int32_t(ka[k]) * x0[k];
      s1 += int32_t(kb[k]) * x0[k];
    }
    outA[m] = s0;
    outB[m] = s1;
  }
}

#if defined(__x86_64__) && defined(__GNUC__)
inline int32_t sum8(__m256i v) __attribute__((target("avx2")));
inline int32_t sum8(__m256i v) {
  __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4E));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xB1));
  return _mm_cvtsi128_si32(s);
}

// pairDots with AVX2 multiply-add of int16 pairs (vpmaddwd): the kernels widened to int16 once,
// each receptive field's 16 taps widened as loaded; 16 taps of two kernels by two pixels per step.
// Exact integers: every pair sum and running sum is bounded by the sum of |products|, as in the
// plain loop.
__attribute__((target("avx2"))) void pairDotsAvx2(const int16_t* ka, const int16_t* kb, const Patches& p, int32_t* outA, int32_t* outB) {
  const int64_t T = p.stride;  // a multiple of 32
  for (int64_t m = 0; m < p.pixels; m += 2) {
    const int8_t* x0 = p.data.data() + m * T;
    const int8_t* x1 = m + 1 < p.pixels ? x0 + T : x0;  // an odd last pixel pairs with itself
    __m256i s00 = _mm256_setzero_si256(), s01 = s00, s10 = s00, s11 = s00;
    for (int64_t k = 0; k < T; k += 16) {
      const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(ka + k));
      const __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(kb + k));
      const __m256i u = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(x0 + k)));
      const __m256i v = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(x1 + k)));
      s00 = _mm256_add_epi32(s00, _mm256_madd_epi16(a, u));
      s01 = _mm256_add_epi32(s01, _mm256_madd_epi16(a, v));
      s10 = _mm256_add_epi32(s10, _mm256_madd_epi16(b, u));
      s11 = _mm256_add_epi32(s11, _mm256_madd_epi16(b, v));
    }
    outA[m] = sum8(s00);
    outB[m] = sum8(s10);
    if (m + 1 < p.pixels) {
      outA[m + 1] = sum8(s01);
      outB[m + 1] = sum8(s11);
    }
  }
}
#endif

std::atomic<int> gVectorPath{-1};  // -1: AVX2 if the CPU has it; 0: the plain loop; 1: AVX2

void convDotsBest(const LayerWorkload& w, const Patches& p, int o0, int o1, int32_t* outData) {
#if defined(__x86_64__) && defined(__GNUC__)
  static const bool hasAvx2 = __builtin_cpu_supports("avx2");
  const int path = gVectorPath.load();
  if (hasAvx2 && path != 0) return convKernelPairs<int16_t>(w, p, o0, o1, outData, pairDotsAvx2);
#endif
  convKernelPairs<int8_t>(w, p, o0, o1, outData, pairDots);
}

// Runs body(lo, hi) over [0, n) split into contiguous parts, one per thread.
template <class F>
void parallelFor(int n, int threads, F body) {
  threads = std::max(1, std::min(threads, n));
  if (threads == 1) {
    body(0, n);
    return;
  }
  std::vector<std::thread> pool;
  const int per = (n + threads - 1) / threads;
  for (int t = 1; t < threads; ++t) {
    const int lo = std::min(n, t * per), hi = std::min(n, lo + per);
    if (lo < hi) pool.emplace_back(body, lo, hi);
  }
  body(0, std::min(n, per));
  for (auto& th : pool) th.join();
}

}  // namespace

void setReferenceThreads(int threads) { gThreads = std::max(0, threads); }

void setReferenceVectorPath(bool wide) { gVectorPath = wide ? 1 : 0; }

int referenceThreads() {
  const int t = gThreads.load();
  if (t > 0) return t;
  // Set by a sweep for the points it runs side by side.
  if (const char* e = std::getenv("SPARSESIM_REFERENCE_THREADS")) {
    const int n = std::atoi(e);
    if (n > 0) return n;
  }
  return hostThreads();
}

Int32Tensor referenceConv(const LayerWorkload& w) {
  const LayerGeometry& g = w.geom;
  if (g.batch > 1) {
    // A batch is its images, each convolved on its own: the reference knows nothing of the
    // batched GEMM rows the datapaths compute.
    Int32Tensor out({g.batch, g.out_c, g.out_h, g.out_w});
    LayerWorkload one = w;
    one.geom.batch = 1;
    one.geom.M = g.pixels();
    const int64_t in = g.imageInputElements(), outPer = int64_t(g.out_c) * g.pixels();
    for (int b = 0; b < g.batch; ++b) {
      one.input.shape = {1, g.in_c, g.in_h, g.in_w};
      one.input.data.assign(w.input.data.begin() + b * in, w.input.data.begin() + (b + 1) * in);
      const Int32Tensor r = referenceConv(one);
      std::copy(r.data.begin(), r.data.end(), out.data.begin() + b * outPer);
    }
    return out;
  }
  Int32Tensor out({1, g.out_c, g.out_h, g.out_w});
  const int oPer = g.out_c / g.groups;
  int64_t nonzeros = 0;
  for (int8_t v : w.weights.data) nonzeros += v != 0;
  // Work of each form, in multiply-adds (the dot products also pay for the padded taps and the
  // zero weights; the row form pays about three times as much per multiply-add).
  const double dots = double(paddedTaps(g)) * g.out_c * g.out_h * g.out_w;
  const double rows = 3.0 * double(nonzeros) * g.out_h * g.out_w;
  // Enough work per thread to pay for starting it.
  const int threads = dots * g.groups < 4e6 ? 1 : referenceThreads();
  if (rows < dots || oPer < 2) {
    parallelFor(g.out_c, threads, [&](int lo, int hi) { convRows(w, lo, hi, out.data.data()); });
  } else {
    for (int grp = 0; grp < g.groups; ++grp) {
      const Patches p = gatherPatches(w, grp);
      parallelFor(oPer, threads, [&](int lo, int hi) {
        convDotsBest(w, p, grp * oPer + lo, grp * oPer + hi, out.data.data());
      });
    }
  }
  return out;
}

}  // namespace sparsesim

// The reference convolution (both of its forms, with and without threads) against the plainest
// possible loop nest on random shapes: groups, depthwise, stride, asymmetric padding, kernels
// larger than the input, dense and pruned weights, sparse inputs.
#include <gtest/gtest.h>

#include <random>

#include "sim/reference/ReferenceConv.h"
#include "sim/run/Verify.h"

using namespace sparsesim;

namespace {

Int32Tensor naiveConv(const LayerWorkload& w) {
  const LayerGeometry& g = w.geom;
  Int32Tensor out({1, g.out_c, g.out_h, g.out_w});
  const int cPer = g.in_c / g.groups, oPer = g.out_c / g.groups;
  for (int o = 0; o < g.out_c; ++o)
    for (int oy = 0; oy < g.out_h; ++oy)
      for (int ox = 0; ox < g.out_w; ++ox) {
        int32_t s = 0;
        for (int c = 0; c < cPer; ++c)
          for (int ky = 0; ky < g.kh; ++ky)
            for (int kx = 0; kx < g.kw; ++kx) {
              const int iy = oy * g.stride - g.pad_top + ky, ix = ox * g.stride - g.pad_left + kx;
              if (iy < 0 || iy >= g.in_h || ix < 0 || ix >= g.in_w) continue;
              const int ci = (o / oPer) * cPer + c;
              s += int32_t(w.input.data[(size_t(ci) * g.in_h + iy) * g.in_w + ix]) *
                   int32_t(w.weights.data[((size_t(o) * cPer + c) * g.kh + ky) * g.kw + kx]);
            }
        out.data[(size_t(o) * g.out_h + oy) * g.out_w + ox] = s;
      }
  return out;
}

LayerWorkload randomLayer(std::mt19937_64& rng, bool large) {
  LayerWorkload w;
  LayerGeometry& g = w.geom;
  g.groups = 1 + int(rng() % 3);
  if (rng() % 5 == 0) g.groups = 4;
  const int cPer = 1 + int(rng() % (large ? 24 : 6)), oPer = 1 + int(rng() % (large ? 24 : 6));
  if (rng() % 6 == 0) g.groups = 8;  // with cPer = oPer = 1 below: depthwise
  g.in_c = g.groups * cPer;
  g.out_c = g.groups * oPer;
  if (g.groups == 8) g.in_c = g.out_c = 8;
  g.kh = 1 + int(rng() % 5);
  g.kw = 1 + int(rng() % 5);
  g.stride = 1 + int(rng() % 3);
  g.in_h = 1 + int(rng() % (large ? 24 : 12));
  g.in_w = 1 + int(rng() % (large ? 24 : 12));
  g.pad_top = int(rng() % 3);
  g.pad_left = int(rng() % 3);
  const int padBottom = int(rng() % 3), padRight = int(rng() % 3);
  g.out_h = std::max(1, (g.in_h + g.pad_top + padBottom - g.kh) / g.stride + 1);
  g.out_w = std::max(1, (g.in_w + g.pad_left + padRight - g.kw) / g.stride + 1);
  const int c = g.in_c / g.groups;
  g.M = int64_t(g.out_h) * g.out_w;
  g.K = int64_t(c) * g.kh * g.kw;
  g.N = g.out_c / g.groups;
  const double wz = (rng() % 3 == 0) ? 0.9 : double(rng() % 50) / 100.0;
  const double iz = double(rng() % 90) / 100.0;
  std::uniform_real_distribution<double> u(0, 1);
  w.input = Int8Tensor({1, g.in_c, g.in_h, g.in_w});
  for (auto& v : w.input.data) v = u(rng) < iz ? 0 : int8_t(int(rng() % 256) - 128);
  w.weights = Int8Tensor({g.out_c, c, g.kh, g.kw});
  for (auto& v : w.weights.data) v = u(rng) < wz ? 0 : int8_t(int(rng() % 256) - 128);
  return w;
}

}  // namespace

TEST(ReferenceConv, EqualsTheNaiveLoopOnRandomShapes) {
  std::mt19937_64 rng(11);
  for (int threads : {1, 2, 3, -1}) {
    // -1: one thread on the plain loop instead of the AVX2 dot products.
    setReferenceThreads(std::max(1, threads));
    setReferenceVectorPath(threads > 0);
    for (int trial = 0; trial < 300; ++trial) {
      const LayerWorkload w = randomLayer(rng, trial % 10 == 0);
      const Int32Tensor want = naiveConv(w);
      const Int32Tensor got = referenceConv(w);
      ASSERT_EQ(got.shape, want.shape);
      ASSERT_EQ(got.data, want.data) << "threads " << threads << " trial " << trial << " groups " << w.geom.groups
                                     << " k " << w.geom.kh << "x" << w.geom.kw << " stride " << w.geom.stride;
    }
  }
  setReferenceThreads(0);
  setReferenceVectorPath(true);
}

// Verification catches a wrong output: the datapath's output with one element off by one (or a
// wrong shape) fails verifyOutputs with that element named, and the exact output passes.
TEST(ReferenceConv, VerificationFailsOnAnInjectedWrongOutput) {
  std::mt19937_64 rng(23);
  for (int trial = 0; trial < 60; ++trial) {
    const LayerWorkload w = randomLayer(rng, trial % 10 == 0);
    Int32Tensor out = naiveConv(w);
    LayerResult ok;
    verifyOutputs(w, out, ok);
    EXPECT_TRUE(ok.verified) << trial;
    EXPECT_EQ(ok.mismatches, 0) << trial;
    const size_t bad = size_t(rng() % out.size());
    out.data[bad] += 1;
    LayerResult wrong;
    verifyOutputs(w, out, wrong);
    EXPECT_FALSE(wrong.verified) << trial;
    EXPECT_EQ(wrong.mismatches, 1) << trial;
    EXPECT_EQ(wrong.first_mismatch.rfind("flat index " + std::to_string(bad) + ":", 0), 0u) << wrong.first_mismatch;
  }
  const LayerWorkload w = randomLayer(rng, false);
  LayerResult shape;
  verifyOutputs(w, Int32Tensor({7, 1, 1, 1}), shape);  // batch 7: never the reference shape
  EXPECT_FALSE(shape.verified);
}

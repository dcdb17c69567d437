#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "sim/workload/Kwta.h"
#include "sim/workload/Rng.h"
#include "sim/workload/Workload.h"

using namespace sparsesim;

// Oracle: a full sort by (magnitude desc, index asc).
static std::vector<uint32_t> kwtaBySort(const std::vector<int8_t>& v, size_t k) {
  std::vector<uint32_t> idx(v.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::stable_sort(idx.begin(), idx.end(), [&](uint32_t a, uint32_t b) { return std::abs(int(v[a])) > std::abs(int(v[b])); });
  idx.resize(std::min(k, v.size()));
  std::sort(idx.begin(), idx.end());
  return idx;
}

TEST(Kwta, MatchesSortOracleWithManyTies) {
  CounterRng rng(7, 1);
  for (int trial = 0; trial < 200; ++trial) {
    size_t n = 1 + rng.at(trial * 3) % 500;
    int range = 1 + int(rng.at(trial * 3 + 1) % 10);  // few distinct magnitudes: many ties
    std::vector<int8_t> v(n);
    for (size_t i = 0; i < n; ++i) v[i] = int8_t(int(rng.at(100000 + trial * 1000 + i) % (2 * range + 1)) - range);
    size_t k = rng.at(trial * 3 + 2) % (n + 2);
    EXPECT_EQ(kwtaWinners(v.data(), n, k), kwtaBySort(v, k)) << "trial " << trial;
  }
}

TEST(Kwta, TieBreaksToLowerIndexAndHandlesExtremes) {
  std::vector<int8_t> v = {3, -5, 5, 1, -128, 5};
  EXPECT_EQ(kwtaWinners(v.data(), v.size(), 1), (std::vector<uint32_t>{4}));
  EXPECT_EQ(kwtaWinners(v.data(), v.size(), 2), (std::vector<uint32_t>{1, 4}));
  EXPECT_EQ(kwtaWinners(v.data(), v.size(), 3), (std::vector<uint32_t>{1, 2, 4}));
  EXPECT_EQ(kwtaK(0.095, 12544), 1192u);
  EXPECT_EQ(kwtaK(1e-9, 10), 1u);
}

static LayerConfig conv(double ws, double ad, WeightPattern p = WeightPattern::Unstructured) {
  LayerConfig l;
  l.name = "c";
  l.in_channels = 16; l.out_channels = 24; l.in_h = 9; l.in_w = 11; l.kernel_h = 3; l.kernel_w = 3;
  l.weight_sparsity = ws; l.activation_density = ad; l.weight_pattern = p;
  return l;
}

TEST(Workload, ExactSparsityAndDensity) {
  for (double s : {0.0, 0.3, 0.75, 0.95}) {
    LayerWorkload w = makeWorkload(conv(s, 0.2), Compat::None, 3, "", 0);
    size_t n = w.weights.size();
    EXPECT_EQ(size_t(w.weight_nonzeros), n - size_t(std::llround(s * n))) << s;
    EXPECT_EQ(w.kwta_k, kwtaK(0.2, w.input.size()));
    EXPECT_LE(size_t(w.input_nonzeros), w.kwta_k);
  }
}

TEST(Workload, DeterministicPerSeedAndName) {
  LayerWorkload a = makeWorkload(conv(0.5, 0.5), Compat::None, 3, "", 0);
  LayerWorkload b = makeWorkload(conv(0.5, 0.5), Compat::None, 3, "", 5);  // position in the file does not matter
  LayerWorkload c = makeWorkload(conv(0.5, 0.5), Compat::None, 4, "", 0);
  EXPECT_EQ(a.weights.data, b.weights.data);
  EXPECT_EQ(a.input.data, b.input.data);
  EXPECT_NE(a.weights.data, c.weights.data);
  EXPECT_NE(a.input.data, c.input.data);
}

TEST(Workload, ComplementaryMasksAreDisjointInRuns) {
  // 66.7% sparse 3x3 kernels: runs of three kernels tile the kernel volume exactly.
  LayerConfig l = conv(2.0 / 3.0, 1.0, WeightPattern::Complementary);
  l.in_channels = 1; l.out_channels = 6;
  LayerWorkload w = makeWorkload(l, Compat::None, 1, "", 0);
  for (int run = 0; run < 2; ++run) {
    for (int p = 0; p < 9; ++p) {
      int owners = 0;
      for (int r = 0; r < 3; ++r) owners += w.weights.data[(run * 3 + r) * 9 + p] != 0;
      EXPECT_EQ(owners, 1) << "run " << run << " position " << p;
    }
  }
}

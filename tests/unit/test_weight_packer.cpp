// Offline CS weight packer: disjointness, exact reconstruction, efficiency, first-fit rule.
#include <gtest/gtest.h>

#include <random>
#include <set>

#include "sim/config/NetworkConfig.h"
#include "sim/workload/WeightPacker.h"
#include "sim/workload/Workload.h"

using namespace sparsesim;

namespace {

// Independent checks of one packing against the weights it came from.
void checkPacking(const std::vector<int8_t>& w, int64_t out, int groups, int64_t K, const PackedLayer& p, bool dense) {
  const int64_t nper = out / groups;
  ASSERT_EQ(p.convGroups, groups);
  ASSERT_EQ(p.K, K);
  // Every kernel in exactly one packed group of its own conv group.
  for (int g = 0; g < groups; ++g) {
    std::multiset<int> seen;
    for (const PackedGroup& pg : p.groups[g]) seen.insert(pg.kernels.begin(), pg.kernels.end());
    ASSERT_EQ(static_cast<int64_t>(seen.size()), nper);
    for (int64_t n = 0; n < nper; ++n) EXPECT_EQ(seen.count(static_cast<int>(n)), 1u) << "kernel " << n << " of group " << g;
  }
  // Disjointness, checked on the ORIGINAL weights: no two kernels of a packed group are both
  // non-zero at one position.
  if (!dense) {
    for (int g = 0; g < groups; ++g)
      for (const PackedGroup& pg : p.groups[g])
        for (int64_t k = 0; k < K; ++k) {
          int nz = 0;
          for (int n : pg.kernels) nz += w[(g * nper + n) * K + k] != 0;
          ASSERT_LE(nz, 1) << "group " << g << " slot " << k;
        }
  }
  // Exact reconstruction.
  EXPECT_EQ(unpackLayer(p), w);
  // Counts and efficiency from first principles.
  int64_t nnz = 0;
  for (int8_t v : w) nnz += v != 0;
  int64_t packs = 0;
  int maxN = 0;
  for (const auto& gs : p.groups) {
    packs += static_cast<int64_t>(gs.size());
    for (const auto& pg : gs) maxN = std::max<int>(maxN, static_cast<int>(pg.kernels.size()));
  }
  EXPECT_EQ(p.nonzeros, nnz);
  EXPECT_EQ(p.packedGroups, packs);
  EXPECT_EQ(p.maxN, maxN);
  EXPECT_DOUBLE_EQ(p.efficiency(), double(nnz) / double(packs * K));
  int bits = 0;
  while ((1 << bits) < maxN) ++bits;
  EXPECT_EQ(p.idBits, bits);
}

std::vector<int8_t> randomWeights(int64_t count, double density, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  std::uniform_int_distribution<int> val(1, 127);
  std::vector<int8_t> w(static_cast<size_t>(count));
  for (auto& x : w) x = u(rng) < density ? static_cast<int8_t>(val(rng) * (u(rng) < 0.5 ? -1 : 1)) : 0;
  return w;
}

LayerWorkload complementaryLayer(int in, int out, int kh, double s, int groups = 1) {
  LayerConfig l;
  l.name = "packtest";
  l.type = LayerType::Conv2d;
  l.in_channels = in;
  l.out_channels = out;
  l.in_h = l.in_w = 16;
  l.kernel_h = l.kernel_w = kh;
  l.groups = groups;
  l.weight_sparsity = s;
  l.weight_pattern = WeightPattern::Complementary;
  return makeWorkload(l, Compat::None, 7, "test.json", 0);
}

}  // namespace

// The paper's figure: three 3x3 kernels at 66.7% sparsity (3 non-zeros each) tile one kernel.
TEST(WeightPacker, ThreeComplementary3x3KernelsPackIntoOne) {
  // Masks written out by hand: positions {0,4,8}, {1,5,6}, {2,3,7}.
  std::vector<int8_t> w(27, 0);
  const int pos[3][3] = {{0, 4, 8}, {1, 5, 6}, {2, 3, 7}};
  for (int n = 0; n < 3; ++n)
    for (int j = 0; j < 3; ++j) w[n * 9 + pos[n][j]] = static_cast<int8_t>(10 * n + j + 1);
  PackedLayer p = packLayer(w.data(), 3, 1, 9, PackingStrategy::FirstFitDisjoint, 16);
  checkPacking(w, 3, 1, 9, p, false);
  ASSERT_EQ(p.packedGroups, 1);
  EXPECT_EQ(p.maxN, 3);
  EXPECT_EQ(p.idBits, 2);
  EXPECT_DOUBLE_EQ(p.efficiency(), 1.0);
  // Slot 5 holds kernel 1's second weight, tagged with kernel ID 1.
  const PackedSlot& s = p.groups[0][0].slots[5];
  EXPECT_TRUE(s.valid);
  EXPECT_EQ(s.weight, 12);
  EXPECT_EQ(p.groups[0][0].kernels[s.kernel], 1);
}

TEST(WeightPacker, FiveComplementary5x5KernelsFromTheGeneratorPackIntoOne) {
  LayerWorkload lw = complementaryLayer(1, 5, 5, 0.8);
  PackedLayer p = packLayer(lw.weights.data.data(), 5, 1, 25, PackingStrategy::FirstFitDisjoint, 16);
  checkPacking(lw.weights.data, 5, 1, 25, p, false);
  EXPECT_EQ(p.packedGroups, 1);
  EXPECT_EQ(p.maxN, 5);
  EXPECT_DOUBLE_EQ(p.efficiency(), 1.0);
}

// Perfect masks from the generator over a whole layer: N = 1/(1-s) per group, the last run short.
TEST(WeightPacker, GeneratorComplementaryLayerPacksPerfectly) {
  LayerWorkload lw = complementaryLayer(64, 64, 5, 0.8);
  const int64_t K = 64 * 25;
  PackedLayer p = packLayer(lw.weights.data.data(), 64, 1, K, PackingStrategy::FirstFitDisjoint, 16);
  checkPacking(lw.weights.data, 64, 1, K, p, false);
  EXPECT_EQ(p.maxN, 5);
  EXPECT_EQ(p.packedGroups, 13);  // ceil(64 / 5)
  // 64 kernels x 320 non-zeros in 13 x 1600 slots.
  EXPECT_DOUBLE_EQ(p.efficiency(), 64.0 * 320.0 / (13.0 * 1600.0));
}

TEST(WeightPacker, GroupedConvNeverPacksAcrossConvGroups) {
  LayerWorkload lw = complementaryLayer(8, 12, 3, 2.0 / 3.0, 2);  // 2 conv groups of 6 kernels, K = 36
  PackedLayer p = packLayer(lw.weights.data.data(), 12, 2, 36, PackingStrategy::FirstFitDisjoint, 16);
  checkPacking(lw.weights.data, 12, 2, 36, p, false);
  EXPECT_EQ(p.groups[0].size(), 2u);
  EXPECT_EQ(p.groups[1].size(), 2u);
  EXPECT_DOUBLE_EQ(p.efficiency(), 1.0);
}

TEST(WeightPacker, MaxNCapsKernelsPerGroup) {
  // One run of five complementary kernels, at most two per group: {0,1}, {2,3}, {4}.
  LayerWorkload lw = complementaryLayer(1, 5, 5, 0.8);
  PackedLayer p = packLayer(lw.weights.data.data(), 5, 1, 25, PackingStrategy::FirstFitDisjoint, 2);
  checkPacking(lw.weights.data, 5, 1, 25, p, false);
  EXPECT_EQ(p.maxN, 2);
  EXPECT_EQ(p.packedGroups, 3);
  EXPECT_DOUBLE_EQ(p.efficiency(), 25.0 / (3.0 * 25.0));
}

TEST(WeightPacker, OnePerGroupStoresDenseKernels) {
  std::vector<int8_t> w = randomWeights(6 * 20, 0.3, 3);
  PackedLayer p = packLayer(w.data(), 6, 1, 20, PackingStrategy::OnePerGroup, 16);
  checkPacking(w, 6, 1, 20, p, true);
  EXPECT_EQ(p.packedGroups, 6);
  EXPECT_EQ(p.maxN, 1);
  EXPECT_EQ(p.idBits, 0);
  int64_t dead = 0;
  for (int64_t k = 0; k < 20; ++k) {
    bool any = false;
    for (int64_t n = 0; n < 6; ++n) any = any || w[size_t(n * 20 + k)] != 0;
    EXPECT_EQ(bool(p.live[0][size_t(k)]), any) << "column " << k;
    dead += any ? 0 : 1;
    // Zeros are stored too, except in a column no kernel uses (channel pruning).
    for (const auto& pg : p.groups[0]) EXPECT_EQ(pg.slots[size_t(k)].valid, any) << "column " << k;
  }
  EXPECT_EQ(p.deadColumns, dead);
}

// Whole input channels zero (channel pruning): their columns are dead in every strategy.
TEST(WeightPacker, PrunedChannelsLeaveDeadColumns) {
  const int64_t out = 8, C = 10, kk = 9, K = C * kk;
  std::vector<int8_t> w = randomWeights(size_t(out * K), 0.5, 7);
  for (int64_t n = 0; n < out; ++n)
    for (int64_t c = 0; c < C; ++c)
      if (c % 3 != 0)
        for (int64_t i = 0; i < kk; ++i) w[size_t(n * K + c * kk + i)] = 0;
  for (PackingStrategy st : {PackingStrategy::OnePerGroup, PackingStrategy::FirstFitDisjoint}) {
    PackedLayer p = packLayer(w.data(), out, 1, K, st, 16);
    checkPacking(w, out, 1, K, p, st == PackingStrategy::OnePerGroup);
    for (int64_t c = 0; c < C; ++c)
      for (int64_t i = 0; i < kk; ++i)
        if (c % 3 != 0) EXPECT_FALSE(p.live[0][size_t(c * kk + i)]);
    EXPECT_GE(p.deadColumns, (C - 4) * kk);
  }
}

// Random unstructured masks: valid packing, and the first-fit rule holds: a kernel sits in the
// first group that could take it when it was placed (earlier groups were full or overlapped
// the kernels placed in them before it).
TEST(WeightPacker, RandomMasksFollowFirstFit) {
  for (uint32_t seed = 1; seed <= 20; ++seed) {
    const int64_t out = 40, K = 24;
    const double density = 0.05 + 0.02 * seed;
    const int maxN = 2 + static_cast<int>(seed % 5);
    std::vector<int8_t> w = randomWeights(out * K, density, seed);
    PackedLayer p = packLayer(w.data(), out, 1, K, PackingStrategy::FirstFitDisjoint, maxN);
    checkPacking(w, out, 1, K, p, false);
    // Replay: group of every kernel, and members placed before it.
    std::vector<int> groupOf(out);
    for (size_t q = 0; q < p.groups[0].size(); ++q)
      for (int n : p.groups[0][q].kernels) groupOf[n] = static_cast<int>(q);
    for (int64_t n = 0; n < out; ++n) {
      for (int q = 0; q < groupOf[n]; ++q) {
        int before = 0;
        bool overlap = false;
        for (int m : p.groups[0][q].kernels) {
          if (m >= n) continue;
          ++before;
          for (int64_t k = 0; k < K; ++k) overlap |= w[m * K + k] != 0 && w[n * K + k] != 0;
        }
        EXPECT_TRUE(overlap || before >= maxN) << "seed " << seed << ": kernel " << n << " fits earlier group " << q;
      }
    }
    // Efficiency is at most 1, and the group count at least the two trivial lower bounds.
    EXPECT_LE(p.efficiency(), 1.0);
    EXPECT_GE(p.packedGroups, (out + maxN - 1) / maxN);
    EXPECT_GE(p.packedGroups * K, p.nonzeros);
  }
}

// Efficiency on random masks, against the exact count for a case small enough to reason about:
// 4 kernels of K = 4 with masks {0}, {0}, {1,2}, {3}: first fit gives {k0, k2, k3}, {k1}.
TEST(WeightPacker, EfficiencyOfAnImperfectPacking) {
  std::vector<int8_t> w = {5, 0, 0, 0,  -3, 0, 0, 0,  0, 7, 9, 0,  0, 0, 0, -1};
  PackedLayer p = packLayer(w.data(), 4, 1, 4, PackingStrategy::FirstFitDisjoint, 16);
  checkPacking(w, 4, 1, 4, p, false);
  ASSERT_EQ(p.packedGroups, 2);
  EXPECT_EQ(p.groups[0][0].kernels, (std::vector<int>{0, 2, 3}));
  EXPECT_EQ(p.groups[0][1].kernels, (std::vector<int>{1}));
  EXPECT_DOUBLE_EQ(p.efficiency(), 5.0 / 8.0);
  EXPECT_EQ(p.maxN, 3);
}

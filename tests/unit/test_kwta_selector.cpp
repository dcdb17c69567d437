// k-WTA selector circuits: exact top-k against the reference kwtaWinners (sim/workload/Kwta.h),
// tie-breaking, grouping, and latency against each circuit's closed form.
#include <gtest/gtest.h>

#include <random>

#include "models/cs/KwtaSelector.h"
#include "sim/workload/Kwta.h"

using namespace sparsesim;

namespace {

SelectorParams params(SelectorCircuit c, int lanes = 16, int out = 8, int bins = 8, int comparators = 64) {
  SelectorParams p;
  p.circuit = c;
  p.lanes = lanes;
  p.out_width = out;
  p.bins_per_cycle = bins;
  p.comparators = comparators;
  return p;
}

uint64_t cdiv(uint64_t a, uint64_t b) { return (a + b - 1) / b; }

const SelectorCircuit kCircuits[] = {SelectorCircuit::Threshold, SelectorCircuit::Bitonic};

}  // namespace

TEST(KwtaSelector, ExactTopKMatchesReferenceOnRandomInputsWithTies) {
  std::mt19937 rng(11);
  for (SelectorCircuit c : kCircuits) {
    KwtaSelectorCore sel(params(c));
    for (int trial = 0; trial < 60; ++trial) {
      const size_t n = 1 + rng() % 700;
      const size_t k = 1 + rng() % n;
      // Narrow value ranges make many equal magnitudes (ties), wide ones few.
      const int range = trial % 3 == 0 ? 3 : trial % 3 == 1 ? 20 : 127;
      std::vector<int8_t> v(n);
      for (auto& x : v) x = static_cast<int8_t>(static_cast<int>(rng() % (2 * range + 1)) - range);
      Selection s = sel.selectGlobal(v.data(), n, k);
      ASSERT_EQ(s.indices, kwtaWinners(v.data(), n, k)) << toString(c) << " n=" << n << " k=" << k;
      ASSERT_EQ(s.values.size(), s.indices.size());
      for (size_t i = 0; i < s.indices.size(); ++i) ASSERT_EQ(s.values[i], v[s.indices[i]]);
    }
  }
}

// All magnitudes equal: the lowest indices win, whatever the signs.
TEST(KwtaSelector, TiesGoToTheLowerIndex) {
  std::vector<int8_t> v(37);
  for (size_t i = 0; i < v.size(); ++i) v[i] = i % 2 ? 5 : -5;
  for (SelectorCircuit c : kCircuits) {
    Selection s = KwtaSelectorCore(params(c)).selectGlobal(v.data(), v.size(), 10);
    std::vector<uint32_t> expect(10);
    for (uint32_t i = 0; i < 10; ++i) expect[i] = i;
    EXPECT_EQ(s.indices, expect) << toString(c);
  }
  // Ties at the threshold only: 9 is clear, then three of the 4s, lowest indices first.
  std::vector<int8_t> w = {4, 0, -4, 9, 4, 1, -4, 2};
  for (SelectorCircuit c : kCircuits) {
    Selection s = KwtaSelectorCore(params(c)).selectGlobal(w.data(), w.size(), 4);
    EXPECT_EQ(s.indices, (std::vector<uint32_t>{0, 2, 3, 4})) << toString(c);
  }
}

TEST(KwtaSelector, GroupedSelectionIsKwtaPerGroup) {
  std::mt19937 rng(5);
  std::vector<int8_t> v(1000);
  for (auto& x : v) x = static_cast<int8_t>(static_cast<int>(rng() % 41) - 20);
  const size_t G = 96;
  const double density = 0.15;
  for (SelectorCircuit c : kCircuits) {
    Selection s = KwtaSelectorCore(params(c)).selectGrouped(v.data(), v.size(), G, density);
    std::vector<uint32_t> expect;
    for (size_t off = 0; off < v.size(); off += G) {
      size_t len = std::min(G, v.size() - off);
      for (uint32_t i : kwtaWinners(v.data() + off, len, kwtaK(density, len))) expect.push_back(static_cast<uint32_t>(off) + i);
    }
    EXPECT_EQ(s.indices, expect) << toString(c);
    EXPECT_EQ(s.groups, 11);
  }
}

// A batch: the groups restart at every image, so each image's selection is what it alone gives.
TEST(KwtaSelector, GroupedSelectionRestartsAtEveryImage) {
  std::mt19937 rng(9);
  const size_t image = 250, images = 3, G = 96;
  std::vector<int8_t> v(image * images);
  for (auto& x : v) x = static_cast<int8_t>(static_cast<int>(rng() % 41) - 20);
  const double density = 0.2;
  for (SelectorCircuit c : kCircuits) {
    const KwtaSelectorCore core(params(c));
    Selection s = core.selectGrouped(v.data(), v.size(), G, density, image);
    std::vector<uint32_t> expect;
    for (size_t b = 0; b < images; ++b)
      for (uint32_t i : core.selectGrouped(v.data() + b * image, image, G, density).indices)
        expect.push_back(static_cast<uint32_t>(b * image) + i);
    EXPECT_EQ(s.indices, expect) << toString(c);
    EXPECT_EQ(s.groups, 9);  // 3 groups (96, 96, 58) per image
  }
}

TEST(KwtaSelector, KeepingEverythingBypassesTheCircuit) {
  std::vector<int8_t> v = {1, -2, 3, 0};
  for (SelectorCircuit c : kCircuits) {
    Selection s = KwtaSelectorCore(params(c)).selectGlobal(v.data(), v.size(), 4);
    EXPECT_EQ(s.indices, (std::vector<uint32_t>{0, 1, 2, 3}));
    EXPECT_EQ(s.cycles, 0u);
    EXPECT_EQ(s.bypassed_groups, 1);
  }
}

// Bitonic: log2(P)(log2(P)+1)/2 stages of P/2 compare-exchanges on C units, plus load and read-out.
TEST(KwtaSelector, BitonicLatencyFollowsTheNetworkStructure) {
  std::mt19937 rng(3);
  struct Case { size_t n, k; int W, E, C; };
  const Case cases[] = {{1000, 100, 16, 8, 64}, {1000, 100, 16, 8, 512}, {2, 1, 1, 1, 1}, {3, 2, 2, 1, 1},
                        {4096, 1, 64, 4, 100}, {12544, 1200, 32, 8, 256}, {17, 16, 4, 3, 2}};
  for (const Case& t : cases) {
    std::vector<int8_t> v(t.n);
    for (auto& x : v) x = static_cast<int8_t>(static_cast<int>(rng() % 255) - 127);
    KwtaSelectorCore sel(params(SelectorCircuit::Bitonic, t.W, t.E, 8, t.C));
    Selection s = sel.selectGlobal(v.data(), t.n, t.k);
    uint64_t lg = 0;
    while ((uint64_t(1) << lg) < t.n) ++lg;
    const uint64_t P = uint64_t(1) << lg, stages = lg * (lg + 1) / 2;
    EXPECT_EQ(s.compare_stages, static_cast<int64_t>(stages)) << "n=" << t.n;
    EXPECT_EQ(s.load_cycles, cdiv(t.n, t.W));
    EXPECT_EQ(s.search_cycles, stages * cdiv(P / 2, t.C));
    EXPECT_EQ(s.emit_cycles, cdiv(t.k, t.E));
    EXPECT_EQ(s.cycles, cdiv(t.n, t.W) + stages * cdiv(P / 2, t.C) + cdiv(t.k, t.E));
    EXPECT_EQ(s.indices, kwtaWinners(v.data(), t.n, t.k));
  }
  // The two textbook sizes: 8 lanes -> 6 stages, 1024 -> 55 stages.
  std::vector<int8_t> v8(8, 1), v1024(1024, 1);
  EXPECT_EQ(KwtaSelectorCore(params(SelectorCircuit::Bitonic)).selectGlobal(v8.data(), 8, 2).compare_stages, 6);
  EXPECT_EQ(KwtaSelectorCore(params(SelectorCircuit::Bitonic)).selectGlobal(v1024.data(), 1024, 2).compare_stages, 55);
}

// Threshold circuit on an input worked out by hand: v[i] = i + 1 (magnitudes 1..64), k = 10,
// W = 8 lanes, E = 2 per cycle, B = 4 bins per cycle.
//   pass 1: 64/8 = 8 cycles; merge tree log2(8) = 3; threshold t = 55, bins 128..55 = 74
//   scanned, ceil(74/4) = 19 -> search 22.
//   pass 2: chunks 0-5 flag nothing; chunk 6 (indices 48-55) flags 54, 55 (2, emitted at once);
//   chunk 7 flags 8, 2 emitted, 6 queued -> 3 more cycles: 11, plus compaction depth 3 -> 14.
//   total 8 + 22 + 14 = 44.
TEST(KwtaSelector, ThresholdLatencyOnAWorkedExample) {
  std::vector<int8_t> v(64);
  for (int i = 0; i < 64; ++i) v[i] = static_cast<int8_t>(i + 1);
  Selection s = KwtaSelectorCore(params(SelectorCircuit::Threshold, 8, 2, 4)).selectGlobal(v.data(), 64, 10);
  EXPECT_EQ(s.load_cycles, 8u);
  EXPECT_EQ(s.search_cycles, 22u);
  EXPECT_EQ(s.emit_cycles, 14u);
  EXPECT_EQ(s.cycles, 44u);
  EXPECT_EQ(s.indices, kwtaWinners(v.data(), 64, 10));
}

// Threshold circuit on random inputs: each phase within the bounds its structure allows.
TEST(KwtaSelector, ThresholdLatencyWithinStructuralBounds) {
  std::mt19937 rng(8);
  for (int trial = 0; trial < 40; ++trial) {
    const size_t n = 50 + rng() % 5000, k = 1 + rng() % (n - 1);
    const int W = 1 << (rng() % 7), E = 1 + static_cast<int>(rng() % 16), B = 1 + static_cast<int>(rng() % 16);
    std::vector<int8_t> v(n);
    for (auto& x : v) x = static_cast<int8_t>(static_cast<int>(rng() % 255) - 127);
    Selection s = KwtaSelectorCore(params(SelectorCircuit::Threshold, W, E, B)).selectGlobal(v.data(), n, k);
    int tree = 0;
    while ((1 << tree) < W) ++tree;
    EXPECT_EQ(s.load_cycles, cdiv(n, W));
    EXPECT_GE(s.search_cycles, uint64_t(tree) + 1);
    EXPECT_LE(s.search_cycles, uint64_t(tree) + cdiv(129, B));
    const uint64_t pass2 = s.emit_cycles - uint64_t(tree);
    EXPECT_GE(pass2, std::max(cdiv(n, W), cdiv(k, E)));
    EXPECT_LE(pass2, cdiv(n, W) + cdiv(k, E));
    EXPECT_EQ(s.indices, kwtaWinners(v.data(), n, k));
  }
}

// With an output as wide as the input, pass 2 never queues: exactly ceil(n / W) cycles.
TEST(KwtaSelector, ThresholdPass2StreamsWhenTheCompactorKeepsUp) {
  std::mt19937 rng(9);
  std::vector<int8_t> v(1000);
  for (auto& x : v) x = static_cast<int8_t>(static_cast<int>(rng() % 255) - 127);
  Selection s = KwtaSelectorCore(params(SelectorCircuit::Threshold, 16, 16, 8)).selectGlobal(v.data(), v.size(), 300);
  EXPECT_EQ(s.emit_cycles, cdiv(1000, 16) + 4);
}

// Sparse-PE array: issued MACs equal the matching non-zero pairs (brute force), outputs equal
// the dot products, single-PE cycles equal a plain merge's step count, cycles fall as sparsity
// rises, and FIFO back-pressure between PEs sharing a bus shows up as stalls.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "models/sparse_pe/SparsePeArray.h"
#include "sim/core/ConfigError.h"
#include "sim/config/ConfigLoader.h"
#include "sim/run/Runner.h"

using namespace sparsesim;

namespace {

// A dense length-K vector and its (value, k) stream.
struct Vec {
  std::vector<int8_t> dense;
  std::vector<int8_t> val;
  std::vector<int32_t> k;
  SparseStream stream() const { return SparseStream{val.data(), k.data(), int64_t(k.size())}; }
};

Vec makeVec(std::mt19937_64& rng, int K, double density) {
  Vec v;
  v.dense.assign(size_t(K), 0);
  std::uniform_real_distribution<double> u(0, 1);
  for (int k = 0; k < K; ++k)
    if (u(rng) < density) {
      int8_t x = int8_t(1 + rng() % 127);
      if (rng() & 1) x = int8_t(-x);
      v.dense[size_t(k)] = x;
      v.val.push_back(x);
      v.k.push_back(k);
    }
  return v;
}

SparsePeConfig cfg(int depth, int width, int bus) {
  SparsePeConfig c;
  c.fifo_depth = depth;
  c.match_width = width;
  c.bus_pairs_per_cycle = bus;
  return c;
}

}  // namespace

TEST(SparsePe, IssuedMacsEqualMatchingNonZeroPairsAndOutputsAreExact) {
  std::mt19937_64 rng(42);
  for (int trial = 0; trial < 120; ++trial) {
    const int R = 1 + int(rng() % 6), C = 1 + int(rng() % 6);
    const int nr = 1 + int(rng() % R), nc = 1 + int(rng() % C);
    const int K = 1 + int(rng() % 200);
    const double ad = double(rng() % 101) / 100.0, wd = double(rng() % 101) / 100.0;
    std::vector<Vec> rows, cols;
    std::vector<SparseStream> rs, cs;
    for (int i = 0; i < nr; ++i) rows.push_back(makeVec(rng, K, ad));
    for (int j = 0; j < nc; ++j) cols.push_back(makeVec(rng, K, wd));
    for (auto& v : rows) rs.push_back(v.stream());
    for (auto& v : cols) cs.push_back(v.stream());
    SparsePeArrayCore core(R, C, cfg(1 + int(rng() % 10), 1 + int(rng() % 8), 1 + int(rng() % 8)));
    std::vector<int32_t> out(size_t(nr * nc), 3);  // accumulates onto what is there
    SparsePeCounters c = core.runFold(rs, cs, out.data(), nc);
    uint64_t pairs = 0;
    for (int i = 0; i < nr; ++i)
      for (int j = 0; j < nc; ++j) {
        int32_t dot = 0;
        for (int k = 0; k < K; ++k) {
          const int8_t a = rows[size_t(i)].dense[size_t(k)], b = cols[size_t(j)].dense[size_t(k)];
          pairs += (a != 0 && b != 0);
          dot += int32_t(a) * int32_t(b);
        }
        ASSERT_EQ(out[size_t(i * nc + j)], 3 + dot) << "trial " << trial << " PE " << i << "," << j;
      }
    EXPECT_EQ(c.macs, pairs) << "trial " << trial;
    EXPECT_GE(c.cycles, 1u);
    EXPECT_EQ(c.active_pe_cycles + c.starved_pe_cycles + c.idle_pe_cycles, c.cycles * uint64_t(R * C));
  }
}

// One PE comparing one entry per side per cycle (match_width 1), fed fast enough: after the
// first cycle (empty FIFOs) every cycle is one step of a textbook merge of the two index lists,
// which ends when either list is used up.
TEST(SparsePe, SinglePeWithWidthOneTakesOneCyclePerMergeStep) {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 100; ++trial) {
    const int K = 1 + int(rng() % 300);
    Vec a = makeVec(rng, K, double(rng() % 100 + 1) / 100.0), b = makeVec(rng, K, double(rng() % 100 + 1) / 100.0);
    if (a.k.empty() || b.k.empty()) continue;
    size_t x = 0, y = 0;
    uint64_t steps = 0;
    while (x < a.k.size() && y < b.k.size()) {
      ++steps;
      if (a.k[x] == b.k[y]) { ++x; ++y; }
      else if (a.k[x] < b.k[y]) ++x;
      else ++y;
    }
    SparsePeArrayCore core(1, 1, cfg(1 + int(rng() % 4), 1, 1));
    int32_t out = 0;
    SparsePeCounters c = core.runFold({a.stream()}, {b.stream()}, &out, 1);
    EXPECT_EQ(c.cycles, 1 + steps) << "trial " << trial;
    EXPECT_EQ(c.starved_pe_cycles, 1u);
  }
}

TEST(SparsePe, CyclesFallAsSparsityRises) {
  std::mt19937_64 rng(3);
  const int R = 4, C = 4, K = 512;
  // Nested masks: each sparser operand set keeps a subset of the previous one's non-zeros.
  std::vector<std::vector<double>> keepA(R, std::vector<double>(K)), keepB(C, std::vector<double>(K));
  std::uniform_real_distribution<double> u(0, 1);
  for (auto& v : keepA) for (auto& x : v) x = u(rng);
  for (auto& v : keepB) for (auto& x : v) x = u(rng);
  uint64_t prev = ~uint64_t(0);
  for (double density : {1.0, 0.8, 0.6, 0.4, 0.2, 0.1, 0.05}) {
    std::vector<Vec> rows(R), cols(C);
    auto build = [&](Vec& v, const std::vector<double>& keep) {
      v.dense.assign(K, 0);
      for (int k = 0; k < K; ++k)
        if (keep[size_t(k)] < density) {
          v.dense[size_t(k)] = int8_t(1 + k % 100);
          v.val.push_back(v.dense[size_t(k)]);
          v.k.push_back(k);
        }
    };
    std::vector<SparseStream> rs, cs;
    for (int i = 0; i < R; ++i) { build(rows[size_t(i)], keepA[size_t(i)]); rs.push_back(rows[size_t(i)].stream()); }
    for (int j = 0; j < C; ++j) { build(cols[size_t(j)], keepB[size_t(j)]); cs.push_back(cols[size_t(j)].stream()); }
    SparsePeArrayCore core(R, C, cfg(8, 4, 4));
    std::vector<int32_t> out(R * C, 0);
    SparsePeCounters c = core.runFold(rs, cs, out.data(), C);
    EXPECT_LT(c.cycles, prev) << "density " << density;
    prev = c.cycles;
  }
}

// Row 0's activation stream is broadcast to two PEs. PE (0,0) faces a dense weight stream: it
// takes about three cycles per activation entry (skipping the weights between them). PE (0,1)
// faces a single weight and could skip match_width activation entries per cycle. With shallow
// FIFOs PE (0,0)'s full FIFO holds the row bus back and PE (0,1) starves; deep FIFOs decouple
// them. The slow PE bounds the fold either way.
TEST(SparsePe, ASlowNeighbourOnTheSameBusStarvesAPeThroughFifoBackPressure) {
  const int K = 400;
  Vec a, dense, last;
  for (int k = 0; k < K; k += 10) { a.val.push_back(1); a.k.push_back(k); }
  for (int k = 0; k < K; ++k) { dense.val.push_back(2); dense.k.push_back(k); }
  last.val.push_back(5);
  last.k.push_back(390);
  auto run = [&](int depth) {
    SparsePeArrayCore core(1, 2, cfg(depth, 4, 4));
    std::vector<int32_t> out(2, 0);
    SparsePeCounters c = core.runFold({a.stream()}, {dense.stream(), last.stream()}, out.data(), 2);
    EXPECT_EQ(out[0], 2 * 40);
    EXPECT_EQ(out[1], 5);
    EXPECT_EQ(c.macs, 41u);
    return c;
  };
  SparsePeCounters shallow = run(2), deep = run(1024);
  EXPECT_GT(shallow.bus_blocked_cycles, 0u);
  EXPECT_EQ(deep.bus_blocked_cycles, 0u);
  EXPECT_EQ(deep.starved_pe_cycles, 2u);  // the first cycle, both PEs
  EXPECT_GT(shallow.starved_pe_cycles, 20u);
  EXPECT_GE(shallow.cycles, deep.cycles);
}

TEST(SparsePe, ArchRejectsAWeightStationarySparsePeArray) {
  const std::string file = std::string(SPARSESIM_SOURCE_DIR) + "/configs/arch/sparse-pe-16x16.json";
  EXPECT_NO_THROW(checkDatapathRules(loadArch(file)));
  // The dataflows a datapath supports are its registry entry's, checked when a run is resolved.
  try {
    // The datapath registry holds the legal dataflows: checked once the file is loaded.
    checkDatapathRules(loadArch(file, {"dataflow=\"ws\""}));
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.path(), "dataflow");
  }
  EXPECT_THROW(loadArch(file, {"sparse_pe.fifo_depth=0"}), ConfigError);
  EXPECT_THROW(loadArch(file, {"sparse_pe.match_with=4"}), ConfigError);
}

// SparsePeFoldPool (the sparse-PE folds of a layer computed ahead on host threads) against the
// engine that steps every PE every cycle, fold by fold: every fold taken in schedule order returns
// the stepped engine's counters and adds its outputs, with one and with three workers, over more
// folds than the workers may run ahead, on two groups and over two layers on one pool; a fold that
// is not the next of the schedule is refused and changes nothing.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "models/sparse_pe/SparsePeFoldPool.h"

using namespace sparsesim;

namespace {

// One group's operand: `vectors` random rows of length K (zeros dropped), as the datapath builds it.
SparseOperand randomOperand(std::mt19937_64& rng, int64_t vectors, int64_t K, double density) {
  std::vector<int64_t> ptr{0};
  std::vector<int32_t> k;
  std::vector<int8_t> val;
  std::uniform_real_distribution<double> u(0, 1);
  for (int64_t v = 0; v < vectors; ++v) {
    const double d = u(rng) < 0.3 ? 1.0 : density;  // some dense rows, where runs form
    for (int64_t x = 0; x < K; ++x)
      if (u(rng) < d) {
        k.push_back(int32_t(x));
        val.push_back(int8_t(int(rng() % 255) - 127));
        if (val.back() == 0) val.back() = 1;
      }
    ptr.push_back(int64_t(k.size()));
  }
  return makeSparseOperand(std::move(ptr), std::move(k), std::move(val));
}

struct Layer {
  SparsePeLayerData data;
  std::vector<Fold> folds;
  int64_t M, N;
};

Layer randomLayer(std::mt19937_64& rng, int R, int C, int groups, int64_t M, int64_t N, int64_t K) {
  Layer l;
  l.M = M, l.N = N;
  for (int g = 0; g < groups; ++g) {
    l.data.activations.push_back(randomOperand(rng, M, K, 0.5));
    l.data.weights.push_back(randomOperand(rng, N, K, 0.4));
    for (int64_t m0 = 0; m0 < M; m0 += R)
      for (int64_t n0 = 0; n0 < N; n0 += C) {
        Fold f;
        f.group = g;
        f.m0 = m0, f.mlen = std::min<int64_t>(R, M - m0);
        f.n0 = n0, f.nlen = std::min<int64_t>(C, N - n0);
        f.k0 = 0, f.klen = K;
        l.folds.push_back(f);
      }
  }
  return l;
}

std::vector<SparseStream> streams(const SparseOperand& o, int64_t v0, int64_t n) {
  std::vector<SparseStream> s;
  for (int64_t v = 0; v < n; ++v) s.push_back(o.stream(v0 + v));
  return s;
}

// Every fold through the pool against the stepped engine; outputs per group in M x N matrices
// pre-filled with 7 (the pool adds, as the engine does).
void comparePool(SparsePeFoldPool& pool, const Layer& l, int R, int C, const SparsePeConfig& c, const std::string& what) {
  const size_t groups = l.data.activations.size();
  std::vector<std::vector<int32_t>> out(groups, std::vector<int32_t>(size_t(l.M * l.N), 7)), ref = out;
  SparsePeArrayCore own(R, C, c), stepped(R, C, c);
  pool.beginLayer(&l.data, l.folds);
  for (size_t n = 0; n < l.folds.size(); ++n) {
    const Fold& f = l.folds[n];
    SparsePeCounters got;
    ASSERT_TRUE(pool.take(f, own, out[size_t(f.group)].data() + f.m0 * l.N + f.n0, l.N, got)) << what << " fold " << n;
    const SparsePeCounters want =
        stepped.runFoldReference(streams(l.data.activations[size_t(f.group)], f.m0, f.mlen),
                                 streams(l.data.weights[size_t(f.group)], f.n0, f.nlen),
                                 ref[size_t(f.group)].data() + f.m0 * l.N + f.n0, l.N);
    EXPECT_EQ(got.cycles, want.cycles) << what << " fold " << n;
    EXPECT_EQ(got.macs, want.macs) << what << " fold " << n;
    EXPECT_EQ(got.active_pe_cycles, want.active_pe_cycles) << what << " fold " << n;
    EXPECT_EQ(got.starved_pe_cycles, want.starved_pe_cycles) << what << " fold " << n;
    EXPECT_EQ(got.idle_pe_cycles, want.idle_pe_cycles) << what << " fold " << n;
    EXPECT_EQ(got.bus_blocked_cycles, want.bus_blocked_cycles) << what << " fold " << n;
    EXPECT_EQ(got.entries_consumed, want.entries_consumed) << what << " fold " << n;
    EXPECT_EQ(got.bus_entries, want.bus_entries) << what << " fold " << n;
    EXPECT_EQ(got.fifo_writes, want.fifo_writes) << what << " fold " << n;
    EXPECT_EQ(got.comparisons, want.comparisons) << what << " fold " << n;
    if (::testing::Test::HasFailure()) break;
  }
  pool.endLayer();
  EXPECT_EQ(out, ref) << what;
}

}  // namespace

TEST(SparsePeFoldPool, EveryFoldEqualsTheSteppedEngineInScheduleOrder) {
  std::mt19937_64 rng(20261202);
  const SparsePeConfig c = [] {
    SparsePeConfig x;
    x.fifo_depth = 4;
    x.match_width = 4;
    x.bus_pairs_per_cycle = 2;
    return x;
  }();
  const int R = 4, C = 3;
  for (int workers : {1, 3}) {
    SparsePeFoldPool pool(R, C, c, workers);
    // 2 groups x 19 x 9 folds = 342, more than the workers may run ahead (kAhead = 256).
    static_assert(SparsePeFoldPool::kAhead < 342, "the layer must outrun the window");
    const Layer big = randomLayer(rng, R, C, 2, 75, 26, 48);
    ASSERT_EQ(big.folds.size(), 342u);
    comparePool(pool, big, R, C, c, "workers " + std::to_string(workers) + ", layer 1");
    // The same pool on a second, smaller layer.
    const Layer small = randomLayer(rng, R, C, 1, 9, 7, 90);
    comparePool(pool, small, R, C, c, "workers " + std::to_string(workers) + ", layer 2");
  }
}

TEST(SparsePeFoldPool, RefusesAFoldOutOfScheduleAndChangesNothing) {
  std::mt19937_64 rng(7);
  SparsePeConfig c;
  const int R = 4, C = 4;
  SparsePeFoldPool pool(R, C, c, 2);
  const Layer l = randomLayer(rng, R, C, 1, 40, 16, 32);
  SparsePeArrayCore own(R, C, c);
  std::vector<int32_t> out(size_t(l.M * l.N), 5);
  pool.beginLayer(&l.data, l.folds);
  SparsePeCounters got;
  ASSERT_TRUE(pool.take(l.folds[0], own, out.data(), l.N, got));
  const std::vector<int32_t> after0 = out;
  got = SparsePeCounters();
  Fold wrong = l.folds[2];  // the schedule's next is folds[1]
  EXPECT_FALSE(pool.take(wrong, own, out.data() + wrong.m0 * l.N + wrong.n0, l.N, got));
  EXPECT_EQ(got.cycles, 0u);
  EXPECT_EQ(out, after0);
  // The pool takes no further fold of this layer, the next one included.
  EXPECT_FALSE(pool.take(l.folds[1], own, out.data() + l.folds[1].m0 * l.N + l.folds[1].n0, l.N, got));
  EXPECT_EQ(out, after0);
  pool.endLayer();
}

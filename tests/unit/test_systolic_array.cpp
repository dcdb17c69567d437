#include <gtest/gtest.h>

#include "models/common/FoldSchedule.h"
#include "models/common/SystolicArray.h"
#include "sim/workload/Rng.h"

using namespace sparsesim;

namespace {

GroupGemm randomGemm(int64_t M, int64_t K, int64_t N, uint64_t seed) {
  CounterRng rng(seed, 99);
  GroupGemm g;
  g.M = M; g.K = K; g.N = N;
  g.A.resize(M * K);
  g.Bt.resize(N * K);
  for (size_t i = 0; i < g.A.size(); ++i) g.A[i] = int8_t(int(rng.at(i) % 255) - 127);
  for (size_t i = 0; i < g.Bt.size(); ++i) g.Bt[i] = (rng.at(1u << 30 | i) % 3 == 0) ? 0 : rng.nonZeroInt8(i);
  return g;
}

std::vector<int32_t> naiveGemm(const GroupGemm& g) {
  std::vector<int32_t> C(g.M * g.N, 0);
  for (int64_t m = 0; m < g.M; ++m)
    for (int64_t n = 0; n < g.N; ++n)
      for (int64_t k = 0; k < g.K; ++k) C[m * g.N + n] += int32_t(g.A[m * g.K + k]) * g.Bt[n * g.K + k];
  return C;
}

LayerGeometry gemmGeometry(int64_t M, int64_t K, int64_t N) {
  LayerGeometry geo;
  geo.M = M; geo.K = K; geo.N = N; geo.groups = 1;
  return geo;
}

// The register-level engine and the bulk engine must agree exactly, fold by fold in cycles and
// in the outputs, and both must equal a naive GEMM, in both dataflows.
void expectEnginesAgree(int R, int Cc, int64_t M, int64_t K, int64_t N, uint64_t seed) {
  for (Dataflow df : {Dataflow::OutputStationary, Dataflow::WeightStationary}) {
    SCOPED_TRACE("seed " + std::to_string(seed) + " R=" + std::to_string(R) + " C=" + std::to_string(Cc) + " M=" +
                 std::to_string(M) + " K=" + std::to_string(K) + " N=" + std::to_string(N) + (df == Dataflow::WeightStationary ? " ws" : " os"));
    GroupGemm g = randomGemm(M, K, N, seed);
    SystolicArrayCore core(R, Cc, df);
    std::vector<int32_t> bulk(M * N, 0), stepped(M * N, 0);
    for (const Fold& f : buildFoldSchedule(gemmGeometry(M, K, N), R, Cc, df)) {
      const uint64_t b = core.runBulk(g, f, bulk.data());
      ASSERT_EQ(core.runStepped(g, f, stepped.data()), b);
    }
    EXPECT_EQ(stepped, bulk);
    EXPECT_EQ(bulk, naiveGemm(g));
  }
}

}  // namespace

// Shapes include partial tiles in every dimension.
TEST(SystolicArray, SteppedAndBulkAgreeExactly) {
  CounterRng rng(11, 5);
  for (int trial = 0; trial < 60; ++trial)
    expectEnginesAgree(1 + int(rng.at(trial * 7) % 9), 1 + int(rng.at(trial * 7 + 1) % 9), 1 + rng.at(trial * 7 + 2) % 30,
                       1 + rng.at(trial * 7 + 3) % 30, 1 + rng.at(trial * 7 + 4) % 30, uint64_t(trial));
}

// The register-level engine updates lanes in blocks of 16 and skips blocks holding only empty
// slots: arrays of one to three blocks per line (rows 1..40, columns 15..40) and reductions longer
// than the array, on partial tiles of every dimension.
TEST(SystolicArray, SteppedAndBulkAgreeOnWideArrays) {
  CounterRng rng(23, 8);
  for (int trial = 0; trial < 24; ++trial)
    expectEnginesAgree(1 + int(rng.at(trial * 7) % 40), 15 + int(rng.at(trial * 7 + 1) % 26), 1 + rng.at(trial * 7 + 2) % 90,
                       1 + rng.at(trial * 7 + 3) % 120, 1 + rng.at(trial * 7 + 4) % 90, uint64_t(1000 + trial));
}

// Per-fold cycles against SCALE-Sim's per-fold terms (oracle: the published closed forms).
TEST(SystolicArray, FoldCyclesMatchScaleSimTerms) {
  GroupGemm g = randomGemm(20, 13, 7, 1);
  SystolicArrayCore os(4, 3, Dataflow::OutputStationary), ws(4, 3, Dataflow::WeightStationary);
  std::vector<int32_t> C(20 * 7);
  for (const Fold& f : buildFoldSchedule(gemmGeometry(20, 13, 7), 4, 3, Dataflow::OutputStationary))
    EXPECT_EQ(os.runStepped(g, f, C.data()), uint64_t(13 + 4 + 3 - 2));
  for (const Fold& f : buildFoldSchedule(gemmGeometry(20, 13, 7), 4, 3, Dataflow::WeightStationary))
    EXPECT_EQ(ws.runStepped(g, f, C.data()), uint64_t(2 * 4 + 20 + 3 - 2));
}

TEST(FoldSchedule, CoversEveryOutputAndReductionOnce) {
  for (Dataflow df : {Dataflow::OutputStationary, Dataflow::WeightStationary}) {
    LayerGeometry geo = gemmGeometry(10, 9, 7);
    geo.groups = 2;
    std::vector<int> hits(2 * 10 * 9 * 7, 0);
    for (const Fold& f : buildFoldSchedule(geo, 4, 3, df))
      for (int64_t m = f.m0; m < f.m0 + f.mlen; ++m)
        for (int64_t k = f.k0; k < f.k0 + f.klen; ++k)
          for (int64_t n = f.n0; n < f.n0 + f.nlen; ++n) hits[((f.group * 10 + m) * 9 + k) * 7 + n]++;
    for (int h : hits) ASSERT_EQ(h, 1);
  }
}

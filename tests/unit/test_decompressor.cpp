// Decompression units: they emit exactly the dense vectors (property test over random
// sparsity 0-99%), their cycle counts at the limits of the port and the scatter rate, the fold
// timing against the array's consumption order (closed forms), and the stall attribution.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <random>
#include <vector>

#include "sim/core/Math.h"
#include "models/sod/Decompressor.h"
#include "sim/core/ConfigError.h"
#include "sim/config/ConfigLoader.h"

using namespace sparsesim;

namespace {

std::vector<int8_t> randomMatrix(std::mt19937_64& rng, int64_t n, double density) {
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<int8_t> m(size_t(n), 0);
  for (auto& x : m)
    if (u(rng) < density) x = int8_t(1 + rng() % 127) * ((rng() & 1) ? 1 : -1);
  return m;
}


}  // namespace

TEST(Decompressor, EmitsExactlyTheDenseVectorsOverRandomSparsity) {
  std::mt19937_64 rng(2024);
  const std::array<SparseFormat, 3> formats = {SparseFormat::Csc, SparseFormat::Bitmap, SparseFormat::Dense};
  for (int trial = 0; trial < 600; ++trial) {
    const double sparsity = double(rng() % 100) / 100.0;  // 0 .. 99 %
    const int64_t V = 1 + int64_t(rng() % 40), L = 1 + int64_t(rng() % 64);
    auto data = randomMatrix(rng, V * L, 1.0 - sparsity);
    CompressionSpec spec{formats[size_t(trial) % 3], 1 + int(rng() % 8), 8};
    CompressedTensor t = CompressedTensor::compress(data.data(), V, L, L, 1, spec);
    DecompressorUnit unit(DecompressorParams{1 + int(rng() % 40), 1 + int(rng() % 80)});
    const int64_t stride = 1 + int64_t(rng() % 3);
    for (int64_t v = 0; v < V; ++v) {
      // Lanes between the strided outputs must stay untouched; the outputs start as garbage.
      std::vector<int8_t> out(size_t(L * stride), 77);
      const uint64_t c = unit.emit(t, v, out.data(), stride);
      EXPECT_GE(c, 1u);
      for (int64_t e = 0; e < L * stride; ++e) {
        const int8_t expect = e % stride ? 77 : data[size_t(v * L + e / stride)];
        ASSERT_EQ(out[size_t(e)], expect) << "trial " << trial << " sparsity " << sparsity << " format "
                                          << toString(spec.format) << " v " << v << " lane " << e;
      }
    }
    EXPECT_EQ(unit.vectors(), uint64_t(V));
    EXPECT_EQ(unit.bitsRead(), t.bits());
  }
}

TEST(Decompressor, CyclesAtTheLimitsOfPortAndScatterRate) {
  std::mt19937_64 rng(1);
  for (int trial = 0; trial < 200; ++trial) {
    const int64_t L = 1 + int64_t(rng() % 64);
    auto data = randomMatrix(rng, L, double(rng() % 100) / 100.0);
    const SparseFormat f = trial % 2 ? SparseFormat::Csc : SparseFormat::Bitmap;
    CompressedTensor t = CompressedTensor::compress(data.data(), 1, L, L, 1, {f, 6, 8});
    const uint64_t nnz = uint64_t(t.nnz(0)), bits = t.vectorBits(0);
    std::vector<int8_t> out(static_cast<size_t>(L));
    // Enough of both: one vector per cycle, the array's rate.
    DecompressorUnit wide(DecompressorParams{int(L), int(ceilDiv(bits, 8))});
    EXPECT_EQ(wide.emit(t, 0, out.data(), 1), 1u);
    // One non-zero per cycle through a port wide enough for the whole vector.
    DecompressorUnit serial(DecompressorParams{1, int(ceilDiv(bits, 8))});
    EXPECT_EQ(serial.emit(t, 0, out.data(), 1), std::max<uint64_t>(1, nnz));
    // Port-bound: ceil(stored bits / port bits).
    const int port = 1 + int(rng() % 8);
    DecompressorUnit narrow(DecompressorParams{4096, port});
    EXPECT_EQ(narrow.emit(t, 0, out.data(), 1), std::max<uint64_t>(1, ceilDiv(bits, uint64_t(port) * 8)));
  }
}

namespace {

// One group, GEMM M x K x N with random operands at the given densities.
struct StageFixture {
  GroupGemm original;
  std::vector<GroupGemm> staging;
  SodLayerData data;
  StageFixture(int64_t M, int64_t K, int64_t N, int R, int C, Dataflow df, double wd, double ad, std::mt19937_64& rng) {
    original.M = M;
    original.K = K;
    original.N = N;
    original.A = randomMatrix(rng, M * K, ad);
    original.Bt = randomMatrix(rng, N * K, wd);
    staging = {original};
    std::fill(staging[0].A.begin(), staging[0].A.end(), int8_t(55));
    std::fill(staging[0].Bt.begin(), staging[0].Bt.end(), int8_t(55));
    data.dataflow = df;
    data.rows = R;
    data.cols = C;
    data.staging = &staging;
    const CompressionSpec spec{SparseFormat::Csc, 5, 8};
    data.weights.resize(1);
    data.activations.resize(1);
    for (int64_t n0 = 0; n0 < N; n0 += C)
      data.weights[0].push_back(CompressedTensor::compress(original.Bt.data() + n0 * K, K, std::min<int64_t>(C, N - n0), 1, K, spec));
    if (df == Dataflow::OutputStationary) {
      for (int64_t m0 = 0; m0 < M; m0 += R)
        data.activations[0].push_back(CompressedTensor::compress(original.A.data() + m0 * K, K, std::min<int64_t>(R, M - m0), 1, K, spec));
    } else {
      for (int64_t k0 = 0; k0 < K; k0 += R)
        data.activations[0].push_back(CompressedTensor::compress(original.A.data() + k0, M, std::min<int64_t>(R, K - k0), K, 1, spec));
    }
  }
};

int64_t nnzRange(const std::vector<int8_t>& m, int64_t start, int64_t count, int64_t stride) {
  int64_t n = 0;
  for (int64_t i = 0; i < count; ++i) n += m[size_t(start + i * stride)] != 0;
  return n;
}

}  // namespace

// OS, one non-zero per cycle: edge vector k of either operand takes max(1, nnz_k) cycles and is
// needed at cycle k, so the array must wait sum_k (max(1, nnz_k) - 1) cycles for that operand;
// the fold waits for the slower of the two.
TEST(Decompressor, OsFoldWaitIsTheSlowerOperandsTotalExcess) {
  std::mt19937_64 rng(5);
  const int R = 8, C = 8;
  StageFixture fx(8, 40, 8, R, C, Dataflow::OutputStationary, 0.6, 0.3, rng);
  DecompressStage stage(DecompressorParams{1, 64}, DecompressorParams{1, 64});
  Fold f;
  f.mlen = 8;
  f.nlen = 8;
  f.klen = 40;
  DecompressStage::FoldTiming t = stage.run(fx.data, f);
  int64_t wExcess = 0, aExcess = 0, wBusy = 0, aBusy = 0;
  for (int64_t k = 0; k < 40; ++k) {
    const int64_t wn = std::max<int64_t>(1, nnzRange(fx.original.Bt, k, 8, 40));
    const int64_t an = std::max<int64_t>(1, nnzRange(fx.original.A, k, 8, 40));
    wExcess += wn - 1;
    aExcess += an - 1;
    wBusy += wn;
    aBusy += an;
  }
  EXPECT_GT(wExcess, 0);
  EXPECT_EQ(t.ready_delay, uint64_t(std::max(wExcess, aExcess)));
  EXPECT_EQ(t.busy, uint64_t(std::max(wBusy, aBusy)));
  EXPECT_EQ(fx.staging[0].A, fx.original.A);
  EXPECT_EQ(fx.staging[0].Bt, fx.original.Bt);

  // A unit that takes a whole edge vector per cycle never makes the array wait.
  StageFixture fx2(8, 40, 8, R, C, Dataflow::OutputStationary, 0.6, 0.3, rng);
  DecompressStage fast(DecompressorParams{8, 64}, DecompressorParams{8, 64});
  DecompressStage::FoldTiming t2 = fast.run(fx2.data, f);
  EXPECT_EQ(t2.ready_delay, 0u);
  EXPECT_EQ(t2.busy, 40u);
}

// WS, one non-zero per cycle: the R weight rows are needed at cycles 0..R-1 in the order they
// are produced, the M input rows at cycles R..R+M-1, so the input unit has R cycles of slack:
// wait = max(sum_w excess, sum_a excess - R).
TEST(Decompressor, WsFoldWaitGivesTheInputUnitTheWeightLoadAsSlack) {
  std::mt19937_64 rng(6);
  const int R = 8, C = 8;
  for (double ad : {0.05, 0.3, 0.9}) {
    StageFixture fx(30, 16, 8, R, C, Dataflow::WeightStationary, 0.5, ad, rng);
    DecompressStage stage(DecompressorParams{1, 64}, DecompressorParams{1, 64});
    Fold f;
    f.mlen = 30;
    f.nlen = 8;
    f.k0 = 8;
    f.klen = 8;
    DecompressStage::FoldTiming t = stage.run(fx.data, f);
    int64_t wExcess = 0, aExcess = 0;
    for (int64_t r = 0; r < 8; ++r) wExcess += std::max<int64_t>(1, nnzRange(fx.original.Bt, 8 + r, 8, 16)) - 1;
    for (int64_t m = 0; m < 30; ++m) aExcess += std::max<int64_t>(1, nnzRange(fx.original.A, m * 16 + 8, 8, 1)) - 1;
    EXPECT_EQ(t.ready_delay, uint64_t(std::max<int64_t>({0, wExcess, aExcess - R}))) << "density " << ad;
    // The fold's tiles are in place; the other k-tile was not touched.
    for (int64_t m = 0; m < 30; ++m)
      for (int64_t k = 0; k < 16; ++k) {
        const int8_t expect = k >= 8 ? fx.original.A[size_t(m * 16 + k)] : int8_t(55);
        ASSERT_EQ(fx.staging[0].A[size_t(m * 16 + k)], expect);
      }
  }
}

TEST(Decompressor, BypassedOperandsAreNotTouchedAndCostNothing) {
  std::mt19937_64 rng(8);
  StageFixture fx(8, 20, 8, 8, 8, Dataflow::OutputStationary, 0.5, 0.5, rng);
  fx.data.weights_compressed = false;
  fx.data.activations_compressed = false;
  DecompressStage stage(DecompressorParams{1, 1}, DecompressorParams{1, 1});
  Fold f;
  f.mlen = 8;
  f.nlen = 8;
  f.klen = 20;
  DecompressStage::FoldTiming t = stage.run(fx.data, f);
  EXPECT_EQ(t.ready_delay, 0u);
  EXPECT_EQ(stage.weightUnit().vectors(), 0u);
  EXPECT_EQ(fx.staging[0].A[0], int8_t(55));
}

// The array's wait for a fold is split at the moment the units got the fold from the buffer.
TEST(Decompressor, StallAttributionSplitsTheArraysWait) {
  std::vector<ArrayWait> waits(3);
  std::vector<DecompressRecord> rec(3);
  // Fold 0: units waited on the buffer over [0, 100], then held the fold 20 cycles; the array
  // waited all 120 cycles.
  waits[0] = {0, 120};
  rec[0] = {0, 100, 120};
  // Fold 1: units were busy with fold 0 until 300, got fold 1 at once and held it 10 cycles; the
  // array had been waiting since 250.
  waits[1] = {250, 310};
  rec[1] = {300, 300, 310};
  // Fold 2: the array did not wait.
  waits[2] = {400, 400};
  rec[2] = {310, 400, 400};
  LayerStats stats;
  stats.stall_cycles[StallCause::DramOperands] = 180;  // what the array counted: 120 + 60
  stats.stall_cycles[StallCause::OutputBufferFull] = 7;
  attributeDecompressorStalls(waits, rec, stats);
  EXPECT_EQ(stats.stall_cycles[StallCause::DramOperands], 100u);
  EXPECT_EQ(stats.stall_cycles[StallCause::Decompressor], 80u);
  EXPECT_EQ(stats.stall_cycles[StallCause::OutputBufferFull], 7u);

  // Waits entirely inside the units' own buffer waits stay with DRAM.
  LayerStats s2;
  s2.stall_cycles[StallCause::DramOperands] = 50;
  attributeDecompressorStalls({{10, 60}}, {{0, 60, 60}}, s2);
  EXPECT_EQ(s2.stall_cycles[StallCause::DramOperands], 50u);
  EXPECT_EQ(s2.stall_cycles.has(StallCause::Decompressor), false);
}

TEST(Decompressor, SodConfigIsReadAndValidated) {
  const std::string file = std::string(SPARSESIM_SOURCE_DIR) + "/configs/arch/sod-32x32.json";
  ArchConfig a = loadArch(file, {"sod.nnz_per_cycle=3", "sod.weight_format=\"bitmap\""});
  EXPECT_EQ(a.sod.nnz_per_cycle, 3);
  EXPECT_EQ(a.sod.weight_format, SodFormat::Bitmap);
  EXPECT_EQ(a.sod.activation_format, SodFormat::Auto);  // the file's
  EXPECT_EQ(a.sod.index_bits, 5);
  EXPECT_EQ(a.sod.port_bytes, 64);
  for (const char* bad : {"sod.index_bits=0", "sod.index_bits=17", "sod.nnz_per_cycle=0", "sod.port_bytes=-1",
                          "sod.weight_format=\"coo\"", "sod.activation_format=3", "sod.nnz_per_cycles=4"}) {
    try {
      loadArch(file, {bad});
      ADD_FAILURE() << bad << " was accepted";
    } catch (const ConfigError& e) {
      EXPECT_NE(e.path().find("sod."), std::string::npos) << bad << ": " << e.what();
    }
  }
}

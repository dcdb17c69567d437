// Multiply-route-sum MAC array (block level, no SystemC kernel): every product reaches its own
// accumulator exactly once, forced routing conflicts are serialised and counted, SRAM bank
// timing, lane scheduling and the window gather.
#include <gtest/gtest.h>

#include <random>

#include "models/cs/MacArray.h"
#include "sim/workload/Lowering.h"
#include "sim/workload/WeightPacker.h"

using namespace sparsesim;

namespace {

CsSramConfig sramCfg(int banks, int ports, int wordBits = 72) {
  CsSramConfig c;
  c.banks = banks;
  c.ports = ports;
  c.word_bits = wordBits;
  c.depth = 1 << 16;
  c.read_latency = 0;
  return c;
}

MacParams macParams(int lanes, int slots, bool replicate = false) {
  MacParams p;
  p.lanes = lanes;
  p.slots = slots;
  p.pipeline_depth = 0;
  p.read_latency = 0;
  p.writeback_pixels = 4;
  p.replicate = replicate;
  return p;
}

// The pass table a packed layer's groups [first, first + R) of conv group 0 give.
PassTable tableOf(const PackedLayer& p, size_t first, int R, int entryBits, const SramBanks& b) {
  return buildPassTable(p, 0, first, R, b.wordsPerColumn(R, entryBits));
}

// A hand-written table: R groups over K columns, entry i weighing i - K and routed to channel
// i % R, so every column holds one product for each of the R channels.
PassTable alternatingTable(int64_t K, int R, int wordsPerColumn) {
  PassTable t;
  t.K = K;
  t.R = R;
  t.words_per_column = wordsPerColumn;
  t.kernels = R;
  for (int64_t i = 0; i < K * R; ++i)
    t.entries.push_back(ColumnEntry{static_cast<int8_t>(i - K), true, static_cast<int32_t>(i % R)});
  assignKernelIds(t);
  return t;
}

PixelItems randomItems(int64_t M, int64_t K, double density, std::mt19937& rng) {
  PixelItems it;
  it.M = M;
  it.start.push_back(0);
  std::uniform_real_distribution<double> u(0, 1);
  for (int64_t m = 0; m < M; ++m) {
    for (int64_t k = 0; k < K; ++k)
      if (u(rng) < density) {
        it.k.push_back(static_cast<int32_t>(k));
        it.value.push_back(static_cast<int8_t>(static_cast<int>(rng() % 255) - 127));
      }
    it.start.push_back(static_cast<int64_t>(it.k.size()));
  }
  return it;
}

}  // namespace

// Random unstructured kernels, packed, run pass by pass with several lanes and bank conflicts:
// the accumulators equal the brute-force sums, so no product was lost, duplicated or misrouted.
TEST(MacArray, RouterLosesAndDuplicatesNoProduct) {
  std::mt19937 rng(21);
  for (int trial = 0; trial < 6; ++trial) {
    const int64_t N = 24, K = 40, M = 37;
    std::vector<int8_t> w(N * K);
    for (auto& x : w) x = rng() % 4 == 0 ? static_cast<int8_t>(static_cast<int>(rng() % 255) - 127) : 0;
    PackedLayer p = packLayer(w.data(), N, 1, K, PackingStrategy::FirstFitDisjoint, 8);
    SramBanks banks(sramCfg(3, 1, 16));
    MacArrayCore core(macParams(1 + trial, 4), banks);
    PixelItems it = randomItems(M, K, 0.4, rng);
    std::vector<int32_t> C(M * N, 0);
    uint64_t macs = 0;
    const int R = 4;
    for (size_t first = 0; first < p.groups[0].size(); first += R) {
      int r = static_cast<int>(std::min<size_t>(R, p.groups[0].size() - first));
      PassTable t = tableOf(p, first, r, 8 + p.idBits, banks);
      PassResult res = core.runPass(t, it, C.data(), N);
      EXPECT_EQ(res.items, static_cast<uint64_t>(it.total()));
      EXPECT_EQ(res.macs, static_cast<uint64_t>(it.total()) * r);
      EXPECT_EQ(res.routing_conflict, 0u);
      macs += res.macs;
    }
    for (int64_t m = 0; m < M; ++m)
      for (int64_t n = 0; n < N; ++n) {
        int32_t ref = 0;
        for (int64_t i = it.start[m]; i < it.start[m + 1]; ++i) ref += int32_t(it.value[i]) * w[n * K + it.k[i]];
        ASSERT_EQ(C[m * N + n], ref) << "trial " << trial << " m " << m << " n " << n;
      }
    EXPECT_EQ(macs, static_cast<uint64_t>(it.total()) * p.packedGroups);
  }
}

// A table with a duplicate kernel ID in one column (two products for one accumulator in one
// step), injected by hand: the router serialises the column and counts it; the sum stays exact.
TEST(MacArray, ForcedRoutingConflictIsSerialisedAndCounted) {
  PassTable t;
  t.K = 3;
  t.R = 3;
  t.words_per_column = 1;
  t.kernels = 3;
  // Column 0: kernels 0, 1, 2 (clean). Column 1: kernels 0, 0, 2 (two products for kernel 0).
  // Column 2: kernel 1 three times.
  t.entries = {{1, true, 0}, {2, true, 1}, {3, true, 2},
               {4, true, 0}, {5, true, 0}, {6, true, 2},
               {7, true, 1}, {8, true, 1}, {9, true, 1}};
  assignKernelIds(t);
  auto mult = MacArrayCore::routeMultiplicity(t);
  EXPECT_EQ(mult, (std::vector<uint8_t>{1, 2, 3}));
  SramBanks banks(sramCfg(4, 1));
  MacArrayCore core(macParams(1, 3), banks);
  PixelItems it;
  it.M = 2;
  it.start = {0, 3, 5};
  it.k = {0, 1, 2, 1, 1};
  it.value = {1, 1, 1, 2, -1};
  std::vector<int32_t> C(2 * 3, 0);
  PassResult r = core.runPass(t, it, C.data(), 3);
  // Pixel 0: column 0 (1 cycle), column 1 (2), column 2 (3); pixel 1: column 1 twice (2 + 2).
  EXPECT_EQ(r.steps, 5u);
  EXPECT_EQ(r.cycles, 1u + 2 + 3 + 2 + 2);
  EXPECT_EQ(r.routing_conflict, 0u + 1 + 2 + 1 + 1);
  EXPECT_EQ(r.routing_conflict_columns, 4u);
  // Pixel 0: k0 -> [1,2,3]; k1 -> kernel0 += 4+5, kernel2 += 6; k2 -> kernel1 += 7+8+9.
  EXPECT_EQ(C[0], 1 + 9);
  EXPECT_EQ(C[1], 2 + 24);
  EXPECT_EQ(C[2], 3 + 6);
  // Pixel 1: column 1 with a = 2 and a = -1: net a = 1.
  EXPECT_EQ(C[3], 9);
  EXPECT_EQ(C[4], 0);
  EXPECT_EQ(C[5], 6);
}

TEST(MacArray, SramBankTiming) {
  SramBanks b(sramCfg(4, 1));
  const int32_t same[] = {5, 5};
  const int32_t c0c4[] = {0, 4};  // wpc 1: both in bank 0
  const int32_t c0c1[] = {0, 1};
  EXPECT_EQ(b.aloneCycles(1), 1u);
  EXPECT_EQ(b.readCycles(c0c4, 2, 1), 2u);
  EXPECT_EQ(b.readCycles(c0c1, 2, 1), 1u);
  EXPECT_EQ(b.readCycles(same, 1, 1), 1u);  // callers pass distinct columns: one read, broadcast
  // wpc 3 over 4 banks: column 0 -> banks 0,1,2; column 1 -> banks 3,0,1: banks 0 and 1 twice.
  EXPECT_EQ(b.readCycles(c0c1, 2, 3), 2u);
  // wpc 6 over 4 banks, 1 port: a column alone needs 2 cycles (bandwidth).
  EXPECT_EQ(b.aloneCycles(6), 2u);
  SramBanks b2(sramCfg(4, 2));
  EXPECT_EQ(b2.readCycles(c0c4, 2, 1), 1u);  // two ports
  EXPECT_EQ(b2.aloneCycles(6), 1u);
  // Words per column: 32 entries of 11 bits = 352 bits = 5 words of 72.
  EXPECT_EQ(b.wordsPerColumn(32, 11), 5);
  // Blocks: BRAM36 is 72 x 512: 4 banks of 72 x 65536 words -> 4 x 128.
  EXPECT_EQ(b.blocks(), 4 * 128);
}

// Lanes on different pixels reading columns in one bank: the step waits for the bank.
TEST(MacArray, BankConflictsBetweenLanesAreCounted) {
  PassTable t;
  t.K = 8;
  t.R = 1;
  t.words_per_column = 1;
  t.kernels = 1;
  t.entries.assign(8, ColumnEntry{1, true, 0});
  assignKernelIds(t);
  SramBanks banks(sramCfg(4, 1));
  MacArrayCore core(macParams(2, 1), banks);
  PixelItems it;
  it.M = 2;
  // Pixel 0 reads columns 0, 1; pixel 1 reads columns 4, 6: step 1 = {0, 4} (bank 0 twice),
  // step 2 = {1, 6} (banks 1 and 2).
  it.start = {0, 2, 4};
  it.k = {0, 1, 4, 6};
  it.value = {1, 1, 1, 1};
  std::vector<int32_t> C(2, 0);
  PassResult r = core.runPass(t, it, C.data(), 1);
  EXPECT_EQ(r.steps, 2u);
  EXPECT_EQ(r.cycles, 3u);
  EXPECT_EQ(r.sram_bank_conflict, 1u);
  EXPECT_EQ(r.sram_bandwidth, 0u);
}

// One lane: one item per step; cycles = items + fill; write-backs every 4 pixels.
TEST(MacArray, OneLaneTakesOneStepPerItem) {
  std::mt19937 rng(2);
  PassTable t = alternatingTable(10, 2, 1);
  SramBanks banks(sramCfg(2, 1));
  MacParams mp = macParams(1, 2);
  mp.pipeline_depth = 3;
  mp.read_latency = 2;
  MacArrayCore core(mp, banks);
  PixelItems it = randomItems(10, 10, 0.5, rng);
  std::vector<int32_t> C(20, 0);
  PassResult r = core.runPass(t, it, C.data(), 2);
  EXPECT_EQ(r.steps, static_cast<uint64_t>(it.total()));
  EXPECT_EQ(r.cycles, static_cast<uint64_t>(it.total()) + 5);
  EXPECT_EQ(r.fill, 5u);
  uint64_t px = 0;
  for (const auto& e : r.events) px += e.pixels;
  EXPECT_EQ(px, 10u);
  EXPECT_EQ(r.events.size(), 3u);  // 4 + 4 + 2
  EXPECT_EQ(r.events.back().at, r.cycles);
}

// The weight-SRAM read event counts one read per distinct column per step: lanes in lockstep on
// dense items share every column read.
TEST(MacArray, CountsOneSramReadPerDistinctColumnPerStep) {
  PassTable t = alternatingTable(12, 2, 2);
  SramBanks banks(sramCfg(4, 2));
  MacArrayCore core(macParams(2, 2), banks);
  PixelItems it;  // dense: both pixels walk columns 0..K-1 in order
  it.M = 2;
  it.dense = true;
  it.start = {0, 12, 24};
  for (int i = 0; i < 24; ++i) it.value.push_back(static_cast<int8_t>(i % 5 - 2));
  std::vector<int32_t> C(4, 0);
  PassResult r = core.runPass(t, it, C.data(), 2);
  EXPECT_EQ(r.items, 24u);
  EXPECT_EQ(r.column_words, 12u * 2u);  // 12 steps, one shared column of 2 words each
  // One lane alone reads its column every step.
  MacArrayCore one(macParams(1, 2), banks);
  std::vector<int32_t> C1(4, 0);
  PassResult r1 = one.runPass(t, it, C1.data(), 2);
  EXPECT_EQ(r1.column_words, 24u * 2u);
  EXPECT_EQ(C, C1);
}

// Fewer pixels than lanes (a linear layer): the pixel's items are split over the lanes and the
// partial sums reduced; R < slots with replication on gives more lanes.
TEST(MacArray, SplitsAPixelOverLanesAndReplicatesSmallPasses) {
  PassTable t;
  t.K = 100;
  t.R = 1;
  t.words_per_column = 1;
  t.kernels = 1;
  t.entries.assign(100, ColumnEntry{2, true, 0});
  assignKernelIds(t);
  SramBanks banks(sramCfg(64, 2));
  PixelItems it;
  it.M = 1;
  it.start = {0, 100};
  for (int k = 0; k < 100; ++k) {
    it.k.push_back(k);
    it.value.push_back(1);
  }
  {
    MacArrayCore core(macParams(4, 1), banks);
    std::vector<int32_t> C(1, 0);
    PassResult r = core.runPass(t, it, C.data(), 1);
    EXPECT_EQ(r.steps, 25u);          // 100 items over 4 lanes
    EXPECT_EQ(r.fill, 2u);            // log2(4) adder-tree levels
    EXPECT_EQ(C[0], 200);
  }
  {
    MacArrayCore core(macParams(4, 5, true), banks);  // 5 slots / R = 1: 5 copies -> 20 lanes
    std::vector<int32_t> C(1, 0);
    PassResult r = core.runPass(t, it, C.data(), 1);
    EXPECT_EQ(r.steps, 5u);
    EXPECT_EQ(C[0], 200);
  }
}

// Window gather against the lowered GEMM: dense items are A's rows (padding included), sparse
// items are exactly the winners under each window.
TEST(MacArray, WindowGatherMatchesTheLoweredGemm) {
  LayerConfig l;
  l.name = "gather";
  l.in_channels = 6;
  l.out_channels = 4;
  l.in_h = 9;
  l.in_w = 7;
  l.kernel_h = 3;
  l.kernel_w = 3;
  l.stride = 2;
  l.padding = 1;
  l.groups = 2;
  l.activation_density = 0.3;
  LayerWorkload w = makeWorkload(l, Compat::None, 3, "t.json", 0);
  std::vector<uint8_t> winner(w.input.size());
  for (size_t i = 0; i < w.input.size(); ++i) winner[i] = w.input.data[i] != 0;
  for (int g = 0; g < 2; ++g) {
    GroupGemm gg = lowerGroup(w, g);
    PixelItems dense = gatherItems(w.geom, g, w.input.data.data(), nullptr, true);
    PixelItems sparse = gatherItems(w.geom, g, w.input.data.data(), winner.data(), false);
    ASSERT_EQ(dense.total(), gg.M * gg.K);
    int64_t nz = 0;
    for (int64_t m = 0; m < gg.M; ++m) {
      ASSERT_TRUE(dense.dense);
      for (int64_t i = dense.start[m]; i < dense.start[m + 1]; ++i) {
        ASSERT_EQ(dense.column(m, i), i - dense.start[m]);
        ASSERT_EQ(dense.value[i], gg.A[m * gg.K + dense.column(m, i)]);
      }
      std::vector<int32_t> ks;
      for (int64_t k = 0; k < gg.K; ++k)
        if (gg.A[m * gg.K + k] != 0) ks.push_back(static_cast<int32_t>(k));
      std::vector<int32_t> got(sparse.k.begin() + sparse.start[m], sparse.k.begin() + sparse.start[m + 1]);
      ASSERT_EQ(got, ks) << "pixel " << m;
      nz += static_cast<int64_t>(ks.size());
    }
    EXPECT_EQ(sparse.total(), nz);
  }
}

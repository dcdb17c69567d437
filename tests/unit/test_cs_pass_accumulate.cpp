// The CS pass's sums computed pixel by pixel (accumulatePass, what runPass does without a trace)
// against brute-force sums and against the step-by-step lane accumulators runPass keeps when a
// trace is attached: same outputs, same timing and counters.
#include <gtest/gtest.h>

#include <random>

#include "models/common/TraceSink.h"
#include "models/cs/MacArray.h"
#include "models/cs/PassAccumulate.h"

using namespace sparsesim;

namespace {

// Records nothing: attaching it makes runPass keep its per-step lane accumulators.
class NullTrace : public TraceSink {
 public:
  bool on(TraceBlock) const override { return false; }
  void setParams(TraceBlock, const TraceParams&) override {}
  int layer() const override { return 0; }
  void emit(TraceBlock, const char*, uint64_t, std::initializer_list<TraceField>) override {}
  void write(const TraceRecord&) override {}
};

int8_t randomInt8(std::mt19937& rng) { return static_cast<int8_t>(static_cast<int>(rng() % 256) - 128); }

// K columns x R slots; each slot holds kernels of `perGroup` channels (kernel IDs 0..perGroup-1),
// a fraction of entries empty. Channels: slot r, kid i -> r * perGroup + i.
PassTable randomTable(int64_t K, int R, int perGroup, std::mt19937& rng) {
  PassTable t;
  t.K = K;
  t.R = R;
  t.kernels = R * perGroup;
  t.entries.resize(static_cast<size_t>(K * R));
  for (int64_t k = 0; k < K; ++k)
    for (int r = 0; r < R; ++r) {
      ColumnEntry& e = t.entries[static_cast<size_t>(k * R + r)];
      if (rng() % 5 == 0) continue;  // an empty slot: weight 0, not valid
      const int kid = static_cast<int>(rng() % static_cast<unsigned>(perGroup));
      e = ColumnEntry{randomInt8(rng), true, r * perGroup + kid, static_cast<uint16_t>(kid)};
    }
  t.ids = perGroup;
  t.kernel_of.assign(static_cast<size_t>(R * perGroup), -1);
  for (int r = 0; r < R; ++r)
    for (int i = 0; i < perGroup; ++i) t.kernel_of[static_cast<size_t>(r * perGroup + i)] = r * perGroup + i;
  return t;
}

PixelItems randomItems(int64_t M, int64_t K, double density, bool dense, std::mt19937& rng) {
  PixelItems it;
  it.M = M;
  it.dense = dense;
  it.start.push_back(0);
  std::uniform_real_distribution<double> u(0, 1);
  for (int64_t m = 0; m < M; ++m) {
    const bool empty = !dense && rng() % 7 == 0;
    for (int64_t k = 0; k < K; ++k)
      if (dense || (!empty && u(rng) < density)) {
        if (!dense) it.k.push_back(static_cast<int32_t>(k));
        it.value.push_back(rng() % 6 == 0 ? int8_t(0) : randomInt8(rng));
      }
    it.start.push_back(static_cast<int64_t>(it.value.size()));
  }
  return it;
}

SramBanks banks() {
  CsSramConfig c;
  c.banks = 7;
  c.ports = 1;
  c.word_bits = 72;
  c.depth = 1 << 16;
  c.read_latency = 1;
  return SramBanks(c);
}

}  // namespace

TEST(CsPassAccumulate, PixelSumsEqualBruteForceAndTheStepLoop) {
  std::mt19937 rng(20);
  const SramBanks b = banks();
  int trials = 0;
  for (int R : {1, 2, 7, 15, 16, 17, 33, 63, 64, 65, 100, 130, 256})
    for (int perGroup : {1, 3})
      for (bool dense : {false, true}) {
        const int64_t K = 1 + static_cast<int64_t>(rng() % 40), M = 1 + static_cast<int64_t>(rng() % 30);
        const int64_t Nper = R * perGroup;
        PassTable t = randomTable(K, R, perGroup, rng);
        t.words_per_column = b.wordsPerColumn(R, 8 + (perGroup > 1 ? 2 : 0));
        PixelItems it = randomItems(M, K, 0.5, dense, rng);
        // Outputs start non-zero: a pass adds to what earlier passes left.
        std::vector<int32_t> init(static_cast<size_t>(M * Nper));
        for (auto& x : init) x = static_cast<int32_t>(rng() % 1000) - 500;
        std::vector<int32_t> ref = init;
        for (int64_t m = 0; m < M; ++m)
          for (int64_t i = it.start[m]; i < it.start[m + 1]; ++i)
            for (int r = 0; r < R; ++r) {
              const ColumnEntry& e = t.entries[static_cast<size_t>(it.column(m, i) * R + r)];
              if (e.valid) ref[static_cast<size_t>(m * Nper + e.kernel)] += int32_t(it.value[i]) * e.weight;
            }
        for (int lanes : {1, 3, 40}) {
          MacParams p;
          p.lanes = lanes;
          p.slots = 256;
          p.replicate = lanes != 3;
          MacArrayCore fast(p, b), stepped(p, b);
          NullTrace sink;
          MacArrayTrace trace(sink, 256, perGroup);
          stepped.setTrace(&trace);
          std::vector<int32_t> cf = init, cs = init;
          const PassResult rf = fast.runPass(t, it, cf.data(), Nper);
          const PassResult rs = stepped.runPass(t, it, cs.data(), Nper);
          ASSERT_EQ(cf, ref) << "R " << R << " ids " << perGroup << " dense " << dense << " lanes " << lanes;
          ASSERT_EQ(cs, ref) << "R " << R << " ids " << perGroup << " dense " << dense << " lanes " << lanes;
          EXPECT_EQ(rf.cycles, rs.cycles);
          EXPECT_EQ(rf.steps, rs.steps);
          EXPECT_EQ(rf.items, rs.items);
          EXPECT_EQ(rf.macs, rs.macs);
          EXPECT_EQ(rf.sram_bank_conflict, rs.sram_bank_conflict);
          EXPECT_EQ(rf.routing_conflict, rs.routing_conflict);
          EXPECT_EQ(rf.column_words, rs.column_words);
          ASSERT_EQ(rf.events.size(), rs.events.size());
          for (size_t i = 0; i < rf.events.size(); ++i) {
            EXPECT_EQ(rf.events[i].at, rs.events[i].at);
            EXPECT_EQ(rf.events[i].pixels, rs.events[i].pixels);
          }
          ++trials;
        }
      }
  EXPECT_EQ(trials, 13 * 2 * 2 * 3);
}

// The extreme products: -128 x -128 in every slot of every item, on the vector path's widths.
TEST(CsPassAccumulate, ExtremeInt8ProductsAreExact) {
  for (int R : {16, 64, 70, 80, 256}) {
    const int64_t K = 9;
    PassTable t;
    t.K = K;
    t.R = R;
    t.kernels = R;
    for (int64_t i = 0; i < K * R; ++i)
      t.entries.push_back(ColumnEntry{int8_t(-128), true, static_cast<int32_t>(i % R), 0});
    t.kernel_of.resize(static_cast<size_t>(R));
    for (int r = 0; r < R; ++r) t.kernel_of[static_cast<size_t>(r)] = r;
    PixelItems it;
    it.M = 2;
    it.dense = true;
    it.start = {0, K, 2 * K};
    it.value.assign(static_cast<size_t>(2 * K), int8_t(-128));
    it.value[K] = 127;  // pixel 1: one +127 among -128s
    std::vector<int16_t> w(t.entries.size());
    std::vector<int32_t> acc(t.entries.size());
    for (size_t e = 0; e < w.size(); ++e) w[e] = t.entries[e].weight, acc[e] = int32_t(e % size_t(R));
    const PassColumns pc{R, 1, w.data(), 0, acc.data(), true, t.kernel_of.data()};
    std::vector<int32_t> C(static_cast<size_t>(2 * R), 0), scratch;
    accumulatePass(pc, it, C.data(), R, scratch);
    for (int r = 0; r < R; ++r) {
      ASSERT_EQ(C[static_cast<size_t>(r)], 9 * 16384) << "R " << R << " slot " << r;
      ASSERT_EQ(C[static_cast<size_t>(R + r)], 8 * 16384 + 127 * -128) << "R " << R << " slot " << r;
    }
  }
}

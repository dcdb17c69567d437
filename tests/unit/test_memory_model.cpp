#include <gtest/gtest.h>

#include "models/common/DramController.h"
#include "models/common/FoldSchedule.h"
#include "models/common/GlobalBuffer.h"

using namespace sparsesim;

TEST(DramChannel, FirstComeFirstServedAtBandwidth) {
  DramChannel ch(16.0);
  EXPECT_EQ(ch.durationOf(0), 0u);
  EXPECT_EQ(ch.durationOf(1), 1u);
  EXPECT_EQ(ch.durationOf(32), 2u);
  EXPECT_EQ(ch.durationOf(33), 3u);
  EXPECT_EQ(ch.schedule(10, 160), 20u);  // idle channel: starts at once
  EXPECT_EQ(ch.schedule(12, 16), 21u);   // queued behind the first request
  EXPECT_EQ(ch.schedule(40, 16), 41u);
  DramChannel ideal(0.0);
  EXPECT_EQ(ideal.schedule(5, 1 << 20), 5u);
}

namespace {
LayerGeometry conv(int c, int h, int w, int k, int o, int stride, int pad) {
  LayerGeometry g;
  g.in_c = c; g.in_h = h; g.in_w = w; g.kh = g.kw = k; g.out_c = o; g.stride = stride;
  g.pad_top = g.pad_left = pad;
  g.out_h = (h + 2 * pad - k) / stride + 1;
  g.out_w = (w + 2 * pad - k) / stride + 1;
  g.M = int64_t(g.out_h) * g.out_w; g.K = int64_t(k) * k * c; g.N = o; g.groups = 1;
  return g;
}
uint64_t totalRead(const LayerGeometry& g, const MemoryConfig& m, int R, int C, Dataflow df) {
  BufferResidency res(g, m, C);
  uint64_t b = 0;
  for (const Fold& f : buildFoldSchedule(g, R, C, df)) b += res.readBytes(f);
  return b;
}
}  // namespace

// When every operand fits, each input byte and each weight byte crosses from DRAM exactly once.
TEST(BufferResidency, EverythingFitsMeansOneFetchPerByte) {
  MemoryConfig m{1024, 1024, 1024, 16, 2, 4};
  LayerGeometry g = conv(5, 12, 10, 3, 7, 1, 1);
  for (Dataflow df : {Dataflow::OutputStationary, Dataflow::WeightStationary})
    EXPECT_EQ(totalRead(g, m, 4, 3, df), uint64_t(g.inputElements() + g.weightElements()));
}

// OS with weights that do not fit: the weight tiles are fetched again for every m-tile.
TEST(BufferResidency, WeightsRefetchedPerRowTileWhenTooBig) {
  LayerGeometry g = conv(16, 8, 8, 3, 64, 1, 1);  // 9216 weight bytes
  MemoryConfig m{1024, 4, 1024, 16, 2, 4};         // 4 KiB filter partition
  const int R = 16;
  uint64_t mTiles = (g.M + R - 1) / R;
  EXPECT_EQ(totalRead(g, m, R, 8, Dataflow::OutputStationary), uint64_t(g.inputElements()) + mTiles * g.weightElements());
}

TEST(BufferResidency, WritesFinalOutputsOnce) {
  MemoryConfig m{1024, 1024, 1024, 16, 2, 4};
  LayerGeometry g = conv(5, 12, 10, 3, 7, 1, 1);
  for (Dataflow df : {Dataflow::OutputStationary, Dataflow::WeightStationary}) {
    BufferResidency res(g, m, 3);
    uint64_t w = 0;
    for (const Fold& f : buildFoldSchedule(g, 4, 3, df)) w += res.writeBytes(f);
    EXPECT_EQ(w, uint64_t(g.M * g.N * 4));
  }
}

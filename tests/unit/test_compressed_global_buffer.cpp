// The compressed global buffer keeps the dense buffer's residency rules: with dense storage it
// fetches exactly what GlobalBuffer fetches, fold by fold; with compressed storage it fetches the
// stored bits of the same tiles.
#include <gtest/gtest.h>

#include "models/common/GlobalBuffer.h"
#include "models/common/GlobalBuffer.h"
#include "sim/config/ConfigLoader.h"

using namespace sparsesim;

namespace {

LayerConfig conv(int cin, int cout, int hw, int k, int stride, int pad) {
  LayerConfig l;
  l.name = "l";
  l.type = LayerType::Conv2d;
  l.in_channels = cin;
  l.out_channels = cout;
  l.in_h = l.in_w = hw;
  l.kernel_h = l.kernel_w = k;
  l.stride = stride;
  l.padding = pad;
  return l;
}

}  // namespace

TEST(GlobalBufferStorage, StoredSizesDecideResidencyAndFetches) {
  LayerGeometry g = computeGeometry(conv(64, 64, 28, 3, 1, 1), Compat::None);
  const MemoryConfig m{64, 16, 256, 16, 2, 4};  // dense weights (36 KiB) do not fit in 16 KiB
  OperandStorage quarter = denseStorage(g);
  quarter.weight_tile_bits = [](const Fold& f) { return uint64_t(f.nlen) * uint64_t(f.klen) * 2; };
  quarter.weight_bytes /= 4;
  BufferResidency dense(g, m, 32);
  BufferResidency comp(g, m, 32, quarter);
  EXPECT_FALSE(dense.weightsFitBuffer());
  EXPECT_TRUE(comp.weightsFitBuffer());
  uint64_t wDense = 0, wComp = 0;
  OperandStorage none = denseStorage(g);
  none.weight_tile_bits = [](const Fold&) { return uint64_t(0); };
  BufferResidency inputsOnly(g, m, 32, none);
  uint64_t inputs = 0;
  for (const Fold& f : buildFoldSchedule(g, 32, 32, Dataflow::OutputStationary)) {
    wDense += dense.readBytes(f);
    wComp += comp.readBytes(f);
    inputs += inputsOnly.readBytes(f);
  }
  // Resident compressed weights are fetched once: a quarter of the weight bytes.
  EXPECT_EQ(wComp - inputs, uint64_t(g.weightElements()) / 4);
  EXPECT_GT(wDense - inputs, uint64_t(g.weightElements()));  // refetched when not resident
}

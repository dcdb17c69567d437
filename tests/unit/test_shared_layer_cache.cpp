// A sweep's shared layers (sim/run/SharedLayerCache.h): an entry equals what a run alone computes
// (makeWorkload, referenceConv, countUsefulMacs), a network over the budget is not held, the
// least recently prepared layers make room, and a layer differing in any read field misses.
#include <gtest/gtest.h>

#include "sim/reference/ReferenceConv.h"
#include "sim/run/SharedLayerCache.h"
#include "sim/run/Verify.h"

using namespace sparsesim;

namespace {

NetworkConfig net(const std::string& prefix, double sparsity) {
  NetworkConfig n;
  n.name = prefix;
  for (int i = 0; i < 3; ++i) {
    LayerConfig l;
    l.name = prefix + std::to_string(i);
    l.in_channels = 8 + i;
    l.out_channels = 16;
    l.in_h = l.in_w = 12;
    l.kernel_h = l.kernel_w = 3;
    l.padding = 1;
    l.weight_sparsity = sparsity;
    l.activation_density = 0.5;
    n.layers.push_back(l);
  }
  return n;
}

uint64_t bytesOf(const NetworkConfig& n) {
  uint64_t b = 0;
  for (const auto& l : n.layers) {
    const LayerWorkload w = makeWorkload(l, Compat::None, 3, nullptr);
    b += w.input.size() + w.weights.size() + 4 * referenceConv(w).size();
  }
  return b;
}

}  // namespace

TEST(SharedLayerCache, EntriesEqualARunAloneAndTheBudgetHolds) {
  SharedLayerCache c;
  const NetworkConfig a = net("a", 0.5), b = net("b", 0.5);
  const uint64_t one = bytesOf(a);
  c.setBudgetBytes(one - 1);
  EXPECT_EQ(c.prepare(a, Compat::None, 3), 0u);  // over the budget: not held
  EXPECT_TRUE(c.empty());
  c.setBudgetBytes(one + one / 2);
  EXPECT_EQ(c.prepare(a, Compat::None, 3), 3u);
  EXPECT_EQ(c.prepare(a, Compat::None, 3), 0u);  // held already
  EXPECT_EQ(c.heldBytes(), one);
  for (const auto& l : a.layers) {
    const SharedLayer* s = c.find(l, Compat::None, 3);
    ASSERT_NE(s, nullptr);
    const LayerWorkload w = makeWorkload(l, Compat::None, 3, nullptr);
    EXPECT_EQ(s->workload.input.data, w.input.data);
    EXPECT_EQ(s->workload.weights.data, w.weights.data);
    EXPECT_EQ(s->workload.kwta_k, w.kwta_k);
    EXPECT_EQ(s->workload.input_nonzeros, w.input_nonzeros);
    EXPECT_EQ(s->reference.data, referenceConv(w).data);
    EXPECT_EQ(s->macs_useful, countUsefulMacs(w));
    EXPECT_EQ(c.find(l, Compat::None, 4), nullptr);  // another seed
    LayerConfig other = l;
    other.activation_density = 0.25;
    EXPECT_EQ(c.find(other, Compat::None, 3), nullptr);
    other = l;
    other.weight_pattern = WeightPattern::Complementary;
    EXPECT_EQ(c.find(other, Compat::None, 3), nullptr);
  }
  // b does not fit beside a: a's layers go, b's are held.
  EXPECT_EQ(c.prepare(b, Compat::None, 3), 3u);
  EXPECT_LE(c.heldBytes(), c.budgetBytes());
  EXPECT_EQ(c.find(a.layers[0], Compat::None, 3), nullptr);
  EXPECT_NE(c.find(b.layers[2], Compat::None, 3), nullptr);
  c.release(b, Compat::None, 3);
  for (const auto& l : b.layers) EXPECT_EQ(c.find(l, Compat::None, 3), nullptr);
  EXPECT_LT(c.heldBytes(), one);  // at most what is left of a
  // A chained network and a layer with a weights file are never shared.
  NetworkConfig chained = a;
  chained.chain = true;
  EXPECT_FALSE(SharedLayerCache::cacheable(chained, 0));
  NetworkConfig file = a;
  file.layers[1].weights_file = "w.npy";
  EXPECT_TRUE(SharedLayerCache::cacheable(file, 0));
  EXPECT_FALSE(SharedLayerCache::cacheable(file, 1));
}

// What an entry is charged (layerBytes, from the geometry) is what its tensors hold, on every
// kind of compute layer the cache takes: grouped, depthwise, strided and padded, linear, batched,
// and in SCALE-Sim compat mode.
TEST(SharedLayerCache, LayerBytesAreTheTensorsItHolds) {
  std::vector<std::pair<LayerConfig, Compat>> layers;
  auto conv = [](int c, int o, int hw, int k, int s, int p, int g, int batch) {
    LayerConfig l;
    l.name = "l";
    l.in_channels = c, l.out_channels = o, l.in_h = l.in_w = hw;
    l.kernel_h = l.kernel_w = k, l.stride = s, l.padding = p, l.groups = g, l.batch = batch;
    l.activation_density = 0.5;
    return l;
  };
  layers.push_back({conv(8, 16, 12, 3, 1, 1, 1, 1), Compat::None});
  layers.push_back({conv(8, 12, 11, 3, 2, 1, 4, 1), Compat::None});
  layers.push_back({conv(6, 10, 9, 5, 2, 0, 1, 3), Compat::None});
  LayerConfig dw = conv(16, 16, 10, 3, 1, 1, 16, 2);
  dw.type = LayerType::DepthwiseConv2d;
  layers.push_back({dw, Compat::None});
  LayerConfig fc = conv(64, 10, 1, 1, 1, 0, 1, 1);
  fc.type = LayerType::Linear;
  fc.in_h = 7;
  layers.push_back({fc, Compat::None});
  layers.push_back({conv(8, 16, 12, 3, 1, 1, 1, 1), Compat::ScaleSim});
  for (const auto& [l, compat] : layers) {
    const LayerWorkload w = makeWorkload(l, compat, 3, nullptr);
    EXPECT_EQ(SharedLayerCache::layerBytes(l, compat), w.input.size() + w.weights.size() + 4 * referenceConv(w).size())
        << "groups " << l.groups << " batch " << l.batch << " type " << int(l.type);
  }
}

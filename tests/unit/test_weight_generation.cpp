// The generated weights are the documented stream: weight i of a layer with no zeros placed is
// CounterRng(seed, streamId(name, 0xBEEF)).nonZeroInt8(i) (sim/workload/Rng.h), whichever
// vector path the machine's weight generation takes.
#include <gtest/gtest.h>

#include "sim/workload/Rng.h"
#include "sim/workload/Workload.h"

using namespace sparsesim;

TEST(WeightGeneration, EqualsTheCounterStreamOnEveryWeight) {
  // Both builds of the fill loop: the AVX-512 one (where the CPU has it) and the baseline one.
  for (bool wide : {true, false})
  for (uint64_t seed : {1ull, 7ull, 0xFFFFFFFFFFFFFFFFull}) {
    setWeightGeneratorWide(wide);
    LayerConfig l;
    l.name = "conv_" + std::to_string(seed);
    l.in_channels = 37;
    l.out_channels = 61;
    l.in_h = l.in_w = 9;
    l.kernel_h = l.kernel_w = 3;
    l.padding = 1;
    const LayerWorkload w = makeWeightsWorkload(l, Compat::None, seed, nullptr);
    const CounterRng rng(seed, streamId(l.name, 0xBEEF));
    ASSERT_EQ(w.weights.size(), size_t(61 * 37 * 9));
    for (size_t i = 0; i < w.weights.size(); ++i) ASSERT_EQ(w.weights.data[i], rng.nonZeroInt8(i)) << "wide " << wide << " seed " << seed << " weight " << i;
    EXPECT_EQ(w.weight_nonzeros, int64_t(w.weights.size()));
  }
  setWeightGeneratorWide(true);
}

// The run's weight-residency plan sizes each layer's stored weights from a weights-only workload
// (no input generation, no k-WTA). Every datapath's footprint of it must equal the footprint of
// the full workload the layer runs on, or the plan (and every figure after it) would change.
#include <gtest/gtest.h>

#include <string>

#include "sim/config/ConfigLoader.h"
#include "sim/run/DatapathRegistry.h"
#include "sim/workload/Workload.h"

using namespace sparsesim;

namespace {
const std::string kSrc = SPARSESIM_SOURCE_DIR;
}

TEST(WeightsWorkload, FootprintEqualsTheFullWorkloadsOnEveryDatapath) {
  const std::vector<std::pair<std::string, std::vector<std::string>>> arches = {
      {"dense-32x32", {}},          {"cs-small", {}},  {"cs-large", {"cs.mode=sparse_sparse"}},
      {"cs-small", {"cs.mode=dense_dense"}}, {"sod-32x32", {}}, {"sparse-pe-16x16", {}}};
  int compared = 0;
  for (const std::string net : {"gsc", "gsc-complementary"}) {
    const NetworkConfig n = loadNetwork(kSrc + "/configs/networks/" + net + ".json");
    for (const auto& [name, sets] : arches) {
      const ArchConfig a = loadArch(kSrc + "/configs/arch/" + name + ".json", sets);
      const DatapathEntry& dp = datapathEntry(a);
      for (size_t i = 0; i < n.layers.size(); ++i) {
        const LayerWorkload full = makeWorkload(n.layers[i], a.compat, 7, n.source_file, int(i));
        Int8Tensor weights;
        if (!n.layers[i].weights_file.empty()) weights = full.weights;
        const LayerWorkload only = makeWeightsWorkload(n.layers[i], a.compat, 7, n.layers[i].weights_file.empty() ? nullptr : &weights);
        EXPECT_EQ(only.weights.data, full.weights.data) << net << " " << name << " " << i;
        EXPECT_EQ(only.kwta_k, full.kwta_k) << net << " " << name << " " << i;
        EXPECT_EQ(only.input.shape, full.input.shape);
        const WeightFootprint fo = dp.weight_footprint(a, only), ff = dp.weight_footprint(a, full);
        EXPECT_EQ(fo.stored_bytes, ff.stored_bytes) << net << " " << name << " " << i;
        EXPECT_EQ(fo.stream_reserve_bytes, ff.stream_reserve_bytes) << net << " " << name << " " << i;
        ++compared;
      }
    }
  }
  EXPECT_GT(compared, 20);
}

// The sparse-PE baseline end to end: issued MACs are exactly the matching non-zero pairs (the
// run pipeline counts those independently from the tensors), cycles fall as sparsity rises, and
// AlexNet, VGG-16 (subset) and the BERT block run verified.
#include <gtest/gtest.h>

#include "sod_e2e_util.h"

using namespace sparsesim;
using namespace sparsesim::e2e;

namespace {

void expectReportFields(const RunResult& r, size_t i, int64_t pes) {
  const LayerResult& l = r.layers[i];
  const nlohmann::ordered_json s = buildReport(r)["layers"][i]["sparse_pe"];
  EXPECT_EQ(s["pe_count"].get<int64_t>(), pes);
  EXPECT_GE(s["match_rate"].get<double>(), 0.0);
  EXPECT_LE(s["match_rate"].get<double>(), 1.0);
  EXPECT_TRUE(s.contains("fifo_stall_cycles"));
  // Each active PE-cycle issues at most one MAC.
  EXPECT_EQ(uint64_t(s["match_rate"].get<double>() * double(s["active_pe_cycles"].get<uint64_t>()) + 0.5), l.macs_issued);
}

void expectNetworkOnSparsePe(const std::string& netFile, const std::vector<std::string>& layers) {
  const NetworkConfig net = withSparsity(selectLayers(loadNetwork(sourcePath(netFile)), layers), 0.8, 0.5);
  const RunResult r = runSimulation(loadArch(sourcePath("configs/arch/sparse-pe-16x16.json")), net, RunOptions());
  EXPECT_TRUE(r.verified);
  ASSERT_EQ(r.layers.size(), net.layers.size());
  for (size_t i = 0; i < r.layers.size(); ++i) {
    const LayerResult& l = r.layers[i];
    SCOPED_TRACE(l.name);
    EXPECT_TRUE(l.verified);
    EXPECT_EQ(l.macs_issued, l.macs_useful);
    EXPECT_LT(l.macs_issued, l.macs_dense);
    expectReportFields(r, i, 256);
  }
}

}  // namespace

TEST(SparsePeE2E, IssuedMacsEqualTheMatchingNonZeroPairs) {
  NetworkConfig n;
  n.name = "mixed";
  n.layers.push_back(convLayer("conv", 24, 40, 15, 3, 1, 0.7, 0.4));
  LayerConfig grouped = convLayer("grouped", 16, 32, 12, 3, 1, 0.5, 0.6);
  grouped.groups = 4;
  n.layers.push_back(grouped);
  LayerConfig dw = convLayer("depthwise", 16, 16, 12, 3, 1, 0.3, 0.5);
  dw.type = LayerType::DepthwiseConv2d;
  dw.groups = 16;
  n.layers.push_back(dw);
  n.layers.push_back(linearLayer("fc_dense", 200, 50, 20, 0.0, 1.0));
  n.layers.push_back(linearLayer("fc_sparse", 200, 50, 20, 0.95, 0.1));
  const RunResult r = runSimulation(loadArch(sourcePath("configs/arch/sparse-pe-16x16.json"), {"array.rows=8", "array.cols=8"}), n, RunOptions());
  ASSERT_TRUE(r.verified);
  for (size_t i = 0; i < r.layers.size(); ++i) {
    const LayerResult& l = r.layers[i];
    SCOPED_TRACE(l.name);
    EXPECT_EQ(l.macs_issued, l.macs_useful);
    expectReportFields(r, i, 64);
  }
  // Fewer non-zeros, fewer matches: the sparse linear layer issues far fewer MACs than the dense one.
  EXPECT_LT(r.layers[4].macs_issued * 20, r.layers[3].macs_issued);
}

TEST(SparsePeE2E, CyclesFallAsSparsityRises) {
  NetworkConfig n;
  n.name = "sweep";
  const double ws[] = {0.0, 0.5, 0.8, 0.9, 0.95};
  for (int i = 0; i < 5; ++i) n.layers.push_back(convLayer("conv" + std::to_string(i), 64, 64, 14, 3, 1, ws[i], 0.5));
  const double ad[] = {1.0, 0.6, 0.3, 0.1};
  for (int i = 0; i < 4; ++i) n.layers.push_back(linearLayer("fc" + std::to_string(i), 512, 256, 32, 0.8, ad[i]));
  const RunResult r = runSimulation(loadArch(sourcePath("configs/arch/sparse-pe-16x16.json")), n, RunOptions());
  ASSERT_TRUE(r.verified);
  for (size_t i = 1; i < r.layers.size(); ++i) {
    if (i == 5) continue;  // first layer of the second sweep
    EXPECT_LT(r.layers[i].cycles, r.layers[i - 1].cycles) << r.layers[i].name;
    EXPECT_LT(r.layers[i].array_busy_cycles, r.layers[i - 1].array_busy_cycles)
        << r.layers[i].name;
  }
}

TEST(SparsePeE2E, AlexNetVerified) { expectNetworkOnSparsePe("configs/networks/alexnet.json", {}); }

// VGG-16 subset as in the sod test; the full network's wall time is in docs/sod.md.
TEST(SparsePeE2E, Vgg16SubsetVerified) {
  expectNetworkOnSparsePe("configs/networks/vgg16.json", {"features.0", "features.10", "features.28", "classifier.6"});
}

TEST(SparsePeE2E, BertBlockVerified) { expectNetworkOnSparsePe("configs/networks/bert-base-block.json", {}); }

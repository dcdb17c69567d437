// Sparse-on-Dense end to end: against the dense datapath on the same array and memory (the
// dense run happens in a forked child), with the decompressors keeping up and with a narrow
// decompressor; AlexNet, VGG-16 (subset) and the BERT block, verified, on dense and sod.
#include <gtest/gtest.h>

#include "sod_e2e_util.h"

using namespace sparsesim;
using namespace sparsesim::e2e;

namespace {

// One conv shape (partial tiles in M and N) and one linear shape, each at rising sparsity.
NetworkConfig sparsitySweep() {
  NetworkConfig n;
  n.name = "sweep";
  const double ws[] = {0.0, 0.5, 0.8, 0.95}, ad[] = {1.0, 0.7, 0.5, 0.2};
  for (int i = 0; i < 4; ++i) n.layers.push_back(convLayer("conv" + std::to_string(i), 48, 80, 20, 3, 1, ws[i], ad[i]));
  for (int i = 0; i < 4; ++i) n.layers.push_back(linearLayer("fc" + std::to_string(i), 300, 100, 40, ws[i], ad[i]));
  return n;
}

// DRAM fast enough never to be the bottleneck (every transfer takes one cycle).
const std::vector<std::string> kFastDram = {"memory.dram_gbps=200000"};  // 1e6 bytes per cycle at 200 MHz

void expectSodMatchesDenseCyclesWithFewerBytes(const std::string& sodArch, const std::string& denseArch) {
  const NetworkConfig net = sparsitySweep();
  const nlohmann::json dense = reportInChild(loadArch(sourcePath(denseArch), kFastDram), net)["layers"];
  const RunResult sod = runSimulation(loadArch(sourcePath(sodArch), kFastDram), net, RunOptions());
  ASSERT_TRUE(sod.verified);
  ASSERT_EQ(sod.layers.size(), dense.size());
  const nlohmann::ordered_json rep = buildReport(sod)["layers"];
  for (size_t i = 0; i < sod.layers.size(); ++i) {
    const LayerResult& s = sod.layers[i];
    const nlohmann::json& d = dense[i];
    SCOPED_TRACE(s.name);
    EXPECT_TRUE(d["verified"].get<bool>());
    // Same array, same fold schedule: the decompressors hide completely.
    EXPECT_EQ(s.cycles, d["cycles"].get<uint64_t>());
    EXPECT_EQ(s.macs_issued, d["macs_issued"].get<uint64_t>());
    EXPECT_EQ(stall(s, "decompressor"), 0u);
    EXPECT_EQ(rep[i]["sod"]["decompressor_stall_cycles"].get<uint64_t>(), 0u);
    EXPECT_EQ(s.dram_write_bytes, d["dram_write_bytes"].get<uint64_t>());  // outputs leave dense
    EXPECT_EQ(rep[i]["sod"]["weight_bytes_dense"].get<uint64_t>(), uint64_t(s.geom.weightElements()));
    EXPECT_EQ(rep[i]["sod"]["global_buffer_bytes"].get<uint64_t>(),
              rep[i]["sod"]["weight_bytes_compressed"].get<uint64_t>() + rep[i]["sod"]["activation_bytes_compressed"].get<uint64_t>());
    // Within each shape, layers are sorted by rising sparsity: compressed bytes fall.
    if (i % 4 != 0) {
      const LayerResult& p = sod.layers[i - 1];
      EXPECT_LT(s.dram_read_bytes, p.dram_read_bytes);
      EXPECT_LT(rep[i]["sod"]["global_buffer_bytes"].get<uint64_t>(), rep[i - 1]["sod"]["global_buffer_bytes"].get<uint64_t>());
      EXPECT_LT(rep[i]["sod"]["weight_bytes_compressed"].get<uint64_t>(), rep[i - 1]["sod"]["weight_bytes_compressed"].get<uint64_t>());
      EXPECT_LT(rep[i]["sod"]["activation_bytes_compressed"].get<uint64_t>(), rep[i - 1]["sod"]["activation_bytes_compressed"].get<uint64_t>());
    }
    // At 80% and 95% weight sparsity the compressed operands move fewer bytes than dense ones.
    if (i % 4 >= 2) {
      EXPECT_LT(s.dram_read_bytes, d["dram_read_bytes"].get<uint64_t>());
      EXPECT_LT(rep[i]["sod"]["global_buffer_bytes"].get<uint64_t>(), rep[i]["sod"]["global_buffer_bytes_dense"].get<uint64_t>());
    }
  }
}

void expectNarrowDecompressorStallsAttributed(const std::string& sodArch, const std::string& denseArch) {
  const NetworkConfig net = sparsitySweep();
  const nlohmann::json dense = reportInChild(loadArch(sourcePath(denseArch), kFastDram), net)["layers"];
  std::vector<std::string> narrow = kFastDram;
  narrow.push_back("sod.nnz_per_cycle=2");
  // Both operands through the units at every sparsity (format auto stores the dense layers dense).
  narrow.push_back("sod.weight_format=\"csc\"");
  narrow.push_back("sod.activation_format=\"csc\"");
  const RunResult sod = runSimulation(loadArch(sourcePath(sodArch), narrow), net, RunOptions());
  ASSERT_TRUE(sod.verified);
  const nlohmann::ordered_json rep = buildReport(sod)["layers"];
  for (size_t i = 0; i < sod.layers.size(); ++i) {
    const LayerResult& s = sod.layers[i];
    SCOPED_TRACE(s.name);
    const uint64_t dc = stall(s, "decompressor");
    EXPECT_GT(dc, 0u);
    EXPECT_EQ(rep[i]["sod"]["decompressor_stall_cycles"].get<uint64_t>(), dc);
    // Memory is not the bottleneck: the dense run's operand waits (the first fetch) are all
    // the sod run has on that account, and every extra cycle is a decompressor stall.
    EXPECT_EQ(stall(s, "dram_operands"), stall(dense[i], "dram_operands"));
    EXPECT_EQ(s.cycles, dense[i]["cycles"].get<uint64_t>() + dc);
    if (i % 4 != 0) EXPECT_LT(dc, stall(sod.layers[i - 1], "decompressor"));  // fewer non-zeros, fewer stalls
  }
}

// Full-size network on dense (child) and sod (this process), at one sparsity, both verified;
// sod moves fewer DRAM bytes and takes no more cycles.
void expectNetworkOnDenseAndSod(const std::string& netFile, const std::vector<std::string>& layers,
                                const std::string& sodArch, const std::string& denseArch) {
  const NetworkConfig net = withSparsity(selectLayers(loadNetwork(sourcePath(netFile)), layers), 0.8, 0.5);
  const nlohmann::json dense = reportInChild(loadArch(sourcePath(denseArch)), net);
  const RunResult sod = runSimulation(loadArch(sourcePath(sodArch)), net, RunOptions());
  EXPECT_TRUE(dense["total"]["verified"].get<bool>());
  EXPECT_TRUE(sod.verified);
  ASSERT_EQ(sod.layers.size(), net.layers.size());
  uint64_t denseRead = 0, sodRead = 0;
  for (size_t i = 0; i < sod.layers.size(); ++i) {
    EXPECT_TRUE(sod.layers[i].verified) << sod.layers[i].name;
    EXPECT_EQ(stall(sod.layers[i], "decompressor"), 0u) << sod.layers[i].name;
    EXPECT_LT(sod.layers[i].dram_read_bytes, dense["layers"][i]["dram_read_bytes"].get<uint64_t>()) << sod.layers[i].name;
    denseRead += dense["layers"][i]["dram_read_bytes"].get<uint64_t>();
    sodRead += sod.layers[i].dram_read_bytes;
  }
  EXPECT_LT(sodRead, denseRead);
  EXPECT_LE(sod.total_cycles, dense["total"]["cycles"].get<uint64_t>());
}

}  // namespace

TEST(SodE2E, OsCyclesEqualDenseWhileBytesShrinkWithSparsity) {
  expectSodMatchesDenseCyclesWithFewerBytes("configs/arch/sod-32x32.json", "configs/arch/dense-32x32.json");
}

TEST(SodE2E, WsCyclesEqualDenseWhileBytesShrinkWithSparsity) {
  expectSodMatchesDenseCyclesWithFewerBytes("configs/arch/sod-32x32-ws.json", "configs/arch/dense-32x32-ws.json");
}

TEST(SodE2E, OsNarrowDecompressorStallsTheArrayAndIsBlamed) {
  expectNarrowDecompressorStallsAttributed("configs/arch/sod-32x32.json", "configs/arch/dense-32x32.json");
}

TEST(SodE2E, WsNarrowDecompressorStallsTheArrayAndIsBlamed) {
  expectNarrowDecompressorStallsAttributed("configs/arch/sod-32x32-ws.json", "configs/arch/dense-32x32-ws.json");
}

// With real DRAM bandwidth both causes appear, and neither swallows the other.
TEST(SodE2E, DramAndDecompressorStallsAreSeparated) {
  NetworkConfig n;
  n.name = "one";
  n.layers.push_back(linearLayer("fc", 2048, 512, 16, 0.5, 0.5));
  const RunResult r = runSimulation(loadArch(sourcePath("configs/arch/sod-32x32.json"), {"sod.nnz_per_cycle=1", "memory.filter_kb=64"}), n, RunOptions());
  ASSERT_TRUE(r.verified);
  const LayerResult& l = r.layers[0];
  EXPECT_GT(stall(l, "dram_operands"), 0u);
  EXPECT_GT(stall(l, "decompressor"), 0u);
  // Every cycle the array is busy or waits for a stated cause, except the last write-back:
  // 16 x 32 outputs x 4 B at 16 B per cycle = 128 cycles.
  uint64_t stalls = 0;
  for (const auto& [cause, c] : l.stall_cycles.entries()) stalls += c;
  EXPECT_EQ(buildReport(r)["layers"][0]["array_busy_cycles"].get<uint64_t>() + stalls + 128, l.cycles);
}

TEST(SodE2E, BitmapAndDenseFormatsVerifyAndDenseStorageBypassesTheUnit) {
  NetworkConfig n = sparsitySweep();
  n.layers.resize(3);
  const RunResult r = runSimulation(loadArch(sourcePath("configs/arch/sod-32x32.json"),
                                             {"sod.weight_format=\"bitmap\"", "sod.activation_format=\"dense\""}),
                                    n, RunOptions());
  ASSERT_TRUE(r.verified);
  const nlohmann::ordered_json report = buildReport(r);
  for (const auto& l : report["layers"]) {
    EXPECT_TRUE(l["sod"]["decompressor"]["activations"]["bypassed"].get<bool>());
    EXPECT_EQ(l["sod"]["decompressor"]["activations"]["vectors"].get<uint64_t>(), 0u);
    EXPECT_GT(l["sod"]["decompressor"]["weights"]["vectors"].get<uint64_t>(), 0u);
    EXPECT_EQ(l["sod"]["activation_bytes_compressed"].get<uint64_t>(), l["sod"]["activation_bytes_dense"].get<uint64_t>());
  }
}

TEST(SodE2E, AlexNetOnDenseAndSodVerified) {
  expectNetworkOnDenseAndSod("configs/networks/alexnet.json", {}, "configs/arch/sod-32x32.json", "configs/arch/dense-32x32.json");
}

TEST(SodE2E, AlexNetOnDenseAndSodWsVerified) {
  expectNetworkOnDenseAndSod("configs/networks/alexnet.json", {}, "configs/arch/sod-32x32-ws.json", "configs/arch/dense-32x32-ws.json");
}

// VGG-16 has 15.5 GMACs; a representative subset: the first conv (K = 27), a mid conv, the last
// conv and the last classifier layer. The full network's wall time is in docs/sod.md.
TEST(SodE2E, Vgg16SubsetOnDenseAndSodVerified) {
  expectNetworkOnDenseAndSod("configs/networks/vgg16.json", {"features.0", "features.10", "features.28", "classifier.6"},
                             "configs/arch/sod-32x32.json", "configs/arch/dense-32x32.json");
}

TEST(SodE2E, BertBlockOnDenseAndSodVerified) {
  expectNetworkOnDenseAndSod("configs/networks/bert-base-block.json", {}, "configs/arch/sod-32x32.json", "configs/arch/dense-32x32.json");
}

// End-to-end runs of the Complementary Sparsity datapath: verified outputs in every mode, the
// paper's packing examples, mode ordering, the ideal bound, and the CS config.
//
// SystemC allows one elaboration per process. Tests that compare several runs start each run in
// a forked child (the parent never elaborates) and read back a JSON summary through a pipe.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "sim/core/ConfigError.h"
#include "sim/config/ConfigLoader.h"
#include "sim/report/Report.h"
#include "sim/run/Runner.h"

using namespace sparsesim;
using nlohmann::json;

namespace {

const std::string kSrc = SPARSESIM_SOURCE_DIR;

json summarize(const RunResult& r) {
  json j;
  j["verified"] = r.verified;
  j["total_cycles"] = r.total_cycles;
  j["layers"] = json::array();
  const nlohmann::ordered_json rep = buildReport(r)["layers"];
  for (size_t i = 0; i < r.layers.size(); ++i) {
    const LayerResult& l = r.layers[i];
    json x;
    x["name"] = l.name;
    x["cycles"] = l.cycles;
    x["verified"] = l.verified;
    x["macs_issued"] = l.macs_issued;
    x["macs_dense"] = l.macs_dense;
    x["dram_read_bytes"] = l.dram_read_bytes;
    x["stall_cycles"] = json::object();
    for (const auto& [cause, c] : l.stall_cycles.entries()) x["stall_cycles"][statInfo(cause).name] = c;
    x["cs"] = json::parse(rep[i].value("cs", nlohmann::ordered_json::object()).dump());
    j["layers"].push_back(x);
  }
  return j;
}

// Runs one simulation in a forked child; returns its summary (or {"error": ...}).
json runInChild(const ArchConfig& a, const NetworkConfig& n) {
  int fd[2];
  if (pipe(fd) != 0) return json{{"error", "pipe failed"}};
  pid_t pid = fork();
  if (pid == 0) {
    close(fd[0]);
    std::string out;
    try {
      out = summarize(runSimulation(a, n, RunOptions{})).dump();
    } catch (const std::exception& e) {
      out = json{{"error", e.what()}}.dump();
    }
    size_t off = 0;
    while (off < out.size()) {
      ssize_t w = write(fd[1], out.data() + off, out.size() - off);
      if (w <= 0) break;
      off += static_cast<size_t>(w);
    }
    close(fd[1]);
    _exit(0);
  }
  close(fd[1]);
  std::string in;
  char buf[65536];
  ssize_t r;
  while ((r = read(fd[0], buf, sizeof buf)) > 0) in.append(buf, static_cast<size_t>(r));
  close(fd[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (in.empty()) return json{{"error", "child produced no result (status " + std::to_string(status) + ")"}};
  return json::parse(in);
}

ArchConfig arch(const std::string& name, std::vector<std::string> overrides = {}) {
  return loadArch(kSrc + "/configs/arch/" + name + ".json", overrides);
}
NetworkConfig network(const std::string& name) { return loadNetwork(kSrc + "/configs/networks/" + name + ".json"); }

void makeComplementary(NetworkConfig& n) {
  for (auto& l : n.layers) l.weight_pattern = WeightPattern::Complementary;
}

// Every layer verified, its selection equal to the workload's k-WTA, and no faster than the
// issue's ideal bound dense MACs / (multipliers x N x L/k).
void expectSound(const json& s, const std::string& what) {
  ASSERT_FALSE(s.contains("error")) << what << ": " << s.value("error", "");
  EXPECT_TRUE(s["verified"].get<bool>()) << what;
  for (const auto& l : s["layers"]) {
    const std::string name = what + " " + l["name"].get<std::string>();
    EXPECT_TRUE(l["verified"].get<bool>()) << name;
    EXPECT_TRUE(l["cs"]["selector"]["matches_workload"].get<bool>()) << name;
    EXPECT_GE(l["cycles"].get<double>(), l["cs"]["ideal_cycles_bound"].get<double>()) << name;
    EXPECT_GE(l["cs"]["bound_ratio"].get<double>(), 1.0) << name;
    EXPECT_GE(l["cycles"].get<uint64_t>(), l["cs"]["work_bound_cycles"].get<uint64_t>()) << name;
  }
}

uint64_t sumLayers(const json& s, const char* field) {
  uint64_t t = 0;
  for (const auto& l : s["layers"]) t += l[field].get<uint64_t>();
  return t;
}

const char* kModes[] = {"dense_dense", "sparse_dense", "sparse_sparse"};

std::string modeSet(const char* m) { return std::string("cs.mode=\"") + m + "\""; }

// One conv layer of `out` kernels over a 1-channel input, complementary masks.
NetworkConfig singleConv(int out, int kernel, double sparsity, int in) {
  NetworkConfig n;
  n.name = "cs-packing";
  n.source_file = "(test)";
  LayerConfig l;
  l.name = "conv";
  l.type = LayerType::Conv2d;
  l.in_channels = 1;
  l.out_channels = out;
  l.in_h = l.in_w = in;
  l.kernel_h = l.kernel_w = kernel;
  l.weight_sparsity = sparsity;
  l.weight_pattern = WeightPattern::Complementary;
  n.layers.push_back(l);
  return n;
}

// The paper's figure: N complementary kernels packed into one; on a one-lane, one-slot unit the
// packed layer takes N-fold fewer multiply cycles than dense-dense, with verified outputs.
void checkNFold(int N, int kernel, double sparsity) {
  NetworkConfig n = singleConv(N, kernel, sparsity, 11 + kernel);  // 12 x 12 outputs
  json dd = runInChild(arch("cs-small", {"array.rows=1", "array.cols=1", modeSet("dense_dense")}), n);
  json sd = runInChild(arch("cs-small", {"array.rows=1", "array.cols=1", modeSet("sparse_dense")}), n);
  expectSound(dd, "dense_dense");
  expectSound(sd, "sparse_dense");
  const json& d = dd["layers"][0];
  const json& s = sd["layers"][0];
  EXPECT_EQ(s["cs"]["N"].get<int>(), N);
  EXPECT_EQ(s["cs"]["groups"].get<int>(), 1);
  EXPECT_DOUBLE_EQ(s["cs"]["packing_efficiency"].get<double>(), 1.0);
  EXPECT_EQ(d["cs"]["groups"].get<int>(), N);
  const uint64_t busyD = d["cs"]["mac_busy_cycles"].get<uint64_t>(), busyS = s["cs"]["mac_busy_cycles"].get<uint64_t>();
  const int64_t M = 12 * 12, K = kernel * kernel;
  EXPECT_EQ(busyS, static_cast<uint64_t>(M * K));       // one multiply cycle per window position
  EXPECT_EQ(busyD, static_cast<uint64_t>(N) * busyS);   // N-fold
  EXPECT_EQ(d["macs_issued"].get<uint64_t>(), static_cast<uint64_t>(N) * s["macs_issued"].get<uint64_t>());
  const double ratio = d["cycles"].get<double>() / s["cycles"].get<double>();
  EXPECT_GT(ratio, 0.9 * N) << "dense " << d["cycles"] << " packed " << s["cycles"];
  EXPECT_LE(ratio, 1.0 * N);
  // On the default cs-small hardware: N-fold fewer multiplies, fewer cycles.
  json ddBig = runInChild(arch("cs-small", {modeSet("dense_dense")}), n);
  json sdBig = runInChild(arch("cs-small", {modeSet("sparse_dense")}), n);
  expectSound(ddBig, "dense_dense cs-small");
  expectSound(sdBig, "sparse_dense cs-small");
  EXPECT_EQ(ddBig["layers"][0]["macs_issued"].get<uint64_t>(), static_cast<uint64_t>(N) * sdBig["layers"][0]["macs_issued"].get<uint64_t>());
  EXPECT_LT(sdBig["layers"][0]["cs"]["mac_busy_cycles"].get<uint64_t>(), ddBig["layers"][0]["cs"]["mac_busy_cycles"].get<uint64_t>());
}

}  // namespace

// Done-when: sparsesim run with a CS architecture runs the GSC layers sparse-sparse, verified.
TEST(CsDatapath, GscAutoRunsSparseLayersSparseSparse) {
  RunResult r = runSimulation(arch("cs-small"), network("gsc"), RunOptions{});
  json s = summarize(r);
  expectSound(s, "gsc auto");
  ASSERT_EQ(s["layers"].size(), 4u);
  // conv1's input is the network input (no k-WTA before it): packing only.
  EXPECT_EQ(s["layers"][0]["cs"]["mode"], "sparse_dense");
  for (int i = 1; i < 4; ++i) {
    EXPECT_EQ(s["layers"][i]["cs"]["mode"], "sparse_sparse") << s["layers"][i]["name"];
    EXPECT_TRUE(s["layers"][i]["cs"]["selector"]["active"].get<bool>());
  }
  EXPECT_EQ(s["layers"][1]["cs"]["k"].get<int>(), 1200);
  EXPECT_EQ(s["layers"][1]["cs"]["L"].get<int>(), 12544);
  EXPECT_EQ(s["layers"][2]["cs"]["k"].get<int>(), 200);
  EXPECT_EQ(s["layers"][3]["cs"]["k"].get<int>(), 100);
}

TEST(CsDatapath, GscForcedSparseSparseRunsEveryLayerSparseSparse) {
  json s = summarize(runSimulation(arch("cs-small", {modeSet("sparse_sparse")}), network("gsc"), RunOptions{}));
  expectSound(s, "gsc sparse_sparse");
  for (const auto& l : s["layers"]) EXPECT_EQ(l["cs"]["mode"], "sparse_sparse") << l["name"];
  // conv1 keeps all of its input: the selector is bypassed.
  EXPECT_TRUE(s["layers"][0]["cs"]["selector"]["bypassed"].get<bool>());
}

// Done-when: the three modes side by side, cycles dense-dense >= sparse-dense >= sparse-sparse,
// on the published GSC network and on its complementary-mask version (CS-trained weights).
TEST(CsDatapath, GscModesAreOrdered) {
  for (bool complementary : {false, true}) {
    NetworkConfig n = network("gsc");
    if (complementary) makeComplementary(n);
    json runs[3];
    for (int m = 0; m < 3; ++m) {
      runs[m] = runInChild(arch("cs-small", {modeSet(kModes[m])}), n);
      expectSound(runs[m], std::string(kModes[m]) + (complementary ? " complementary" : " published"));
    }
    EXPECT_GE(runs[0]["total_cycles"].get<uint64_t>(), runs[1]["total_cycles"].get<uint64_t>());
    EXPECT_GE(runs[1]["total_cycles"].get<uint64_t>(), runs[2]["total_cycles"].get<uint64_t>());
    for (size_t i = 0; i < runs[0]["layers"].size(); ++i) {
      EXPECT_GE(runs[0]["layers"][i]["cycles"].get<uint64_t>(), runs[1]["layers"][i]["cycles"].get<uint64_t>()) << i;
      EXPECT_GE(runs[1]["layers"][i]["cycles"].get<uint64_t>(), runs[2]["layers"][i]["cycles"].get<uint64_t>()) << i;
    }
    if (complementary) {
      // Packing: conv2 (80%) 5 kernels per group, linear (90%) 10, perfectly packed runs.
      EXPECT_EQ(runs[2]["layers"][1]["cs"]["N"].get<int>(), 5);
      EXPECT_EQ(runs[2]["layers"][2]["cs"]["N"].get<int>(), 10);
      EXPECT_DOUBLE_EQ(runs[2]["layers"][2]["cs"]["packing_efficiency"].get<double>(), 1.0);
      // And a real gain: sparse-sparse at least 5x fewer cycles than dense-dense overall.
      EXPECT_GT(runs[0]["total_cycles"].get<double>(), 5.0 * runs[2]["total_cycles"].get<double>());
    }
  }
}

TEST(CsDatapath, ThreeComplementary3x3KernelsPackIntoOneNFold) { checkNFold(3, 3, 2.0 / 3.0); }

TEST(CsDatapath, FiveComplementary5x5KernelsPackIntoOneNFold) { checkNFold(5, 5, 0.8); }

// Done-when: ResNet-50 and MobileNetV2 in all three modes with verified outputs (whole networks).
TEST(CsDatapath, ResNet50DenseDense) {
  expectSound(summarize(runSimulation(arch("cs-small", {modeSet("dense_dense")}), network("resnet50"), RunOptions{})), "resnet50");
}
TEST(CsDatapath, ResNet50SparseDense) {
  expectSound(summarize(runSimulation(arch("cs-small", {modeSet("sparse_dense")}), network("resnet50"), RunOptions{})), "resnet50");
}
TEST(CsDatapath, ResNet50SparseSparse) {
  expectSound(summarize(runSimulation(arch("cs-small", {modeSet("sparse_sparse")}), network("resnet50"), RunOptions{})), "resnet50");
}
TEST(CsDatapath, MobileNetV2DenseDense) {
  expectSound(summarize(runSimulation(arch("cs-large", {modeSet("dense_dense")}), network("mobilenetv2"), RunOptions{})), "mobilenetv2");
}
TEST(CsDatapath, MobileNetV2SparseDense) {
  expectSound(summarize(runSimulation(arch("cs-large", {modeSet("sparse_dense")}), network("mobilenetv2"), RunOptions{})), "mobilenetv2");
}
TEST(CsDatapath, MobileNetV2SparseSparse) {
  expectSound(summarize(runSimulation(arch("cs-large", {modeSet("sparse_sparse")}), network("mobilenetv2"), RunOptions{})), "mobilenetv2");
}

// The shipped ResNet-50 and MobileNetV2 are dense; with CS-style sparsity imposed on
// representative layers (complementary 80% weights, 25% of the activations kept after the
// first layer), the modes separate and stay ordered.
TEST(CsDatapath, SparseResNet50AndMobileNetV2LayersModesOrdered) {
  const std::vector<std::pair<std::string, std::vector<std::string>>> nets = {
      {"resnet50", {"conv1", "layer1.0.conv2", "layer2.0.conv1", "layer3.1.conv2", "layer4.2.conv3", "fc"}},
      {"mobilenetv2", {"features.0.0", "features.2.conv.0.0", "features.2.conv.1.0", "features.2.conv.2", "features.17.conv.2", "classifier.1"}}};
  for (const auto& [name, layers] : nets) {
    NetworkConfig n = selectLayers(network(name), layers);
    for (size_t i = 0; i < n.layers.size(); ++i) {
      n.layers[i].weight_sparsity = 0.8;
      n.layers[i].weight_pattern = WeightPattern::Complementary;
      if (i > 0) n.layers[i].activation_density = 0.25;
    }
    json runs[3];
    for (int m = 0; m < 3; ++m) {
      runs[m] = runInChild(arch("cs-small", {modeSet(kModes[m])}), n);
      expectSound(runs[m], name + " " + kModes[m]);
    }
    EXPECT_GT(runs[0]["total_cycles"].get<uint64_t>(), runs[1]["total_cycles"].get<uint64_t>()) << name;
    EXPECT_GT(runs[1]["total_cycles"].get<uint64_t>(), runs[2]["total_cycles"].get<uint64_t>()) << name;
    EXPECT_GT(sumLayers(runs[0], "macs_issued"), 3 * sumLayers(runs[1], "macs_issued")) << name;
  }
}

// The bitonic selector gives the same winners and its stage count on conv2 (L = 12544 -> P =
// 16384, 14 * 15 / 2 = 105 stages).
TEST(CsDatapath, BitonicSelectorOnGsc) {
  json s = summarize(runSimulation(arch("cs-small", {"cs.selector.circuit=\"bitonic\"", "cs.selector.comparators=1024"}), network("gsc"), RunOptions{}));
  expectSound(s, "gsc bitonic");
  const json& sel = s["layers"][1]["cs"]["selector"];
  EXPECT_EQ(sel["compare_stages"].get<int>(), 105);
  EXPECT_EQ(sel["search_cycles"].get<uint64_t>(), 105u * (16384 / 2 / 1024));
}

// A per-group k-WTA keeps different activations than the workload generator's k-WTA over the
// whole tensor: the report says so and verification fails (nothing is silently accepted).
TEST(CsDatapath, PerGroupKwtaThatDiffersFromTheWorkloadIsReported) {
  NetworkConfig n = selectLayers(network("gsc"), {"conv2"});
  json s = summarize(runSimulation(arch("cs-small", {"cs.selector.group_size=196"}), n, RunOptions{}));
  EXPECT_FALSE(s["layers"][0]["cs"]["selector"]["matches_workload"].get<bool>());
  EXPECT_FALSE(s["layers"][0]["verified"].get<bool>());
}

// Weights streamed from DRAM: every table byte is read; a small SRAM narrows the passes and
// streaming stalls the array, outputs still verified.
TEST(CsDatapath, StreamedTablesCountDramTrafficAndStall) {
  NetworkConfig n = network("gsc");
  makeComplementary(n);
  json pre = runInChild(arch("cs-small", {"memory.weights=\"preload\""}), n);
  json str = runInChild(arch("cs-small", {"memory.weights=\"stream\""}), n);
  json tiny = runInChild(arch("cs-small", {"memory.weights=\"stream\"", "cs.sram.depth=128"}), n);
  expectSound(pre, "preload");
  expectSound(str, "stream");
  expectSound(tiny, "tiny sram");
  for (size_t i = 0; i < 4; ++i) {
    const json& p = pre["layers"][i];
    const json& s = str["layers"][i];
    EXPECT_TRUE(p["cs"]["sram"]["resident"].get<bool>());
    EXPECT_FALSE(s["cs"]["sram"]["resident"].get<bool>());
    EXPECT_EQ(s["dram_read_bytes"].get<uint64_t>(), p["dram_read_bytes"].get<uint64_t>() + s["cs"]["sram"]["table_bytes"].get<uint64_t>());
    EXPECT_GE(s["cycles"].get<uint64_t>(), p["cycles"].get<uint64_t>());
  }
  // conv2: 13 packed groups of 1600 columns; 24 x 128 = 3072 words hold at most 6 groups (1 word
  // per column): passes of 6, 6, 1, one slice in flight, the array waiting on DRAM.
  const json& c2 = tiny["layers"][1];
  EXPECT_EQ(c2["cs"]["slots_per_pass"].get<int>(), 6);
  EXPECT_EQ(c2["cs"]["passes"].get<int>(), 3);
  EXPECT_FALSE(c2["cs"]["sram"]["table_fits"].get<bool>());
  EXPECT_GT(c2["stall_cycles"]["dram"].get<uint64_t>(), str["layers"][1]["stall_cycles"]["dram"].get<uint64_t>());
}

TEST(CsDatapath, RejectsWeightStationaryDataflow) {
  EXPECT_THROW(runSimulation(arch("cs-small", {"dataflow=\"ws\""}), network("gsc"), RunOptions{}), ConfigError);
}

// The "cs" section: defaults, every key, unknown keys and ranges rejected with the JSON path.
TEST(CsConfig, DefaultsAndValidation) {
  const std::string file = ::testing::TempDir() + "cs-config-test.json";
  {
    std::ofstream o(file);
    o << R"({"name": "t", "datapath": "cs", "dataflow": "os", "array": {"rows": 2, "cols": 4}})";
  }
  ArchConfig a = loadArch(file);
  EXPECT_EQ(a.cs.mode, CsMode::Auto);
  EXPECT_EQ(a.cs.packing.max_n, 16);
  EXPECT_EQ(a.cs.sram.banks, 16);
  EXPECT_FALSE(a.memory.preload_weights);  // memory.weights = "stream" unless a file says "preload"
  EXPECT_EQ(a.cs.selector.circuit, SelectorCircuit::Threshold);
  EXPECT_EQ(a.cs.selector.group_size, 0);
  EXPECT_TRUE(a.cs.mac.replicate);
  a = loadArch(file, {"cs.mode=\"sparse_dense\"", "cs.sram.memory=\"uram\"", "cs.selector.circuit=\"bitonic\"", "cs.mac.replication=\"off\""});
  EXPECT_EQ(a.cs.mode, CsMode::SparseDense);
  EXPECT_EQ(a.cs.sram.memory, SramMemory::Uram);
  EXPECT_EQ(a.cs.selector.circuit, SelectorCircuit::Bitonic);
  EXPECT_FALSE(a.cs.mac.replicate);
  auto expectError = [&](const std::string& set, const std::string& path) {
    try {
      loadArch(file, {set});
      ADD_FAILURE() << set << " was accepted";
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    }
  };
  expectError("cs.mode=\"fast\"", "cs.mode");
  expectError("cs.cs_mode=\"auto\"", "cs.cs_mode");
  expectError("cs.sram.banks=0", "cs.sram.banks");
  expectError("cs.sram.bank=4", "cs.sram.bank");
  expectError("cs.selector.lanes=0", "cs.selector.lanes");
  expectError("cs.packing.max_n=0", "cs.packing.max_n");
  expectError("cs.mac.replication=true", "cs.mac.replication");
  std::remove(file.c_str());
}

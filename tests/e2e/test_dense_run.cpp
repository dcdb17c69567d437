// End-to-end runs of the dense datapath: whole networks verified, memory stalls attributed,
// the CLI's files, determinism, and the stepped engine against the bulk engine.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/config/ConfigLoader.h"
#include "sim/run/Runner.h"

using namespace sparsesim;
namespace fs = std::filesystem;

namespace {

std::string scratch(const std::string& name) {
  fs::path p = fs::temp_directory_path() / ("sparsesim-e2e-" + std::to_string(::getpid())) / name;
  fs::remove_all(p);
  return p.string();
}

int runCli(const std::string& args) {
  std::string cmd = std::string(SPARSESIM_BINARY) + " " + args + " > /dev/null 2>&1";
  int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : 128;
}

std::string slurp(const std::string& f) {
  std::ifstream in(f, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const std::string kSrc = SPARSESIM_SOURCE_DIR;

}  // namespace

TEST(DenseRun, ResNet50On32x32EveryLayerVerified) {
  ArchConfig a = loadArch(kSrc + "/configs/arch/dense-32x32.json");
  NetworkConfig n = loadNetwork(kSrc + "/configs/networks/resnet50.json");
  RunResult r = runSimulation(a, n, RunOptions{});
  ASSERT_EQ(r.layers.size(), n.layers.size());
  for (const auto& l : r.layers) {
    EXPECT_TRUE(l.verified) << l.name;
    EXPECT_EQ(l.macs_issued, l.macs_dense) << l.name;  // a dense array multiplies every pair
    EXPECT_LE(l.macs_useful, l.macs_issued);
    EXPECT_GT(l.utilization, 0.0);
    EXPECT_LE(l.utilization, 1.0);
  }
  EXPECT_TRUE(r.verified);
}

// Starving the array of DRAM bandwidth must show up as attributed stalls; the cycles spent
// computing stay exactly those of ideal memory.
TEST(DenseRun, DramStallsAreAttributed) {
  ArchConfig a = loadArch(kSrc + "/configs/arch/dense-16x16.json", {"memory.dram_gbps=0.1"});
  NetworkConfig n = selectLayers(loadNetwork(kSrc + "/configs/networks/gsc.json"), {"conv2", "linear"});
  RunResult r = runSimulation(a, n, RunOptions{});
  for (const auto& l : r.layers) {
    uint64_t stalls = 0;
    for (const auto& [cause, c] : l.stall_cycles.entries()) stalls += c;
    EXPECT_TRUE(l.stall_cycles.has(StallCause::DramOperands)) << l.name;
    EXPECT_GT(l.stall_cycles.get(StallCause::DramOperands), 0u) << l.name;
    EXPECT_GE(l.cycles, stalls) << l.name;
    // Reading every operand byte once takes at least bytes / bandwidth cycles.
    EXPECT_GE(double(l.cycles), double(l.dram_read_bytes + l.dram_write_bytes) / 0.5) << l.name;
    EXPECT_TRUE(l.verified);
  }
}

TEST(DenseRun, CliWritesReportAndIsDeterministic) {
  std::string o1 = scratch("det1"), o2 = scratch("det2");
  const std::string common = "run --arch " + kSrc + "/configs/arch/dense-16x16.json --network " + kSrc + "/configs/networks/gsc.json -q --seed 5 --out ";
  ASSERT_EQ(runCli(common + o1), 0);
  ASSERT_EQ(runCli(common + o2), 0);
  std::string r1 = slurp(o1 + "/report.json");
  EXPECT_EQ(r1, slurp(o2 + "/report.json"));
  auto j = nlohmann::json::parse(r1);
  for (const char* k : {"sparsesim_version", "arch", "network", "seed", "layers", "total"}) EXPECT_TRUE(j.contains(k)) << k;
  for (const char* k : {"name", "cycles", "macs_dense", "macs_issued", "macs_useful", "utilization", "stall_cycles", "dram_bytes", "verified"})
    EXPECT_TRUE(j["layers"][0].contains(k)) << k;
  for (const char* k : {"cycles", "seconds", "inferences_per_second", "verified"}) EXPECT_TRUE(j["total"].contains(k)) << k;
  EXPECT_EQ(j["seed"], 5);
  auto resolved = nlohmann::json::parse(slurp(o1 + "/resolved-config.json"));
  EXPECT_EQ(resolved["arch"]["memory"]["prefetch_depth"], 2);  // defaults are written out
}

// The register-level engine inside the full pipeline (FIFOs, memory, stalls) gives the same
// cycles and outputs as the bulk engine.
TEST(DenseRun, SteppedEngineMatchesBulkInThePipeline) {
  for (const char* df : {"os", "ws"}) {
    std::string ob = scratch(std::string("bulk-") + df), os = scratch(std::string("stepped-") + df);
    const std::string common = "run --arch " + kSrc + "/configs/arch/dense-16x16.json --network " + kSrc +
                               "/configs/networks/gsc.json --layers conv1,output -q --set array.rows=8 --set dataflow=" + df;
    // The dump beside --out, not inside it (a dump folder is replaced whole).
    ASSERT_EQ(runCli(common + " --out " + ob + "/r --dump-tensors " + ob + "/t"), 0);
    ASSERT_EQ(runCli(common + " --set simulation.fold_engine=stepped --out " + os + "/r --dump-tensors " + os + "/t"), 0);
    auto jb = nlohmann::json::parse(slurp(ob + "/r/report.json")), js = nlohmann::json::parse(slurp(os + "/r/report.json"));
    ASSERT_EQ(jb["layers"].size(), 2u);
    for (size_t i = 0; i < 2; ++i) EXPECT_EQ(jb["layers"][i]["cycles"], js["layers"][i]["cycles"]) << df;
    EXPECT_EQ(slurp(ob + "/t/conv1/output.npy"), slurp(os + "/t/conv1/output.npy"));
    EXPECT_EQ(slurp(ob + "/t/output/output.npy"), slurp(os + "/t/output/output.npy"));
  }
}

TEST(DenseRun, BadInputWritesNothingAndExits2) {
  std::string o = scratch("bad");
  EXPECT_EQ(runCli("run --arch " + kSrc + "/configs/arch/dense-16x16.json --network " + kSrc + "/configs/networks/gsc.json --layers nope --out " + o), 2);
  EXPECT_FALSE(fs::exists(o));
}

// Reports carry resources and energy (sim/resources): fields, units, consistency with the
// layers, and a design larger than its part.
#include <gtest/gtest.h>

#include "sim/core/ConfigError.h"
#include "sim/config/ConfigLoader.h"
#include "sim/report/Report.h"
#include "sim/run/Runner.h"

using namespace sparsesim;

namespace {
const std::string kSrc = SPARSESIM_SOURCE_DIR;

nlohmann::ordered_json runReport(const std::string& arch, const std::vector<std::string>& sets, const std::vector<std::string>& layers) {
  ArchConfig a = loadArch(kSrc + "/configs/arch/" + arch + ".json", sets);
  NetworkConfig n = selectLayers(loadNetwork(kSrc + "/configs/networks/gsc.json"), layers);
  RunResult r = runSimulation(a, n, RunOptions{});
  EXPECT_TRUE(r.verified);
  return buildReport(r);
}

void checkShape(const nlohmann::ordered_json& j) {
  ASSERT_TRUE(j.contains("resources"));
  ASSERT_TRUE(j.contains("energy"));
  const auto& res = j["resources"];
  for (const char* k : {"lut", "ff", "dsp", "bram36", "uram", "utilization", "fits", "binding_resource", "copies_per_part", "units"})
    EXPECT_TRUE(res.contains(k)) << k;
  const std::string b = res["binding_resource"];
  EXPECT_TRUE(b == "lut" || b == "ff" || b == "dsp" || b == "bram36" || b == "uram") << b;
  const auto& e = j["energy"];
  for (const char* k : {"total_j", "per_inference_j", "breakdown", "units"}) EXPECT_TRUE(e.contains(k)) << k;
  double layers = 0, blocks = 0, events = 0;
  for (const auto& l : j["layers"]) layers += l["energy"]["total_j"].get<double>();
  for (const auto& [k, v] : e["breakdown"]["by_block"].items()) blocks += v.get<double>();
  for (const auto& [k, v] : e["breakdown"]["by_event"].items()) events += v.get<double>();
  const double total = e["total_j"];
  EXPECT_GT(total, 0);
  EXPECT_NEAR(layers, total, total * 1e-9);
  EXPECT_NEAR(blocks, total, total * 1e-9);
  EXPECT_NEAR(events, total, total * 1e-9);
}
}  // namespace

TEST(ResourcesReport, DenseOnU250HasResourcesAndEnergy) {
  auto j = runReport("dense-32x32", {}, {"conv1"});
  checkShape(j);
  EXPECT_TRUE(j["resources"]["fits"].get<bool>());
  EXPECT_EQ(j["resources"]["dsp"].get<double>(), 1024);
  // BRAM36 by the packing rule (docs/resources.md): 512 KiB at 256 bits = 29 wide x 4 deep in
  // 9 x 4096 mode = 116, twice (ifmap, filter), + 256 KiB at 1024 bits = 57 in 18 x 2048 mode: 289.
  EXPECT_EQ(j["resources"]["bram36"].get<double>(), 289);
  EXPECT_EQ(j["resources"]["copies_per_part"].get<long long>(), 9);  // floor(2688 / 289)
}

TEST(ResourcesReport, Dense256x256OnZu3egDoesNotFit) {
  auto j = runReport("dense-32x32", {"array.rows=256", "array.cols=256", "fpga_part=\"zu3eg\""}, {"conv1"});
  checkShape(j);
  EXPECT_FALSE(j["resources"]["fits"].get<bool>());
  EXPECT_EQ(j["resources"]["binding_resource"], "dsp");
  EXPECT_EQ(j["resources"]["copies_per_part"].get<long long>(), 0);
  EXPECT_NEAR(j["resources"]["utilization"]["dsp"].get<double>(), 65536.0 / 360.0, 1e-9);
}

TEST(ResourcesReport, AsicTableChargesHorowitzPerMac) {
  auto j = runReport("dense-32x32", {"energy_table=\"asic-45nm-horowitz\""}, {"conv1"});
  checkShape(j);
  EXPECT_EQ(j["energy"]["kind"], "asic");
  const double macs = j["total"]["macs_issued"];
  EXPECT_NEAR(j["energy"]["breakdown"]["by_event"]["mult_int8"].get<double>(), macs * 0.2e-12, macs * 1e-18);
  EXPECT_NEAR(j["energy"]["breakdown"]["by_event"]["add_int32"].get<double>(), macs * 0.1e-12, macs * 1e-18);
  const double dram = j["total"]["dram_bytes"];
  EXPECT_NEAR(j["energy"]["breakdown"]["by_event"]["dram_64b"].get<double>(), dram / 8 * 1950e-12, 1e-15);
}

TEST(ResourcesReport, CsSparseSparseOnZu3eg) {
  auto j = runReport("cs-small", {"fpga_part=\"zu3eg\""}, {});
  checkShape(j);
  EXPECT_TRUE(j["resources"]["fits"].get<bool>());
  EXPECT_EQ(j["resources"]["dsp"].get<double>(), 256);
  EXPECT_GT(j["energy"]["breakdown"]["by_block"]["kwta_selector"].get<double>(), 0);
}

TEST(ResourcesReport, SodHasDecompressorEnergy) {
  auto j = runReport("sod-32x32", {}, {"conv2"});
  checkShape(j);
  EXPECT_GT(j["energy"]["breakdown"]["by_block"]["decompressors"].get<double>(), 0);
}

TEST(ResourcesReport, SparsePeHasMatcherEnergy) {
  auto j = runReport("sparse-pe-16x16", {}, {"conv2"});
  checkShape(j);
  EXPECT_GT(j["energy"]["breakdown"]["by_block"]["fifos_matchers"].get<double>(), 0);
}

TEST(ResourcesReport, UnknownPartIsAConfigError) {
  ArchConfig a = loadArch(kSrc + "/configs/arch/dense-32x32.json", {"fpga_part=\"vu9p-nope\""});
  NetworkConfig n = selectLayers(loadNetwork(kSrc + "/configs/networks/gsc.json"), {"conv1"});
  try {
    runSimulation(a, n, RunOptions{});
    ADD_FAILURE() << "unknown part accepted";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("fpga_part"), std::string::npos) << e.what();
  }
}

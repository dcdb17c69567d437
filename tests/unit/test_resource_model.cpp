// Resource model: primitive counts against hand-computed closed forms, part capacities from the
// config files, and the fits / binding-resource / copies logic.
#include <gtest/gtest.h>

#include <cmath>

#include "sim/core/ConfigError.h"
#include "sim/config/ConfigLoader.h"
#include "sim/resources/FpgaPart.h"
#include "sim/resources/ResourceModel.h"
#include "sim/run/ArchCosts.h"

using namespace sparsesim;

namespace {
const std::string kSrc = SPARSESIM_SOURCE_DIR;

ArchConfig arch(const std::string& text) { return archFromJson(nlohmann::json::parse(text), "test.json"); }

ArchConfig dense(int rows, int cols, const std::string& part) {
  return arch(R"({"name":"d","datapath":"dense","dataflow":"os","array":{"rows":)" + std::to_string(rows) + R"(,"cols":)" +
              std::to_string(cols) + R"(},"memory":{"ifmap_kb":256,"filter_kb":256,"ofmap_kb":128},"fpga_part":")" + part + "\"}");
}
}  // namespace

TEST(ResourceModel, PartsMatchTheDomainBrief) {
  FpgaPart u = loadFpgaPart(kSrc + "/configs/fpga/u250.json");
  EXPECT_EQ(u.lut, 1728000);
  EXPECT_EQ(u.ff, 3456000);
  EXPECT_EQ(u.dsp, 12288);
  EXPECT_EQ(u.bram36, 2688);
  EXPECT_EQ(u.uram, 1280);
  FpgaPart z = loadFpgaPart(kSrc + "/configs/fpga/zu3eg.json");
  EXPECT_EQ(z.lut, 70560);
  EXPECT_EQ(z.ff, 141120);
  EXPECT_EQ(z.dsp, 360);
  EXPECT_EQ(z.bram36, 216);
  EXPECT_EQ(z.uram, 0);
}

TEST(ResourceModel, PartNameResolvesFromArchFolderOrSourceTree) {
  EXPECT_EQ(resolveConfigFile("fpga", "zu3eg", kSrc + "/configs/arch/dense-32x32.json", "fpga_part"),
            kSrc + "/configs/fpga/zu3eg.json");
  EXPECT_NO_THROW(resolveConfigFile("fpga", "u250", "/nonexistent/dir/a.json", "fpga_part"));
  EXPECT_THROW(resolveConfigFile("fpga", "no-such-part", "a.json", "fpga_part"), ConfigError);
  EXPECT_THROW(resolveConfigFile("fpga", "../arch/dense-32x32", "a.json", "fpga_part"), ConfigError);
}

TEST(ResourceModel, BufferAndBankBlockCounts) {
  // 256 KiB read 64 bits at a time = 64 x 32768: 64 BRAM36 (72 x 512 each, 1 wide x 64 deep).
  EXPECT_EQ(bramForBuffer(256 * 1024, 64).bram36, 64);
  // 4 KiB read 2048 bits at a time = 2048 x 16: width-bound; 57 RAMB18 in 36 x 512 mode
  // (ceil(2048 / 36)) = 28.5 BRAM36, fewer than 29 BRAM36 in 72 x 512 mode.
  EXPECT_EQ(bramForBuffer(4 * 1024, 256 * 8).bram36, 28.5);
  EXPECT_EQ(bramForBuffer(0, 64).bram36, 0);
  // 32 x 1024 fits one BRAM36 in its 36 x 1024 mode (a 72-wide-only rule would say 2).
  EXPECT_EQ(sramBanks(1, 32, 1024, false).bram36, 1);
  // cs-small's weight-packing SRAM: 24 banks x 72 bits x 2048 words = 24 x 1 x 4 = 96 BRAM36.
  EXPECT_EQ(sramBanks(24, 72, 2048, false).bram36, 96);
  EXPECT_EQ(sramBanks(24, 144, 2048, true).uram, 48);  // 2 wide x 1 deep per bank
}

TEST(ResourceModel, DenseArrayIsOneDspPerPeAndBuffersByCapacity) {
  ResourceEstimate e = estimateResources(dense(32, 32, "u250"));
  EXPECT_EQ(e.total.dsp, 1024);
  // 256 KiB ifmap at 256 bits = 256 x 8192: 29 BRAM36 wide in 9 x 4096 mode (parity bits hold
  // data), 2 deep = 58 (yosys maps exactly this, configs/calibration); the same for the filter
  // partition; 128 KiB ofmap at 32 x 32 = 1024 bits, 1024 deep: 57 RAMB18 (18 x 1024) = 28.5.
  EXPECT_EQ(e.total.bram36, 58 + 58 + 28.5);
  // The PE array is the calibrated pe_array block at 32 x 32 (its LUTs are the row drain select).
  double lut = 0;
  for (const auto& b : e.blocks)
    if (b.block == "pe_array") lut = b.fpga.lut;
  EXPECT_EQ(lut, std::ceil(calibratedBlock("pe_array", {{"ROWS", 32}, {"COLS", 32}}, defaultCalibration()).lut));
  EXPECT_GT(lut, 0);
}

TEST(ResourceModel, Dense256On3egDoesNotFitAndDspBinds) {
  ArchConfig a = dense(256, 256, "zu3eg");
  ResourceEstimate e = estimateResources(a);
  PartFit f = fitOnPart(e.total, loadFpgaPart(kSrc + "/configs/fpga/zu3eg.json"));
  EXPECT_FALSE(f.fits);
  EXPECT_EQ(f.binding_resource, "dsp");
  EXPECT_DOUBLE_EQ(f.util_dsp, 65536.0 / 360.0);
  EXPECT_EQ(f.copies_per_part, 0);
}

TEST(ResourceModel, CopiesPerPartIsFloorOfInverseWorstUtilisation) {
  FpgaPart p;
  p.name = "toy";
  p.lut = 1000; p.ff = 2000; p.dsp = 100; p.bram36 = 10; p.uram = 0;
  PartFit f = fitOnPart(Resources{100, 100, 30, 1, 0}, p);  // dsp 30%, lut 10%, bram 10%
  EXPECT_TRUE(f.fits);
  EXPECT_EQ(f.binding_resource, "dsp");
  EXPECT_EQ(f.copies_per_part, 3);
  PartFit g = fitOnPart(Resources{100, 100, 1, 1, 2}, p);  // needs URAM, the part has none
  EXPECT_FALSE(g.fits);
  EXPECT_EQ(g.binding_resource, "uram");
  EXPECT_TRUE(std::isinf(g.util_uram));
  EXPECT_EQ(g.copies_per_part, 0);
}

TEST(ResourceModel, EveryDatapathHasItsBlocks) {
  const char* names[] = {"cs-small", "sod-32x32", "sparse-pe-16x16", "dense-32x32-ws"};
  const std::vector<std::vector<std::string>> want = {
      {"mac_array", "router_accumulators", "weight_sram", "kwta_selector", "global_buffer", "control"},
      {"pe_array", "global_buffer", "decompressors", "control"},
      {"pe_array", "fifos_matchers", "global_buffer", "control"},
      {"pe_array", "global_buffer", "control"}};
  for (size_t i = 0; i < 4; ++i) {
    ResourceEstimate e = estimateResources(loadArch(kSrc + "/configs/arch/" + names[i] + ".json", {}));
    std::vector<std::string> got;
    for (const auto& b : e.blocks) {
      got.push_back(b.block);
      EXPECT_GE(b.fpga.lut, 0);
    }
    EXPECT_EQ(got, want[i]) << names[i];
  }
  // cs-small: 256 multipliers, 96 (weight SRAM) + 64 (256 KiB activations) BRAM36.
  ResourceEstimate cs = estimateResources(loadArch(kSrc + "/configs/arch/cs-small.json", {}));
  EXPECT_EQ(cs.total.dsp, 256);
  EXPECT_EQ(cs.total.bram36, 160);
  // A URAM weight SRAM moves the banks out of BRAM36.
  ResourceEstimate csu = estimateResources(loadArch(kSrc + "/configs/arch/cs-small.json", {"cs.sram.memory=uram"}));
  EXPECT_EQ(csu.total.bram36, 64);
  EXPECT_EQ(csu.total.uram, 24);
}

TEST(ResourceModel, SodDecompressorsAreFabricOnlyAndGrowWithTheirScatterWidth) {
  // A unit is a lanes x nnz_per_cycle x 8-bit scatter (calibrated, docs/resources.md): halving
  // nnz_per_cycle must shrink it, and it never takes DSPs or block RAM (the array's DSPs do not move).
  auto blocksOf = [](const std::vector<std::string>& overrides) {
    std::map<std::string, Resources> m;
    for (const auto& b : estimateResources(loadArch(kSrc + "/configs/arch/sod-32x32.json", overrides)).blocks) m[b.block] = b.fpga;
    return m;
  };
  auto full = blocksOf({}), half = blocksOf({"sod.nnz_per_cycle=16"});
  EXPECT_GT(full["decompressors"].lut, 0);
  EXPECT_EQ(full["decompressors"].dsp, 0);
  EXPECT_EQ(full["decompressors"].bram36, 0);
  EXPECT_LT(half["decompressors"].lut, 0.6 * full["decompressors"].lut);
  EXPECT_EQ(half["pe_array"].dsp, full["pe_array"].dsp);
  EXPECT_EQ(full["pe_array"].dsp, 32 * 32);
}

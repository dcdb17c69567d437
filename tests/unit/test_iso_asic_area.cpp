// Iso-area sizing (an "iso" budget of "asic_area_mm2" at a "node"): every datapath grows to the
// largest grid size whose ASIC area (sim/resources/AsicArea, buffers included) fits, and the next
// grid size does not; an area too small for the smallest design is a ConfigError naming the
// datapath; bad budgets name the JSON path.
#include <gtest/gtest.h>

#include <algorithm>

#include "sim/core/ConfigError.h"
#include "sim/config/ConfigLoader.h"
#include "sim/resources/AsicArea.h"
#include "sim/run/ArchCosts.h"
#include "sim/config/ConfigJson.h"
#include "sim/sweep/IsoMemory.h"
#include "sim/sweep/IsoSizing.h"

using namespace sparsesim;

namespace {
const std::string kSrc = SPARSESIM_SOURCE_DIR;

IsoBudget budget(const std::string& text) { return isoBudgetFromJson(nlohmann::json::parse(text), "sweep.json", "iso"); }
ArchConfig archFile(const std::string& name) { return loadArch(kSrc + "/configs/arch/" + name + ".json"); }
double mm2(const ArchConfig& a) { return estimateAsicArea(a).area_um2 * 1e-6; }

std::string errorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST(IsoAsicArea, EveryDatapathGrowsToTheLargestFittingArray) {
  const IsoBudget b = budget(R"({"asic_area_mm2": 12, "node": "45nm", "shape": "square"})");
  for (const char* arch : {"dense-32x32", "sod-32x32", "sparse-pe-16x16", "cs-small"}) {
    const ArchConfig base = archFile(arch);
    const IsoSizing s = sizeToBudget(base, b);
    const int n = s.arch.array.rows;
    EXPECT_EQ(s.arch.array.cols, n) << arch;
    EXPECT_LE(mm2(s.arch), 12.0) << arch;
    // The next grid point (step 8) does not fit.
    EXPECT_GT(mm2(isoScaledArch(base, n + 8, n + 8)), 12.0) << arch;
    EXPECT_NEAR(s.columns.at("iso.asic_area_mm2"), mm2(s.arch), 1e-9) << arch;
    EXPECT_NEAR(s.columns.at("iso.utilization"), mm2(s.arch) / 12.0, 1e-9) << arch;
    std::printf("%-16s -> %dx%d, %.3f mm^2 of 12 (45 nm)\n", arch, n, n, mm2(s.arch));
  }
}

TEST(IsoAsicArea, TooSmallAnAreaNamesTheDatapath) {
  const IsoBudget b = budget(R"({"asic_area_mm2": 0.01})");
  const std::string e = errorOf([&] { sizeToBudget(archFile("sparse-pe-16x16"), b); });
  EXPECT_NE(e.find("sweep.json"), std::string::npos) << e;
  EXPECT_NE(e.find("even the smallest sparse_pe design"), std::string::npos) << e;
  EXPECT_NE(e.find("0.01 mm^2 at 45nm"), std::string::npos) << e;
}

TEST(IsoAsicArea, CopiesOfTheBaseDesign) {
  const ArchConfig base = archFile("dense-16x16");
  const double one = mm2(base);
  const IsoSizing s = sizeToBudget(base, budget(R"({"asic_area_mm2": )" + std::to_string(one * 3.5) + R"(, "scale": "copies"})"));
  EXPECT_EQ(s.copies, 3);
}

TEST(IsoAsicArea, BadBudgetsNameThePath) {
  EXPECT_NE(errorOf([] { budget(R"({"node": "45nm", "dsp": 10})"); }).find("iso.node"), std::string::npos);
  EXPECT_NE(errorOf([] { budget(R"({"asic_area_mm2": 1, "part": "u250"})"); }).find("iso.asic_area_mm2"), std::string::npos);
  EXPECT_NE(errorOf([] { budget(R"({"asic_area_mm2": 0})"); }).find("iso.asic_area_mm2"), std::string::npos);
  EXPECT_NE(errorOf([] { budget(R"({"asic_area_mm2": 1, "node": "7nm"})"); }).find("iso.node"), std::string::npos);
}

// The base designs of the Sparse-on-Dense iso-area study (configs/arch/asic-*.json,
// docs/asic-iso-area.md) at the areas the study uses: every datapath, and the sparse PE at the
// three FIFO depths the study varies, grows to a design within the budget whose next grid size
// (step 8) would not fit, and the fixed SRAM is not most of the area.
TEST(IsoAsicArea, StudyBasesFitEveryAreaAndTheBuffersAreNotMost) {
  const char* bases[] = {"asic-dense", "asic-sod", "asic-cs", "asic-sparse-pe-fifo4", "asic-sparse-pe", "asic-sparse-pe-fifo16"};
  for (const double area : {4.0, 8.0, 16.0}) {
    const IsoBudget b = budget(R"({"asic_area_mm2": )" + std::to_string(area) + R"(, "node": "45nm", "shape": "square"})");
    for (const char* arch : bases) {
      const ArchConfig a = archFile(arch);
      const IsoSizing s = sizeToBudget(a, b);
      const int n = s.arch.array.rows;
      const AsicAreaEstimate est = estimateAsicArea(s.arch);
      double sram = 0;
      for (const auto& blk : est.blocks) sram += blk.sram_bits > 0 ? blk.area_um2 * 1e-6 : 0.0;
      EXPECT_EQ(s.arch.array.cols, n) << arch;
      EXPECT_LE(mm2(s.arch), area) << arch;
      EXPECT_GT(mm2(isoScaledArch(a, n + 8, n + 8)), area) << arch << " " << n;
      EXPECT_LT(sram / mm2(s.arch), 0.5) << arch << " at " << area << " mm^2";
      std::printf("%5.1f mm^2  %-21s -> %3dx%-3d %6.3f mm^2 (SRAM %4.1f%%, PE %6.0f um^2)\n", area, arch, n, n,
                  mm2(s.arch), 100 * sram / mm2(s.arch), est.pe_area_um2);
    }
  }
}

// Below the study's fixed SRAM (128 KiB, about 0.72 mm^2 at 45 nm) no design fits: the error
// names each datapath.
TEST(IsoAsicArea, StudyBasesTooSmallAnAreaNamesEachDatapath) {
  const IsoBudget b = budget(R"({"asic_area_mm2": 0.5, "shape": "square"})");
  for (const auto& [arch, dp] : std::vector<std::pair<std::string, std::string>>{
           {"asic-dense", "dense"}, {"asic-sod", "sod"}, {"asic-sparse-pe", "sparse_pe"}, {"asic-cs", "cs"}}) {
    const std::string e = errorOf([&] { sizeToBudget(archFile(arch), b); });
    EXPECT_NE(e.find("even the smallest " + dp + " design"), std::string::npos) << arch << ": " << e;
  }
}

// The ASIC weight partition is one macro of the bits the memory budget leaves, never below the
// smallest partition a config may hold, so a sized design's config loads again; a share below
// that does not fit.
TEST(IsoAsicArea, WeightPartitionFromTheMemoryBudgetLoadsAgain) {
  ArchConfig a = archFile("dense-32x32");
  const double act = a.memory.ifmap_kb + a.memory.ofmap_kb;
  for (double share : {0.0004, 0.002, 3.5}) {
    ArchConfig s = a;
    const bool fits = splitMemoryBudget(s, act + share, /*asicMacros=*/true);
    EXPECT_EQ(fits, share >= MemoryConfig::kMinBufferKb) << share;
    EXPECT_NEAR(s.memory.filter_kb, std::max(share, MemoryConfig::kMinBufferKb), 1e-9) << share;
    nlohmann::json j = nlohmann::json::parse(toJson(s).dump());
    j.erase("source_file");  // provenance, not a config key (a sweep point's arch.json drops it too)
    const ArchConfig back = archFromJson(j, "sized.json");
    EXPECT_DOUBLE_EQ(back.memory.filter_kb, s.memory.filter_kb) << share;
  }
}

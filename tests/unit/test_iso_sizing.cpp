// Iso-resource sizing: closed-form budgets (dense int8 PEs use one DSP48E2 each and no other
// DSPs, so a DSP-only budget of D gives the largest grid square <= D), the grown design fits and
// the next grid size does not, the CS / SoD companions scale by their rules, and bad budgets
// are ConfigErrors naming the file and JSON path.
#include <gtest/gtest.h>

#include <cmath>

#include "sim/core/ConfigError.h"
#include "sim/config/ConfigLoader.h"
#include "sim/resources/FpgaPart.h"
#include "sim/resources/ResourceModel.h"
#include "sim/run/ArchCosts.h"
#include "sim/sweep/IsoSizing.h"

using namespace sparsesim;

namespace {
const std::string kSrc = SPARSESIM_SOURCE_DIR;

IsoBudget budget(const std::string& text) { return isoBudgetFromJson(nlohmann::json::parse(text), "sweep.json", "iso"); }

ArchConfig archFile(const std::string& name) { return loadArch(kSrc + "/configs/arch/" + name + ".json"); }

bool fits(const ArchConfig& a, const IsoBudget& b) { return fitOnPart(estimateResources(a).total, b.caps).fits; }

std::string errorOf(const std::string& text) {
  try {
    budget(text);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST(IsoSizing, DspOnlyBudgetGivesLargestSquareBelowIt) {
  ArchConfig base = archFile("dense-32x32");
  // The closed form's premise: one DSP48E2 per PE (int8MacPe) and none elsewhere.
  ASSERT_EQ(estimateResources(isoScaledArch(base, 7, 5)).total.dsp, 35);
  // floor(sqrt(1000)) = 31 on a unit grid; 24 on the default grid of 8 (32^2 = 1024 > 1000).
  IsoSizing s = sizeToBudget(base, budget(R"({"dsp": 1000, "shape": "square", "step": 1})"));
  EXPECT_EQ(s.arch.array.rows, 31);
  EXPECT_EQ(s.arch.array.cols, 31);
  EXPECT_EQ(s.copies, 1);
  EXPECT_EQ(s.columns.at("iso.dsp"), 961);
  EXPECT_EQ(s.columns.at("iso.multipliers"), 961);
  EXPECT_NEAR(s.columns.at("iso.utilization"), 0.961, 1e-12);
  IsoSizing s8 = sizeToBudget(base, budget(R"({"dsp": 1000})"));
  EXPECT_EQ(s8.arch.array.rows, 24);
  EXPECT_EQ(s8.arch.array.cols, 24);
  // Exactly D fits: 1024 DSPs give 32x32.
  EXPECT_EQ(sizeToBudget(base, budget(R"({"dsp": 1024})")).arch.array.rows, 32);
  // Powers of two: 16x16 (32x32 needs 1024).
  IsoSizing p = sizeToBudget(base, budget(R"({"dsp": 1000, "grid": "pow2"})"));
  EXPECT_EQ(p.arch.array.rows, 16);
  EXPECT_EQ(p.arch.array.cols, 16);
}

TEST(IsoSizing, AspectRatioOfTheBaseIsKept) {
  ArchConfig base = archFile("dense-32x32");
  base.array.rows = 8;
  base.array.cols = 32;
  // rows = 8k, cols = 32k: 256 k^2 <= 4096 gives k = 4.
  IsoSizing s = sizeToBudget(base, budget(R"({"dsp": 4096})"));
  EXPECT_EQ(s.arch.array.rows, 32);
  EXPECT_EQ(s.arch.array.cols, 128);
  // Taller than wide: the ratio is kept the other way round.
  base.array.rows = 32;
  base.array.cols = 8;
  IsoSizing t = sizeToBudget(base, budget(R"({"dsp": 4095})"));
  EXPECT_EQ(t.arch.array.rows, 96);
  EXPECT_EQ(t.arch.array.cols, 24);
}

TEST(IsoSizing, CopiesOfTheBaseDesign) {
  ArchConfig base = archFile("dense-16x16");
  // 256 DSPs per copy: floor(1000 / 256) = 3 copies; the design itself is unchanged.
  IsoSizing s = sizeToBudget(base, budget(R"({"dsp": 1000, "scale": "copies"})"));
  EXPECT_EQ(s.copies, 3);
  EXPECT_EQ(s.arch.array.rows, 16);
  EXPECT_EQ(s.columns.at("iso.copies"), 3);
  EXPECT_EQ(s.columns.at("iso.dsp"), 768);
  EXPECT_EQ(s.columns.at("iso.multipliers"), 768);
}

TEST(IsoSizing, EveryDatapathFillsHalfAU250AndTheNextSizeDoesNot) {
  IsoBudget b = budget(R"({"part": "u250", "fraction": 0.5})");
  EXPECT_EQ(b.caps.dsp, 6144);
  EXPECT_EQ(b.caps.bram36, 1344);
  for (const char* name : {"dense-32x32", "sod-32x32", "sparse-pe-16x16", "cs-small"}) {
    SCOPED_TRACE(name);
    ArchConfig base = archFile(name);
    IsoSizing s = sizeToBudget(base, b);
    EXPECT_TRUE(fits(s.arch, b));
    EXPECT_EQ(s.arch.fpga_part, "u250");
    EXPECT_GT(s.arch.array.rows * s.arch.array.cols, base.array.rows * base.array.cols);
    // Aspect ratio of the base, smaller side a multiple of 8.
    EXPECT_EQ(s.arch.array.cols * base.array.rows, s.arch.array.rows * base.array.cols);
    EXPECT_EQ(std::min(s.arch.array.rows, s.arch.array.cols) % 8, 0);
    const int k = std::min(s.arch.array.rows, s.arch.array.cols) / 8;
    const int ratio = std::max(base.array.rows, base.array.cols) / std::min(base.array.rows, base.array.cols);
    const int rows = base.array.rows <= base.array.cols ? 8 * (k + 1) : 8 * (k + 1) * ratio;
    const int cols = base.array.rows <= base.array.cols ? 8 * (k + 1) * ratio : 8 * (k + 1);
    EXPECT_FALSE(fits(isoScaledArch(base, rows, cols), b));
    EXPECT_LE(s.columns.at("iso.utilization"), 1.0);
    EXPECT_GT(s.columns.at("iso.utilization"), 0.5);  // the grid is fine enough to use most of it
  }
}

TEST(IsoSizing, CsCompanionsScaleByTheirRules) {
  ArchConfig base = archFile("cs-small");  // 8 lanes x 32 slots, 24 banks = 8 x ceil(32 x 12 / 72) / 2
  ArchConfig a = isoScaledArch(base, 32, 128);
  // Entry = 8 + log2(16) bits; a column of 128 slots is ceil(1536 / 72) = 22 words; 32 lanes on
  // 2-port banks need 32 x 22 / 2 = 352 banks.
  EXPECT_EQ(a.cs.sram.banks, 352);
  // Capacity at least the base's 24 x 2048 words, in whole 512-word BRAMs.
  EXPECT_EQ(a.cs.sram.depth, 512);
  EXPECT_GE(static_cast<long long>(a.cs.sram.banks) * a.cs.sram.depth, 24LL * 2048);
  // Selector rates scale with the multipliers (16x).
  EXPECT_EQ(a.cs.selector.lanes, 32 * 16);
  EXPECT_EQ(a.cs.selector.out_width, 8 * 16);
  EXPECT_EQ(a.cs.selector.bins_per_cycle, base.cs.selector.bins_per_cycle);
  // Memory sizes of the base stay.
  EXPECT_EQ(a.memory.ifmap_kb, base.memory.ifmap_kb);
}

TEST(IsoSizing, SodDecompressorsKeepUpWithTheEdge) {
  ArchConfig base = archFile("sod-32x32");  // 32 nnz/cycle from 64 B for a 32-wide edge
  ArchConfig a = isoScaledArch(base, 96, 96);
  EXPECT_EQ(a.sod.nnz_per_cycle, 96);
  EXPECT_EQ(a.sod.port_bytes, 192);
  EXPECT_EQ(a.memory.filter_kb, base.memory.filter_kb);
}

TEST(IsoSizing, UnlimitedBudgetStopsAtTheLargestLegalArray) {
  IsoSizing s = sizeToBudget(archFile("dense-32x32"), budget(R"({"dsp": 1000000000, "step": 512})"));
  EXPECT_EQ(s.arch.array.rows, 4096);
  EXPECT_EQ(s.arch.array.cols, 4096);
}

TEST(IsoSizing, ImpossibleBudgetNamesTheBudget) {
  try {
    sizeToBudget(archFile("dense-32x32"), budget(R"({"dsp": 63})"));  // smallest: 8x8 = 64 DSPs
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.file(), "sweep.json");
    EXPECT_EQ(e.path(), "iso");
    EXPECT_NE(e.reason().find("8x8"), std::string::npos) << e.what();
  }
  EXPECT_THROW(sizeToBudget(archFile("dense-16x16"), budget(R"({"dsp": 255, "scale": "copies"})")), ConfigError);
  // The ZU3EG has 216 BRAM36; cs-large's weight SRAM alone needs 1,408.
  EXPECT_THROW(sizeToBudget(archFile("cs-large"), budget(R"({"part": "zu3eg", "scale": "copies"})")), ConfigError);
}

TEST(IsoSizing, BadBudgetsAreConfigErrors) {
  EXPECT_NE(errorOf(R"({"dps": 100})").find("iso.dps"), std::string::npos);
  EXPECT_NE(errorOf(R"({})").find("needs a \"part\""), std::string::npos);
  EXPECT_NE(errorOf(R"({"dsp": 100, "fraction": 0.5})").find("iso.fraction"), std::string::npos);
  EXPECT_NE(errorOf(R"({"part": "u250", "fraction": 1.5})").find("iso.fraction"), std::string::npos);
  EXPECT_NE(errorOf(R"({"part": "nosuchpart"})").find("iso.part"), std::string::npos);
  EXPECT_NE(errorOf(R"({"part": ""})").find("iso.part"), std::string::npos);
  EXPECT_NE(errorOf(R"({"dsp": -1})").find("iso.dsp"), std::string::npos);
  EXPECT_NE(errorOf(R"({"dsp": 100, "scale": "both"})").find("iso.scale"), std::string::npos);
  EXPECT_NE(errorOf(R"({"dsp": 100, "grid": "pow2", "step": 4})").find("iso.step"), std::string::npos);
  EXPECT_NE(errorOf(R"({"dsp": 100, "scale": "copies", "shape": "square"})").find("iso.shape"), std::string::npos);
  EXPECT_NE(errorOf(R"([1])").find("iso"), std::string::npos);
}

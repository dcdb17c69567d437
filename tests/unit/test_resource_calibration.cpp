// The resource model against yosys synthesis of the building blocks (configs/calibration/yosys-xc7.json,
// written by tools/calibrate-resources): per block, size and resource, the model's count next to
// the measured one, within the file's tolerance (15%) unless the file lists the block/resource as
// a known gap with a reason (docs/resources.md explains each). Also: the C++ features equal the
// script's, and a malformed calibration file is a ConfigError naming the JSON path.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>

#include <unistd.h>

#include "sim/core/ConfigError.h"
#include "sim/config/ConfigLoader.h"
#include "sim/resources/Calibration.h"
#include "sim/resources/ResourceModel.h"
#include "sim/run/ArchCosts.h"

using namespace sparsesim;

namespace {
const std::string kSrc = SPARSESIM_SOURCE_DIR;
const std::string kFile = kSrc + "/configs/calibration/yosys-xc7.json";
const char* const kRes[] = {"lut", "ff", "dsp", "bram36"};

double get(const Resources& r, const std::string& k) {
  return k == "lut" ? r.lut : k == "ff" ? r.ff : k == "dsp" ? r.dsp : r.bram36;
}
// Relative error; below 10 LUTs / FFs (1 DSP / BRAM36) the difference is taken against that floor,
// so a block with one stray flip-flop in synthesis is 10% off, not infinitely.
double relError(const std::string& res, double model, double measured) {
  const double floor = res == "lut" || res == "ff" ? 10.0 : 1.0;
  return std::fabs(model - measured) / std::max(measured, floor);
}

std::string paramText(const ParamMap& p) {
  std::string s;
  for (const auto& [k, v] : p) s += (s.empty() ? "" : " ") + k + "=" + std::to_string(static_cast<long long>(v));
  return s;
}

// Writes a modified copy of the shipped file and returns the ConfigError loading it raises.
std::string errorOf(const std::function<void(nlohmann::json&)>& edit) {
  nlohmann::json j = nlohmann::json::parse(std::ifstream(kFile));
  edit(j);
  const std::string f = (std::filesystem::temp_directory_path() / ("calib-" + std::to_string(::getpid()) + ".json")).string();
  std::ofstream(f) << j.dump();
  try {
    loadCalibration(f);
  } catch (const ConfigError& e) {
    std::remove(f.c_str());
    EXPECT_EQ(e.file(), f);
    return e.path() + ": " + e.reason();
  }
  std::remove(f.c_str());
  return "no error";
}
}  // namespace

TEST(ResourceCalibration, ModelVersusSynthesisPerBlockAndSize) {
  const Calibration c = loadCalibration(kFile);
  std::printf("calibration %s (%s, %s); tolerance %.0f%%\n", c.source_file.c_str(), c.yosys_version.c_str(), c.date.c_str(),
              c.tolerance * 100);
  std::printf("%-14s %-44s %-6s %9s %9s %7s\n", "block", "params", "res", "yosys", "model", "error");
  for (const auto& [name, b] : c.blocks) {
    ASSERT_EQ(b.sizes.size(), 3u) << name << ": the calibration covers three sizes per block";
    std::map<std::string, double> worst;
    for (const auto& s : b.sizes) {
      const Resources m = calibratedBlock(name, s.params, c);
      for (const char* r : kRes) {
        const double meas = s.measured.at(r), model = get(m, r), err = relError(r, model, meas);
        worst[r] = std::max(worst[r], err);
        const bool gap = b.known_gaps.count(r) > 0;
        std::printf("%-14s %-44s %-6s %9.1f %9.1f %6.1f%%%s\n", name.c_str(), paramText(s.params).c_str(), r, meas, model,
                    100 * err, err > c.tolerance ? (gap ? "  known gap" : "  OVER") : "");
        if (!gap) EXPECT_LE(err, c.tolerance) << name << " " << paramText(s.params) << " " << r << ": model " << model << " vs yosys " << meas;
      }
    }
    // A gap that closed must leave the list, or the list would hide the next regression.
    for (const auto& [r, reason] : b.known_gaps)
      EXPECT_GT(worst[r], c.tolerance) << name << "." << r << " is listed as a known gap but is within tolerance";
  }
}

TEST(ResourceCalibration, CppFeaturesEqualTheScriptsAndCoverEveryBlock) {
  const Calibration c = loadCalibration(kFile);
  for (const char* b : {"pe_array", "cs_slice", "kwta_selector", "decompressor", "sparse_pe", "weight_sram", "global_buffer"})
    EXPECT_TRUE(c.blocks.count(b)) << b;
  for (const auto& [name, b] : c.blocks)
    for (const auto& s : b.sizes) {
      const ParamMap f = calibrationFeatures(name, s.params);
      ASSERT_EQ(f.size(), s.features.size()) << name;
      for (const auto& [k, v] : s.features) EXPECT_DOUBLE_EQ(f.at(k), v) << name << " " << k;
    }
}

TEST(ResourceCalibration, DatapathEstimatesUseTheLoadedCoefficients) {
  Calibration c = loadCalibration(kFile);
  ArchConfig a = loadArch(kSrc + "/configs/arch/dense-32x32.json", {});
  auto peLut = [&](const Calibration& cal) {
    for (const auto& b : estimateResources(a, cal).blocks)
      if (b.block == "pe_array") return b.fpga.lut;
    return -1.0;
  };
  const double base = peLut(c);
  EXPECT_DOUBLE_EQ(base, std::ceil(calibratedBlock("pe_array", {{"ROWS", 32}, {"COLS", 32}}, c).lut));
  for (auto& [f, v] : c.blocks["pe_array"].coefficients["lut"]) v *= 2;
  EXPECT_NEAR(peLut(c), 2 * base, 1.0);
}

TEST(ResourceCalibration, MalformedFileIsAConfigErrorWithItsPath) {
  EXPECT_EQ(errorOf([](nlohmann::json& j) { j["blocks"].erase("decompressor"); }),
            "blocks.decompressor: missing: the resource model needs this block's coefficients");
  EXPECT_EQ(errorOf([](nlohmann::json& j) { j["blocks"]["pe_array"]["coefficients"]["lut"]["pes"] = -1; }),
            "blocks.pe_array.coefficients.lut.pes: a coefficient must not be negative");
  EXPECT_EQ(errorOf([](nlohmann::json& j) { j["blocks"]["sparse_pe"]["coefficients"]["ff"]["bogus"] = 1; }),
            "blocks.sparse_pe.coefficients.ff.bogus: not a feature of block \"sparse_pe\"");
  EXPECT_EQ(errorOf([](nlohmann::json& j) { j["blocks"]["sparse_pe"]["known_gaps"]["lut"] = ""; }),
            "blocks.sparse_pe.known_gaps.lut: must be a non-empty reason");
  EXPECT_EQ(errorOf([](nlohmann::json& j) { j["blocks"]["router"] = j["blocks"]["pe_array"]; }),
            "blocks.router: not a calibrated block of the resource model");
  EXPECT_EQ(errorOf([](nlohmann::json& j) { j["tolerance"] = 2; }).substr(0, 10), "tolerance:");
  EXPECT_EQ(errorOf([](nlohmann::json& j) { j["blocks"]["sparse_pe"]["sizes"][0]["params"].erase("MATCH_WIDTH"); }),
            "blocks.sparse_pe.sizes[0].params: lacks a parameter the features of block \"sparse_pe\" need");
  EXPECT_EQ(errorOf([](nlohmann::json& j) { j["blocks"]["pe_array"]["sizes"][1]["counts"].erase("ff"); }).substr(0, 31),
            "blocks.pe_array.sizes[1].counts");
}

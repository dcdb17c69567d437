// Sweep files: axis parsing, ranges, zipped groups, the product, stable ids, shards, and the
// errors for paths that do not exist (SweepConfig + SweepPlan, no simulation).
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "sim/core/ConfigError.h"
#include "sim/config/ConfigJson.h"
#include "sim/config/ConfigLoader.h"
#include "sim/sweep/SweepConfig.h"
#include "sim/sweep/SweepPlan.h"

using namespace sparsesim;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const std::string kSrc = SPARSESIM_SOURCE_DIR;
const std::string kArch = kSrc + "/configs/arch/dense-16x16.json";
const std::string kNet = kSrc + "/configs/networks/gsc.json";

// A sweep file in a temp folder; `body` is the JSON after the base files.
std::string sweepText(const std::string& axes, const std::string& extra = "") {
  return R"({"arch": ")" + kArch + R"(", "network": ")" + kNet + R"(", "axes": )" + axes + extra + "}";
}
SweepConfig parse(const std::string& text) { return sweepConfigFromText(text, "sweep.json"); }

ConfigError planError(const std::string& text) {
  try {
    SweepPlan::build(parse(text));
  } catch (const ConfigError& e) {
    return e;
  }
  ADD_FAILURE() << "no error for " << text;
  return ConfigError("", "", "");
}

}  // namespace

TEST(SweepConfig, SmallestFileAndAxisKinds) {
  SweepConfig c = parse(sweepText(R"({"array.rows": [8, 16], "layers[*].weight_sparsity": [0.5], "array.cols": [8]})"));
  ASSERT_EQ(c.axes.size(), 3u);
  // File order, not nlohmann's sorted order: it orders the columns and the product.
  EXPECT_EQ(c.axes[0].path, "array.rows");
  EXPECT_EQ(c.axes[1].path, "layers[*].weight_sparsity");
  EXPECT_EQ(c.axes[2].path, "array.cols");
  EXPECT_EQ(c.axes[0].kind, AxisKind::Arch);
  EXPECT_EQ(c.axes[1].kind, AxisKind::Network);
  EXPECT_EQ(c.name, "sweep");
  EXPECT_EQ(c.seed, 1u);
  EXPECT_FALSE(c.filter_fits);
}

TEST(SweepConfig, ArithmeticRangeIncludesEndWithoutDrift) {
  auto v = expandRange(json::parse(R"({"from": 0, "to": 0.9, "step": 0.1})"), "f", "p");
  ASSERT_EQ(v.size(), 10u);
  EXPECT_EQ(v[3].get<double>(), 0.3);  // not 0.30000000000000004
  EXPECT_EQ(v[9].get<double>(), 0.9);
  auto ints = expandRange(json::parse(R"({"from": 8, "to": 32, "step": 8})"), "f", "p");
  ASSERT_EQ(ints.size(), 4u);
  EXPECT_TRUE(ints[3].is_number_integer());
  EXPECT_EQ(ints[3].get<int>(), 32);
  // "to" off the grid: the last value is the largest step below it.
  EXPECT_EQ(expandRange(json::parse(R"({"from": 1, "to": 10, "step": 4})"), "f", "p").size(), 3u);
}

TEST(SweepConfig, GeometricRange) {
  auto v = expandRange(json::parse(R"({"from": 8, "to": 64, "times": 2})"), "f", "p");
  ASSERT_EQ(v.size(), 4u);
  EXPECT_EQ(v[0].get<int>(), 8);
  EXPECT_EQ(v[3].get<int>(), 64);
}

TEST(SweepConfig, BadRangesNamePathAndReason) {
  auto err = [](const char* r) {
    try { expandRange(json::parse(r), "s.json", "axes[\"x\"]"); } catch (const ConfigError& e) { return std::string(e.what()); }
    return std::string("no error");
  };
  EXPECT_NE(err(R"({"from": 1, "to": 0, "step": 1})").find("axes[\"x\"].to: is smaller than \"from\""), std::string::npos);
  EXPECT_NE(err(R"({"from": 0, "to": 1, "step": 0})").find("axes[\"x\"].step"), std::string::npos);
  EXPECT_NE(err(R"({"from": 0, "to": 1})").find("exactly one of"), std::string::npos);
  EXPECT_NE(err(R"({"from": 0, "to": 1, "step": 0.5, "times": 2})").find("exactly one of"), std::string::npos);
  EXPECT_NE(err(R"({"from": 0, "to": 1e9, "step": 1})").find("at most"), std::string::npos);
  EXPECT_NE(err(R"({"from": 0, "to": 1, "stp": 1, "step": 1})").find("unknown key (did you mean \"step\"?)"), std::string::npos);
}

TEST(SweepConfig, EmptyAxisAndDuplicateValueAreErrors) {
  try { parse(sweepText(R"({"array.rows": []})")); FAIL(); } catch (const ConfigError& e) {
    EXPECT_EQ(e.file(), "sweep.json");
    EXPECT_EQ(e.path(), "axes[\"array.rows\"]");
    EXPECT_NE(e.reason().find("must not be empty"), std::string::npos);
  }
  try { parse(sweepText(R"({"array.rows": [8, 8]})")); FAIL(); } catch (const ConfigError& e) {
    EXPECT_EQ(e.path(), "axes[\"array.rows\"][1]");
    EXPECT_NE(e.reason().find("duplicate"), std::string::npos);
  }
}

TEST(SweepConfig, UnknownTopLevelKeySuggests) {
  try { parse(sweepText(R"({"array.rows": [8]})", R"(, "filter": {"fits": true})")); FAIL(); } catch (const ConfigError& e) {
    EXPECT_EQ(e.path(), "filter");
    EXPECT_NE(e.reason().find("did you mean \"filters\""), std::string::npos);
  }
}

TEST(SweepConfig, CartesianProductCountAndOrder) {
  SweepConfig c = parse(sweepText(R"({"array.rows": [8, 16, 32], "array.cols": [8, 16], "layers[*].weight_sparsity": {"from": 0, "to": 0.75, "step": 0.25}})"));
  auto combos = enumerateCombinations(c);
  ASSERT_EQ(combos.size(), 3u * 2u * 4u);
  // The first axis varies slowest, the last fastest.
  EXPECT_EQ(combos[0], (std::vector<size_t>{0, 0, 0}));
  EXPECT_EQ(combos[1], (std::vector<size_t>{0, 0, 1}));
  EXPECT_EQ(combos[4], (std::vector<size_t>{0, 1, 0}));
  EXPECT_EQ(combos[23], (std::vector<size_t>{2, 1, 3}));
  std::set<std::vector<size_t>> distinct(combos.begin(), combos.end());
  EXPECT_EQ(distinct.size(), combos.size());
}

TEST(SweepConfig, ZippedAxesVaryTogether) {
  SweepConfig c = parse(sweepText(R"({"array.rows": [8, 16, 32], "datapath": ["dense", "sod"], "array.cols": [4, 8, 16]})",
                                  R"(, "zip": [["array.cols", "array.rows"]])"));
  auto combos = enumerateCombinations(c);
  ASSERT_EQ(combos.size(), 3u * 2u);
  for (const auto& k : combos) EXPECT_EQ(k[0], k[2]);
  try { parse(sweepText(R"({"array.rows": [8, 16], "array.cols": [8]})", R"(, "zip": [["array.rows", "array.cols"]])")); FAIL(); }
  catch (const ConfigError& e) {
    EXPECT_EQ(e.path(), "zip[0][1]");
    EXPECT_NE(e.reason().find("same number of values"), std::string::npos);
  }
  try { parse(sweepText(R"({"array.rows": [8, 16], "array.cols": [8, 4]})", R"(, "zip": [["array.rows", "array.col"]])")); FAIL(); }
  catch (const ConfigError& e) {
    EXPECT_NE(e.reason().find("did you mean \"array.cols\""), std::string::npos);
  }
}

TEST(SweepConfig, StableIdsIndependentOfAxisOrderAndOtherValues) {
  SweepConfig a = parse(sweepText(R"({"array.rows": [8, 16], "array.cols": [8]})"));
  SweepConfig b = parse(sweepText(R"({"array.cols": [8, 4], "array.rows": [32, 16, 8]})"));
  // rows=16, cols=8 in both sweeps.
  std::string idA = pointId(a, {1, 0});
  std::string idB = pointId(b, {0, 1});
  EXPECT_EQ(idA, idB);
  EXPECT_EQ(idA.size(), 16u);
  EXPECT_NE(pointId(a, {0, 0}), idA);
  // Every point of a larger sweep gets its own id.
  SweepConfig big = parse(sweepText(R"({"array.rows": {"from": 1, "to": 64, "step": 1}, "array.cols": {"from": 1, "to": 64, "step": 1}})"));
  std::set<std::string> ids;
  for (const auto& k : enumerateCombinations(big)) ids.insert(pointId(big, k));
  EXPECT_EQ(ids.size(), 64u * 64u);
}

TEST(SweepConfig, ShardsCoverEveryPointExactlyOnce) {
  for (size_t count : {0u, 1u, 7u, 100u}) {
    for (int n : {1, 2, 3, 8, 150}) {
      std::vector<int> seen(count, 0);
      for (int i = 0; i < n; ++i) {
        auto idx = shardIndices(count, i, n);
        // Round robin: shard sizes differ by at most one.
        EXPECT_LE(idx.size(), count / n + 1);
        EXPECT_GE(idx.size(), count / n);
        for (size_t k : idx) ++seen.at(k);
      }
      for (size_t k = 0; k < count; ++k) EXPECT_EQ(seen[k], 1) << "count " << count << " n " << n << " point " << k;
    }
  }
}

TEST(SweepPlan, ResolvesPointsAndAppliesLayerOverrides) {
  SweepPlan p = SweepPlan::build(parse(sweepText(R"({"array.rows": [8, 32], "layers[*].weight_sparsity": [0.25], "layers[1].weight_sparsity": [0.75]})")));
  ASSERT_EQ(p.points().size(), 2u);
  const SweepPoint& pt = p.points()[1];
  EXPECT_EQ(pt.arch.array.rows, 32);
  EXPECT_EQ(pt.arch.array.cols, 16);
  // The indexed path refines the wildcard whatever the order they are written in.
  EXPECT_EQ(pt.network.layers[0].weight_sparsity, 0.25);
  EXPECT_EQ(pt.network.layers[1].weight_sparsity, 0.75);
  EXPECT_EQ(pt.network.layers[3].weight_sparsity, 0.25);
  // The materialised inputs load back to the same configuration.
  json aj = json::parse(SweepPlan::archJson(pt).dump()), nj = json::parse(SweepPlan::networkJson(pt).dump());
  EXPECT_EQ(toJson(archFromJson(aj, pt.arch.source_file)).dump(), toJson(pt.arch).dump());
  ArchConfig back = archFromJson(aj, "a.json");
  EXPECT_EQ(back.array.rows, 32);
  EXPECT_EQ(networkFromJson(nj, "n.json").layers[1].weight_sparsity, 0.75);
}

TEST(SweepPlan, UnknownArchPathNamesSweepFileAxisAndReason) {
  ConfigError e = planError(sweepText(R"({"array.rows": [8], "array.colz": [8]})"));
  EXPECT_EQ(e.file(), "sweep.json");
  EXPECT_EQ(e.path(), "axes[\"array.colz\"]");
  EXPECT_NE(e.reason().find("unknown key (did you mean \"cols\"?)"), std::string::npos);
}

TEST(SweepPlan, UnknownNetworkFieldAndLayerOutOfRange) {
  ConfigError e = planError(sweepText(R"({"layers[*].weight_sparsty": [0.5]})"));
  EXPECT_EQ(e.path(), "axes[\"layers[*].weight_sparsty\"]");
  EXPECT_NE(e.reason().find("did you mean \"weight_sparsity\""), std::string::npos);
  ConfigError r = planError(sweepText(R"({"layers[9].weight_sparsity": [0.5]})"));
  EXPECT_EQ(r.path(), "axes[\"layers[9].weight_sparsity\"]");
  EXPECT_NE(r.reason().find("out of range: the network has 4 layers"), std::string::npos);
  ConfigError n = planError(sweepText(R"({"layers[conv3].weight_sparsity": [0.5]})"));
  EXPECT_NE(n.reason().find("no layer named \"conv3\""), std::string::npos);
}

TEST(SweepPlan, OutOfRangeValueNamesItsAxis) {
  ConfigError e = planError(sweepText(R"({"array.rows": [8, 5000], "array.cols": [8]})"));
  EXPECT_EQ(e.path(), "axes[\"array.rows\"]");
  EXPECT_NE(e.reason().find("5000"), std::string::npos);
  EXPECT_NE(e.reason().find("out of range"), std::string::npos);
}

TEST(SweepPlan, FitsAndWhereFilters) {
  // dense-16x16's buffers take 320 BRAM36: more than a ZU3EG has (216), well within a U250.
  SweepPlan p = SweepPlan::build(parse(sweepText(R"({"fpga_part": ["zu3eg", "u250"], "array.rows": [8, 512], "array.cols": [8, 16]})",
                                                 R"(, "filters": {"fits": true, "where": ["array.cols <= array.rows"]})")));
  ASSERT_EQ(p.points().size(), 8u);
  std::set<std::string> run;
  for (const auto& pt : p.points()) {
    EXPECT_EQ(pt.filter_reason.rfind("where: ", 0) == 0, pt.arch.array.cols > pt.arch.array.rows) << pt.filter_reason;
    if (pt.arch.fpga_part == "zu3eg" && pt.arch.array.cols <= pt.arch.array.rows) {
      EXPECT_TRUE(pt.filtered);
      EXPECT_EQ(pt.filter_reason.rfind("fits: does not fit zu3eg", 0), 0u) << pt.filter_reason;
    }
    if (!pt.filtered) run.insert(pt.arch.fpga_part + " " + std::to_string(pt.arch.array.rows) + "x" + std::to_string(pt.arch.array.cols));
  }
  EXPECT_EQ(run, (std::set<std::string>{"u250 8x8", "u250 512x8", "u250 512x16"}));
}

TEST(SweepPlan, NetworkOverrideErrorsNameTheNetworkPath) {
  json net = json::parse(R"({"name": "n", "layers": [{"name": "a"}, {"name": "b"}]})");
  EXPECT_THROW(applyNetworkOverride(net, "n.json", "layers[2].stride=1"), ConfigError);
  EXPECT_THROW(applyNetworkOverride(net, "n.json", "layers[*]=1"), ConfigError);
  EXPECT_THROW(applyNetworkOverride(net, "n.json", "layers[*].a.b=1"), ConfigError);
  applyNetworkOverride(net, "n.json", "layers[b].stride=2");
  EXPECT_FALSE(net["layers"][0].contains("stride"));
  EXPECT_EQ(net["layers"][1]["stride"], 2);
  applyNetworkOverride(net, "n.json", "layers[*].weight_pattern=complementary");
  EXPECT_EQ(net["layers"][0]["weight_pattern"], "complementary");
}

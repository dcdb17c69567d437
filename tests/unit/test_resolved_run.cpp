// The datapath registry is complete for every DatapathKind, and resolveRun hands the run what it
// loaded: each weights file once, in OIHW, and the registry's rules applied before anything runs.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "sim/config/ConfigLoader.h"
#include "sim/core/ConfigError.h"
#include "sim/io/NpyIo.h"
#include "sim/run/DatapathRegistry.h"
#include "sim/run/ResolvedRun.h"

using namespace sparsesim;

namespace {
const std::string kSrc = SPARSESIM_SOURCE_DIR;
}  // namespace

// A kind without an entry (or an entry without a factory or a cost function) would fail only when
// an architecture names it: every kind the config can name has exactly one complete entry.
TEST(DatapathRegistry, EveryKindHasOneCompleteEntry) {
  for (const std::string& name : enumNames<DatapathKind>()) {
    const DatapathKind kind = *enumFromString<DatapathKind>(name);
    int entries = 0;
    for (const DatapathEntry& e : datapathRegistry()) {
      if (e.kind != kind) continue;
      ++entries;
      EXPECT_TRUE(e.make) << name;
      EXPECT_FALSE(e.dataflows.empty()) << name;
      if (e.dataflows.size() < 2) EXPECT_FALSE(e.dataflow_reason.empty()) << name << ": a refused dataflow needs its reason";
      EXPECT_NE(e.costs.resources, nullptr) << name;
      EXPECT_NE(e.costs.asic_area, nullptr) << name;
      EXPECT_NE(e.costs.energy_events, nullptr) << name;
    }
    EXPECT_EQ(entries, 1) << name;
  }
}

TEST(ResolvedRun, HoldsEachWeightsFileInOihwAndTheTables) {
  const auto dir = std::filesystem::temp_directory_path() / ("sparsesim-resolve-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  Int8Tensor w({5, 3});  // a linear layer's [out, in] file, held as OIHW [5, 3, 1, 1]
  for (size_t i = 0; i < w.size(); ++i) w.data[i] = static_cast<int8_t>(int(i % 5) - 2);
  writeNpyAtomic((dir / "w.npy").string(), w);
  std::ofstream(dir / "net.json") << R"({"name": "r", "layers": [
    {"name": "fc", "type": "linear", "in_channels": 3, "out_channels": 5, "weights": "w.npy"},
    {"name": "fc2", "type": "linear", "in_channels": 5, "out_channels": 2, "weight_sparsity": 0.5}]})";
  const NetworkConfig n = loadNetwork((dir / "net.json").string());
  const ResolvedRun r = resolveRun(RunRequest{loadArch(kSrc + "/configs/arch/dense-16x16.json"), n, RunOptions{}});
  std::filesystem::remove_all(dir);
  ASSERT_EQ(r.weights.size(), 2u);
  ASSERT_TRUE(r.weights[0].has_value());
  EXPECT_EQ(r.weights[0]->shape, (std::vector<int64_t>{5, 3, 1, 1}));
  EXPECT_EQ(r.weights[0]->data, w.data);
  EXPECT_FALSE(r.weights[1].has_value());  // generated from the seed when the layer starts
  EXPECT_EQ(r.datapath->kind, DatapathKind::Dense);
  EXPECT_EQ(r.part.name, "u250");
  EXPECT_EQ(r.energy_table.name, r.arch.energy_table);
  EXPECT_EQ(r.asic_table.name, "asic-45nm-horowitz");  // the area per primitive, whatever the energy table
  EXPECT_TRUE(r.trace_blocks.empty());                 // no trace asked for
  ASSERT_NE(r.calibration, nullptr);
  ASSERT_NE(r.asic_node, nullptr);
  EXPECT_EQ(r.asic_node->name, kReportAsicNode);
}

// The registry's dataflows are refused when a run is resolved, naming the arch file and the key.
TEST(ResolvedRun, RefusesADataflowTheDatapathDoesNotList) {
  const NetworkConfig n = loadNetwork(kSrc + "/configs/networks/gsc.json");
  for (const char* arch : {"cs-small", "sparse-pe-16x16"}) {
    const std::string file = kSrc + "/configs/arch/" + arch + ".json";
    try {
      (void)resolveRun(RunRequest{loadArch(file, {"dataflow=\"ws\""}), n, RunOptions{}});
      ADD_FAILURE() << arch << ": a weight-stationary point was resolved";
    } catch (const ConfigError& e) {
      EXPECT_EQ(e.path(), "dataflow") << arch;
      EXPECT_NE(std::string(e.what()).find(file), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("output-stationary"), std::string::npos) << e.what();
    }
  }
}

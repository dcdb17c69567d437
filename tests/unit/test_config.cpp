#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "sim/core/ConfigError.h"
#include "sim/config/ConfigLoader.h"
#include "sim/config/JsonReader.h"

using namespace sparsesim;

namespace {

std::string writeTemp(const std::string& name, const std::string& text) {
  auto dir = std::filesystem::temp_directory_path() / ("sparsesim-test-config-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto p = dir / name;
  std::ofstream(p) << text;
  return p.string();
}

const char* kArch = R"({"name": "a", "datapath": "dense", "dataflow": "os", "array": {"rows": 8, "cols": 4}})";

ConfigError archError(const std::string& text) {
  std::string f = writeTemp("arch.json", text);
  try {
    loadArch(f);
  } catch (const ConfigError& e) {
    return e;
  }
  ADD_FAILURE() << "no error for " << text;
  return ConfigError("", "", "");
}

ConfigError netError(const std::string& layer) {
  std::string f = writeTemp("net.json", R"({"name": "n", "layers": [)" + layer + "]}");
  try {
    loadNetwork(f);
  } catch (const ConfigError& e) {
    return e;
  }
  ADD_FAILURE() << "no error for " << layer;
  return ConfigError("", "", "");
}

}  // namespace

TEST(Config, ArchDefaultsAreApplied) {
  ArchConfig a = loadArch(writeTemp("arch.json", kArch));
  EXPECT_EQ(a.array.rows, 8);
  EXPECT_EQ(a.array.cols, 4);
  EXPECT_EQ(a.clock_mhz, 200.0);
  EXPECT_EQ(a.memory.prefetch_depth, 2);
  EXPECT_EQ(a.compat, Compat::None);
  EXPECT_EQ(a.simulation.fold_engine, FoldEngine::Bulk);
}

TEST(Config, UnknownKeySuggestsClosest) {
  ConfigError e = archError(R"({"name": "a", "datapath": "dense", "dataflow": "os", "array": {"rows": 8, "cols": 4}, "memory": {"ifmap_kbb": 4}})");
  EXPECT_EQ(e.path(), "memory.ifmap_kbb");
  EXPECT_NE(e.reason().find("did you mean \"ifmap_kb\""), std::string::npos) << e.what();
}

TEST(Config, MissingWrongTypeAndRange) {
  EXPECT_EQ(archError(R"({"name": "a", "datapath": "dense", "dataflow": "os"})").path(), "array");
  EXPECT_EQ(archError(R"({"name": "a", "datapath": "dense", "dataflow": "os", "array": {"rows": "8", "cols": 4}})").reason(), "expected an integer, got string");
  EXPECT_NE(archError(R"({"name": "a", "datapath": "dense", "dataflow": "os", "array": {"rows": 0, "cols": 4}})").reason().find("out of range"), std::string::npos);
  EXPECT_NE(archError(R"({"name": "a", "datapath": "tpu", "dataflow": "os", "array": {"rows": 1, "cols": 4}})").reason().find("not one of"), std::string::npos);
}

TEST(Config, DuplicateKeysAreRefused) {
  ConfigError e = archError(R"({"name": "a", "name": "b", "datapath": "dense", "dataflow": "os", "array": {"rows": 8, "cols": 4}})");
  EXPECT_EQ(e.path(), "name");
  EXPECT_NE(e.reason().find("twice"), std::string::npos);
}

TEST(Config, MalformedJsonNamesPosition) {
  ConfigError e = archError(R"({"name": "a",})");
  EXPECT_NE(e.reason().find("malformed JSON"), std::string::npos);
  EXPECT_NE(e.reason().find("line 1"), std::string::npos) << e.what();
}

TEST(Config, LayerShapeErrorsNameTheField) {
  EXPECT_EQ(netError(R"({"name": "c", "type": "conv2d", "in_channels": 1, "out_channels": 1, "in_h": 4, "in_w": 4, "kernel_h": 5, "kernel_w": 3})").path(), "layers[0].kernel_h");
  EXPECT_EQ(netError(R"({"name": "c", "type": "conv2d", "in_channels": 1, "out_channels": 1, "in_h": 4, "in_w": 4, "kernel_h": 3, "kernel_w": 3, "weight_sparsity": 1.0})").path(), "layers[0].weight_sparsity");
  EXPECT_EQ(netError(R"({"name": "c", "type": "conv2d", "in_channels": 3, "out_channels": 4, "in_h": 4, "in_w": 4, "kernel_h": 3, "kernel_w": 3, "groups": 2})").path(), "layers[0].groups");
  EXPECT_EQ(netError(R"({"name": "c", "type": "linear", "in_channels": 3, "out_channels": 4, "stride": 2})").path(), "layers[0].stride");
  EXPECT_EQ(netError(R"({"name": "c", "type": "conv2d", "in_channels": 3, "out_channels": 4, "in_h": 4, "in_w": 4, "kernel_h": 3, "kernel_w": 3, "strid": 2})").reason(),
            "unknown key (did you mean \"stride\"?)");
}

TEST(Config, NetworkDefaultsAndOverrides) {
  std::string f = writeTemp("net.json", R"({"name": "n", "defaults": {"weight_sparsity": 0.5, "activation_density": 0.25},
    "layers": [{"name": "a", "type": "conv2d", "in_channels": 2, "out_channels": 2, "in_h": 5, "in_w": 5, "kernel_h": 3, "kernel_w": 3},
               {"name": "b", "type": "linear", "in_channels": 8, "out_channels": 2, "weight_sparsity": 0.0}]})");
  NetworkConfig n = loadNetwork(f);
  ASSERT_EQ(n.layers.size(), 2u);
  EXPECT_EQ(n.layers[0].weight_sparsity, 0.5);
  EXPECT_EQ(n.layers[0].activation_density, 0.25);
  EXPECT_EQ(n.layers[1].weight_sparsity, 0.0);
  EXPECT_EQ(n.layers[1].in_h, 1);
}

TEST(Config, SetOverridesApplyBeforeValidation) {
  std::string f = writeTemp("arch.json", kArch);
  ArchConfig a = loadArch(f, {"array.rows=16", "dataflow=ws", "memory.dram_bytes_per_cycle=4.5"});
  EXPECT_EQ(a.array.rows, 16);
  EXPECT_EQ(a.dataflow, Dataflow::WeightStationary);
  EXPECT_EQ(a.memory.dram_bytes_per_cycle, 4.5);
  EXPECT_THROW(loadArch(f, {"array.rowz=16"}), ConfigError);
  EXPECT_THROW(loadArch(f, {"name.x=1"}), ConfigError);
  EXPECT_THROW(loadArch(f, {"novalue"}), ConfigError);
}

TEST(Config, BundledConfigsLoad) {
  for (const auto& e : std::filesystem::directory_iterator(SPARSESIM_SOURCE_DIR "/configs/networks")) {
    SCOPED_TRACE(e.path().string());
    EXPECT_NO_THROW(loadNetwork(e.path().string()));
  }
  for (const auto& e : std::filesystem::directory_iterator(SPARSESIM_SOURCE_DIR "/configs/arch")) {
    SCOPED_TRACE(e.path().string());
    EXPECT_NO_THROW(loadArch(e.path().string()));
  }
}

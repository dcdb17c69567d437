// SCALE-Sim topology CSV files as network files: a topology in SCALE-Sim's shipped layout (extra
// columns after Strides, a row of bare commas, blank rows, CRLF line ends, names with spaces that
// repeat) runs in compat mode with exactly the cycles of the same layers written by hand as JSON,
// and those cycles are SCALE-Sim's closed forms with its GEMM mapping (M rows, K window, N filters).
#include <gtest/gtest.h>

#include <fstream>

#include "sim/config/ConfigJson.h"
#include "sim/config/ConfigLoader.h"
#include "sim/config/ScaleSimTopology.h"
#include "sim/core/ConfigError.h"
#include "sim/core/Math.h"
#include "sim/run/Runner.h"

using namespace sparsesim;

namespace {

const std::string kDir = SPARSESIM_SOURCE_DIR "/tests/import/scalesim/";

ArchConfig compatArch(Dataflow df) {
  ArchConfig a = loadArch(SPARSESIM_SOURCE_DIR "/configs/arch/dense-32x32-scalesim.json");
  a.dataflow = df;
  return a;
}

// SCALE-Sim v3's compute cycles ("Total Cycles") for one GEMM on an R x C array.
uint64_t scaleSimCycles(int64_t M, int64_t N, int64_t K, int R, int C, Dataflow df) {
  if (df == Dataflow::OutputStationary) return ceilDiv(M, R) * ceilDiv(N, C) * (K + R + C - 2) - 1;
  return ceilDiv(K, R) * ceilDiv(N, C) * (M + 2 * R + C - 2) - 1;
}

struct Gemm { const char* name; int64_t M, N, K; };

// One run per process (SystemC elaborates once): each case runs one file on one dataflow and
// checks every layer's cycles against SCALE-Sim's closed form for the M, N, K worked out here
// from the file's numbers with SCALE-Sim's rules, so the reader's mapping is checked from outside.
void expectScaleSimCycles(const std::string& csv, const std::vector<Gemm>& rows, Dataflow df) {
  const ArchConfig a = compatArch(df);
  const NetworkConfig n = loadNetwork(kDir + csv);
  validateRun(a, n);
  const RunResult r = runSimulation(a, n, RunOptions{});
  ASSERT_EQ(r.layers.size(), rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(r.layers[i].name, rows[i].name);
    EXPECT_EQ(r.layers[i].geom.M, rows[i].M) << rows[i].name;
    EXPECT_EQ(r.layers[i].geom.N, rows[i].N) << rows[i].name;
    EXPECT_EQ(r.layers[i].geom.K, rows[i].K) << rows[i].name;
    EXPECT_EQ(r.layers[i].cycles, scaleSimCycles(rows[i].M, rows[i].N, rows[i].K, a.array.rows, a.array.cols, df)) << rows[i].name;
    EXPECT_TRUE(r.layers[i].verified) << rows[i].name;
  }
  EXPECT_TRUE(r.verified);
}

// resnet50-rows.csv: M = ceil((in - k + s) / s)^2 output pixels, K = kh * kw * C, N = filters.
const std::vector<Gemm> kConvRows = {{"Conv1", 110 * 110, 64, 7 * 7 * 3}, {"CB2a_1", 56 * 56, 64, 64},
                                     {"CB2a_2", 54 * 54, 64, 9 * 64},    {"CB5a_2", 5 * 5, 512, 9 * 512},
                                     {"CB5a_s", 8 * 8, 2048, 1024},      {"FC1000", 1, 1000, 2048}};
// gemm-rows.csv: SCALE-Sim's M x K times K x N.
const std::vector<Gemm> kGemmRows = {{"QKT", 64, 64, 32}, {"QKTV", 64, 32, 64}, {"Test_1", 128, 64, 256}, {"Test_1_2", 16, 8, 24}};

class ScaleSimTopologyCycles : public ::testing::TestWithParam<Dataflow> {};

}  // namespace

TEST_P(ScaleSimTopologyCycles, ConvRowsHaveScaleSimsCycles) { expectScaleSimCycles("resnet50-rows.csv", kConvRows, GetParam()); }
TEST_P(ScaleSimTopologyCycles, GemmRowsAreScaleSimsMxKTimesKxN) { expectScaleSimCycles("gemm-rows.csv", kGemmRows, GetParam()); }
INSTANTIATE_TEST_SUITE_P(Dataflows, ScaleSimTopologyCycles, ::testing::Values(Dataflow::OutputStationary, Dataflow::WeightStationary),
                         [](const ::testing::TestParamInfo<Dataflow>& i) { return std::string(i.param == Dataflow::OutputStationary ? "os" : "ws"); });

// The same layers written by hand as JSON load to the same layers, every field (the CLI test
// scalesim_topology_cycles_equal_json runs both files and compares their cycles).
TEST(ScaleSimTopology, CsvLoadsToTheLayersOfItsJsonTwin) {
  for (const char* twin : {"resnet50-rows", "gemm-rows"}) {
    const auto csv = toJson(loadNetwork(kDir + twin + ".csv"))["layers"];
    const auto json = toJson(loadNetwork(kDir + twin + ".json"))["layers"];
    EXPECT_EQ(csv, json) << twin;
  }
}

TEST(ScaleSimTopology, ShippedLayoutIsReadWithNotes) {
  const ScaleSimTopology t = readScaleSimTopology(kDir + "resnet50-rows.csv");
  ASSERT_EQ(t.network["layers"].size(), 6u);
  const auto& conv1 = t.network["layers"][0];
  EXPECT_EQ(conv1["in_h"], 224);
  EXPECT_EQ(conv1["kernel_w"], 7);
  EXPECT_EQ(conv1["in_channels"], 3);
  EXPECT_EQ(conv1["out_channels"], 64);
  EXPECT_EQ(conv1["stride"], 2);
  EXPECT_EQ(conv1["padding"], 0);
  EXPECT_EQ(conv1["weight_sparsity"], 0.0);
  EXPECT_EQ(conv1["activation_density"], 1.0);
  EXPECT_EQ(t.network["name"], "resnet50-rows");
  ASSERT_EQ(t.notes.size(), 2u);
  EXPECT_NE(t.notes[0].find("(Eh, Ew, e2) are not shape fields: ignored (1 rows"), std::string::npos) << t.notes[0];
  EXPECT_EQ(t.notes[1], "rows of bare commas ignored: line 2");
}

TEST(ScaleSimTopology, DpLayersRunAsOneSingleChannelLayerPerChannel) {
  const NetworkConfig n = loadNetwork(kDir + "depthwise-rows.csv");
  ASSERT_EQ(n.layers.size(), 5u);
  for (int c = 0; c < 4; ++c) {
    const LayerConfig& l = n.layers[1 + c];
    EXPECT_EQ(l.name, "DP2Channel_" + std::to_string(c));
    EXPECT_EQ(l.in_channels, 1);
    EXPECT_EQ(l.out_channels, 1);
    EXPECT_EQ(l.in_h, 15);
  }
}

TEST(ScaleSimTopology, MalformedRowNamesLineAndColumn) {
  const std::string file = testing::TempDir() + "/bad-topology.csv";
  auto refused = [&](const std::string& text) -> std::string {
    std::ofstream(file, std::ios::binary) << text;
    try {
      loadNetwork(file);
    } catch (const ConfigError& e) {
      return e.path() + ": " + e.reason();
    }
    return "accepted";
  };
  const std::string conv = "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n";
  EXPECT_EQ(refused(conv + "c1,8,8,3,3,4,4,1,\nc2,8,8,3,3,4,\n"), "line 3, column 7 (Num Filter): missing value");
  EXPECT_EQ(refused(conv + "c1,8,x8,3,3,4,4,1,\n"), "line 2, column 3 (IFMAP Width): \"x8\" is not a whole number");
  EXPECT_EQ(refused(conv + "c1,8,8,9,3,4,4,1,\n"), "line 2, column 4 (Filter Height): Filter Height 9 exceeds IFMAP Height 8 (no padding)");
  EXPECT_EQ(refused(conv + ",8,8,3,3,4,4,1,\n"), "line 2, column 1 (Layer name): missing layer name");
  EXPECT_EQ(refused(conv + "c1,8,8,3,3,4,4,0,\n"), "line 2, column 8 (Strides): must be at least 1");
  EXPECT_EQ(refused("Layer, M, K, N,\nq,1,2,3,\n"), "line 1, column 3 (N): a GEMM topology header reads \"Layer, M, N, K,\"; this column is \"K\"");
  EXPECT_EQ(refused("Layer, M, N, K,\nq,1,2,-3,\n"), "line 2, column 4 (K): \"-3\" is not a whole number");
  EXPECT_EQ(refused(conv + "\n\n"), "line 4: no layer rows after the header");
}

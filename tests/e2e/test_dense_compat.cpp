// SCALE-Sim compatibility: every layer's simulated cycles must equal SCALE-Sim v3's closed
// forms (the oracle), on the bundled networks and on random shapes, square and non-square
// arrays, both dataflows. Grouped layers run as one GEMM per group, back to back.
#include <gtest/gtest.h>

#include <tuple>

#include "sim/core/Math.h"
#include "sim/config/ConfigLoader.h"
#include "sim/run/Runner.h"
#include "sim/workload/Rng.h"

using namespace sparsesim;

namespace {


uint64_t scaleSimCycles(const LayerGeometry& g, int R, int C, Dataflow df) {
  if (df == Dataflow::OutputStationary) return g.groups * ceilDiv(g.M, R) * ceilDiv(g.N, C) * (g.K + R + C - 2) - 1;
  return g.groups * ceilDiv(g.K, R) * ceilDiv(g.N, C) * (g.M + 2 * R + C - 2) - 1;
}

ArchConfig compatArch(int R, int C, Dataflow df) {
  ArchConfig a = loadArch(SPARSESIM_SOURCE_DIR "/configs/arch/dense-32x32-scalesim.json");
  a.array.rows = R;
  a.array.cols = C;
  a.dataflow = df;
  return a;
}

void expectClosedForms(const ArchConfig& a, const NetworkConfig& n) {
  validateRun(a, n);
  RunResult r = runSimulation(a, n, RunOptions{});
  ASSERT_EQ(r.layers.size(), n.layers.size());
  for (const auto& l : r.layers) {
    EXPECT_EQ(l.cycles, scaleSimCycles(l.geom, a.array.rows, a.array.cols, a.dataflow)) << l.name;
    EXPECT_TRUE(l.verified) << l.name << ": " << l.first_mismatch;
    EXPECT_EQ(l.stall_cycles.size(), 0u) << l.name << ": ideal memory has no stalls";
  }
  EXPECT_TRUE(r.verified);
}

using Case = std::tuple<std::string, int, int, Dataflow>;

class CompatNetwork : public ::testing::TestWithParam<Case> {};

}  // namespace

TEST_P(CompatNetwork, CyclesEqualScaleSimClosedForms) {
  auto [net, R, C, df] = GetParam();
  expectClosedForms(compatArch(R, C, df), loadNetwork(std::string(SPARSESIM_SOURCE_DIR "/configs/networks/") + net + ".json"));
}

static std::string caseName(const ::testing::TestParamInfo<Case>& i) {
  std::string n = std::get<0>(i.param);
  for (char& c : n) if (!isalnum(static_cast<unsigned char>(c))) c = '_';
  return n + "_" + std::to_string(std::get<1>(i.param)) + "x" + std::to_string(std::get<2>(i.param)) +
         (std::get<3>(i.param) == Dataflow::WeightStationary ? "_ws" : "_os");
}

INSTANTIATE_TEST_SUITE_P(
    Bundled, CompatNetwork,
    ::testing::Combine(::testing::Values("gsc", "resnet50", "mobilenetv2", "alexnet", "vgg16", "bert-base-block"),
                       ::testing::Values(32), ::testing::Values(32),
                       ::testing::Values(Dataflow::OutputStationary, Dataflow::WeightStationary)),
    caseName);
INSTANTIATE_TEST_SUITE_P(
    BundledNonSquare, CompatNetwork,
    ::testing::Values(Case{"gsc", 16, 8, Dataflow::OutputStationary}, Case{"gsc", 8, 24, Dataflow::WeightStationary},
                      Case{"resnet50", 16, 8, Dataflow::OutputStationary}, Case{"resnet50", 8, 24, Dataflow::WeightStationary},
                      Case{"mobilenetv2", 16, 8, Dataflow::OutputStationary}, Case{"mobilenetv2", 8, 24, Dataflow::WeightStationary},
                      Case{"alexnet", 16, 8, Dataflow::OutputStationary}, Case{"alexnet", 8, 24, Dataflow::WeightStationary},
                      Case{"vgg16", 16, 8, Dataflow::OutputStationary}, Case{"vgg16", 8, 24, Dataflow::WeightStationary},
                      Case{"bert-base-block", 16, 8, Dataflow::OutputStationary}, Case{"bert-base-block", 8, 24, Dataflow::WeightStationary}),
    caseName);

namespace {

// Random layers: strides 1-3, kernels 1-7 (non-square too), odd channel counts, some grouped.
NetworkConfig randomNetwork(uint64_t seed) {
  NetworkConfig n;
  n.name = "random";
  CounterRng rng(seed, 42);
  uint64_t d = 0;
  for (int i = 0; i < 60; ++i) {
    LayerConfig l;
    l.name = "r" + std::to_string(i);
    l.kernel_h = 1 + int(rng.at(d++) % 7);
    l.kernel_w = (rng.at(d++) % 4 == 0) ? 1 + int(rng.at(d++) % 7) : l.kernel_h;
    l.stride = 1 + int(rng.at(d++) % 3);
    l.in_h = l.kernel_h + int(rng.at(d++) % 20);
    l.in_w = l.kernel_w + int(rng.at(d++) % 20);
    int groups = (rng.at(d++) % 5 == 0) ? 3 : 1;
    l.groups = groups;
    l.in_channels = groups * (1 + 2 * int(rng.at(d++) % 12));
    l.out_channels = groups * (1 + 2 * int(rng.at(d++) % 25));
    l.weight_sparsity = (rng.at(d++) % 3) * 0.3;
    l.activation_density = 1.0 - (rng.at(d++) % 3) * 0.3;
    n.layers.push_back(l);
  }
  return n;
}

class CompatRandom : public ::testing::TestWithParam<std::tuple<int, int, Dataflow>> {};

}  // namespace

TEST_P(CompatRandom, CyclesEqualScaleSimClosedForms) {
  auto [R, C, df] = GetParam();
  expectClosedForms(compatArch(R, C, df), randomNetwork(uint64_t(R) * 1000 + C * 10 + int(df)));
}

INSTANTIATE_TEST_SUITE_P(Shapes, CompatRandom,
                         ::testing::Values(std::make_tuple(8, 8, Dataflow::OutputStationary), std::make_tuple(8, 8, Dataflow::WeightStationary),
                                           std::make_tuple(5, 12, Dataflow::OutputStationary), std::make_tuple(12, 5, Dataflow::WeightStationary),
                                           std::make_tuple(32, 16, Dataflow::OutputStationary), std::make_tuple(16, 32, Dataflow::WeightStationary)));

// Chained network files (docs/networks.md): shapes derived through the graph, defaults of the
// post-ops, and the shipped graphs' structure against their published architectures.
#include <gtest/gtest.h>

#include <map>

#include "sim/config/ConfigLoader.h"
#include "sim/core/Tensor.h"
#include "sim/workload/ChainedForward.h"
#include "sim/workload/HostOps.h"
#include "sim/workload/PostOps.h"

using namespace sparsesim;

namespace {
NetworkConfig load(const char* name) { return loadNetwork(std::string(SPARSESIM_SOURCE_DIR "/configs/networks/") + name); }
std::map<std::string, const LayerConfig*> byName(const NetworkConfig& n) {
  std::map<std::string, const LayerConfig*> m;
  for (const auto& l : n.layers) m[l.name] = &l;
  return m;
}
}  // namespace

TEST(ChainedNetwork, GscShapesFollowThePublishedNetwork) {
  NetworkConfig n = load("gsc-chained.json");
  auto m = byName(n);
  // domain.md: conv1 28x28, pool 14x14 (12544 outputs), conv2 10x10, pool 5x5 (1600), linear 1600->1000.
  EXPECT_EQ(m["conv1"]->out_h, 28);
  EXPECT_EQ(m["pool1"]->out_c * m["pool1"]->out_h * m["pool1"]->out_w, 12544);
  EXPECT_EQ(m["conv2"]->in_channels, 64);
  EXPECT_EQ(m["conv2"]->out_h, 10);
  EXPECT_EQ(m["linear"]->in_channels, 1600);
  EXPECT_EQ(m["linear"]->in_h, 1);
  EXPECT_EQ(m["pool1"]->kwta.k, 1200);
  EXPECT_EQ(m["pool2"]->kwta.k, 200);
  EXPECT_EQ(m["linear"]->kwta.k, 100);
  EXPECT_EQ(m["conv1"]->requant.mode, RequantSpec::Mode::Calibrate);  // feeds pool1
  EXPECT_EQ(m["output"]->requant.mode, RequantSpec::Mode::None);     // a graph output stays int32
  EXPECT_EQ(m["conv2"]->inputs, std::vector<std::string>{"pool1"});
}

TEST(ChainedNetwork, ResNetAndMobileNetGraphs) {
  NetworkConfig r = load("resnet50-chained.json");
  auto m = byName(r);
  int adds = 0;
  for (const auto& l : r.layers) adds += l.type == LayerType::Add;
  EXPECT_EQ(adds, 16);  // one per bottleneck block
  EXPECT_EQ(m["maxpool"]->out_h, 56);
  EXPECT_EQ(m["layer4.2.add"]->out_c, 2048);
  EXPECT_EQ(m["layer4.2.add"]->out_h, 7);
  EXPECT_EQ(m["fc"]->in_channels, 2048);
  NetworkConfig mb = load("mobilenetv2-chained.json");
  auto mm = byName(mb);
  adds = 0;
  for (const auto& l : mb.layers) adds += l.type == LayerType::Add;
  EXPECT_EQ(adds, 10);
  EXPECT_EQ(mm["features.18"]->out_h, 7);
  EXPECT_EQ(mm["classifier"]->in_channels, 1280);
}

TEST(ChainedNetwork, RequantRoundsHalfToEvenAndSaturates) {
  Int32Tensor t({1, 1, 1, 5});
  t.data = {5, 15, -25, 1000, -1000};
  RequantSpec s;
  s.mode = RequantSpec::Mode::Given;
  s.scale = {10.0};
  requantise(t, s);
  EXPECT_EQ(t.data, (std::vector<int32_t>{0, 2, -2, 100, -100}));  // 0.5 -> 0, 1.5 -> 2, -2.5 -> -2
  Int32Tensor c({1, 1, 1, 3});
  c.data = {254, -127, 1};
  RequantSpec cal;
  cal.mode = RequantSpec::Mode::Calibrate;
  auto used = requantise(c, cal);
  ASSERT_EQ(used.size(), 1u);
  EXPECT_DOUBLE_EQ(used[0], 2.0);                             // max|acc| / 127
  EXPECT_EQ(c.data, (std::vector<int32_t>{127, -64, 0}));    // -63.5 -> -64, 0.5 -> 0
}

TEST(ChainedNetwork, Relu6CalibratesToTheReal6AndClipsAtItsImage) {
  // Accumulator step 0.01: the real 6.0 is 600 accumulator steps, so the calibrated range stops
  // there (scale 600 / 127) and 1270 saturates at 127, the image of 6.0.
  Int32Tensor t({1, 1, 1, 4});
  t.data = {1270, 310, -50, 600};
  RequantSpec cal;
  cal.mode = RequantSpec::Mode::Calibrate;
  auto used = requantise(t, cal, 6.0 / 0.01);
  ASSERT_EQ(used.size(), 1u);
  EXPECT_DOUBLE_EQ(used[0], 600.0 / 127.0);
  EXPECT_EQ(t.data, (std::vector<int32_t>{127, 66, -11, 127}));  // 65.62 -> 66, -10.58 -> -11
  applyActivation(t, Activation::Relu6, {0.01 * used[0]});     // tensor scale 6 / 127: bound 127
  EXPECT_EQ(t.data, (std::vector<int32_t>{127, 66, 0, 127}));
  t.data = {100, 20, -3, 7};
  applyActivation(t, Activation::Relu6, {0.5});  // bound round(6 / 0.5) = 12
  EXPECT_EQ(t.data, (std::vector<int32_t>{12, 12, 0, 7}));
}

TEST(ChainedNetwork, GroupedKwtaKeepsKPerGroup) {
  Int32Tensor t({1, 2, 1, 3});
  t.data = {1, -5, 3, 4, 4, -2};
  KwtaSpec k;
  k.k = 1;
  k.groups = 2;
  EXPECT_EQ(applyKwtaPostOp(t, k), 2u);
  EXPECT_EQ(t.data, (std::vector<int32_t>{0, -5, 0, 4, 0, 0}));  // tie 4, 4: the lower index wins
}

TEST(ChainedNetwork, AveragePoolIgnoresPaddingAndRoundsHalfToEven) {
  LayerConfig l;
  l.type = LayerType::AvgPool2d;
  l.in_channels = 1, l.in_h = 2, l.in_w = 2;
  l.kernel_h = l.kernel_w = 2;
  l.stride = 2;
  l.pad_top = l.pad_left = 1;
  l.pad_bottom = l.pad_right = 1;
  l.out_c = 1, l.out_h = 2, l.out_w = 2;
  Int32Tensor in({1, 1, 2, 2});
  in.data = {1, 2, 3, 6};
  TensorScale r;
  Int32Tensor out = runHostOp(l, {&in}, {{1.0}}, r);
  EXPECT_EQ(out.data, (std::vector<int32_t>{1, 2, 3, 6}));  // each window holds one real pixel
  l.pad_top = l.pad_left = l.pad_bottom = l.pad_right = 0;
  l.out_h = l.out_w = 1;
  out = runHostOp(l, {&in}, {{1.0}}, r);
  EXPECT_EQ(out.data, (std::vector<int32_t>{3}));  // 12 / 4
}

TEST(ChainedNetwork, AddRescalesOperandsOfDifferentScales) {
  LayerConfig l;
  l.type = LayerType::Add;
  l.out_c = 2, l.out_h = 1, l.out_w = 2;
  Int32Tensor a({1, 2, 1, 2}), b({1, 2, 1, 2});
  a.data = {10, -20, 127, 0};
  b.data = {10, 40, -127, 1};
  TensorScale r;
  // Real values: a x 2, b x 0.5 per tensor; sums 25, -20, 190.5, 0.5; r_out = 190.5 / 127 = 1.5.
  Int32Tensor out = runHostOp(l, {&a, &b}, {{2.0}, {0.5}}, r);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_DOUBLE_EQ(r[0], 1.5);
  // 25 / 1.5 = 16.67 -> 17; -20 / 1.5 = -13.33 -> -13; 127; 0.5 / 1.5 = 0.33 -> 0.
  EXPECT_EQ(out.data, (std::vector<int32_t>{17, -13, 127, 0}));
  // Per-channel operand scales: channel 1 of a at 4, so its sum 127 x 4 - 127 x 0.5 = 444.5 sets r_out = 3.5.
  out = runHostOp(l, {&a, &b}, {{2.0, 4.0}, {0.5}}, r);
  EXPECT_DOUBLE_EQ(r[0], 444.5 / 127.0);
  EXPECT_EQ(out.data, (std::vector<int32_t>{7, -6, 127, 0}));
}

TEST(ChainedNetwork, ConcatRescalesToTheLargestInputScale) {
  LayerConfig l;
  l.type = LayerType::Concat;
  l.out_c = 2, l.out_h = 1, l.out_w = 2;
  Int32Tensor a({1, 1, 1, 2}), b({1, 1, 1, 2});
  a.data = {-127, 5};
  b.data = {3, 127};
  TensorScale r;
  Int32Tensor out = runHostOp(l, {&a, &b}, {{1.0}, {4.0}}, r);
  EXPECT_EQ(r, (TensorScale{4.0}));
  EXPECT_EQ(out.data, (std::vector<int32_t>{-32, 1, 3, 127}));  // a x 1/4: -31.75 -> -32, 1.25 -> 1; b unchanged
  out = runHostOp(l, {&a, &b}, {{4.0}, {4.0}}, r);
  EXPECT_EQ(out.data, (std::vector<int32_t>{-127, 5, 3, 127}));  // one scale: copied
}

TEST(ChainedNetwork, AddAndConcatTakeAGivenOutputScale) {
  LayerConfig l;
  l.type = LayerType::Add;
  l.out_c = 2, l.out_h = 1, l.out_w = 2;
  l.output_scale = 2.0;  // a model's own (QLinearAdd C_scale)
  Int32Tensor a({1, 2, 1, 2}), b({1, 2, 1, 2});
  a.data = {10, -20, 127, 0};
  b.data = {10, 40, -127, 1};
  TensorScale r;
  // Real sums 25, -20, 190.5, 0.5 (a x 2, b x 0.5) over 2: 12.5 -> 12 (half to even), -10, 95.25 -> 95, 0.25 -> 0.
  Int32Tensor out = runHostOp(l, {&a, &b}, {{2.0}, {0.5}}, r);
  EXPECT_EQ(r, (TensorScale{2.0}));
  EXPECT_EQ(out.data, (std::vector<int32_t>{12, -10, 95, 0}));
  l.type = LayerType::Concat;
  Int32Tensor c({1, 1, 1, 2}), d({1, 1, 1, 2});
  c.data = {-127, 5};
  d.data = {3, 127};
  out = runHostOp(l, {&c, &d}, {{1.0}, {4.0}}, r);
  EXPECT_EQ(r, (TensorScale{2.0}));
  // c x 1/2: -63.5 -> -64, 2.5 -> 2 (half to even); d x 2: 6, 254 saturates at 127.
  EXPECT_EQ(out.data, (std::vector<int32_t>{-64, 2, 6, 127}));
}

TEST(ChainedNetwork, ModelScalesMakeTheOutputScaleTheModelsAndBoundRelu6) {
  // x_scale 0.05, per-channel w_scale {0.01, 0.02}, y_scale 0.2: requant y / (x w) = {400, 200}.
  NetworkConfig n;
  n.chain = true;
  n.input = {1, 1, 2, 0.05};
  LayerConfig c;
  c.name = "c", c.type = LayerType::Conv2d, c.inputs = {"input"};
  c.in_channels = 1, c.out_channels = 2, c.in_h = 1, c.in_w = 2, c.out_c = 2, c.out_h = 1, c.out_w = 2;
  c.weight_scale = {0.01, 0.02};
  c.requant.mode = RequantSpec::Mode::Given;
  c.requant.scale = {400.0, 200.0};
  c.activation = Activation::Relu6;
  n.layers = {c};
  Int32Tensor raw({1, 2, 1, 2});
  raw.data = {4000, -400, 16000, 200};
  ChainedForward f(n, Int8Tensor({1, 1, 1, 2}));
  f.computeInput(n.layers[0]);
  f.storeOutput(n.layers[0], raw);
  const TensorScale& s = f.scale("c");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_NEAR(s[0], 0.2, 1e-15);
  EXPECT_NEAR(s[1], 0.2, 1e-15);
  // 10, -1 -> 0; 80 clipped at relu6's round(6 / 0.2) = 30; 1.
  EXPECT_EQ(f.value("c").data, (std::vector<int32_t>{10, 0, 30, 1}));
  // The convention (x and w at 1/127): output step 400 / 127^2, relu6's image of 6.0 beyond 127, so 80 stays.
  n.input.scale = 0, n.layers[0].weight_scale.clear();
  ChainedForward g(n, Int8Tensor({1, 1, 1, 2}));
  g.computeInput(n.layers[0]);
  g.storeOutput(n.layers[0], raw);
  EXPECT_EQ(g.value("c").data, (std::vector<int32_t>{10, 0, 80, 1}));
}

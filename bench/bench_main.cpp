// Google Benchmark: simulated cycles/s and MACs/s of the dense systolic array's fold engine on a
// ResNet-50 layer (layer2.0.conv2: 3x3, 128->128, 28x28) at 16x16 and 32x32, and of the CS
// datapath's MAC array on GSC conv2 in its three modes.
#include <systemc>

#include <benchmark/benchmark.h>

#include "models/common/FoldSchedule.h"
#include "models/cs/KwtaSelector.h"
#include "models/cs/MacArray.h"
#include "models/cs/WeightPackingSram.h"
#include "models/common/SystolicArray.h"
#include "sim/config/ConfigLoader.h"
#include "sim/workload/Lowering.h"
#include "sim/workload/WeightPacker.h"

using namespace sparsesim;

static LayerWorkload resnetLayer() {
  NetworkConfig n = loadNetwork(SPARSESIM_SOURCE_DIR "/configs/networks/resnet50.json");
  for (const auto& l : n.layers)
    if (l.name == "layer2.0.conv2") return makeWorkload(l, Compat::None, 1, n.source_file, 0);
  throw std::runtime_error("layer2.0.conv2 not in resnet50.json");
}

// The array on ResNet-50 layer2.0.conv2: the fold engine (runBulk) or the per-cycle register-level
// engine (runStepped); arguments: array size, dataflow (0 OS, 1 WS).
static void runArrayLayer(benchmark::State& state, bool stepped) {
  const int size = static_cast<int>(state.range(0));
  const Dataflow df = state.range(1) ? Dataflow::WeightStationary : Dataflow::OutputStationary;
  LayerWorkload w = resnetLayer();
  GroupGemm g = lowerGroup(w, 0);
  std::vector<Fold> folds = buildFoldSchedule(w.geom, size, size, df);
  SystolicArrayCore core(size, size, df);
  std::vector<int32_t> C(static_cast<size_t>(g.M * g.N));
  uint64_t cycles = 0, macs = 0;
  for (auto _ : state) {
    std::fill(C.begin(), C.end(), 0);
    for (const Fold& f : folds) {
      cycles += stepped ? core.runStepped(g, f, C.data()) : core.runBulk(g, f, C.data());
      macs += SystolicArrayCore::macsIssued(f);
    }
    benchmark::DoNotOptimize(C.data());
  }
  state.counters["sim_cycles_per_s"] = benchmark::Counter(double(cycles), benchmark::Counter::kIsRate);
  state.counters["macs_per_s"] = benchmark::Counter(double(macs), benchmark::Counter::kIsRate);
}

static void BM_DenseArrayLayer(benchmark::State& state) { runArrayLayer(state, false); }
BENCHMARK(BM_DenseArrayLayer)->Args({16, 0})->Args({32, 0})->Args({16, 1})->Args({32, 1})->Unit(benchmark::kMillisecond);
// The same layer stepped cycle by cycle: over BM_DenseArrayLayer/32/0 it is the array-only
// stepped / fold ratio (tools/bench prints it).
static void BM_SteppedArrayLayer(benchmark::State& state) { runArrayLayer(state, true); }
BENCHMARK(BM_SteppedArrayLayer)->Args({32, 0})->Args({32, 1})->Unit(benchmark::kMillisecond);

// The CS datapath's MAC array on GSC conv2 (5x5, 64->64, 14x14 input) with complementary masks
// at 80% (5 kernels per packed group), cs-small's shape (8 lanes x 32 slots, replication on):
// simulated cycles/s and multiplies/s of the multiply-route-sum step loop, per mode
// (0 dense_dense, 1 sparse_dense, 2 sparse_sparse with the threshold k-WTA selector).
static void BM_CsMacArrayLayer(benchmark::State& state) {
  const int mode = static_cast<int>(state.range(0));
  ArchConfig arch = loadArch(SPARSESIM_SOURCE_DIR "/configs/arch/cs-small.json");
  NetworkConfig n = loadNetwork(SPARSESIM_SOURCE_DIR "/configs/networks/gsc.json");
  LayerConfig l = n.layers.at(1);
  l.weight_pattern = WeightPattern::Complementary;
  LayerWorkload w = makeWorkload(l, Compat::None, 1, n.source_file, 1);
  const LayerGeometry& g = w.geom;
  PackedLayer p = packLayer(w.weights.data.data(), g.out_c, g.groups, g.K,
                            mode == 0 ? PackingStrategy::OnePerGroup : PackingStrategy::FirstFitDisjoint, arch.cs.packing.max_n);
  SramBanks banks(arch.cs.sram);
  const int entryBits = 8 + p.idBits;
  SliceGeometry sg = planSlices(p, arch.array.cols, entryBits, banks);
  std::vector<PassTable> tables;
  for (size_t first = 0; first < p.groups[0].size(); first += static_cast<size_t>(sg.R)) {
    const int R = static_cast<int>(std::min<size_t>(sg.R, p.groups[0].size() - first));
    tables.push_back(buildPassTable(p, 0, first, R, banks.wordsPerColumn(R, entryBits)));
  }
  MacArrayCore core(MacParams::from(arch), banks);
  KwtaSelectorCore selector(SelectorParams::from(arch.cs.selector));
  std::vector<int32_t> C(static_cast<size_t>(g.M * g.N));
  uint64_t cycles = 0, macs = 0;
  for (auto _ : state) {
    std::fill(C.begin(), C.end(), 0);
    PixelItems items;
    if (mode == 2) {
      Selection s = selector.selectGlobal(w.input.data.data(), w.input.size(), w.kwta_k);
      cycles += s.cycles;
      std::vector<int8_t> act(w.input.size(), 0);
      std::vector<uint8_t> win(w.input.size(), 0);
      for (size_t i = 0; i < s.indices.size(); ++i) { act[s.indices[i]] = s.values[i]; win[s.indices[i]] = 1; }
      items = gatherItems(g, 0, act.data(), win.data(), false);
    } else {
      items = gatherItems(g, 0, w.input.data.data(), nullptr, true);
    }
    for (const PassTable& t : tables) {
      PassResult r = core.runPass(t, items, C.data(), g.N);
      cycles += r.cycles;
      macs += r.macs;
    }
    benchmark::DoNotOptimize(C.data());
  }
  state.counters["sim_cycles_per_s"] = benchmark::Counter(double(cycles), benchmark::Counter::kIsRate);
  state.counters["macs_per_s"] = benchmark::Counter(double(macs), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_CsMacArrayLayer)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

// The same int8 GEMM as BM_DenseArrayLayer (ResNet-50 layer2.0.conv2, group 0: same M, K, N, same A
// and Bt from lowerGroup) as a plain triple loop with no tiling: the "plain C++ loop" that
// tools/bench divides the fold engine's time by.
static void plainGemm(const GroupGemm& g, int32_t* C) {
  const int64_t M = g.M, K = g.K, N = g.N;
  const int8_t* A = g.A.data();
  const int8_t* Bt = g.Bt.data();
  for (int64_t m = 0; m < M; ++m)
    for (int64_t n = 0; n < N; ++n) {
      int32_t acc = 0;
      for (int64_t k = 0; k < K; ++k) acc += int32_t(A[m * K + k]) * int32_t(Bt[n * K + k]);
      C[m * N + n] += acc;
    }
}

// The plain-loop baseline on a layer's first group GEMM; both plain cases use it.
static void runPlainGemm(benchmark::State& state, const LayerWorkload& w) {
  GroupGemm g = lowerGroup(w, 0);
  std::vector<int32_t> C(static_cast<size_t>(g.M * g.N));
  uint64_t macs = 0;
  for (auto _ : state) {
    std::fill(C.begin(), C.end(), 0);
    plainGemm(g, C.data());
    macs += uint64_t(g.M) * g.N * g.K;
    benchmark::DoNotOptimize(C.data());
  }
  state.counters["macs_per_s"] = benchmark::Counter(double(macs), benchmark::Counter::kIsRate);
}

static void BM_PlainGemmLoop(benchmark::State& state) { runPlainGemm(state, resnetLayer()); }
BENCHMARK(BM_PlainGemmLoop)->Unit(benchmark::kMillisecond);

// Per-cycle stepping (SystolicArrayCore::runStepped) on a smaller layer, GSC conv2 (5x5, 64->64,
// 14x14 input, weights at the config's sparsity) on a 16x16 output-stationary array, and the same
// GEMM as a plain loop (BM_PlainGemmLoopGsc): the "per-cycle stepping within 2x of the plain loop" ratio.
static LayerWorkload gscConv2() {
  NetworkConfig n = loadNetwork(SPARSESIM_SOURCE_DIR "/configs/networks/gsc.json");
  return makeWorkload(n.layers.at(1), Compat::None, 1, n.source_file, 1);
}

static void BM_SteppedArrayGsc(benchmark::State& state) {
  const int size = 16;
  LayerWorkload w = gscConv2();
  GroupGemm g = lowerGroup(w, 0);
  std::vector<Fold> folds = buildFoldSchedule(w.geom, size, size, Dataflow::OutputStationary);
  SystolicArrayCore core(size, size, Dataflow::OutputStationary);
  std::vector<int32_t> C(static_cast<size_t>(g.M * g.N));
  uint64_t cycles = 0, macs = 0;
  for (auto _ : state) {
    std::fill(C.begin(), C.end(), 0);
    for (const Fold& f : folds) {
      cycles += core.runStepped(g, f, C.data());
      macs += SystolicArrayCore::macsIssued(f);
    }
    benchmark::DoNotOptimize(C.data());
  }
  state.counters["sim_cycles_per_s"] = benchmark::Counter(double(cycles), benchmark::Counter::kIsRate);
  state.counters["macs_per_s"] = benchmark::Counter(double(macs), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_SteppedArrayGsc)->Unit(benchmark::kMillisecond);

static void BM_PlainGemmLoopGsc(benchmark::State& state) { runPlainGemm(state, gscConv2()); }
BENCHMARK(BM_PlainGemmLoopGsc)->Unit(benchmark::kMicrosecond);

// SystemC's library owns main() and calls sc_main.
int sc_main(int argc, char* argv[]) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

// Google Benchmark: simulated cycles/s and MACs/s of the dense systolic array's fold engine on a
// ResNet-50 layer (layer2.0.conv2: 3x3, 128->128, 28x28) at 16x16 and 32x32.
#include <systemc>

#include <benchmark/benchmark.h>

#include "models/FoldSchedule.h"
#include "models/SystolicArray.h"
#include "sim/config/ConfigLoader.h"
#include "sim/workload/Lowering.h"

using namespace sparsesim;

static LayerWorkload resnetLayer() {
  NetworkConfig n = loadNetwork(SPARSESIM_SOURCE_DIR "/configs/networks/resnet50.json");
  for (const auto& l : n.layers)
    if (l.name == "layer2.0.conv2") return makeWorkload(l, Compat::None, 1, n.source_file, 0);
  throw std::runtime_error("layer2.0.conv2 not in resnet50.json");
}

static void BM_DenseArrayLayer(benchmark::State& state) {
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
      cycles += core.runBulk(g, f, C.data());
      macs += SystolicArrayCore::macsIssued(f);
    }
    benchmark::DoNotOptimize(C.data());
  }
  state.counters["sim_cycles_per_s"] = benchmark::Counter(double(cycles), benchmark::Counter::kIsRate);
  state.counters["macs_per_s"] = benchmark::Counter(double(macs), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_DenseArrayLayer)->Args({16, 0})->Args({32, 0})->Args({16, 1})->Args({32, 1})->Unit(benchmark::kMillisecond);

// SystemC's library owns main() and calls sc_main.
int sc_main(int argc, char* argv[]) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

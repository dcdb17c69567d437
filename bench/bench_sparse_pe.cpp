// Google Benchmark: the sparse-PE array engine (SparsePeArrayCore::runFold) against the engine
// that steps every PE every cycle (runFoldReference, the oracle it is held equal to) on ResNet-50
// layer3.0.conv2 (3x3, stride 2, 14x14 output: padded border pixels in every tile), sparse-pe-16x16
// parameters. Counters: simulated cycles/s and PE-cycles/s of runFold, and stepped_over_fast, the
// CPU-time ratio of the two engines on the same folds (the reference timed once before the loop).
#include <systemc>

#include <benchmark/benchmark.h>

#include <ctime>

#include "models/sparse_pe/SparsePeArray.h"
#include "sim/config/ConfigLoader.h"
#include "sim/workload/Lowering.h"

using namespace sparsesim;

namespace {

// This thread's CPU seconds: the ratio stays meaningful when other jobs share the cores.
double cpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}

SparseOperand operandOf(const std::vector<int8_t>& dense, int64_t rows, int64_t K) {
  std::vector<int64_t> ptr{0};
  std::vector<int32_t> k;
  std::vector<int8_t> val;
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t x = 0; x < K; ++x)
      if (dense[size_t(r * K + x)] != 0) {
        k.push_back(int32_t(x));
        val.push_back(dense[size_t(r * K + x)]);
      }
    ptr.push_back(int64_t(k.size()));
  }
  return makeSparseOperand(std::move(ptr), std::move(k), std::move(val));
}

}  // namespace

static void BM_SparsePeEngineResNetLayer(benchmark::State& state) {
  const ArchConfig arch = loadArch(SPARSESIM_SOURCE_DIR "/configs/arch/sparse-pe-16x16.json");
  const NetworkConfig n = loadNetwork(SPARSESIM_SOURCE_DIR "/configs/networks/resnet50.json");
  LayerWorkload w;
  for (size_t l = 0; l < n.layers.size(); ++l)
    if (n.layers[l].name == "layer3.0.conv2") w = makeWorkload(n.layers[l], Compat::None, 1, n.source_file, int(l));
  const GroupGemm g = lowerGroup(w, 0);
  const SparseOperand a = operandOf(g.A, g.M, g.K), b = operandOf(g.Bt, g.N, g.K);
  const int R = arch.array.rows, C = arch.array.cols;
  // Row tiles 0 (top-border pixels) and 6 (one left-border pixel) with four column tiles each.
  std::vector<std::pair<std::vector<SparseStream>, std::vector<SparseStream>>> folds;
  for (int64_t m0 : {int64_t(0), int64_t(6 * R)})
    for (int64_t n0 = 0; n0 < 4 * C; n0 += C) {
      std::vector<SparseStream> rs, cs;
      for (int64_t i = m0; i < std::min<int64_t>(g.M, m0 + R); ++i) rs.push_back(a.stream(i));
      for (int64_t j = n0; j < std::min<int64_t>(g.N, n0 + C); ++j) cs.push_back(b.stream(j));
      folds.emplace_back(std::move(rs), std::move(cs));
    }
  SparsePeArrayCore core(R, C, arch.sparse_pe);
  std::vector<int32_t> out(size_t(g.M * g.N));
  const double r0 = cpuSeconds();
  for (const auto& f : folds) core.runFoldReference(f.first, f.second, out.data(), g.N);
  const double refSeconds = cpuSeconds() - r0;
  uint64_t cycles = 0;
  double fastSeconds = 0;
  for (auto _ : state) {
    const double f0 = cpuSeconds();
    for (const auto& f : folds) cycles += core.runFold(f.first, f.second, out.data(), g.N).cycles;
    fastSeconds += cpuSeconds() - f0;
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["sim_cycles_per_s"] = benchmark::Counter(double(cycles), benchmark::Counter::kIsRate);
  state.counters["pe_cycles_per_s"] = benchmark::Counter(double(cycles) * R * C, benchmark::Counter::kIsRate);
  state.counters["stepped_over_fast"] = refSeconds / (fastSeconds / double(state.iterations()));
}
BENCHMARK(BM_SparsePeEngineResNetLayer)->Unit(benchmark::kMillisecond);

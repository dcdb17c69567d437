// The sparse-PE engine (SparsePeArrayCore::runFold, which skips cycles in which nothing but a
// shift happens) against the engine that steps every PE every cycle (runFoldReference): equal
// cycles, every counter and every output on random folds (shapes, densities, dense stretches,
// FIFO depths, bus widths, match widths), on random padded convolutions (border pixels whose PEs
// follow their column bus), on every fold of GSC and sampled folds of AlexNet and ResNet-50
// layers (dense and pruned), lowered as the datapath lowers them.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "models/sparse_pe/SparsePeArray.h"
#include "sim/config/ConfigLoader.h"
#include "sim/workload/Lowering.h"
#include "sim/workload/Workload.h"

using namespace sparsesim;

namespace {

struct Streams {
  std::vector<std::vector<int8_t>> val;
  std::vector<std::vector<int32_t>> k, run;
  std::vector<SparseStream> s;
  void add(const int8_t* dense, int64_t K) {
    val.emplace_back();
    k.emplace_back();
    for (int64_t x = 0; x < K; ++x)
      if (dense[x] != 0) {
        val.back().push_back(dense[x]);
        k.back().push_back(int32_t(x));
      }
  }
  void finish() {
    s.clear();
    run.resize(k.size());
    for (size_t v = 0; v < val.size(); ++v) {
      run[v].resize(k[v].size());
      consecutiveRuns(k[v].data(), int64_t(k[v].size()), run[v].data());
      s.push_back(SparseStream{val[v].data(), k[v].data(), int64_t(k[v].size()), run[v].data()});
    }
  }
};

SparsePeConfig cfg(int depth, int width, int bus) {
  SparsePeConfig c;
  c.fifo_depth = depth;
  c.match_width = width;
  c.bus_pairs_per_cycle = bus;
  return c;
}

void expectEqual(const SparsePeCounters& f, const SparsePeCounters& r, const std::string& what) {
  EXPECT_EQ(f.cycles, r.cycles) << what;
  EXPECT_EQ(f.macs, r.macs) << what;
  EXPECT_EQ(f.active_pe_cycles, r.active_pe_cycles) << what;
  EXPECT_EQ(f.starved_pe_cycles, r.starved_pe_cycles) << what;
  EXPECT_EQ(f.idle_pe_cycles, r.idle_pe_cycles) << what;
  EXPECT_EQ(f.bus_blocked_cycles, r.bus_blocked_cycles) << what;
  EXPECT_EQ(f.entries_consumed, r.entries_consumed) << what;
  EXPECT_EQ(f.bus_entries, r.bus_entries) << what;
  EXPECT_EQ(f.fifo_writes, r.fifo_writes) << what;
  EXPECT_EQ(f.comparisons, r.comparisons) << what;
}

uint64_t gFollowed = 0;  // cycles the fast engine advanced followers by their closed form

// Runs one fold on both engines (fresh cores, outputs pre-filled) and compares everything.
void compareFold(int R, int C, const SparsePeConfig& c, const std::vector<SparseStream>& rs,
                 const std::vector<SparseStream>& cs, const std::string& what, uint64_t* fastCycles = nullptr) {
  SparsePeArrayCore fast(R, C, c), ref(R, C, c);
  const size_t n = rs.size() * cs.size();
  std::vector<int32_t> of(n, 7), orf(n, 7);
  const SparsePeCounters f = fast.runFold(rs, cs, of.data(), int64_t(cs.size()));
  const SparsePeCounters r = ref.runFoldReference(rs, cs, orf.data(), int64_t(cs.size()));
  expectEqual(f, r, what);
  EXPECT_EQ(of, orf) << what;
  gFollowed += fast.followedCycles();
  // The same without the streams' run tables (the engine then scans for matching stretches).
  std::vector<SparseStream> rs0(rs), cs0(cs);
  for (auto& x : rs0) x.run = nullptr;
  for (auto& x : cs0) x.run = nullptr;
  std::vector<int32_t> o0(n, 7);
  const SparsePeCounters f0 = fast.runFold(rs0, cs0, o0.data(), int64_t(cs.size()));
  expectEqual(f0, r, what + " (no run tables)");
  EXPECT_EQ(o0, orf) << what << " (no run tables)";
  if (fastCycles) *fastCycles += f.cycles;
}

// A length-K vector: dense stretches (where runs form) mixed with random gaps.
std::vector<int8_t> randomDense(std::mt19937_64& rng, int64_t K, double density, double stretch) {
  std::vector<int8_t> v(size_t(K), 0);
  std::uniform_real_distribution<double> u(0, 1);
  bool dense = u(rng) < stretch;
  for (int64_t x = 0; x < K; ++x) {
    if (u(rng) < 0.02) dense = u(rng) < stretch;
    if (dense || u(rng) < density) v[size_t(x)] = int8_t(1 + rng() % 127) * ((rng() & 1) ? -1 : 1);
  }
  return v;
}

void compareLayer(const LayerWorkload& w, int R, int C, const SparsePeConfig& c, int maxFolds, const std::string& what) {
  const LayerGeometry& g = w.geom;
  for (int grp = 0; grp < g.groups; ++grp) {
    const GroupGemm gm = lowerGroup(w, grp);
    Streams a, b;
    for (int64_t m = 0; m < g.M; ++m) a.add(gm.A.data() + m * g.K, g.K);
    for (int64_t n = 0; n < g.N; ++n) b.add(gm.Bt.data() + n * g.K, g.K);
    a.finish();
    b.finish();
    const int64_t mt = (g.M + R - 1) / R, nt = (g.N + C - 1) / C, folds = mt * nt;
    const int64_t step = std::max<int64_t>(1, folds / maxFolds);
    for (int64_t f = 0; f < folds; f += step) {
      const int64_t m0 = (f / nt) * R, n0 = (f % nt) * C;
      std::vector<SparseStream> rs(a.s.begin() + m0, a.s.begin() + std::min<int64_t>(g.M, m0 + R));
      std::vector<SparseStream> cs(b.s.begin() + n0, b.s.begin() + std::min<int64_t>(g.N, n0 + C));
      compareFold(R, C, c, rs, cs, what + " group " + std::to_string(grp) + " fold " + std::to_string(f));
      if (::testing::Test::HasFailure()) return;
    }
  }
}

}  // namespace

TEST(SparsePeEngine, RandomFoldsEqualTheReferenceInEveryCounter) {
  std::mt19937_64 rng(2026);
  for (int trial = 0; trial < 400; ++trial) {
    const int R = 1 + int(rng() % 9), C = 1 + int(rng() % 9);
    const int nr = 1 + int(rng() % R), nc = 1 + int(rng() % C);
    const int64_t K = 1 + int64_t(rng() % 400);
    const double ad = double(rng() % 101) / 100.0, wd = double(rng() % 101) / 100.0;
    const double as = double(rng() % 101) / 100.0, ws = double(rng() % 101) / 100.0;
    const int widths[] = {1, 2, 3, 4, 5, 8};
    const SparsePeConfig c = cfg(1 + int(rng() % 12), widths[rng() % 6], 1 + int(rng() % 8));
    Streams a, b;
    for (int i = 0; i < nr; ++i) {
      const auto v = randomDense(rng, K, ad, as);
      a.add(v.data(), K);
    }
    for (int j = 0; j < nc; ++j) {
      const auto v = randomDense(rng, K, wd, ws);
      b.add(v.data(), K);
    }
    a.finish();
    b.finish();
    compareFold(R, C, c, a.s, b.s,
                "trial " + std::to_string(trial) + " D=" + std::to_string(c.fifo_depth) + " W=" +
                    std::to_string(c.match_width) + " P=" + std::to_string(c.bus_pairs_per_cycle));
    if (HasFailure()) return;
  }
}

TEST(SparsePeEngine, DenseFoldsEqualTheReference) {
  // Fully dense streams: every PE is in a run from its first match on; some rows lose a few
  // entries (as padded border pixels do), which keeps those PEs stepped.
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 60; ++trial) {
    const int R = 2 + int(rng() % 15), C = 2 + int(rng() % 15);
    const int64_t K = 50 + int64_t(rng() % 900);
    const SparsePeConfig c = cfg(1 + int(rng() % 12), 1 + int(rng() % 8), 1 + int(rng() % 8));
    Streams a, b;
    for (int i = 0; i < R; ++i) {
      auto v = randomDense(rng, K, 1.0, 1.0);
      if (rng() % 4 == 0)
        for (int64_t x = int64_t(rng() % 3); x < K; x += 3) v[size_t(x)] = 0;
      a.add(v.data(), K);
    }
    for (int j = 0; j < C; ++j) {
      const auto v = randomDense(rng, K, 1.0, 1.0);
      b.add(v.data(), K);
    }
    a.finish();
    b.finish();
    compareFold(R, C, c, a.s, b.s,
                "trial " + std::to_string(trial) + " D=" + std::to_string(c.fifo_depth) + " W=" +
                    std::to_string(c.match_width) + " P=" + std::to_string(c.bus_pairs_per_cycle));
    if (HasFailure()) return;
  }
}

TEST(SparsePeEngine, NetworkFoldsEqualTheReference) {
  const std::string root = SPARSESIM_SOURCE_DIR;
  const NetworkConfig gsc = loadNetwork(root + "/configs/networks/gsc.json");
  for (size_t l = 0; l < gsc.layers.size(); ++l) {
    const LayerWorkload w = makeWorkload(gsc.layers[l], Compat::None, 1, gsc.source_file, int(l));
    compareLayer(w, 16, 16, cfg(8, 4, 4), 1 << 30, "gsc layer " + std::to_string(l));
    compareLayer(w, 8, 8, cfg(3, 2, 1), 1 << 30, "gsc 8x8 layer " + std::to_string(l));
    if (HasFailure()) return;
  }
  for (const char* net : {"alexnet.json", "alexnet-pruned.json"}) {
    const NetworkConfig n = loadNetwork(root + "/configs/networks/" + net);
    for (size_t l = 0; l < n.layers.size() && l < 3; ++l) {
      const LayerWorkload w = makeWorkload(n.layers[l], Compat::None, 1, n.source_file, int(l));
      compareLayer(w, 16, 16, cfg(8, 4, 4), 12, std::string(net) + " layer " + std::to_string(l));
      if (HasFailure()) return;
    }
  }
}

TEST(SparsePeEngine, ResNet50FoldsEqualTheReference) {
  // The layers whose padded border pixels keep PEs stepped (3x3, stride 1 and 2), the 7x7 stem and
  // a 1x1 layer; sampled folds, always including the first tile (top-border pixels), on the
  // shipped 16x16 parameters and on other FIFO depths, match widths and bus widths.
  const std::string root = SPARSESIM_SOURCE_DIR;
  const NetworkConfig n = loadNetwork(root + "/configs/networks/resnet50.json");
  const std::vector<std::string> pick = {"conv1", "layer1.0.conv2", "layer2.0.conv2", "layer3.0.conv2", "layer3.1.conv1"};
  int found = 0;
  for (size_t l = 0; l < n.layers.size(); ++l) {
    if (std::find(pick.begin(), pick.end(), n.layers[l].name) == pick.end()) continue;
    ++found;
    const LayerWorkload w = makeWorkload(n.layers[l], Compat::None, 1, n.source_file, int(l));
    compareLayer(w, 16, 16, cfg(8, 4, 4), 4, "resnet50 " + n.layers[l].name);
    compareLayer(w, 16, 16, cfg(3, 4, 1), 2, "resnet50 D=3 P=1 " + n.layers[l].name);
    compareLayer(w, 8, 8, cfg(12, 8, 2), 2, "resnet50 8x8 D=12 W=8 P=2 " + n.layers[l].name);
    if (HasFailure()) return;
  }
  EXPECT_EQ(found, int(pick.size()));
}

TEST(SparsePeEngine, RandomPaddedConvolutionsEqualTheReference) {
  // Padded 3x3 (and some 5x5) convolutions: in every tile the border pixels' activation streams skip
  // the padded taps, so their PEs run ahead of their column bus and then take each weight as it
  // arrives (the followers the engine advances in closed form) while the interior pixels' PEs run.
  // Small FIFOs (1-4 entries) and the shipped 8, one pair per cycle (a starved bus) up to four,
  // match widths 1, 2, 4, dense and lightly pruned weights and activations (zeros break runs and
  // weight stretches). Every fold of each layer is compared; the closed form must have been used.
  std::mt19937_64 rng(20);
  const uint64_t before = gFollowed;
  for (int trial = 0; trial < 40; ++trial) {
    LayerConfig l;
    l.name = "conv" + std::to_string(trial);
    l.in_channels = 2 + int(rng() % 30);
    l.out_channels = 2 + int(rng() % 40);
    l.in_h = 3 + int(rng() % 10);
    l.in_w = 3 + int(rng() % 10);
    l.kernel_h = l.kernel_w = rng() % 5 == 0 ? 5 : 3;
    l.padding = l.kernel_h / 2;
    l.stride = 1 + int(rng() % 2);
    const double ws[] = {0.0, 0.0, 0.01, 0.3}, ad[] = {1.0, 1.0, 0.98, 0.7};
    l.weight_sparsity = ws[rng() % 4];
    l.activation_density = ad[rng() % 4];
    const int depths[] = {1, 2, 3, 4, 8}, widths[] = {1, 2, 4}, buses[] = {1, 2, 4}, sides[] = {4, 8, 16};
    const SparsePeConfig c = cfg(depths[rng() % 5], widths[rng() % 3], buses[rng() % 3]);
    const int R = sides[rng() % 3], C = sides[rng() % 3];
    const LayerWorkload w = makeWorkload(l, Compat::None, 1 + uint64_t(trial), nullptr);
    compareLayer(w, R, C, c, 1 << 30,
                 "trial " + std::to_string(trial) + " " + std::to_string(l.in_channels) + "x" + std::to_string(l.in_h) + "x" +
                     std::to_string(l.in_w) + " k" + std::to_string(l.kernel_h) + " s" + std::to_string(l.stride) + " D=" +
                     std::to_string(c.fifo_depth) + " W=" + std::to_string(c.match_width) + " P=" +
                     std::to_string(c.bus_pairs_per_cycle) + " " + std::to_string(R) + "x" + std::to_string(C));
    if (HasFailure()) return;
  }
  EXPECT_GT(gFollowed, before) << "no fold advanced a follower in closed form";
}

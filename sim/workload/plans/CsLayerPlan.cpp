#include "sim/workload/plans/CsLayerPlan.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

#include "sim/core/Math.h"
#include "sim/workload/Kwta.h"

namespace sparsesim {

namespace {

uint64_t ceilDivU(uint64_t a, uint64_t b) { return (a + b - 1) / b; }

// The packing is a pure function of the weights and the packer's settings; a run plans the same
// layer many times (a pipeline's folding measures one layer on many engines), so the last few
// packings are kept, keyed by their inputs (the weights compared byte for byte).
struct PackingMemo {
  std::vector<int8_t> weights;
  int64_t out_c = 0, K = 0;
  int groups = 0, max_n = 0;
  PackingStrategy strategy = PackingStrategy::OnePerGroup;
  std::shared_ptr<const PackedLayer> packed;  // with or without its slots
};

// The memo hands out the packing it keeps (a layer's table is tens of MiB on a large layer), not a copy.
// withSlots false: the shape suffices, so a kept full packing serves too (a run's residency plan
// asks every layer's shape before the layers run; the slots are filled when a layer runs). Only
// full packings are kept.
std::shared_ptr<const PackedLayer> pack(const LayerWorkload& w, const CsConfig& cs, CsMode mode, bool withSlots) {
  const LayerGeometry& g = w.geom;
  const PackingStrategy strategy = mode == CsMode::DenseDense ? PackingStrategy::OnePerGroup : PackingStrategy::FirstFitDisjoint;
  constexpr size_t kKept = 16;
  thread_local std::vector<PackingMemo> memo;
  for (const PackingMemo& m : memo)
    if (m.out_c == g.out_c && m.K == g.K && m.groups == g.groups && m.max_n == cs.packing.max_n && m.strategy == strategy &&
        (m.packed->hasSlots || !withSlots) && m.weights == w.weights.data)
      return m.packed;
  auto p = std::make_shared<const PackedLayer>(packLayer(w.weights.data.data(), g.out_c, g.groups, g.K, strategy, cs.packing.max_n, withSlots));
  if (!withSlots) return p;  // kept packings are full ones: a shape must not push one out
  if (memo.size() == kKept) memo.erase(memo.begin());
  memo.push_back(PackingMemo{w.weights.data, g.out_c, g.K, g.groups, cs.packing.max_n, strategy, p});
  return p;
}

}  // namespace

CsModeEstimate estimateCsMode(const LayerWorkload& w, const CsConfig& cs, int lanes, int slots, CsMode mode,
                              const PackedLayer& packed, const ColumnReadCycles& columnReadCycles) {
  const LayerGeometry& g = w.geom;
  const CsSramConfig& sram = cs.sram;
  const int entryBits = 8 + packed.idBits;
  auto wordsPerColumn = [&](int64_t r) {
    return std::max<uint64_t>(1, ceilDivU(uint64_t(r) * uint64_t(entryBits), uint64_t(sram.word_bits)));
  };
  int64_t maxGroups = 1;
  for (const auto& grp : packed.groups) maxGroups = std::max<int64_t>(maxGroups, int64_t(grp.size()));
  int64_t R = std::min<int64_t>(slots, maxGroups);
  const uint64_t capacity = uint64_t(sram.banks) * uint64_t(sram.depth);
  while (R > 1 && uint64_t(g.K) * wordsPerColumn(R) > capacity) --R;
  CsModeEstimate e;
  e.mode = mode;
  for (const auto& grp : packed.groups) e.passes += int64_t(ceilDivU(grp.size(), uint64_t(R)));
  const int64_t liveK = g.K * g.groups - packed.deadColumns;
  const double livePerGroup = double(liveK) / double(g.groups);
  const double keep = w.input.size() ? double(w.kwta_k) / double(w.input.size()) : 1.0;
  e.items_per_pixel = mode == CsMode::SparseSparse ? livePerGroup * keep : livePerGroup;
  const int64_t L = int64_t(lanes) * (cs.mac.replicate ? std::max<int64_t>(1, slots / R) : 1);
  const int64_t split = g.M < L ? L / g.M : 1;
  const int wpc = int(wordsPerColumn(R));
  const bool sparse = mode == CsMode::SparseSparse;
  const int64_t columns = (sparse || split > 1) ? std::max<int64_t>(1, std::min<int64_t>(L, int64_t(livePerGroup))) : 1;
  e.step_cycles = columnReadCycles(std::max<int64_t>(1, int64_t(livePerGroup)), columns, wpc);
  if (sparse) {
    e.selector_cycles = ceilDivU(uint64_t(w.kwta_k), uint64_t(std::max(1, cs.selector.out_width)));
    if (!cs.selector.fused) e.selector_cycles += ceilDivU(uint64_t(w.input.size()), uint64_t(std::max(1, cs.selector.lanes)));
  }
  const uint64_t steps = ceilDivU(uint64_t(g.M * split), uint64_t(L)) *
                         uint64_t(std::ceil(e.items_per_pixel / double(split)));
  const uint64_t fill = uint64_t(sram.read_latency) + uint64_t(cs.mac.pipeline_depth);
  e.cycles = e.selector_cycles + uint64_t(std::llround(double(e.passes) * (double(fill) + double(steps) * e.step_cycles)));
  return e;
}

CsLayerPlan planCsLayer(const LayerWorkload& w, const CsConfig& cs, const MemoryConfig& memory, int lanes, int slots,
                        const ColumnReadCycles& columnReadCycles, bool withTable) {
  CsLayerPlan p;
  if (cs.mode == CsMode::Auto) {
    std::shared_ptr<const PackedLayer> dense = pack(w, cs, CsMode::DenseDense, withTable);
    std::shared_ptr<const PackedLayer> packed = pack(w, cs, CsMode::SparseDense, withTable);
    p.mode_estimates.push_back(estimateCsMode(w, cs, lanes, slots, CsMode::DenseDense, *dense, columnReadCycles));
    p.mode_estimates.push_back(estimateCsMode(w, cs, lanes, slots, CsMode::SparseDense, *packed, columnReadCycles));
    if (w.kwta_k < w.input.size())
      p.mode_estimates.push_back(estimateCsMode(w, cs, lanes, slots, CsMode::SparseSparse, *packed, columnReadCycles));
    // Fewest estimated cycles; a tie goes to the later, sparser mode (less SRAM, fewer MACs).
    const CsModeEstimate* best = &p.mode_estimates[0];
    for (const CsModeEstimate& e : p.mode_estimates)
      if (e.cycles <= best->cycles) best = &e;
    p.mode = best->mode;
    p.packed = p.mode == CsMode::DenseDense ? std::move(dense) : std::move(packed);
  } else {
    p.mode = cs.mode;
    p.packed = pack(w, cs, p.mode, withTable);
  }
  p.sparse_activations = p.mode == CsMode::SparseSparse;
  p.entry_bits = 8 + p.packed->idBits;

  // k for the report: the activations the MAC array processes per input.
  const size_t L = w.input.size();
  p.L = L;
  p.k = L;
  p.selector_group = cs.selector.group_size > 0 ? static_cast<size_t>(cs.selector.group_size)
                                                : (w.geom.batch > 1 ? L / static_cast<size_t>(w.geom.batch) : 0);
  p.selector_image = w.geom.batch > 1 ? L / static_cast<size_t>(w.geom.batch) : 0;
  if (p.sparse_activations) {
    if (p.selector_group > 0) {
      p.k = 0;
      const size_t img = p.selector_image ? p.selector_image : L;
      for (size_t i0 = 0; i0 < L; i0 += img)
        for (size_t off = i0; off < i0 + img; off += p.selector_group)
          p.k += kwtaK(w.config.activation_density, std::min<size_t>(p.selector_group, i0 + img - off));
    } else {
      p.k = w.kwta_k;
    }
  }
  p.uses_selection = p.sparse_activations && p.k < L;

  // Activation buffer: the dense input (1 byte each) or, with a selection, the winners in the
  // smaller of two formats: (value, flat index) pairs, or dense values plus a winner bitmap.
  p.index_bytes = static_cast<uint64_t>((ceilLog2(static_cast<int64_t>(L)) + 7) / 8);
  p.activation_bytes = p.uses_selection ? std::min<uint64_t>(uint64_t(p.k) * (1 + p.index_bytes), L + (L + 7) / 8)
                                        : uint64_t(L);
  p.activations_resident = static_cast<double>(p.activation_bytes) <= memory.ifmap_kb * 1024.0;
  return p;
}

std::vector<uint64_t> CsLayerPlan::refetchBytes(int64_t groups) const {
  return std::vector<uint64_t>(static_cast<size_t>(groups),
                               activations_resident ? 0 : (activation_bytes + groups - 1) / groups);
}

}  // namespace sparsesim

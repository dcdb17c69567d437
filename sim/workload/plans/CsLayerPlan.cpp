#include "sim/workload/plans/CsLayerPlan.h"

#include <algorithm>

#include "sim/core/Math.h"
#include "sim/workload/Kwta.h"

namespace sparsesim {

CsMode resolveCsMode(CsMode configured, const LayerWorkload& w) {
  if (configured != CsMode::Auto) return configured;
  if (w.kwta_k < w.input.size()) return CsMode::SparseSparse;
  if (w.weight_nonzeros < static_cast<int64_t>(w.weights.size())) return CsMode::SparseDense;
  return CsMode::DenseDense;
}

CsLayerPlan planCsLayer(const LayerWorkload& w, const CsConfig& cs, const MemoryConfig& memory) {
  const LayerGeometry& g = w.geom;
  CsLayerPlan p;
  p.mode = resolveCsMode(cs.mode, w);
  p.sparse_activations = p.mode == CsMode::SparseSparse;
  p.packed = packLayer(w.weights.data.data(), g.out_c, g.groups, g.K,
                       p.mode == CsMode::DenseDense ? PackingStrategy::OnePerGroup : PackingStrategy::FirstFitDisjoint,
                       cs.packing.max_n);
  p.entry_bits = 8 + p.packed.idBits;

  // k for the report: the activations the MAC array processes per input.
  const size_t L = w.input.size();
  p.L = L;
  p.k = L;
  if (p.sparse_activations) {
    if (cs.selector.group_size > 0) {
      p.k = 0;
      for (size_t off = 0; off < L; off += static_cast<size_t>(cs.selector.group_size))
        p.k += kwtaK(w.config.activation_density, std::min<size_t>(static_cast<size_t>(cs.selector.group_size), L - off));
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

#pragma once
// Host-side ("offline") preparation of one layer for the Complementary Sparsity datapath
// (docs/cs.md): the mode the layer runs in, the packed weight table, the number of activations
// the MAC array processes per input (k) and the activation buffer's format and size. Plain
// C++: the SRAM slice geometry depends on the SRAM block's banks and is planned by the top.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/config/CsConfig.h"
#include "sim/workload/WeightPacker.h"
#include "sim/workload/Workload.h"

namespace sparsesim {

// "auto" decides per layer from the layer's operands (CsDatapath.h lists the rule).
CsMode resolveCsMode(CsMode configured, const LayerWorkload& w);

struct CsLayerPlan {
  CsMode mode = CsMode::DenseDense;
  bool sparse_activations = false;  // sparse_sparse: the selector runs k-WTA
  PackedLayer packed;
  int entry_bits = 0;  // one packed-table entry: 8-bit weight + kernel ID
  size_t L = 0;        // activations per input
  size_t k = 0;        // activations the MAC array processes per input
  // The selector's winners are what the array walks (k < L); with k == L the selector is
  // bypassed and the array walks every window position.
  bool uses_selection = false;
  uint64_t index_bytes = 0;       // one flat activation index
  uint64_t activation_bytes = 0;  // activation buffer contents, written once per layer
  bool activations_resident = false;  // fits memory.ifmap_kb; else re-fetched per packed group

  // Bytes of input re-fetched from DRAM before each of `groups` passes over the packed groups.
  std::vector<uint64_t> refetchBytes(int64_t groups) const;
};

CsLayerPlan planCsLayer(const LayerWorkload& w, const CsConfig& cs, const MemoryConfig& memory);

}  // namespace sparsesim

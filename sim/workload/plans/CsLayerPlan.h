#pragma once
// Host-side ("offline") preparation of one layer for the Complementary Sparsity datapath
// (docs/cs.md): the mode the layer runs in, the packed weight table, the number of activations
// the MAC array processes per input (k) and the activation buffer's format and size. Plain
// C++: the SRAM slice geometry depends on the SRAM block's banks and is planned by the top.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "sim/config/CsConfig.h"
#include "sim/workload/WeightPacker.h"
#include "sim/workload/Workload.h"

namespace sparsesim {

// The cycles a mode would take on a layer, by a closed form over the packed table (docs/cs.md
// "Modes"): per conv group ceil(packed groups / R) passes (R = packed groups one pass holds, as
// planSlices fits them), each with fill = read_latency + pipeline_depth and
// steps = ceil(M * split / lanes) * ceil(items per pixel / split), where lanes = array.rows
// (x cols / R with replication), split = lanes / M when there are fewer pixels than lanes, and
// items per pixel = the live columns (dense activations) or live columns x k / L (sparse_sparse).
// A step costs the SRAM's read cycles for the distinct columns the lanes read: one (every lane
// at the same position) for dense activations with at least as many pixels as lanes, else
// min(lanes, live columns) random ones (`columnReadCycles`, the banks' mean over random draws).
// sparse_sparse adds the selector's read-out before the array starts: ceil(k / out_width), plus
// ceil(L / selector lanes) to load the input unless the selector is fused.
// Not counted: routing conflicts between kernel IDs, DRAM.
using ColumnReadCycles = std::function<double(int64_t K, int64_t columns, int wordsPerColumn)>;

struct CsModeEstimate {
  CsMode mode = CsMode::DenseDense;
  int64_t passes = 0;
  double items_per_pixel = 0;
  double step_cycles = 0;     // SRAM column-read cycles of one step
  uint64_t selector_cycles = 0;
  uint64_t cycles = 0;
};

CsModeEstimate estimateCsMode(const LayerWorkload& w, const CsConfig& cs, int lanes, int slots, CsMode mode,
                              const PackedLayer& packed, const ColumnReadCycles& columnReadCycles);

struct CsLayerPlan {
  CsMode mode = CsMode::DenseDense;
  // cs.mode "auto": every candidate's estimate (dense_dense, sparse_dense, and sparse_sparse when
  // the layer keeps fewer than all activations); the smallest runs. Empty for a fixed mode.
  std::vector<CsModeEstimate> mode_estimates;
  bool sparse_activations = false;  // sparse_sparse: the selector runs k-WTA
  std::shared_ptr<const PackedLayer> packed;  // shared with the packing memo (never null)
  int entry_bits = 0;  // one packed-table entry: 8-bit weight + kernel ID
  size_t L = 0;        // activations per input
  size_t k = 0;        // activations the MAC array processes per input
  // The selector's group: cs.selector.group_size, or with a global k-WTA on a batch, one image
  // (k-WTA is per sample); 0: one group over the whole input. Groups restart at every image
  // (selector_image elements; 0: one image).
  size_t selector_group = 0;
  size_t selector_image = 0;
  // The selector's winners are what the array walks (k < L); with k == L the selector is
  // bypassed and the array walks every window position.
  bool uses_selection = false;
  uint64_t index_bytes = 0;       // one flat activation index
  uint64_t activation_bytes = 0;  // activation buffer contents, written once per layer
  bool activations_resident = false;  // fits memory.ifmap_kb; else re-fetched per packed group

  // Bytes of input re-fetched from DRAM before each of `groups` passes over the packed groups.
  std::vector<uint64_t> refetchBytes(int64_t groups) const;
};

// lanes, slots: the MAC array's shape (array.rows, array.cols); columnReadCycles: the
// weight-packing SRAM's (cs.mode auto only). withTable false: `packed` may lack its slots (its
// shape and counts are exact), for planning that does not read the weights.
CsLayerPlan planCsLayer(const LayerWorkload& w, const CsConfig& cs, const MemoryConfig& memory, int lanes, int slots,
                        const ColumnReadCycles& columnReadCycles, bool withTable = true);

}  // namespace sparsesim

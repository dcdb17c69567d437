#pragma once
// Host-side preparation of one layer for the sparse-PE datapath (docs/architecture.md): every row
// of each group's A and Bt compressed along K (CSC) as the global buffer stores them, the
// (value, k) streams the PEs read decoded from them, the compressed input map and the stored
// sizes. Plain C++, no SystemC.
#include <cstdint>
#include <vector>

#include "sim/config/SparsePeConfig.h"
#include "sim/workload/CompressedTensor.h"
#include "sim/workload/Workload.h"
#include "sim/workload/plans/CompressedInputMap.h"

namespace sparsesim {

// One operand's streams: vector v holds entries [ptr[v], ptr[v + 1]) of (k, val).
struct DecodedStreams {
  std::vector<int64_t> ptr;  // vectors + 1
  std::vector<int32_t> k;
  std::vector<int8_t> val;
};

// The (value, k) streams the PEs read, decoded from a stored CSC tensor (vectors along K).
DecodedStreams decode(const CompressedTensor& t);

struct SparsePeLayerPlan {
  std::vector<DecodedStreams> activations;  // per group: one stream per row m of A
  std::vector<DecodedStreams> weights;      // per group: one stream per row n of Bt
  std::vector<CompressedTensor> weight_tensors;  // per group: Bt as stored
  CompressedInputMap input;
  uint64_t weight_bytes = 0;  // all of the layer's weights as stored
  // Stored bits of group `group`'s weights n in [n0, n0 + nlen), k in [k0, k0 + klen).
  uint64_t weightTileBits(int group, int64_t n0, int64_t nlen, int64_t k0, int64_t klen) const;
};

// All of a layer's weights as the sparse-PE global buffer stores them (every kernel's CSC
// stream; planSparsePeLayer's weight_bytes), from the workload's weights alone.
uint64_t sparsePeStoredWeightBytes(const LayerWorkload& w, const SparsePeConfig& c);

SparsePeLayerPlan planSparsePeLayer(const LayerWorkload& w, const SparsePeConfig& c);

}  // namespace sparsesim

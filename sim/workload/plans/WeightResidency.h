#pragma once
// The run-level weight-residency plan: which layers' stored weights are on chip from
// configuration (no DRAM weight traffic per inference) and which stream from DRAM. One rule for
// every datapath, decided once per run on the host from each layer's stored weight bytes in the
// datapath's own format (docs/memory.md):
//  - memory.weights = "stream": no layer is resident.
//  - "preload" and the whole network's stored weights fit the weight memory together: every
//    layer is resident.
//  - "preload" otherwise: the weight memory keeps room for the largest streaming working set
//    of any layer (stream_reserve_bytes), and layers become resident in network order while
//    their stored weights fit in what is left; the others stream through the rest.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/workload/WeightPlacement.h"

namespace sparsesim {

// One layer's weights as the datapath stores them.
struct WeightFootprint {
  uint64_t stored_bytes = 0;          // the layer's whole weights in the weight memory
  uint64_t stream_reserve_bytes = 0;  // weight memory the layer needs to stream them
};

struct WeightResidencyPlan {
  bool preload = false;
  uint64_t memory_bytes = 0;   // the datapath's on-chip weight memory
  uint64_t reserve_bytes = 0;  // kept free for streamed layers (0 when all or none are resident)
  std::vector<WeightFootprint> layers;
  std::vector<bool> resident;
  uint64_t stored_bytes = 0;    // the whole network
  uint64_t resident_bytes = 0;  // of it, on chip from configuration

  WeightPlacement placement(size_t layer) const;
  size_t residentLayers() const;
  double residentFraction() const { return stored_bytes ? double(resident_bytes) / double(stored_bytes) : 1.0; }
};

WeightResidencyPlan planWeightResidency(bool preload, uint64_t memoryBytes, std::vector<WeightFootprint> layers);

}  // namespace sparsesim

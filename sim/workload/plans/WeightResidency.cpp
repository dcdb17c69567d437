#include "sim/workload/plans/WeightResidency.h"

#include <algorithm>

namespace sparsesim {

WeightResidencyPlan planWeightResidency(bool preload, uint64_t memoryBytes, std::vector<WeightFootprint> layers) {
  WeightResidencyPlan p;
  p.preload = preload;
  p.memory_bytes = memoryBytes;
  p.layers = std::move(layers);
  p.resident.assign(p.layers.size(), false);
  for (const WeightFootprint& f : p.layers) p.stored_bytes += f.stored_bytes;
  if (!preload) return p;
  if (p.stored_bytes <= memoryBytes) {
    std::fill(p.resident.begin(), p.resident.end(), true);
    p.resident_bytes = p.stored_bytes;
    return p;
  }
  // Not all of it fits: some layer streams, so the memory keeps the largest working set any
  // layer needs to stream; network order is the documented tie-free rule (docs/memory.md).
  for (const WeightFootprint& f : p.layers) p.reserve_bytes = std::max(p.reserve_bytes, f.stream_reserve_bytes);
  const uint64_t room = memoryBytes > p.reserve_bytes ? memoryBytes - p.reserve_bytes : 0;
  for (size_t i = 0; i < p.layers.size(); ++i) {
    if (p.resident_bytes + p.layers[i].stored_bytes > room) continue;
    p.resident[i] = true;
    p.resident_bytes += p.layers[i].stored_bytes;
  }
  return p;
}

WeightPlacement WeightResidencyPlan::placement(size_t layer) const {
  WeightPlacement w;
  w.resident = layer < resident.size() && resident[layer];
  w.stream_capacity_bytes = double(memory_bytes - std::min(memory_bytes, resident_bytes));
  return w;
}

size_t WeightResidencyPlan::residentLayers() const { return size_t(std::count(resident.begin(), resident.end(), true)); }

}  // namespace sparsesim

#pragma once
// What a PE-array datapath (dense, sod, sparse_pe) knows of a layer besides its counters: the
// fold schedule's size and what the global buffer could keep resident.
#include <cstdint>

namespace sparsesim {

struct ArrayLayerInfo {
  uint64_t folds = 0;
  bool weights_resident = false;  // the whole layer's weights fit the filter partition
  bool inputs_resident = false;   // the whole layer's input fits the ifmap partition
};

}  // namespace sparsesim

#pragma once
// The Sparse-on-Dense datapath's per-layer facts for the report (sim/report/DatapathSections.cpp):
// storage formats, stored bytes and what each decompression unit did.
#include <cstdint>

#include "models/common/ArrayInfo.h"
#include "sim/workload/CompressedTensor.h"

namespace sparsesim {

struct DecompressorUnitInfo {
  bool compressed = false;  // false: the operand is stored dense and the unit is bypassed
  uint64_t vectors = 0, entries = 0, busy_cycles = 0, bits_read = 0;
  // Structural cost of the unit: the port word it receives and the dense lanes it emits are
  // registers; the scatter is a nnz_per_cycle x lanes crossbar.
  uint64_t register_bits = 0, crossbar_crosspoints = 0;
};

struct SodInfo {
  ArrayLayerInfo array;
  SparseFormat weight_format = SparseFormat::Dense;
  SparseFormat activation_format = SparseFormat::Dense;
  uint64_t weight_bytes_dense = 0, weight_bytes_compressed = 0;
  uint64_t activation_bytes_dense = 0, activation_bytes_compressed = 0;
  DecompressorUnitInfo weights, activations;
};

}  // namespace sparsesim

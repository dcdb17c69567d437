#pragma once
// The layer's input activations as the global buffer (and DRAM) of the sod and sparse_pe
// datapaths store them: one compressed vector per input channel of each image, its H x W plane row by row.
// The global buffer asks for the stored bits of a band of rows of one channel when a fold
// needs them (OperandStorage::input_rows_bits).
#include <cstdint>

#include "sim/workload/CompressedTensor.h"
#include "sim/workload/Workload.h"

namespace sparsesim {

class CompressedInputMap {
 public:
  CompressedInputMap(const LayerWorkload& w, const CompressionSpec& spec);
  // Stored bits of rows [row_lo, row_hi) of input channel `channel`, rows counted over the
  // batch's images one after the other (image b's row iy is row b * in_h + iy).
  uint64_t rowsBits(int channel, int row_lo, int row_hi) const;
  uint64_t bytes() const { return map_.bytes(); }

 private:
  CompressedTensor map_;
  int inC_, inH_, inW_;
};

}  // namespace sparsesim
